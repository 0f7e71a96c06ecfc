"""Command line: run a standalone sandbox with its console (``python -m bot.sandbox --port 8081``)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import logging
import re
import signal
import sys
from pathlib import Path

from bot.sandbox.console import HELP, Console
from bot.sandbox.faults import TelegramLimits
from bot.sandbox.sandbox import Sandbox

_TOKEN = re.compile(r"\d+:[A-Za-z0-9_-]+")
PIPED_WAIT_SECONDS = 30.0


def _token(value: str) -> str:
    if not _TOKEN.fullmatch(value):
        raise argparse.ArgumentTypeError(
            "a bot token looks like '<bot id>:<secret>' (digits, a colon, then letters, digits, _ or -), "
            "e.g. 7000000001:AAsandbox"
        )
    return value


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command line options."""
    parser = argparse.ArgumentParser(
        prog="python -m bot.sandbox",
        description=(
            "A local Telegram Bot API sandbox. Point the bot at the printed base_url and token, then type "
            "(or pipe in) console commands acting as simulated people."
        ),
        epilog=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081, help="0 picks a free port (default 8081)")
    parser.add_argument(
        "--token",
        type=_token,
        default=None,
        help=(
            "the bot token to accept, '<bot id>:<secret>' (default: a new random one at every start). "
            "Give one to keep the same token across restarts, so the bot's config needn't change"
        ),
    )
    parser.add_argument("--username", default="pps_bimtek_bot", help="bot username returned by getMe")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every request")
    parser.add_argument(
        "--limits", action="store_true", help="enforce Telegram flood limits (30/s, 1/s per chat)"
    )
    parser.add_argument("--spec", type=Path, default=None, help="Bot API description (api.json)")
    parser.add_argument("--user", action="append", default=[], metavar="NAME", help="create a simulated user")
    parser.add_argument("--no-console", action="store_true", help="do not read commands from stdin")
    parser.add_argument(
        "--wait",
        type=float,
        default=None,
        metavar="SECONDS",
        help=(
            "how long press, tap and expect wait for the bot's button or message (default: "
            f"{PIPED_WAIT_SECONDS:g} when commands are piped in, which type ahead of the bot; 0 on a terminal)"
        ),
    )
    parser.add_argument(
        "--exit-on-eof",
        action="store_true",
        help=(
            "stop once piped commands run out (default: keep serving the bot until Ctrl-C or SIGTERM; "
            "on a terminal Ctrl-D always stops)"
        ),
    )
    return parser.parse_args(argv)


def _say(text: str) -> None:
    print(text, flush=True)


async def serve(args: argparse.Namespace) -> int:
    """Run until Ctrl-C/SIGTERM, ``quit``, Ctrl-D on a terminal, or (with --exit-on-eof) the input's end."""
    interactive = sys.stdin is not None and sys.stdin.isatty()
    sandbox = Sandbox(
        spec_path=args.spec,
        latency=args.latency,
        limits=TelegramLimits() if args.limits else None,
        bot_username=args.username,
        token=args.token,
        host=args.host,
        port=args.port,
    )
    wait = args.wait if args.wait is not None else (0.0 if interactive else PIPED_WAIT_SECONDS)
    console = Console(sandbox, _say, wait=wait, echo=not interactive)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, stop.set)
    try:
        await sandbox.start()
    except OSError as error:
        _say(f"error: cannot listen on {args.host}:{args.port}: {error.strerror or error}")
        return 1
    try:
        console.show_chats()
        _say(f"base_url:      {sandbox.base_url}")
        _say(f"base_file_url: {sandbox.base_file_url}")
        _say(f"token:         {sandbox.token}")
        for name in args.user:
            user = console.add_user(name)
            _say(f"user {user.first_name}: id {user.id}")
        tasks: list[asyncio.Task[object]] = [asyncio.create_task(stop.wait())]
        if not args.no_console:
            if interactive:
                _say(HELP)
            tasks.append(asyncio.create_task(_console(console, stop, interactive, args.exit_on_eof)))
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
    finally:
        await sandbox.stop()
    return 0


async def _console(console: Console, stop: asyncio.Event, interactive: bool, exit_on_eof: bool) -> None:
    await console.run(sys.stdin.fileno() if sys.stdin is not None else 0)
    if console.quit_requested or interactive or exit_on_eof:
        return
    # Piped commands end long before the bot is done with them, and the bot keeps polling.
    _say("(end of input: still serving; Ctrl-C or SIGTERM stops the sandbox)")
    await stop.wait()


def main(argv: list[str] | None = None) -> None:
    """Entry point."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if isinstance(sys.stdout, io.TextIOWrapper):
        # Bot messages carry emoji; a terminal or pipe in a non-UTF-8 locale must not crash on them.
        sys.stdout.reconfigure(errors="backslashreplace")
    code = 0
    with contextlib.suppress(KeyboardInterrupt):
        code = asyncio.run(serve(parse_args(argv)))
    sys.exit(code)


if __name__ == "__main__":
    main()
