"""The public Sandbox: lifecycle of the local Bot API server plus the inspection API for tests."""

from __future__ import annotations

import asyncio
import secrets
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from aiohttp import web

from bot.sandbox.faults import FaultInjector, FloodControl, TelegramLimits
from bot.sandbox.models import BotMessage, CallRecord, SandboxStats
from bot.sandbox.server import SandboxServer
from bot.sandbox.spec import ApiSpec
from bot.sandbox.users import SimUser
from bot.sandbox.waiting import SandboxTimeout
from bot.sandbox.webhook import WebhookDelivery
from bot.sandbox.world import World

__all__ = ["DEFAULT_BOT_ID", "Sandbox"]

DEFAULT_BOT_ID = 7_000_000_001


def _make_token(bot_id: int) -> str:
    return f"{bot_id}:AA{secrets.token_urlsafe(24)[:33]}"


class Sandbox:
    """A local Telegram Bot API emulator on 127.0.0.1 with simulated users.

    ``async with Sandbox() as sb:`` starts it; point PTB at it with
    ``Bot(sb.token, base_url=sb.base_url, base_file_url=sb.base_file_url)``.
    """

    def __init__(
        self,
        *,
        spec_path: Path | None = None,
        latency: float = 0.0,
        limits: TelegramLimits | None = None,
        bot_username: str = "pps_bimtek_bot",
        bot_first_name: str = "PPS Bimtek",
        token: str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        hang_seconds: float = 30.0,
        webhook_routes: dict[str, str] | None = None,
    ) -> None:
        if token is None:
            bot_id = DEFAULT_BOT_ID
            token = _make_token(bot_id)
        else:
            prefix = token.split(":", 1)[0]
            if not prefix.isdigit():
                raise ValueError("a bot token looks like '<bot id>:<secret>'")
            bot_id = int(prefix)
        self.token = token
        self.bot_id = bot_id
        self.host = host
        self._requested_port = port
        self.port = 0
        self.spec = ApiSpec.load_or_none(spec_path)
        self.world = World(bot_id=bot_id, bot_username=bot_username, bot_first_name=bot_first_name)
        self.faults = FaultInjector(hang_seconds=hang_seconds)
        self._stopping = asyncio.Event()
        self.webhook_delivery = WebhookDelivery(self.world, routes=webhook_routes)
        self._server = SandboxServer(
            world=self.world,
            token=token,
            spec=self.spec,
            faults=self.faults,
            flood=FloodControl(limits) if limits is not None else None,
            latency=latency,
            stopping=self._stopping,
            webhooks=self.webhook_delivery,
        )
        self._runner: web.AppRunner | None = None

    # -- lifecycle --------------------------------------------------------------------------------

    async def start(self) -> None:
        """Listen on ``host``; with port 0 the OS picks a free port (read it from :attr:`port`)."""
        if self._runner is not None:
            raise RuntimeError("sandbox already started")
        self._stopping.clear()
        runner = web.AppRunner(self._server.make_app(), access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self._requested_port)
        try:
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self.port = _bound_port(runner)
        self._runner = runner
        if self.world.webhook.get("url"):  # restarted with a webhook set: deliver again
            self.webhook_delivery.configure()

    async def stop(self) -> None:
        """Release waiting long polls and held requests, then shut the server down."""
        if self._runner is None:
            return
        self._stopping.set()
        self.world.updates.changed.notify()
        await self.webhook_delivery.close()
        runner, self._runner = self._runner, None
        await runner.cleanup()

    async def __aenter__(self) -> Sandbox:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    # -- addresses ----------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """``http://host:port``."""
        if not self.port:
            raise RuntimeError("sandbox not started")
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """PTB ``base_url`` (PTB appends the token)."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """PTB ``base_file_url`` (PTB appends the token)."""
        return f"{self.url}/file/bot"

    def route_webhook(self, public_url: str, local_url: str) -> None:
        """Stand in for the operator's TLS-terminating reverse proxy: a webhook URL starting with
        ``public_url`` (``https://kpu-lebak.example``) is delivered to ``local_url`` plus the rest of the
        URL (``http://127.0.0.1:8443``); a route with a path on both sides strips or adds a prefix."""
        self.webhook_delivery.routes[public_url] = local_url

    # -- knobs --------------------------------------------------------------------------------------

    @property
    def latency(self) -> float:
        """Seconds added to every request."""
        return self._server.latency

    @latency.setter
    def latency(self, value: float) -> None:
        self._server.latency = value

    @property
    def limits(self) -> TelegramLimits | None:
        """Flood limits in force, ``None`` when unlimited."""
        return self._server.flood.limits if self._server.flood is not None else None

    @limits.setter
    def limits(self, value: TelegramLimits | None) -> None:
        self._server.flood = FloodControl(value) if value is not None else None

    # -- people -----------------------------------------------------------------------------------

    def new_user(
        self,
        first_name: str,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "id",
        *,
        phone_number: str | None = None,
    ) -> SimUser:
        """A new simulated person (ids count up from 700000001)."""
        return self.world.new_user(
            first_name,
            last_name=last_name,
            username=username,
            language_code=language_code,
            phone_number=phone_number,
        )

    @property
    def users(self) -> list[SimUser]:
        """All simulated people, oldest first."""
        return list(self.world.users.values())

    def user(self, user_id: int) -> SimUser:
        """The simulated person with this id."""
        return self.world.users[user_id]

    def on_message(self, callback: Callable[[BotMessage], None]) -> Callable[[], None]:
        """Call ``callback`` for every new bot message; returns an unsubscribe function."""
        self.world.listeners.append(callback)
        return lambda: self.world.listeners.remove(callback)

    # -- inspection -----------------------------------------------------------------------------------

    @property
    def bot_username(self) -> str:
        """The bot's username (getMe)."""
        return self.world.bot_username

    @property
    def calls(self) -> list[CallRecord]:
        """Every request: ``(method, chat_id, status)`` named tuples, oldest first."""
        return self.world.calls

    def call_counts(self) -> Counter[tuple[str, int]]:
        """``Counter`` of ``(method, status)``."""
        return Counter((call.method, call.status) for call in self.world.calls)

    @property
    def stats(self) -> SandboxStats:
        """Request, response, rate-limit and injected-fault counters."""
        return self.world.stats

    def reset_stats(self) -> None:
        """Forget recorded calls and counters (e.g. after a benchmark's warm-up)."""
        self.world.calls.clear()
        self.world.stats = SandboxStats()
        self.world.delivered.clear()

    def delivered(self, chat_id: int) -> int:
        """Messages the bot successfully sent to ``chat_id`` (send* methods, duplicates included)."""
        return self.world.delivered[chat_id]

    def delivery_counts(self) -> dict[int, int]:
        """``{chat_id: delivered messages}`` for every chat that got at least one."""
        return dict(self.world.delivered)

    def messages(self, chat_id: int) -> list[BotMessage]:
        """Bot messages in the chat with ``chat_id`` (current state)."""
        return self.world.users[chat_id].messages

    def commands(
        self,
        scope_type: str = "default",
        language_code: str = "",
        *,
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> list[dict[str, str]]:
        """Commands registered with setMyCommands for exactly this scope and language."""
        return list(self.world.commands.get((scope_type, chat_id, user_id, language_code), []))

    @property
    def webhook(self) -> dict[str, Any]:
        """What setWebhook recorded (empty when no webhook)."""
        return dict(self.world.webhook)

    @property
    def webhook_errors(self) -> int:
        """Webhook deliveries that got no 2xx answer (refused, unreachable, timed out)."""
        return self.webhook_delivery.failures

    @property
    def pending_updates(self) -> int:
        """Updates not yet acknowledged by the bot."""
        return self.world.updates.pending_count

    @property
    def logged_out(self) -> bool:
        """Whether the bot called logOut."""
        return self.world.logged_out

    async def wait_polling(self, timeout: float = 5.0) -> None:
        """Wait until the bot has a getUpdates long poll parked on an empty queue (it is idle)."""
        queue = self.world.updates
        parked = await queue.changed.wait_for(lambda: True if queue.waiting_polls > 0 else None, timeout)
        if parked is None:
            raise SandboxTimeout(f"the bot did not start a long-polling getUpdates within {timeout} s")

    async def wait_webhook_delivered(self, timeout: float = 5.0) -> None:
        """Wait until the bot's webhook acknowledged every update (no update pending)."""
        queue = self.world.updates
        done = await queue.changed.wait_for(lambda: True if queue.pending_count == 0 else None, timeout)
        if done is None:
            raise SandboxTimeout(
                f"the webhook did not acknowledge every update within {timeout} s ({queue.pending_count} "
                f"pending, last error: {self.webhook_delivery.last_error_message})"
            )

    async def wait_updates_consumed(self, timeout: float = 5.0) -> None:
        """Wait until every queued update has been returned to the bot by getUpdates."""
        queue = self.world.updates
        done = await queue.changed.wait_for(lambda: True if queue.all_fetched else None, timeout)
        if done is None:
            raise SandboxTimeout(
                f"the bot did not fetch all updates within {timeout} s "
                f"(last update id {queue.last_update_id}, {queue.pending_count} pending)"
            )


def _bound_port(runner: web.AppRunner) -> int:
    for address in runner.addresses:
        if isinstance(address, tuple) and len(address) >= 2:
            return int(address[1])
    raise RuntimeError("sandbox server did not bind a TCP port")
