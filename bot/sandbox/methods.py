"""Bot API method implementations of the sandbox: the endpoint table, and the callback and file methods.

The method families live beside it: bot_methods.py (the bot, updates, webhooks, commands) and
message_methods.py (sending, editing and deleting messages).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from bot.sandbox.bot_methods import BotMethods
from bot.sandbox.errors import bad_request
from bot.sandbox.message_methods import MessageMethods
from bot.sandbox.models import CallbackAnswer
from bot.sandbox.params import Params, coerce_int
from bot.sandbox.webhook import WebhookDelivery
from bot.sandbox.world import World

__all__ = ["MESSAGE_METHODS", "BotApi", "Handler", "chat_id_of"]

Handler = Callable[[Params], Awaitable[Any]]

MESSAGE_METHODS = frozenset({"sendMessage", "sendPhoto", "sendDocument", "sendVenue", "sendLocation"})
"""Methods that produce a message and therefore count towards flood limits."""
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024


def chat_id_of(params: Params) -> int | None:
    """The numeric ``chat_id`` parameter, if any (for call records, faults and limits)."""
    value = params.values.get("chat_id")
    try:
        return coerce_int(value) if value is not None else None
    except ValueError:
        return None


class BotApi(BotMethods, MessageMethods):
    """The implemented Bot API methods, keyed by their canonical (spec) names."""

    def __init__(self, world: World, stopping: asyncio.Event, webhooks: WebhookDelivery) -> None:
        self.world = world
        self.stopping = stopping
        self.webhooks = webhooks
        self.handlers: dict[str, Handler] = {
            "getMe": self.get_me,
            "getUpdates": self.get_updates,
            "setWebhook": self.set_webhook,
            "deleteWebhook": self.delete_webhook,
            "getWebhookInfo": self.get_webhook_info,
            "setMyCommands": self.set_my_commands,
            "getMyCommands": self.get_my_commands,
            "deleteMyCommands": self.delete_my_commands,
            "setChatMenuButton": self.set_chat_menu_button,
            "getChatMenuButton": self.get_chat_menu_button,
            "sendMessage": self.send_message,
            "sendPhoto": self.send_photo,
            "sendDocument": self.send_document,
            "sendVenue": self.send_venue,
            "sendLocation": self.send_location,
            "sendChatAction": self.send_chat_action,
            "editMessageText": self.edit_message_text,
            "editMessageCaption": self.edit_message_caption,
            "editMessageMedia": self.edit_message_media,
            "editMessageReplyMarkup": self.edit_message_reply_markup,
            "deleteMessage": self.delete_message,
            "answerCallbackQuery": self.answer_callback_query,
            "getFile": self.get_file,
            "close": self.close,
            "logOut": self.log_out,
        }

    # -- callbacks & files ----------------------------------------------------------------------------

    async def answer_callback_query(self, p: Params) -> bool:
        query_id = p.req_str("callback_query_id")
        record = self.world.callback_queries.get(query_id)
        if record is None or record.answered:
            raise bad_request("query is too old and response timeout expired or query ID is invalid")
        text = p.opt_str("text")
        if text is not None and len(text) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        record.answered = True
        self.world.users[record.user_id]._add_answer(
            CallbackAnswer(
                query_id=query_id,
                text=text,
                show_alert=p.flag("show_alert"),
                url=p.opt_str("url"),
                cache_time=p.opt_int("cache_time"),
            )
        )
        return True

    async def get_file(self, p: Params) -> dict[str, Any]:
        stored = self.world.files.get(p.req_str("file_id"))
        if stored is None:
            raise bad_request("invalid file_id")
        if stored.size > MAX_DOWNLOAD_BYTES:
            raise bad_request("file is too big")
        return stored.file()
