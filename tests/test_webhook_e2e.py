"""Webhook mode end to end: the real `serve` behind the sandbox's webhook delivery, as Telegram uses it.

The sandbox stands in for Telegram and for the operator's reverse proxy: the bot's public URL
https://kpu-lebak.example/telegram/pps-bimtek is delivered to the bot's own port on 127.0.0.1.
"""

import asyncio
import json
import logging
import socket
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import aiohttp
import pytest
from conftest import sandbox_config
from helpers import eventually
from sqlalchemy import select

from bot.app import build_application
from bot.checkin.codes import current_code
from bot.core.clock import ManualClock
from bot.core.config import Config
from bot.core.db import SessionFactory
from bot.runtime.context import BotApplication
from bot.runtime.running import serve
from bot.runtime.webhook import SECRET_HEADER
from bot.sandbox import Sandbox, SimUser
from models import CheckIn, Member, Position, TrainingSession
from tests.helpers import bot_idle, press_when_shown
from tests.seed import link_telegram, seed_coordinator, seed_members, seed_session

PUBLIC = "https://kpu-lebak.example"
HOOK_URL = f"{PUBLIC}/telegram/pps-bimtek"
SECRET = "webhook-secret_0123456789abcdef"


def free_port() -> int:
    """A port nothing listens on now (tests run in parallel: never a fixed one)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class WebhookBot:
    """`python -m bot run` in webhook mode, inside the test's event loop: serve() until stop()."""

    def __init__(self, sandbox: Sandbox, config: Config, clock: ManualClock) -> None:
        self.sandbox = sandbox
        self.config = config
        self.clock = clock
        self.application: BotApplication | None = None
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @property
    def endpoint(self) -> str:
        telegram = self.config.telegram
        return f"http://127.0.0.1:{telegram.webhook_port}{telegram.webhook_path}"

    async def start(self) -> BotApplication:
        def build() -> BotApplication:
            self.application = build_application(self.config, clock=self.clock, per_chat_interval=0.0)
            return self.application

        registered = self.sandbox.call_counts()[("setWebhook", 200)]
        self._stop = asyncio.Event()
        self._task = asyncio.create_task(serve(self.config, build, self._stop))
        # setWebhook is the last step of the start: the endpoint listens and updates are being handled.
        await eventually(
            lambda: (
                self._task is not None
                and (self._task.done() or self.sandbox.call_counts()[("setWebhook", 200)] > registered)
            ),
            "the bot to call setWebhook",
            timeout=30,
        )
        assert self._task is not None and not self._task.done(), self._task.result()
        assert self.application is not None
        return self.application

    async def stop(self) -> None:
        self._stop.set()
        if self._task is not None:
            await asyncio.wait_for(self._task, 30)
            self._task = None


@pytest.fixture
def delivery_options() -> dict[str, object]:
    return {"rate_per_second": 200, "paid_broadcast": True}


@pytest.fixture
def webhook_config(sandbox: Sandbox, database_url: str, delivery_options: dict[str, object]) -> Config:
    """Webhook mode on a free port; the sandbox's stand-in proxy passes the public URL on as is."""
    port = free_port()
    sandbox.route_webhook(PUBLIC, f"http://127.0.0.1:{port}")
    config = sandbox_config(sandbox, database_url, delivery_options)
    telegram = replace(
        config.telegram, mode="webhook", webhook_url=HOOK_URL, webhook_port=port, secret_token=SECRET
    )
    return replace(config, telegram=telegram)


@pytest.fixture
async def webhook_bot(
    sandbox: Sandbox, webhook_config: Config, clock: ManualClock
) -> AsyncIterator[WebhookBot]:
    bot = WebhookBot(sandbox, webhook_config, clock)
    await bot.start()
    try:
        yield bot
    finally:
        await bot.stop()


def _application(bot: WebhookBot) -> BotApplication:
    assert bot.application is not None
    return bot.application


# --- the features, through the webhook -----------------------------------------------------------


async def test_registration_through_the_webhook(
    sandbox: Sandbox, webhook_bot: WebhookBot, session_factory: SessionFactory
) -> None:
    [siti] = await seed_members(session_factory, [("Siti Aminah", Position.KETUA, "+6281234567801")])
    assert sandbox.webhook["url"] == HOOK_URL and sandbox.webhook["secret_token"] == SECRET
    user = sandbox.new_user("Siti")
    await user.send_text("/daftar")
    await user.next_message()
    await user.share_contact("0812-3456-7801")
    await user.next_message()
    confirm = await user.next_message()
    assert "Siti Aminah" in confirm.text
    await user.press("✅ Ya, benar")
    await user.wait_for_edit(confirm.message_id, lambda m: "Pendaftaran berhasil" in m.text)
    async with session_factory() as session:
        assert await session.scalar(select(Member.telegram_user_id).where(Member.id == siti.id)) == user.id
    assert sandbox.webhook_errors == 0


