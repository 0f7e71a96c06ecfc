"""The emulated Telegram state of one sandbox: bot identity, users, chats, files, updates, commands."""

from __future__ import annotations

import itertools
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.sandbox.errors import bad_request, forbidden
from bot.sandbox.files import FileStore
from bot.sandbox.models import BotMessage, CallRecord, SandboxStats
from bot.sandbox.updates import UpdateQueue
from bot.sandbox.users import SimUser

__all__ = ["CallbackQueryRecord", "CommandScopeKey", "World"]

CommandScopeKey = tuple[str, int | None, int | None, str]
"""(scope type, chat_id, user_id, language_code) under which setMyCommands stored a list."""

FIRST_USER_ID = 700_000_001


@dataclass
class CallbackQueryRecord:
    """A callback query a simulated user created by pressing a button."""

    query_id: str
    user_id: int
    message_id: int
    data: str
    answered: bool = False


class World:
    """Everything the emulated Telegram server knows; method handlers read and change it."""

    def __init__(self, *, bot_id: int, bot_username: str, bot_first_name: str) -> None:
        self.bot_id = bot_id
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.users: dict[int, SimUser] = {}
        self.files = FileStore()
        self.updates = UpdateQueue()
        self.commands: dict[CommandScopeKey, list[dict[str, str]]] = {}
        # setChatMenuButton: per chat id (None: the bot's default), as the bot sent it.
        self.menu_buttons: dict[int | None, dict[str, object]] = {}
        self.webhook: dict[str, Any] = {}
        self.callback_queries: dict[str, CallbackQueryRecord] = {}
        self.calls: list[CallRecord] = []
        self.stats = SandboxStats()
        self.delivered: Counter[int] = Counter()
        self.listeners: list[Callable[[BotMessage], None]] = []
        self.logged_out = False
        self._user_ids = itertools.count(FIRST_USER_ID)
        self._message_ids: dict[int, int] = {}
        self._query_ids = itertools.count(1)

    @property
    def bot_user(self) -> dict[str, Any]:
        """The bot as a ``User`` object (``from`` of its messages)."""
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    def get_me(self) -> dict[str, Any]:
        """The getMe result."""
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def new_user(
        self,
        first_name: str,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "id",
        phone_number: str | None = None,
    ) -> SimUser:
        """Create a simulated person with a fresh id."""
        user = SimUser(
            self,
            next(self._user_ids),
            first_name,
            last_name=last_name,
            username=username,
            language_code=language_code,
            phone_number=phone_number,
        )
        self.users[user.id] = user
        return user

    def next_message_id(self, chat_id: int) -> int:
        """Per-chat increasing message_id shared by both sides of the private chat."""
        self._message_ids[chat_id] = self._message_ids.get(chat_id, 0) + 1
        return self._message_ids[chat_id]

    def chat(self, chat_id: int | str | None, *, allow_blocked: bool = False) -> SimUser:
        """The private chat with ``chat_id``: 400 when unknown, 403 when the user blocked the bot."""
        user = self.users.get(chat_id) if isinstance(chat_id, int) else None
        if user is None:
            raise bad_request("chat not found")
        if user.blocked and not allow_blocked:
            raise forbidden("bot was blocked by the user")
        return user

    def message_dict(self, message: BotMessage) -> dict[str, Any]:
        """A bot message as the Bot API ``Message`` object."""
        return message.to_api(self.bot_user, self.users[message.chat_id].chat_dict)

    def deliver(self, user: SimUser, message: BotMessage) -> None:
        """Show a new bot message to ``user`` and account for it."""
        self.delivered[user.id] += 1
        user._add_message(message)
        for listener in list(self.listeners):
            listener(message)

    def push_callback_query(self, user: SimUser, message: BotMessage, data: str) -> str:
        """Queue the callback_query update for a button press and return the query id."""
        query_id = f"{user.id}{next(self._query_ids):010d}"
        self.callback_queries[query_id] = CallbackQueryRecord(query_id, user.id, message.message_id, data)
        self.updates.push(
            {
                "callback_query": {
                    "id": query_id,
                    "from": user.user_dict,
                    "message": self.message_dict(message),
                    "chat_instance": str(-(user.id * 7919 + self.bot_id % 7919)),
                    "data": data,
                }
            }
        )
        return query_id

    @staticmethod
    def now() -> int:
        """Unix time for ``date`` fields."""
        return int(time.time())
