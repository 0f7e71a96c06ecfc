"""Records the sandbox keeps: bot messages, buttons, stored files, callback answers, call stats."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, NamedTuple

__all__ = [
    "BotMessage",
    "CallRecord",
    "CallbackAnswer",
    "InlineButton",
    "ReplyButton",
    "SandboxStats",
    "StoredFile",
]


@dataclass(frozen=True)
class InlineButton:
    """One inline keyboard button (only the fields tests care about; the raw dict is on the message)."""

    text: str
    callback_data: str | None = None
    url: str | None = None
    web_app_url: str | None = None


@dataclass(frozen=True)
class ReplyButton:
    """One reply keyboard button."""

    text: str
    request_contact: bool = False
    request_location: bool = False


@dataclass(frozen=True)
class StoredFile:
    """A file known to the sandbox: uploaded by the bot or sent by a simulated user."""

    file_id: str
    file_unique_id: str
    kind: str
    data: bytes
    filename: str | None
    mime_type: str
    file_path: str
    width: int = 0
    height: int = 0

    @property
    def size(self) -> int:
        """Size in bytes."""
        return len(self.data)

    def photo_sizes(self) -> list[dict[str, Any]]:
        """``Message.photo``: a one-element array of PhotoSize."""
        return [
            {
                "file_id": self.file_id,
                "file_unique_id": self.file_unique_id,
                "width": self.width,
                "height": self.height,
                "file_size": self.size,
            }
        ]

    def document(self) -> dict[str, Any]:
        """``Message.document``."""
        result: dict[str, Any] = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "mime_type": self.mime_type,
            "file_size": self.size,
        }
        if self.filename:
            result["file_name"] = self.filename
        return result

    def file(self) -> dict[str, Any]:
        """The ``File`` object returned by getFile."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.size,
            "file_path": self.file_path,
        }


@dataclass(eq=False)
class BotMessage:
    """A message the bot sent to a simulated user; edits and deletion update it in place."""

    message_id: int
    chat_id: int
    method: str
    date: int
    text: str = ""
    html: str | None = None
    parse_mode: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    reply_markup: dict[str, Any] | None = None
    buttons: list[list[InlineButton]] = field(default_factory=list)
    keyboard: list[list[ReplyButton]] = field(default_factory=list)
    remove_keyboard: bool = False
    file: StoredFile | None = None
    venue: dict[str, Any] | None = None
    location: dict[str, Any] | None = None
    protect_content: bool = False
    disable_notification: bool = False
    edits: int = 0
    deleted: bool = False
    sent_at: float = field(default_factory=time.monotonic)
    edited_at: float | None = None
    edit_date: int | None = None

    @property
    def kind(self) -> str:
        """``text``, ``photo``, ``document``, ``venue`` or ``location``."""
        if self.file is not None:
            return self.file.kind
        if self.venue is not None:
            return "venue"
        if self.location is not None:
            return "location"
        return "text"

    @property
    def caption(self) -> str | None:
        """The plain caption of a media message (same as :attr:`text`), ``None`` for other kinds."""
        return self.text if self.file is not None else None

    @property
    def photo(self) -> bytes | None:
        """Bytes of a photo message."""
        return self.file.data if self.file is not None and self.file.kind == "photo" else None

    @property
    def document(self) -> bytes | None:
        """Bytes of a document message."""
        return self.file.data if self.file is not None and self.file.kind == "document" else None

    @property
    def filename(self) -> str | None:
        """File name of the attached file, if any."""
        return self.file.filename if self.file is not None else None

    @property
    def mime_type(self) -> str | None:
        """MIME type of the attached file, if any."""
        return self.file.mime_type if self.file is not None else None

    @property
    def file_id(self) -> str | None:
        """file_id of the attached file, if any."""
        return self.file.file_id if self.file is not None else None

    @property
    def button_texts(self) -> list[str]:
        """Texts of all inline buttons, row by row."""
        return [button.text for row in self.buttons for button in row]

    @property
    def keyboard_texts(self) -> list[str]:
        """Texts of all reply keyboard buttons, row by row."""
        return [button.text for row in self.keyboard for button in row]

    def find_button(self, text: str | None = None, callback_data: str | None = None) -> InlineButton | None:
        """The first inline button with this text and/or callback data."""
        for row in self.buttons:
            for button in row:
                if (text is None or button.text == text) and (
                    callback_data is None or button.callback_data == callback_data
                ):
                    return button
        return None

    def to_api(self, sender: dict[str, Any], chat: dict[str, Any]) -> dict[str, Any]:
        """The Bot API ``Message`` object for this record, as Telegram returns it."""
        message: dict[str, Any] = {
            "message_id": self.message_id,
            "from": sender,
            "chat": chat,
            "date": self.date,
        }
        text_key, entities_key = (
            ("caption", "caption_entities") if self.file is not None else ("text", "entities")
        )
        if self.file is not None and self.file.kind == "photo":
            message["photo"] = self.file.photo_sizes()
        elif self.file is not None:
            message["document"] = self.file.document()
        if self.venue is not None:
            message["venue"] = self.venue
            message["location"] = self.venue["location"]
        elif self.location is not None:
            message["location"] = self.location
        if self.text and (self.kind in ("text", "photo", "document")):
            message[text_key] = self.text
            if self.entities:
                message[entities_key] = self.entities
        if self.reply_markup is not None and "inline_keyboard" in self.reply_markup:
            message["reply_markup"] = self.reply_markup
        if self.edit_date is not None:
            message["edit_date"] = self.edit_date
        if self.protect_content:
            message["has_protected_content"] = True
        return message


@dataclass(frozen=True)
class CallbackAnswer:
    """One answerCallbackQuery call."""

    query_id: str
    text: str | None
    show_alert: bool
    url: str | None
    cache_time: int | None
    answered_at: float = field(default_factory=time.monotonic)


class CallRecord(NamedTuple):
    """One Bot API request as seen by the sandbox: compare with plain tuples in assertions."""

    method: str
    chat_id: int | None
    status: int


@dataclass
class SandboxStats:
    """Counters for benchmarks and reliability tests."""

    requests: Counter[str] = field(default_factory=Counter)
    responses: Counter[int] = field(default_factory=Counter)
    rate_limited: int = 0
    injected_errors: Counter[int] = field(default_factory=Counter)
    injected_timeouts: int = 0

    @property
    def too_many_requests(self) -> int:
        """429 responses returned (flood limits and injected 429s)."""
        return self.responses[429]

    @property
    def injected_5xx(self) -> int:
        """Injected 5xx responses."""
        return sum(count for status, count in self.injected_errors.items() if status >= 500)

    @property
    def total_requests(self) -> int:
        """All Bot API requests handled."""
        return sum(self.requests.values())
