"""Command line: run a standalone sandbox (``python -m bot.sandbox --port 8081``)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from pathlib import Path

from bot.sandbox.console import HELP, Console, format_bot_message
from bot.sandbox.faults import TelegramLimits
from bot.sandbox.sandbox import Sandbox


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command line options."""
    parser = argparse.ArgumentParser(
        prog="python -m bot.sandbox", description="Local Telegram Bot API sandbox"
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081, help="0 picks a free port")
    parser.add_argument("--token", default=None, help="bot token to accept (default: generated)")
    parser.add_argument("--username", default="pps_bimtek_bot", help="bot username returned by getMe")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every request")
    parser.add_argument(
        "--limits", action="store_true", help="enforce Telegram flood limits (30/s, 1/s per chat)"
    )
    parser.add_argument("--spec", type=Path, default=None, help="Bot API description (api.json)")
    parser.add_argument("--user", action="append", default=[], metavar="NAME", help="create a simulated user")
    parser.add_argument("--no-console", action="store_true", help="do not read commands from stdin")
    return parser.parse_args(argv)


async def serve(args: argparse.Namespace) -> None:
    """Run until Ctrl-C/SIGTERM (or stdin EOF when the console is on)."""
    sandbox = Sandbox(
        spec_path=args.spec,
        latency=args.latency,
        limits=TelegramLimits() if args.limits else None,
        bot_username=args.username,
        token=args.token,
        host=args.host,
        port=args.port,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, stop.set)
    async with sandbox:
        sandbox.on_message(lambda message: print(format_bot_message(message), flush=True))
        print(f"base_url:      {sandbox.base_url}", flush=True)
        print(f"base_file_url: {sandbox.base_file_url}", flush=True)
        print(f"token:         {sandbox.token}", flush=True)
        for name in args.user:
            user = sandbox.new_user(name)
            print(f"user {user.first_name}: id {user.id}", flush=True)
        tasks: list[asyncio.Task[object]] = [asyncio.create_task(stop.wait())]
        if not args.no_console and sys.stdin.isatty():
            print(HELP, flush=True)
            tasks.append(asyncio.create_task(Console(sandbox).run(stop)))
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)


def main(argv: list[str] | None = None) -> None:
    """Entry point."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(parse_args(argv)))


if __name__ == "__main__":
    main()
