"""Simulated Telegram users: they send updates to the bot and observe what the bot sends back."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Final, Protocol

from bot.sandbox.buttons import ButtonNotFound, find_inline_button, find_reply_button, shown_buttons
from bot.sandbox.files import FileStore
from bot.sandbox.html import utf16_len
from bot.sandbox.models import BotMessage, CallbackAnswer, InlineButton, ReplyButton
from bot.sandbox.updates import UpdateQueue
from bot.sandbox.waiting import SandboxTimeout, Signal

__all__ = ["SELF", "SimUser", "UserWorld"]


class UserWorld(Protocol):
    """What a simulated person needs of the emulated Telegram (the World), named here so that
    ``users`` does not import ``world`` back (``world`` imports ``users``)."""

    files: FileStore
    updates: UpdateQueue

    @property
    def bot_user(self) -> dict[str, Any]: ...

    def next_message_id(self, chat_id: int) -> int: ...

    def push_callback_query(self, user: SimUser, message: BotMessage, data: str) -> str: ...


class _SelfMarker:
    def __repr__(self) -> str:
        return "SELF"


SELF: Final = _SelfMarker()
"""Default ``user_id`` of :meth:`SimUser.share_contact`: the sharing user's own id."""


def _preview(message: BotMessage) -> str:
    text = message.text if len(message.text) <= 60 else message.text[:57] + "..."
    parts = [f"#{message.message_id} {message.method} {text!r}"]
    if message.buttons:
        parts.append(f"buttons={message.button_texts}")
    if message.keyboard:
        parts.append(f"keyboard={message.keyboard_texts}")
    if message.edits:
        parts.append(f"edits={message.edits}")
    if message.deleted:
        parts.append("deleted")
    return " ".join(parts)


