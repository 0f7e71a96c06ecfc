"""Sandbox Bot API methods that make, change or delete messages: send*, edit*, deleteMessage, sendChatAction."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from bot.sandbox.errors import bad_request, not_implemented
from bot.sandbox.html import HtmlParseError, parse_html
from bot.sandbox.markup import ParsedMarkup, parse_reply_markup
from bot.sandbox.models import BotMessage, StoredFile
from bot.sandbox.params import Params, UploadedFile, coerce_int
from bot.sandbox.users import SimUser
from bot.sandbox.world import World

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the same "
    "as a current content and reply markup of the message"
)


@dataclass(frozen=True)
class _Formatted:
    text: str
    raw: str | None
    parse_mode: str | None
    entities: list[dict[str, Any]]


class MessageMethods:
    """Sending (text, photo, document, location, venue, chat action), editing and deleting messages."""

    world: World

    # -- helpers for message-producing methods -------------------------------------------------------

    def _user(self, p: Params, *, allow_blocked: bool = False) -> SimUser:
        value = p.values.get("chat_id")
        if value is None:
            raise bad_request("chat_id is empty")
        try:
            chat_id: int | str = coerce_int(value)
        except ValueError:
            chat_id = str(value)
        return self.world.chat(chat_id, allow_blocked=allow_blocked)

    @staticmethod
    def _format(raw: str | None, parse_mode: str | None, entities: Any, *, caption: bool) -> _Formatted:
        if raw is None:
            return _Formatted("", None, None, [])
        if entities is not None:
            if not isinstance(entities, list):
                raise bad_request("can't parse entities JSON object")
            parsed_text, parsed_entities = raw, entities
        elif not parse_mode:
            parsed_text, parsed_entities = raw, []
        elif parse_mode.lower() == "html":
            try:
                parsed = parse_html(raw)
            except HtmlParseError as exc:
                raise bad_request(f"can't parse entities: {exc}") from None
            parsed_text, parsed_entities = parsed.text, parsed.entities
        elif parse_mode.lower() in ("markdown", "markdownv2"):
            raise not_implemented(f"parse_mode {parse_mode}")
        else:
            raise bad_request("unsupported parse_mode")
        limit = MAX_CAPTION_LENGTH if caption else MAX_TEXT_LENGTH
        if len(parsed_text) > limit:
            raise bad_request("message caption is too long" if caption else "message is too long")
        if not caption and not parsed_text.strip():
            raise bad_request("message text is empty")
        return _Formatted(parsed_text, raw, parse_mode, parsed_entities)

    def _text(self, p: Params) -> _Formatted:
        return self._format(
            p.req_str("text"), p.opt_str("parse_mode"), p.json_value("entities"), caption=False
        )

    def _caption(self, p: Params) -> _Formatted:
        return self._format(
            p.opt_str("caption"), p.opt_str("parse_mode"), p.json_value("caption_entities"), caption=True
        )

    def _new_message(self, p: Params, user: SimUser, method: str, markup: ParsedMarkup) -> BotMessage:
        return BotMessage(
            message_id=self.world.next_message_id(user.id),
            chat_id=user.id,
            method=method,
            date=self.world.now(),
            reply_markup=markup.raw,
            buttons=markup.buttons,
            keyboard=markup.keyboard,
            remove_keyboard=markup.remove_keyboard,
            protect_content=p.flag("protect_content"),
            disable_notification=p.flag("disable_notification"),
        )

    def _deliver(self, user: SimUser, message: BotMessage) -> dict[str, Any]:
        self.world.deliver(user, message)
        return self.world.message_dict(message)

    def _file(self, value: UploadedFile | str | None, kind: str, param: str) -> StoredFile:
        if value is None:
            raise bad_request(f"there is no {param} in the request")
        if isinstance(value, UploadedFile):
            if not value.data:
                raise bad_request("file must be non-empty")
            return self.world.files.add(kind, value.data, value.filename, value.content_type)
        if value.startswith(("http://", "https://")):
            raise not_implemented("sending files by HTTP URL")
        stored = self.world.files.get(value)
        if stored is None:
            raise bad_request("wrong file identifier/HTTP URL specified")
        if stored.kind != kind:
            raise bad_request(f"can't use file of type {stored.kind.capitalize()} as {kind.capitalize()}")
        return stored

    # -- sending ------------------------------------------------------------------------------------

    async def send_message(self, p: Params) -> dict[str, Any]:
        user = self._user(p)
        formatted = self._text(p)
        markup = parse_reply_markup(p.json_value("reply_markup"))
        message = self._new_message(p, user, "sendMessage", markup)
        self._apply_text(message, formatted)
        return self._deliver(user, message)

    async def send_photo(self, p: Params) -> dict[str, Any]:
        return await self._send_media(p, "sendPhoto", "photo")

    async def send_document(self, p: Params) -> dict[str, Any]:
        return await self._send_media(p, "sendDocument", "document")

    async def _send_media(self, p: Params, method: str, kind: str) -> dict[str, Any]:
        user = self._user(p)
        formatted = self._caption(p)
        markup = parse_reply_markup(p.json_value("reply_markup"))
        stored = self._file(p.file_or_str(kind), kind, kind)
        message = self._new_message(p, user, method, markup)
        message.file = stored
        self._apply_text(message, formatted)
        return self._deliver(user, message)

    @staticmethod
    def _location(p: Params) -> dict[str, Any]:
        latitude, longitude = p.req_float("latitude"), p.req_float("longitude")
        if not -90 <= latitude <= 90 or not -180 <= longitude <= 180:
            raise bad_request("wrong coordinates")
        location: dict[str, Any] = {"latitude": latitude, "longitude": longitude}
        for key in ("horizontal_accuracy",):
            value = p.opt_float(key)
            if value is not None:
                location[key] = value
        for key in ("live_period", "heading", "proximity_alert_radius"):
            number = p.opt_int(key)
            if number is not None:
                location[key] = number
        return location

    async def send_location(self, p: Params) -> dict[str, Any]:
        user = self._user(p)
        location = self._location(p)
        markup = parse_reply_markup(p.json_value("reply_markup"))
        message = self._new_message(p, user, "sendLocation", markup)
        message.location = location
        return self._deliver(user, message)

    async def send_venue(self, p: Params) -> dict[str, Any]:
        user = self._user(p)
        location = self._location(p)
        venue: dict[str, Any] = {
            "location": location,
            "title": p.req_str("title"),
            "address": p.req_str("address"),
        }
        for key in ("foursquare_id", "foursquare_type", "google_place_id", "google_place_type"):
            value = p.opt_str(key)
            if value is not None:
                venue[key] = value
        markup = parse_reply_markup(p.json_value("reply_markup"))
        message = self._new_message(p, user, "sendVenue", markup)
        message.venue = venue
        return self._deliver(user, message)

    async def send_chat_action(self, p: Params) -> bool:
        user = self._user(p)
        action = p.req_str("action")
        if action not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        user.chat_actions.append(action)
        return True

    # -- editing & deleting -----------------------------------------------------------------------------

    def _editable(self, p: Params) -> tuple[SimUser, BotMessage]:
        if p.has("inline_message_id"):
            raise not_implemented("inline messages (inline_message_id)")
        user = self._user(p)
        message_id = p.opt_int("message_id")
        if message_id is None:
            raise bad_request("message identifier is not specified")
        for message in user.messages:
            if message.message_id == message_id and not message.deleted:
                return user, message
        if any(sent["message_id"] == message_id for sent in user.sent):
            raise bad_request("message can't be edited")
        raise bad_request("message to edit not found")

    @staticmethod
    def _apply_text(message: BotMessage, formatted: _Formatted) -> None:
        message.text = formatted.text
        message.html = formatted.raw
        message.parse_mode = formatted.parse_mode
        message.entities = formatted.entities

    @staticmethod
    def _inline_markup(message: BotMessage) -> dict[str, Any] | None:
        markup = message.reply_markup
        return markup if markup is not None and "inline_keyboard" in markup else None

    def _finish_edit(self, user: SimUser, message: BotMessage, markup: ParsedMarkup) -> dict[str, Any]:
        if message.reply_markup is None or self._inline_markup(message) is not None:
            message.reply_markup = markup.raw
            message.buttons = markup.buttons
        message.edits += 1
        message.edited_at = time.monotonic()
        message.edit_date = self.world.now()
        user._notify()
        return self.world.message_dict(message)

    async def edit_message_text(self, p: Params) -> dict[str, Any]:
        user, message = self._editable(p)
        if message.kind != "text":
            raise bad_request("there is no text in the message to edit")
        return self._edit_text(p, user, message, self._text(p))

    async def edit_message_caption(self, p: Params) -> dict[str, Any]:
        user, message = self._editable(p)
        if message.file is None:
            raise bad_request("there is no caption in the message to edit")
        return self._edit_text(p, user, message, self._caption(p))

    def _edit_text(
        self, p: Params, user: SimUser, message: BotMessage, formatted: _Formatted
    ) -> dict[str, Any]:
        """A new text or caption (and buttons); Telegram refuses an edit that changes nothing."""
        markup = parse_reply_markup(p.json_value("reply_markup"), inline_only=True)
        if (formatted.text, formatted.entities, markup.raw) == (
            message.text,
            message.entities,
            self._inline_markup(message),
        ):
            raise bad_request(_NOT_MODIFIED)
        self._apply_text(message, formatted)
        return self._finish_edit(user, message, markup)

    async def edit_message_media(self, p: Params) -> dict[str, Any]:
        user, message = self._editable(p)
        if message.file is None:
            raise bad_request("there is no media in the message to edit")
        media = p.json_value("media")
        if not isinstance(media, dict) or not isinstance(media.get("media"), str):
            raise bad_request("can't parse InputMedia JSON object")
        kind = media.get("type")
        if kind not in ("photo", "document"):
            raise not_implemented(f"editMessageMedia with media type {kind!r}")
        entities = media.get("caption_entities")
        caption = media.get("caption")
        formatted = self._format(
            caption if isinstance(caption, str) else None, media.get("parse_mode"), entities, caption=True
        )
        markup = parse_reply_markup(p.json_value("reply_markup"), inline_only=True)
        message.file = self._file(p.resolve_attach(media["media"]), kind, "media")
        message.method = "sendPhoto" if kind == "photo" else "sendDocument"
        self._apply_text(message, formatted)
        return self._finish_edit(user, message, markup)

    async def edit_message_reply_markup(self, p: Params) -> dict[str, Any]:
        user, message = self._editable(p)
        markup = parse_reply_markup(p.json_value("reply_markup"), inline_only=True)
        if markup.raw == self._inline_markup(message):
            raise bad_request(_NOT_MODIFIED)
        return self._finish_edit(user, message, markup)

    async def delete_message(self, p: Params) -> bool:
        user = self._user(p, allow_blocked=True)
        message_id = p.req_int("message_id")
        for message in user.messages:
            if message.message_id == message_id and not message.deleted:
                message.deleted = True
                user._notify()
                return True
        if message_id not in user.deleted_sent_ids and any(s["message_id"] == message_id for s in user.sent):
            user.deleted_sent_ids.add(message_id)
            return True
        raise bad_request("message to delete not found")
