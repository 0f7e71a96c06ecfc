"""A line-based console for acting as simulated people against a standalone sandbox, typed or piped in."""

from __future__ import annotations

import asyncio
import codecs
import os
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.sandbox.models import BotMessage
from bot.sandbox.sandbox import Sandbox
from bot.sandbox.users import SimUser

__all__ = ["HELP", "Console", "format_bot_message", "read_lines"]

HELP = """commands (NAME is a user's first name or id; lines starting with # are comments):
  user NAME [PHONE]          create a simulated person (PHONE is what `contact` shares)
  say NAME TEXT...           the person sends TEXT (e.g. say Siti /start)
  contact NAME [PHONE]       the person shares their own contact (their phone, or PHONE)
  press NAME BUTTON...       press an inline button by its text; emoji, case and spacing may
                             differ, and its first words are enough (press Siti ya, benar)
  tap NAME BUTTON...         tap a reply keyboard button, named the same way
  location NAME LAT LON      share a location
  expect NAME TEXT...        wait until NAME's chat shows a bot message containing TEXT
  users                      list the people
  help                       this text
  quit                       stop the sandbox"""


def format_bot_message(message: BotMessage, chat: str | None = None) -> str:
    """One-line-per-part rendering of a bot message for the console; ``chat`` names the recipient."""
    recipient = f"{chat} {message.chat_id}" if chat else str(message.chat_id)
    lines = [f"[bot -> {recipient} #{message.message_id} {message.method}] {message.text}"]
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