class SimUser:
    """One person chatting privately with the bot."""

    def __init__(
        self,
        world: UserWorld,
        user_id: int,
        first_name: str,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "id",
        phone_number: str | None = None,
    ) -> None:
        self._world = world
        self.id = user_id
        self.first_name = first_name
        self.last_name = last_name
        self.username = username
        self.language_code = language_code
        self.phone_number = phone_number
        self.blocked = False
        self.messages: list[BotMessage] = []
        self.sent: list[dict[str, Any]] = []
        self.deleted_sent_ids: set[int] = set()
        self.callback_answers: list[CallbackAnswer] = []
        self.chat_actions: list[str] = []
        self._cursor = 0
        self._changed = Signal()
        self._watchers: list[Callable[[SimUser], None]] = []

    def __repr__(self) -> str:
        return f"SimUser(id={self.id}, first_name={self.first_name!r})"

    # -- identity ---------------------------------------------------------------------------------

    @property
    def user_dict(self) -> dict[str, Any]:
        """The Bot API ``User`` object of this person."""
        user: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            user["last_name"] = self.last_name
        if self.username:
            user["username"] = self.username
        if self.language_code:
            user["language_code"] = self.language_code
        return user

    @property
    def chat_dict(self) -> dict[str, Any]:
        """The Bot API ``Chat`` object of the private chat with this person."""
        chat: dict[str, Any] = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.last_name:
            chat["last_name"] = self.last_name
        if self.username:
            chat["username"] = self.username
        return chat

    @property
    def full_name(self) -> str:
        """First and last name."""
        return f"{self.first_name} {self.last_name}" if self.last_name else self.first_name

    # -- blocking ---------------------------------------------------------------------------------

    def block(self, *, notify_bot: bool = True) -> None:
        """The person blocks the bot: every send returns 403 (and the bot gets a my_chat_member update)."""
        if not self.blocked:
            self.blocked = True
            if notify_bot:
                self._push_member_update("member", "kicked")

    def unblock(self, *, notify_bot: bool = True) -> None:
        """The person unblocks (restarts) the bot."""
        if self.blocked:
            self.blocked = False
            if notify_bot:
                self._push_member_update("kicked", "member")

    def _push_member_update(self, old: str, new: str) -> None:
        def member(status: str) -> dict[str, Any]:
            result: dict[str, Any] = {"status": status, "user": self._world.bot_user}
            if status == "kicked":
                result["until_date"] = 0
            return result

        self._world.updates.push(
            {
                "my_chat_member": {
                    "chat": self.chat_dict,
                    "from": self.user_dict,
                    "date": int(time.time()),
                    "old_chat_member": member(old),
                    "new_chat_member": member(new),
                }
            }
        )

    # -- sending to the bot ------------------------------------------------------------------------

    def _push_message(self, content: dict[str, Any]) -> dict[str, Any]:
        if self.blocked:
            self.unblock()
        message = {
            "message_id": self._world.next_message_id(self.id),
            "from": self.user_dict,
            "chat": self.chat_dict,
            "date": int(time.time()),
            **content,
        }
        self.sent.append(message)
        self._world.updates.push({"message": message})
        return message

    async def send_text(self, text: str) -> dict[str, Any]:
        """Send a text message; a leading ``/command`` (or ``/command@bot``) gets a bot_command entity."""
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0] if text.strip() else text
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": utf16_len(command)}]
        return self._push_message(content)

    async def share_contact(
        self,
        phone_number: str | None = None,
        *,
        user_id: int | _SelfMarker | None = SELF,
        first_name: str | None = None,
        last_name: str | None = None,
    ) -> dict[str, Any]:
        """Share a contact card; by default the person's own (``user_id`` = own id, own names).
        ``user_id=None`` sends a card without user_id, another id shares someone else's card."""
        phone = phone_number or self.phone_number
        if not phone:
            raise ValueError(f"{self!r} has no phone_number; pass one to share_contact()")
        own = user_id is SELF
        contact: dict[str, Any] = {
            "phone_number": phone,
            "first_name": first_name or (self.first_name if own else "Kontak"),
        }
        surname = last_name if last_name is not None else (self.last_name if own else None)
        if surname:
            contact["last_name"] = surname
        if own:
            contact["user_id"] = self.id
        elif isinstance(user_id, int):
            contact["user_id"] = user_id
        return self._push_message({"contact": contact})

    async def share_location(
        self, latitude: float, longitude: float, *, horizontal_accuracy: float | None = None
    ) -> dict[str, Any]:
        """Share a location."""
        location: dict[str, Any] = {"latitude": latitude, "longitude": longitude}
        if horizontal_accuracy is not None:
            location["horizontal_accuracy"] = horizontal_accuracy
        return self._push_message({"location": location})

    async def send_photo(
        self, data: bytes, caption: str | None = None, *, filename: str = "photo.jpg"
    ) -> dict[str, Any]:
        """Send a photo (stored so the bot can getFile and download it)."""
        stored = self._world.files.add("photo", data, filename, "image/jpeg")
        content: dict[str, Any] = {"photo": stored.photo_sizes()}
        if caption:
            content["caption"] = caption
        return self._push_message(content)

    async def send_document(
        self,
        data: bytes,
        filename: str = "document.bin",
        caption: str | None = None,
        *,
        mime_type: str | None = None,
    ) -> dict[str, Any]:
        """Send a document (stored so the bot can getFile and download it)."""
        stored = self._world.files.add("document", data, filename, mime_type)
        content: dict[str, Any] = {"document": stored.document()}
        if caption:
            content["caption"] = caption
        return self._push_message(content)

    async def press(
        self,
        text: str | None = None,
        *,
        callback_data: str | None = None,
        message_id: int | None = None,
        timeout: float = 0.0,
    ) -> str:
        """Press an inline button on the newest bot message showing it; queue the callback_query update
        and return its id. ``text`` is the button's text, or the same without emoji, in any case and
        spacing, or its first words ("Ya, benar" and "ya" press "✅ Ya, benar"). With ``timeout``, wait
        that long for the button to appear (a script that types ahead of the bot)."""
        if text is None and callback_data is None:
            raise ValueError("press() needs the button text or callback_data")

        def find() -> tuple[BotMessage, InlineButton] | None:
            return find_inline_button(self.messages, text, callback_data, message_id)

        found = find() if timeout <= 0 else await self._changed.wait_for(find, timeout)
        if found is None:
            wanted = text if text is not None else f"callback_data={callback_data!r}"
            raise ButtonNotFound(
                f"{self.first_name} sees no inline button {wanted!r}; {shown_buttons(self.messages)}"
            )
        message, button = found
        if button.callback_data is None:
            raise AssertionError(
                f"button {button.text!r} of message #{message.message_id} has no callback_data"
            )
        return self._world.push_callback_query(self, message, button.callback_data)

    async def press_raw(self, message_id: int, callback_data: str) -> str:
        """Send a hand-made callback query for bot message ``message_id`` with arbitrary data (as a
        modified client or a stale button could); returns the query id."""
        for message in self.messages:
            if message.message_id == message_id and not message.deleted:
                return self._world.push_callback_query(self, message, callback_data)
        raise AssertionError(f"{self.first_name} has no bot message #{message_id}; {self._describe()}")

    @property
    def current_keyboard(self) -> list[list[ReplyButton]]:
        """The reply keyboard currently shown (the newest keyboard or removal wins)."""
        for message in reversed(self.messages):
            if message.remove_keyboard:
                return []
            if message.keyboard:
                return message.keyboard
        return []

    async def tap(
        self, text: str, *, location: tuple[float, float] | None = None, timeout: float = 0.0
    ) -> dict[str, Any]:
        """Tap a reply keyboard button (named as for :meth:`press`): sends its text, the own contact, or
        ``location``. With ``timeout``, wait that long for the button to appear."""

        def find() -> ReplyButton | None:
            return find_reply_button(self.current_keyboard, text)

        button = find() if timeout <= 0 else await self._changed.wait_for(find, timeout)
        if button is None:
            shown = [b.text for row in self.current_keyboard for b in row]
            raise ButtonNotFound(
                f"{self.first_name} has no reply keyboard button {text!r}; keyboard shows {shown}"
            )
        if button.request_contact:
            return await self.share_contact()
        if button.request_location:
            if location is None:
                raise ValueError(f"button {button.text!r} requests a location: pass location=(lat, lon)")
            return await self.share_location(*location)
        return await self.send_text(button.text)

    # -- observing the bot ----------------------------------------------------------------------------

    @property
    def last_message(self) -> BotMessage | None:
        """The newest bot message in this chat."""
        return self.messages[-1] if self.messages else None

    @property
    def unread(self) -> list[BotMessage]:
        """Bot messages not yet returned by :meth:`next_message`."""
        return self.messages[self._cursor :]

    def _describe(self) -> str:
        if not self.messages:
            return "the bot has sent this chat nothing"
        return "bot messages so far: " + "; ".join(_preview(m) for m in self.messages)

    def watch(self, callback: Callable[[SimUser], None]) -> Callable[[], None]:
        """Call ``callback`` after every change in this chat (new, edited or deleted bot messages,
        callback answers); returns an unsubscribe function."""
        self._watchers.append(callback)
        return lambda: self._watchers.remove(callback)

    def _notify(self) -> None:
        self._changed.notify()
        for callback in list(self._watchers):
            callback(self)

    def _add_message(self, message: BotMessage) -> None:
        self.messages.append(message)
        self._notify()

    def _add_answer(self, answer: CallbackAnswer) -> None:
        self.callback_answers.append(answer)
        self._notify()

    async def _wait(self, predicate: Callable[[], Any], timeout: float, what: str) -> Any:
        result = await self._changed.wait_for(predicate, timeout)
        if result is None:
            raise SandboxTimeout(
                f"{self.first_name} ({self.id}): {what} within {timeout} s; {self._describe()}"
            )
        return result

    async def next_message(self, timeout: float = 5.0) -> BotMessage:
        """The next bot message not yet returned by this method (FIFO)."""

        def take() -> BotMessage | None:
            if self._cursor < len(self.messages):
                self._cursor += 1
                return self.messages[self._cursor - 1]
            return None

        message: BotMessage = await self._wait(
            take, timeout, f"no new bot message after #{self._cursor} read"
        )
        return message

    async def wait_for(self, predicate: Callable[[BotMessage], bool], timeout: float = 5.0) -> BotMessage:
        """The oldest bot message (current state, edits applied) satisfying ``predicate``."""

        def find() -> BotMessage | None:
            return next((m for m in self.messages if predicate(m)), None)

        message: BotMessage = await self._wait(find, timeout, "no bot message matched the predicate")
        return message

    async def wait_for_edit(
        self,
        message_id: int,
        predicate: Callable[[BotMessage], bool] | None = None,
        timeout: float = 5.0,
        *,
        min_edits: int = 1,
    ) -> BotMessage:
        """Message ``message_id`` once it has been edited ``min_edits`` times and satisfies ``predicate``."""

        def find() -> BotMessage | None:
            for message in self.messages:
                if message.message_id == message_id and message.edits >= min_edits:
                    return message if predicate is None or predicate(message) else None
            return None

        message: BotMessage = await self._wait(
            find, timeout, f"message #{message_id} was not edited as expected"
        )
        return message

    async def wait_callback_answered(self, query_id: str, timeout: float = 5.0) -> CallbackAnswer:
        """The answerCallbackQuery call for ``query_id``."""

        def find() -> CallbackAnswer | None:
            return next((a for a in self.callback_answers if a.query_id == query_id), None)

        answer: CallbackAnswer = await self._wait(
            find, timeout, f"callback query {query_id} was not answered"
        )
        return answer