async def test_check_in_through_the_webhook(
    sandbox: Sandbox, webhook_bot: WebhookBot, session_factory: SessionFactory, clock: ManualClock
) -> None:
    [siti] = await seed_members(session_factory, [("Siti Aminah", Position.KETUA, "+6281234567801")])
    session_id = await seed_session(session_factory)
    user = sandbox.new_user("Siti")
    await link_telegram(session_factory, siti.id, user.id)
    async with session_factory() as session:
        secret = await session.scalar(select(TrainingSession.secret).where(TrainingSession.id == session_id))
    assert secret is not None
    await user.send_text(f"/hadir {current_code(secret, 5, clock.now())}")
    done = await user.next_message()
    assert "Presensi tercatat" in done.text
    async with session_factory() as session:
        assert list(await session.scalars(select(CheckIn.member_id))) == [siti.id]


async def test_broadcast_through_the_webhook(
    sandbox: Sandbox, webhook_bot: WebhookBot, session_factory: SessionFactory
) -> None:
    members = await seed_members(
        session_factory,
        [("Siti", Position.KETUA, "+6281234567801"), ("Budi", Position.ANGGOTA, "+6281234567802")],
    )
    await seed_session(session_factory)
    people: list[SimUser] = []
    for member in members:
        person = sandbox.new_user(member.name)
        await link_telegram(session_factory, member.id, person.id)
        people.append(person)
    kpu = sandbox.new_user("Bu KPU")
    await seed_coordinator(session_factory, "+6281311110000", telegram_user_id=kpu.id)

    await kpu.send_text("/umumkan")
    await kpu.next_message()
    await kpu.send_text("Halo {nama}, Bimtek di {venue}.")
    await kpu.wait_for(lambda m: "Kepada siapa" in m.text)
    await press_when_shown(kpu, "Semua PPS dan PPK")
    await kpu.wait_for(lambda m: "Pilih kecamatan" in m.text)
    await press_when_shown(kpu, "Lanjut ➡️")
    await kpu.wait_for(lambda m: "Kapan dikirim" in m.text)
    await press_when_shown(kpu, "Kirim sekarang")
    summary = await kpu.wait_for(lambda m: "Siap dikirim" in m.text)
    await press_when_shown(kpu, "✅ Kirim")
    await kpu.wait_for_edit(summary.message_id, lambda m: "Terkirim: 2 dari 2" in m.text, timeout=10)
    assert [m.text for m in people[0].messages] == ["Halo Siti, Bimtek di Aula Kantor Kecamatan Malingping."]
    assert all(sandbox.delivered(person.id) == 1 for person in people)


async def test_a_proxy_that_strips_a_prefix_maps_to_url_path(
    sandbox: Sandbox, webhook_config: Config, clock: ManualClock
) -> None:
    # nginx: location /telegram/ { proxy_pass http://127.0.0.1:PORT/; }  ->  url_path = "/pps-bimtek"
    port = webhook_config.telegram.webhook_port
    sandbox.route_webhook(f"{PUBLIC}/telegram", f"http://127.0.0.1:{port}")
    config = replace(webhook_config, telegram=replace(webhook_config.telegram, url_path="/pps-bimtek"))
    bot = WebhookBot(sandbox, config, clock)
    await bot.start()
    try:
        user = sandbox.new_user("Siti")
        await user.send_text("/start")
        assert "Selamat datang" in (await user.next_message()).text
    finally:
        await bot.stop()
    assert sandbox.webhook_errors == 0


# --- what Telegram never sends -------------------------------------------------------------------


def _forged_update(user: SimUser, text: str) -> dict[str, Any]:
    return {
        "update_id": 900_001,
        "message": {
            "message_id": 900_001,
            "date": 1_717_000_000,
            "chat": user.chat_dict,
            "from": user.user_dict,
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}],
        },
    }


async def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=body, headers={"Content-Type": "application/json", **headers}) as response,
    ):
        await response.read()
        return response.status


