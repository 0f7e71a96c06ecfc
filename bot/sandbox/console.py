"""A line-based stdin console for acting as simulated users against a standalone sandbox."""

from __future__ import annotations

import asyncio
import shlex
import sys
from collections.abc import Awaitable, Callable

from bot.sandbox.models import BotMessage
from bot.sandbox.sandbox import Sandbox
from bot.sandbox.users import SimUser

__all__ = ["HELP", "Console", "format_bot_message"]

HELP = """commands (NAME is a user's first name or id):
  user NAME [PHONE]          create a simulated user
  say NAME TEXT...           the user sends TEXT (e.g. say Siti /start)
  press NAME BUTTON...       press an inline button by its text
  tap NAME BUTTON...         tap a reply keyboard button
  contact NAME [PHONE]       share the user's own contact
  location NAME LAT LON      share a location
  users                      list users
  help                       this text"""


def format_bot_message(message: BotMessage) -> str:
    """One-line-per-part rendering of a bot message for the console."""
    lines = [f"[bot -> {message.chat_id} #{message.message_id} {message.method}] {message.text}"]
    if message.file is not None:
        lines.append(f"    ({message.file.kind}: {message.file.filename or ''} {message.file.size} bytes)")
    if message.venue is not None:
        lines.append(f"    (venue: {message.venue['title']}, {message.venue['address']})")
    if message.location is not None:
        lines.append(f"    (location: {message.location['latitude']}, {message.location['longitude']})")
    for row in message.buttons:
        lines.append("    " + " | ".join(f"[{button.text}]" for button in row))
    for keys in message.keyboard:
        lines.append("    " + " | ".join(f"<{key.text}>" for key in keys))
    return "\n".join(lines)


class Console:
    """Reads commands from stdin and drives :class:`SimUser` objects of one sandbox."""

    def __init__(self, sandbox: Sandbox, write: Callable[[str], None] = print) -> None:
        self.sandbox = sandbox
        self.write = write

    def _user(self, name: str) -> SimUser:
        for user in self.sandbox.users:
            if str(user.id) == name or user.first_name.lower() == name.lower():
                return user
        raise ValueError(f"no user {name!r}; create one with: user {name}")

    async def execute(self, line: str) -> None:
        """Run one console command."""
        words = shlex.split(line)
        if not words:
            return
        command, args = words[0].lower(), words[1:]
        actions: dict[str, Callable[[list[str]], Awaitable[None]]] = {
            "user": self._cmd_user,
            "say": self._cmd_say,
            "press": self._cmd_press,
            "tap": self._cmd_tap,
            "contact": self._cmd_contact,
            "location": self._cmd_location,
            "users": self._cmd_users,
            "help": self._cmd_help,
        }
        action = actions.get(command)
        if action is None:
            self.write(f"unknown command {command!r}\n{HELP}")
            return
        try:
            await action(args)
        except (ValueError, IndexError, AssertionError) as exc:
            self.write(f"error: {exc}")

    async def _cmd_user(self, args: list[str]) -> None:
        user = self.sandbox.new_user(args[0], phone_number=args[1] if len(args) > 1 else None)
        self.write(f"user {user.first_name} has id {user.id}")

    async def _cmd_say(self, args: list[str]) -> None:
        await self._user(args[0]).send_text(" ".join(args[1:]))

    async def _cmd_press(self, args: list[str]) -> None:
        await self._user(args[0]).press(" ".join(args[1:]))

    async def _cmd_tap(self, args: list[str]) -> None:
        await self._user(args[0]).tap(" ".join(args[1:]))

    async def _cmd_contact(self, args: list[str]) -> None:
        await self._user(args[0]).share_contact(args[1] if len(args) > 1 else None)

    async def _cmd_location(self, args: list[str]) -> None:
        await self._user(args[0]).share_location(float(args[1]), float(args[2]))

    async def _cmd_users(self, args: list[str]) -> None:
        for user in self.sandbox.users:
            self.write(f"{user.id} {user.full_name}{' (blocked)' if user.blocked else ''}")

    async def _cmd_help(self, args: list[str]) -> None:
        self.write(HELP)

    async def run(self, stop: asyncio.Event) -> None:
        """Read stdin lines until EOF or ``stop``."""
        loop = asyncio.get_running_loop()
        lines: asyncio.Queue[str | None] = asyncio.Queue()

        def readable() -> None:
            line = sys.stdin.readline()
            lines.put_nowait(line if line else None)
            if not line:
                loop.remove_reader(sys.stdin.fileno())

        loop.add_reader(sys.stdin.fileno(), readable)
        try:
            while not stop.is_set():
                line = await lines.get()
                if line is None:
                    return
                await self.execute(line)
        finally:
            loop.remove_reader(sys.stdin.fileno())
