"""Telegram's semantic checks on reply_markup and its reduction to button records."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.sandbox.errors import ApiError, bad_request
from bot.sandbox.models import InlineButton, ReplyButton

__all__ = [
    "INLINE_ACTIONS",
    "MAX_CALLBACK_DATA_BYTES",
    "ParsedMarkup",
    "parse_reply_markup",
    "web_app_url_of",
]

MAX_CALLBACK_DATA_BYTES = 64
INLINE_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_URL_SCHEMES = ("http://", "https://", "tg://")


@dataclass(frozen=True)
class ParsedMarkup:
    """A validated reply_markup: the raw dict plus the buttons it shows."""

    raw: dict[str, Any] | None = None
    buttons: list[list[InlineButton]] = field(default_factory=list)
    keyboard: list[list[ReplyButton]] = field(default_factory=list)
    remove_keyboard: bool = False

    @property
    def inline(self) -> bool:
        """Whether this is an inline keyboard (the only kind echoed back in Message objects)."""
        return self.raw is not None and "inline_keyboard" in self.raw


def _invalid(detail: str = "") -> ApiError:
    return bad_request("can't parse reply keyboard markup JSON object" + (f": {detail}" if detail else ""))


def _rows(value: Any, key: str) -> list[list[Any]]:
    if not isinstance(value, list) or not all(isinstance(row, list) for row in value):
        raise _invalid(f'field "{key}" must be an Array of Array')
    return value


def _inline_button(raw: Any) -> InlineButton:
    if not isinstance(raw, dict):
        raise bad_request("can't parse inline keyboard button: InlineKeyboardButton must be an Object")
    text = raw.get("text")
    if not isinstance(text, str) or not text.strip():
        raise bad_request("can't parse inline keyboard button: Text must be non-empty")
    actions = [name for name in INLINE_ACTIONS if name in raw]
    if not actions:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if len(actions) > 1:
        raise bad_request(
            "can't parse inline keyboard button: exactly one action field is allowed, "
            f"got {', '.join(actions)}"
        )
    callback_data = raw.get("callback_data")
    if callback_data is not None and (
        not isinstance(callback_data, str)
        or not 1 <= len(callback_data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES
    ):
        raise bad_request("BUTTON_DATA_INVALID")
    url = raw.get("url")
    if url is not None and (not isinstance(url, str) or not url.startswith(_URL_SCHEMES)):
        raise bad_request("BUTTON_URL_INVALID")
    web_app_url = _web_app_url(raw.get("web_app"))
    return InlineButton(text=text, callback_data=callback_data, url=url, web_app_url=web_app_url)


def web_app_url_of(value: Any) -> str:
    """The https URL of a WebAppInfo (Telegram opens Mini Apps over https only)."""
    url = value.get("url") if isinstance(value, dict) else None
    if not isinstance(url, str) or not url.startswith("https://"):
        raise bad_request("BUTTON_URL_INVALID")
    return url


def _web_app_url(value: Any) -> str | None:
    return None if value is None else web_app_url_of(value)


def _reply_button(raw: Any) -> ReplyButton:
    if isinstance(raw, str):
        raw = {"text": raw}
    if not isinstance(raw, dict) or not isinstance(raw.get("text"), str) or not raw["text"].strip():
        raise _invalid("keyboard button text must be non-empty")
    return ReplyButton(
        text=raw["text"],
        request_contact=bool(raw.get("request_contact", False)),
        request_location=bool(raw.get("request_location", False)),
    )


def parse_reply_markup(value: Any, *, inline_only: bool = False) -> ParsedMarkup:
    """Validate a decoded reply_markup like Telegram does; ``None`` means no markup."""
    if value is None:
        return ParsedMarkup()
    if not isinstance(value, dict):
        raise _invalid("must be an Object")
    if "inline_keyboard" in value:
        rows = [
            [_inline_button(b) for b in row] for row in _rows(value["inline_keyboard"], "inline_keyboard")
        ]
        return ParsedMarkup(raw=value, buttons=rows)
    if inline_only:
        raise bad_request("reply markup must be an inline keyboard")
    if "keyboard" in value:
        keyboard = [[_reply_button(b) for b in row] for row in _rows(value["keyboard"], "keyboard")]
        return ParsedMarkup(raw=value, keyboard=keyboard)
    if "remove_keyboard" in value:
        if value["remove_keyboard"] is not True:
            raise _invalid('field "remove_keyboard" must be true')
        return ParsedMarkup(raw=value, remove_keyboard=True)
    if "force_reply" in value:
        if value["force_reply"] is not True:
            raise _invalid('field "force_reply" must be true')
        return ParsedMarkup(raw=value)
    raise _invalid("unknown markup kind")
