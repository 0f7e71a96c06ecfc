"""Waiting helpers for conversation tests: wait on the bot's own events, never on the clock."""

import asyncio
import os
import sys
from collections.abc import Callable
from pathlib import Path

from bot.runtime.context import BotApplication
from bot.runtime.processing import PerUserUpdateProcessor
from bot.sandbox import SimUser


async def bot_idle(application: BotApplication, timeout: float = 5.0) -> None:
    """Wait until the bot has finished every update it is processing.

    Call it once the bot has visibly started on the update (a reply or an edit arrived): before that
    the update may still be on its way from the sandbox and the bot would look idle.
    """
    processor = application.update_processor
    assert isinstance(processor, PerUserUpdateProcessor)
    await asyncio.wait_for(processor.wait_idle(), timeout)


async def press_when_shown(user: SimUser, text: str, timeout: float = 5.0) -> str:
    """Wait until the bot shows an inline button with this text, then press it (returns the query id)."""
    message = await user.wait_for(lambda m: any(b.text == text for row in m.buttons for b in row), timeout)
    return await user.press(text, message_id=message.message_id)


async def eventually(
    predicate: Callable[[], object], what: str = "the condition", timeout: float = 10.0
) -> None:
    """Poll a condition that has no event of its own, with a deadline."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        assert loop.time() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.01)


REPO_ROOT = Path(__file__).resolve().parent.parent


async def bot_cli(*args: str, config: Path, timeout: float = 120.0) -> tuple[int, str]:
    """Run `python -m bot ARGS --config CONFIG` as a real process (no PPSBOT_ variables): (exit code, output)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PPSBOT_")}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        "--config",
        str(config),
        cwd=REPO_ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), timeout=timeout)
    return process.returncode or 0, output.decode()
