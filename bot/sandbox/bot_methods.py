"""Sandbox Bot API methods about the bot itself: getMe, getUpdates, webhooks, close/logOut, commands, menu button."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from bot.sandbox.errors import ApiError, bad_request
from bot.sandbox.markup import web_app_url_of
from bot.sandbox.params import Params, coerce_int
from bot.sandbox.webhook import WebhookDelivery
from bot.sandbox.world import CommandScopeKey, World

_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")


class BotMethods:
    """getMe, getUpdates, the webhook methods, close/logOut and the setMyCommands family."""

    world: World
    stopping: asyncio.Event
    webhooks: WebhookDelivery

    # -- bot & updates ------------------------------------------------------------------------------

    async def get_me(self, p: Params) -> dict[str, Any]:
        return self.world.get_me()

    async def get_updates(self, p: Params) -> list[dict[str, Any]]:
        queue = self.world.updates
        if self.world.webhook.get("url"):
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        limit = min(max(p.opt_int("limit") or 100, 1), 100)
        timeout = max(p.opt_int("timeout") or 0, 0)
        allowed = p.json_value("allowed_updates")
        queue.set_allowed(allowed if isinstance(allowed, list) else None)
        queue.acknowledge(p.opt_int("offset"))
        generation = queue.begin_poll()
        batch = queue.take(limit)
        if batch or timeout == 0:
            return batch

        def ready() -> list[dict[str, Any]] | str | None:
            if self.stopping.is_set():
                return "stopped"
            if queue.superseded(generation):
                return "conflict"
            return queue.take(limit) or None

        queue.poll_parked(+1)
        try:
            outcome = await queue.changed.wait_for(ready, float(timeout))
        finally:
            queue.poll_parked(-1)
        if outcome == "conflict":
            raise ApiError(
                409,
                "Conflict: terminated by other getUpdates request; "
                "make sure that only one bot instance is running",
            )
        return outcome if isinstance(outcome, list) else []

    async def set_webhook(self, p: Params) -> bool:
        url = p.req_str("url") if "url" in p.values else ""
        if url and not url.startswith("https://"):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        if p.flag("drop_pending_updates"):
            self.world.updates.drop_pending()
        allowed = p.json_value("allowed_updates")
        self.world.updates.set_allowed(allowed if isinstance(allowed, list) else None)
        self.world.webhook = (
            {
                key: value
                for key, value in {
                    "url": url,
                    "max_connections": p.opt_int("max_connections"),
                    "allowed_updates": p.json_value("allowed_updates"),
                    "secret_token": p.opt_str("secret_token"),
                    "ip_address": p.opt_str("ip_address"),
                }.items()
                if value is not None
            }
            if url
            else {}
        )
        self.webhooks.configure()
        return True

    async def delete_webhook(self, p: Params) -> bool:
        if p.flag("drop_pending_updates"):
            self.world.updates.drop_pending()
        self.world.webhook = {}
        self.webhooks.configure()
        return True

    async def get_webhook_info(self, p: Params) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": self.world.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": self.world.updates.pending_count,
        }
        if self.webhooks.last_error_date is not None:
            info["last_error_date"] = self.webhooks.last_error_date
            info["last_error_message"] = self.webhooks.last_error_message
        for key in ("max_connections", "allowed_updates", "ip_address"):
            if key in self.world.webhook:
                info[key] = self.world.webhook[key]
        return info

    async def close(self, p: Params) -> bool:
        return True

    async def log_out(self, p: Params) -> bool:
        self.world.logged_out = True
        return True

    # -- commands -----------------------------------------------------------------------------------

    def _scope_key(self, p: Params) -> CommandScopeKey:
        scope = p.json_value("scope") or {"type": "default"}
        if not isinstance(scope, dict) or not isinstance(scope.get("type"), str):
            raise bad_request("can't parse BotCommandScope JSON object")

        def optional_int(key: str) -> int | None:
            value = scope.get(key)
            try:
                return coerce_int(value) if value is not None else None
            except ValueError:
                raise bad_request(f"invalid {key} in the command scope") from None

        return (
            scope["type"],
            optional_int("chat_id"),
            optional_int("user_id"),
            p.opt_str("language_code") or "",
        )

    async def set_my_commands(self, p: Params) -> bool:
        commands = p.json_value("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("can't parse commands JSON object")
        stored: list[dict[str, str]] = []
        for item in commands:
            if not isinstance(item, dict):
                raise bad_request("can't parse BotCommand JSON object")
            command, description = item.get("command"), item.get("description")
            if not isinstance(command, str) or not _COMMAND_RE.match(command):
                raise bad_request("BOT_COMMAND_INVALID")
            if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
            stored.append({"command": command, "description": description})
        key = self._scope_key(p)
        if stored:
            self.world.commands[key] = stored
        else:
            self.world.commands.pop(key, None)
        return True

    async def get_my_commands(self, p: Params) -> list[dict[str, str]]:
        return list(self.world.commands.get(self._scope_key(p), []))

    async def delete_my_commands(self, p: Params) -> bool:
        self.world.commands.pop(self._scope_key(p), None)
        return True

    # -- the menu button ------------------------------------------------------------------------------

    async def set_chat_menu_button(self, p: Params) -> bool:
        chat_id = p.opt_int("chat_id")
        button = p.json_value("menu_button") or {"type": "default"}
        if not isinstance(button, dict) or button.get("type") not in ("commands", "web_app", "default"):
            raise bad_request("can't parse menu button JSON object")
        if button["type"] == "web_app":
            if not isinstance(button.get("text"), str) or not button["text"].strip():
                raise bad_request("can't parse menu button JSON object: text must be non-empty")
            web_app_url_of(button.get("web_app"))
        if chat_id is not None and chat_id not in self.world.users:
            raise bad_request("chat not found")
        self.world.menu_buttons[chat_id] = button
        return True

    async def get_chat_menu_button(self, p: Params) -> dict[str, object]:
        return self.world.menu_buttons.get(p.opt_int("chat_id"), {"type": "commands"})
