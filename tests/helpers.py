"""Waiting helpers for conversation tests: wait on the bot's own events, never on the clock."""

import asyncio
from collections.abc import Callable

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
