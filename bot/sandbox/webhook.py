"""Webhook delivery: the sandbox POSTs each update to the bot's webhook as Telegram does.

One update per request (JSON, with ``X-Telegram-Bot-Api-Secret-Token`` when a secret was set); an update
stays pending until the bot answers 2xx, and is retried with a capped backoff until then (or until
deleteWebhook, or the sandbox closes). A chat's next update goes only after its previous one was
acknowledged, so a person's messages arrive in the order they were sent; different chats are delivered
concurrently, up to ``max_connections`` requests at a time.

Telegram requires an https URL and an operator terminates TLS at a reverse proxy; ``routes`` stand in for
that proxy: ``{"https://kpu-lebak.example": "http://127.0.0.1:8443"}`` sends
``https://kpu-lebak.example/telegram/pps-bimtek`` to ``http://127.0.0.1:8443/telegram/pps-bimtek`` (the
longest matching prefix wins, so a proxy that strips a path prefix is a route with a path on both sides).
A URL no route matches is never contacted: delivery fails with "no route" and is retried like any error.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any

import aiohttp

from bot.sandbox.world import World

__all__ = ["DEFAULT_MAX_CONNECTIONS", "SECRET_HEADER", "WebhookDelivery", "update_chat"]

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
DEFAULT_MAX_CONNECTIONS = 40  # Telegram's default for setWebhook
REQUEST_TIMEOUT_SECONDS = 10.0


def update_chat(update: dict[str, Any]) -> int | None:
    """The chat (or, failing that, the person) an update belongs to; None when it has neither."""
    body = next((value for key, value in update.items() if key != "update_id"), None)
    if not isinstance(body, dict):
        return None
    for holder in (body, body.get("message")):
        if isinstance(holder, dict) and isinstance(holder.get("chat"), dict):
            chat_id = holder["chat"].get("id")
            if isinstance(chat_id, int):
                return chat_id
    sender = body.get("from") or body.get("user")
    if isinstance(sender, dict) and isinstance(sender.get("id"), int):
        return int(sender["id"])
    return None


class WebhookDelivery:
    """Pushes the world's pending updates to the webhook recorded by setWebhook."""

    def __init__(
        self,
        world: World,
        *,
        routes: dict[str, str] | None = None,
        first_retry_seconds: float = 0.05,
        longest_retry_seconds: float = 1.0,
    ) -> None:
        self.world = world
        self.routes: dict[str, str] = dict(routes or {})
        self.first_retry_seconds = first_retry_seconds
        self.longest_retry_seconds = longest_retry_seconds
        self.last_error_date: int | None = None
        self.last_error_message: str | None = None
        self.attempts = 0
        self.failures = 0
        self.most_concurrent = 0  # the most requests on their way at once
        self._sending: dict[int, asyncio.Task[None]] = {}  # update_id -> its delivery (with retries)
        self._busy_chats: set[int] = set()
        self._loop_task: asyncio.Task[None] | None = None
        self._url: str | None = None
        self._session: aiohttp.ClientSession | None = None

    # -- control (setWebhook / deleteWebhook / the sandbox's lifecycle) -----------------------------

    def configure(self) -> None:
        """Follow ``world.webhook``: start delivering when a URL is set, stop when it is removed.

        Setting the same URL again (a bot restarting) keeps the deliveries on their way, as Telegram does:
        cutting one short after the bot queued it would deliver that update twice."""
        url = self.world.webhook.get("url")
        if url != self._url:
            self.last_error_date, self.last_error_message = None, None
        self._url = url
        if not url:
            self._cancel_sending()
            if self._loop_task is not None:
                self._loop_task.cancel()
                self._loop_task = None
            return
        if self._loop_task is None or self._loop_task.done():
            self._loop_task = asyncio.ensure_future(self._deliver_forever())
        self.world.updates.changed.notify()

    async def close(self) -> None:
        """Stop every delivery (the sandbox is closing); pending updates stay pending."""
        tasks = [task for task in (self._loop_task, *self._sending.values()) if task is not None]
        self._cancel_sending()
        self._loop_task = None
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(BaseException):
                await task
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _cancel_sending(self) -> None:
        for task in self._sending.values():
            task.cancel()
        self._sending.clear()
        self._busy_chats.clear()

    # -- addresses ------------------------------------------------------------------------------

    def target(self, url: str) -> str | None:
        """The local URL a public webhook URL reaches through the stand-in proxy (None: no route)."""
        matches = [
            public for public in self.routes if url == public or url.startswith(public.rstrip("/") + "/")
        ]
        if not matches:
            return None
        public = max(matches, key=len)
        return self.routes[public].rstrip("/") + url[len(public.rstrip("/")) :]

    # -- delivering ------------------------------------------------------------------------------

    async def _deliver_forever(self) -> None:
        queue = self.world.updates
        while True:
            await queue.changed.wait_for(lambda: self._start_ready() or None, None)

    def _start_ready(self) -> bool:
        """Start a delivery for each chat's oldest pending update not yet on its way; True if any started."""
        limit = self.world.webhook.get("max_connections") or DEFAULT_MAX_CONNECTIONS
        started = False
        waiting_chats: set[int] = set()
        for update in self.world.updates.deliverable():
            if len(self._sending) >= limit:
                break
            update_id = update["update_id"]
            chat = update_chat(update)
            if update_id in self._sending:
                continue
            if chat is not None and (chat in self._busy_chats or chat in waiting_chats):
                waiting_chats.add(chat)  # a later update of a chat waits for the earlier one's 2xx
                continue
            if chat is not None:
                self._busy_chats.add(chat)
            self._sending[update_id] = asyncio.ensure_future(self._deliver(update, chat))
            self.most_concurrent = max(self.most_concurrent, len(self._sending))
            started = True
        return started

    async def _deliver(self, update: dict[str, Any], chat: int | None) -> None:
        delay = self.first_retry_seconds
        try:
            while not await self._post(update):
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.longest_retry_seconds)
            self.world.updates.remove(update["update_id"])
        finally:
            if self._sending.get(update["update_id"]) is asyncio.current_task():
                del self._sending[update["update_id"]]
                if chat is not None:
                    self._busy_chats.discard(chat)
                self.world.updates.changed.notify()

    async def _post(self, update: dict[str, Any]) -> bool:
        """One attempt; True on a 2xx answer, otherwise the error is recorded for getWebhookInfo."""
        self.attempts += 1
        webhook = self.world.webhook
        target = self.target(str(webhook.get("url", "")))
        if target is None:
            return self._failed("no route to the webhook URL (add one with Sandbox.route_webhook)")
        headers = {"Content-Type": "application/json"}
        if webhook.get("secret_token"):
            headers[SECRET_HEADER] = str(webhook["secret_token"])
        if self._session is None:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS)
            )
        try:
            async with self._session.post(target, json=update, headers=headers) as response:
                await response.read()
                if 200 <= response.status < 300:
                    return True
                return self._failed(f"Wrong response from the webhook: {response.status} {response.reason}")
        except TimeoutError:
            return self._failed("Read timeout expired")
        except aiohttp.ClientConnectorError:
            return self._failed("Connection refused")
        except aiohttp.ClientError as error:
            return self._failed(f"Connection error: {type(error).__name__}")

    def _failed(self, message: str) -> bool:
        self.failures += 1
        self.last_error_date = int(time.time())
        self.last_error_message = message
        return False