@pytest.mark.parametrize(
    ("headers", "status"),
    [({}, 401), ({SECRET_HEADER: "not-the-secret"}, 403)],
    ids=["no-secret", "wrong-secret"],
)
async def test_a_request_without_the_right_secret_is_refused_and_not_processed(
    sandbox: Sandbox,
    webhook_bot: WebhookBot,
    caplog: pytest.LogCaptureFixture,
    headers: dict[str, str],
    status: int,
) -> None:
    user = sandbox.new_user("Siti")
    forged = json.dumps(_forged_update(user, "/bantuan")).encode()
    with caplog.at_level(logging.WARNING):
        assert await _post(webhook_bot.endpoint, forged, headers) == status
    [line] = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert line.levelno == logging.WARNING and f"({status})" in line.getMessage()
    assert "not-the-secret" not in caplog.text and SECRET not in caplog.text

    await user.send_text("/start")  # the same chat: a forged update, had it been queued, would come first
    greeting = await user.next_message()
    await bot_idle(_application(webhook_bot))
    assert "Selamat datang" in greeting.text
    assert [m.message_id for m in user.messages] == [greeting.message_id]


MALFORMED = {
    "not-json": (b"{this is not json", 400),
    "not-utf8": (b'{"update_id": 1, "message": "\xff\xfe"}', 400),
    "not-an-update": (b'{"hello": "world"}', 400),
    "update-id-not-a-number": (b'{"update_id": "1", "message": {}}', 400),
    "wrong-shape-inside": (b'{"update_id": 5, "message": {"chat": 3}}', 400),
    "a-list": (b"[1, 2, 3]", 400),
    "one-megabyte": (b'{"update_id": 1, "pad": "' + b"x" * 1_000_000 + b'"}', 413),
}


@pytest.mark.parametrize("kind", list(MALFORMED))
async def test_a_malformed_body_gets_a_4xx_and_one_warning_line(
    sandbox: Sandbox, webhook_bot: WebhookBot, caplog: pytest.LogCaptureFixture, kind: str
) -> None:
    body, status = MALFORMED[kind]
    with caplog.at_level(logging.DEBUG):
        assert await _post(webhook_bot.endpoint, body, {SECRET_HEADER: SECRET}) == status
    troubles = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(troubles) == 1, [r.getMessage() for r in troubles]
    [line] = troubles
    assert line.levelno == logging.WARNING and line.exc_info is None
    assert f"({status})" in line.getMessage() and "\n" not in line.getMessage()
    assert "world" not in caplog.text and "xxxx" not in caplog.text and "this is not" not in caplog.text

    user = sandbox.new_user("Siti")  # the bot carries on
    await user.send_text("/start")
    assert "Selamat datang" in (await user.next_message()).text


# --- load and restarts ------------------------------------------------------------------------------


async def test_300_concurrent_updates_are_each_answered_exactly_once(
    sandbox: Sandbox, webhook_bot: WebhookBot
) -> None:
    people = [sandbox.new_user(f"Orang {n}") for n in range(300)]
    await asyncio.gather(*(person.send_text("/start") for person in people))
    await asyncio.gather(*(person.next_message(timeout=60) for person in people))
    await sandbox.wait_webhook_delivered()
    await bot_idle(_application(webhook_bot), timeout=30)
    assert all(len(person.messages) == 1 for person in people)
    assert sandbox.delivery_counts() == {person.id: 1 for person in people}
    assert sandbox.webhook_delivery.most_concurrent > 1  # delivered concurrently, not one by one
    assert sandbox.webhook_errors == 0


async def test_a_restart_answers_what_came_while_the_bot_was_down(
    sandbox: Sandbox, webhook_bot: WebhookBot
) -> None:
    early = sandbox.new_user("Sebelum")
    await early.send_text("/start")
    await early.next_message()
    await webhook_bot.stop()

    people = [sandbox.new_user(f"Orang {n}") for n in range(5)]
    for person in people:
        await person.send_text("/start")
        await person.send_text("/bantuan")
    await eventually(lambda: sandbox.webhook_errors > 0, "a failed delivery")
    assert sandbox.webhook_delivery.last_error_message == "Connection refused"
    assert sandbox.pending_updates == 10

    await webhook_bot.start()
    await sandbox.wait_webhook_delivered(timeout=20)
    for person in people:
        await person.wait_for(lambda m: m.text.startswith("Bantuan"))
    await bot_idle(_application(webhook_bot))
    for person in people:
        first, second = person.messages
        assert "Selamat datang" in first.text  # /start, then /bantuan: in the order they were sent
        assert second.text.startswith("Bantuan")
    assert all(sandbox.delivered(person.id) == 2 for person in people)
    assert sandbox.delivered(early.id) == 1