def read_lines(fd: int, encoding: str = "utf-8") -> asyncio.Queue[str | None]:
    """Lines of file descriptor ``fd`` (a terminal, a pipe, a file or /dev/null) as they arrive; ``None``
    marks the end of input.

    A daemon thread does the reading: the event loop's ``add_reader`` refuses regular files, and a
    blocked read must neither hold up Ctrl-C nor the interpreter's exit. It reads the descriptor with
    ``os.read`` rather than ``sys.stdin``, whose buffer lock a daemon thread would still hold at exit."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str | None] = asyncio.Queue()

    def deliver(line: str | None) -> bool:
        try:
            loop.call_soon_threadsafe(queue.put_nowait, line)
        except RuntimeError:  # the loop has closed: nobody is listening any more
            return False
        return True

    def pump() -> None:
        decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        pending = ""
        while True:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                chunk = b""
            pending += decoder.decode(chunk, final=not chunk)
            *complete, pending = pending.split("\n")
            for line in complete:
                if not deliver(line):
                    return
            if not chunk:
                if pending:
                    deliver(pending)
                deliver(None)
                return

    threading.Thread(target=pump, name="sandbox-console-input", daemon=True).start()
    return queue


@dataclass
class _Seen:
    edits: int
    deleted: bool


class Console:
    """Runs console commands against one sandbox and shows what the bot does in every chat.

    ``wait`` is how long ``press``, ``tap`` and ``expect`` wait for the bot: 0 suits a person at a
    terminal, who sees the buttons before pressing; a script piping commands in types ahead of the bot
    and needs a few seconds. ``echo`` repeats each command before its effects, so that a piped session's
    output reads as a transcript."""

    def __init__(
        self,
        sandbox: Sandbox,
        write: Callable[[str], None] = print,
        *,
        wait: float = 0.0,
        echo: bool = False,
    ) -> None:
        self.sandbox = sandbox
        self.write = write
        self.wait = wait
        self.echo = echo
        self.quit_requested = False
        self._seen: dict[tuple[int, int], _Seen] = {}
        self._answers_seen: dict[int, int] = {}
        self._watched: set[int] = set()
        self._unsubscribe: list[Callable[[], None]] = []

    # -- showing the chats --------------------------------------------------------------------------

    def show_chats(self) -> Callable[[], None]:
        """Print every bot message as it is sent, and every later edit, deletion and button answer;
        returns a function that stops it."""
        self._unsubscribe.append(self.sandbox.on_message(self._on_new_message))
        for user in self.sandbox.users:
            self._follow(user)

        def stop() -> None:
            for unsubscribe in self._unsubscribe:
                unsubscribe()
            self._unsubscribe.clear()
            self._watched.clear()

        return stop

    def _follow(self, user: SimUser) -> None:
        if user.id in self._watched:
            return
        self._watched.add(user.id)
        self._answers_seen[user.id] = len(user.callback_answers)
        for message in user.messages:
            self._seen[(user.id, message.message_id)] = _Seen(message.edits, message.deleted)
        self._unsubscribe.append(user.watch(self._on_chat_changed))

    def _chat_name(self, chat_id: int) -> str | None:
        user = self.sandbox.world.users.get(chat_id)
        return user.first_name if user is not None else None

    def _on_new_message(self, message: BotMessage) -> None:
        user = self.sandbox.world.users.get(message.chat_id)
        if user is not None:
            self._follow(user)
        self._seen[(message.chat_id, message.message_id)] = _Seen(message.edits, message.deleted)
        self.write(format_bot_message(message, self._chat_name(message.chat_id)))

    def _on_chat_changed(self, user: SimUser) -> None:
        for message in user.messages:
            seen = self._seen.get((user.id, message.message_id))
            if seen is None:  # a new message: _on_new_message shows it right after this
                continue
            if message.edits > seen.edits and not message.deleted:
                self.write("[edited] " + format_bot_message(message, user.first_name))
            if message.deleted and not seen.deleted:
                self.write(f"[deleted] [bot -> {user.first_name} {user.id} #{message.message_id}]")
            seen.edits, seen.deleted = message.edits, message.deleted
        answers = user.callback_answers[self._answers_seen.get(user.id, 0) :]
        self._answers_seen[user.id] = len(user.callback_answers)
        for answer in answers:
            if answer.text:
                kind = "alert" if answer.show_alert else "answer"
                self.write(f"[{kind} -> {user.first_name} {user.id}] {answer.text}")

    # -- commands ----------------------------------------------------------------------------------------

    def _user(self, name: str) -> SimUser:
        for user in self.sandbox.users:
            if str(user.id) == name or user.first_name.casefold() == name.casefold():
                return user
        raise ValueError(f"no user {name!r}; create one with: user {name} PHONE")

    def add_user(self, name: str, phone: str | None = None) -> SimUser:
        """A new simulated person, shown from now on."""
        if any(user.first_name.casefold() == name.casefold() for user in self.sandbox.users):
            raise ValueError(f"there is already a user {name!r}")
        user = self.sandbox.new_user(name, phone_number=phone)
        if self._unsubscribe:
            self._follow(user)
        return user

    async def execute(self, line: str) -> None:
        """Run one console command; mistakes are answered with one ``error:`` line."""
        line = line.strip()
        if not line or line.startswith("#"):
            return
        if self.echo:
            self.write(f"> {line}")
        command, _, rest = line.partition(" ")
        actions: dict[str, Callable[[str], Awaitable[None]]] = {
            "user": self._cmd_user,
            "say": self._cmd_say,
            "press": self._cmd_press,
            "tap": self._cmd_tap,
            "contact": self._cmd_contact,
            "location": self._cmd_location,
            "expect": self._cmd_expect,
            "users": self._cmd_users,
            "help": self._cmd_help,
            "quit": self._cmd_quit,
        }
        action = actions.get(command.lower())
        if action is None:
            self.write(f"error: unknown command {command!r}\n{HELP}")
            return
        try:
            await action(rest.strip())
        except (ValueError, IndexError, AssertionError) as exc:
            self.write(f"error: {exc}")

    def _person_and_text(self, rest: str, usage: str) -> tuple[SimUser, str]:
        name, _, text = rest.partition(" ")
        if not name:
            raise ValueError(f"usage: {usage}")
        return self._user(name), " ".join(text.split())

    async def _cmd_user(self, rest: str) -> None:
        words = rest.split()
        if not 1 <= len(words) <= 2:
            raise ValueError("usage: user NAME [PHONE]")
        user = self.add_user(words[0], words[1] if len(words) > 1 else None)
        self.write(f"user {user.first_name} has id {user.id}")

    async def _cmd_say(self, rest: str) -> None:
        name, _, text = rest.partition(" ")
        if not name or not text.strip():
            raise ValueError("usage: say NAME TEXT")
        # The text goes as typed (inner spacing kept): it is a message, not a button name.
        await self._user(name).send_text(text.strip())

    async def _cmd_press(self, rest: str) -> None:
        user, button = self._person_and_text(rest, "press NAME BUTTON")
        await user.press(button, timeout=self.wait)

    async def _cmd_tap(self, rest: str) -> None:
        user, button = self._person_and_text(rest, "tap NAME BUTTON")
        await user.tap(button, timeout=self.wait)

    async def _cmd_contact(self, rest: str) -> None:
        user, phone = self._person_and_text(rest, "contact NAME [PHONE]")
        await user.share_contact(phone or None)

    async def _cmd_location(self, rest: str) -> None:
        words = rest.split()
        if len(words) != 3:
            raise ValueError("usage: location NAME LAT LON")
        await self._user(words[0]).share_location(float(words[1]), float(words[2]))

    async def _cmd_expect(self, rest: str) -> None:
        user, text = self._person_and_text(rest, "expect NAME TEXT")
        wanted = text.casefold()
        found = await user.wait_for(
            lambda message: not message.deleted and wanted in " ".join(message.text.split()).casefold(),
            timeout=self.wait,
        )
        self.write(f"ok: {user.first_name} sees #{found.message_id}")

    async def _cmd_users(self, rest: str) -> None:
        for user in self.sandbox.users:
            phone = f" {user.phone_number}" if user.phone_number else ""
            self.write(f"{user.id} {user.full_name}{phone}{' (blocked)' if user.blocked else ''}")

    async def _cmd_help(self, rest: str) -> None:
        self.write(HELP)

    async def _cmd_quit(self, rest: str) -> None:
        self.quit_requested = True

    async def run(self, fd: int) -> None:
        """Execute the commands read from ``fd`` until ``quit`` or the end of input."""
        lines = read_lines(fd)
        while not self.quit_requested:
            line = await lines.get()
            if line is None:
                return
            await self.execute(line)
