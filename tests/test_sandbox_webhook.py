"""The sandbox's webhook delivery, seen from a small receiving server standing in for the bot."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web
from helpers import eventually
from telegram import Bot
from telegram.error import Conflict

from bot.sandbox import Sandbox, make_bot
from bot.sandbox.webhook import SECRET_HEADER

PUBLIC = "https://kpu-lebak.example"
HOOK_URL = f"{PUBLIC}/telegram/pps-bimtek"
SECRET = "webhook-secret_0123456789"


@dataclass
class Receiver:
    """An HTTP endpoint that records what it is sent and answers with the status a test chooses."""

    received: list[tuple[str, str | None, dict[str, Any]]] = field(default_factory=list)
    status: int = 200
    hold: asyncio.Event | None = None  # while set to an unset event, requests wait (not yet answered)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    in_flight: int = 0
    most_in_flight: int = 0

    async def handle(self, request: web.Request) -> web.Response:
        body = json.loads(await request.read())
        self.received.append((request.path, request.headers.get(SECRET_HEADER), body))
        self.arrived.set()
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            if self.hold is not None:
                await self.hold.wait()
        finally:
            self.in_flight -= 1
        return web.Response(status=self.status)

    def texts(self) -> list[str]:
        return [body["message"]["text"] for _, _, body in self.received if "message" in body]


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[Receiver, str]]:
    recorder = Receiver()
    app = web.Application()
    app.router.add_post("/{tail:.*}", recorder.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield recorder, f"http://127.0.0.1:{port}"
    await runner.cleanup()


@pytest.fixture
async def sb() -> AsyncIterator[Sandbox]:
    async with Sandbox() as sandbox:
        yield sandbox


@pytest.fixture
async def bot(sb: Sandbox) -> AsyncIterator[Bot]:
    client = make_bot(sb)
    await client.initialize()
    yield client
    await client.shutdown()


async def test_each_update_is_posted_once_as_json_with_the_secret(
    sb: Sandbox, bot: Bot, receiver: tuple[Receiver, str]
) -> None:
    recorder, local = receiver
    sb.route_webhook(PUBLIC, local)
    await bot.set_webhook(HOOK_URL, secret_token=SECRET)
    siti, budi = sb.new_user("Siti"), sb.new_user("Budi")
    await siti.send_text("/start")
    await budi.send_text("/daftar")
    await sb.wait_webhook_delivered()
    assert sorted(recorder.texts()) == ["/daftar", "/start"]
    assert {(path, secret) for path, secret, _ in recorder.received} == {("/telegram/pps-bimtek", SECRET)}
    info = await bot.get_webhook_info()
    assert info.url == HOOK_URL and info.pending_update_count == 0 and info.last_error_date is None
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()


async def test_a_route_with_a_path_stands_for_a_proxy_that_strips_a_prefix(
    sb: Sandbox, bot: Bot, receiver: tuple[Receiver, str]
) -> None:
    recorder, local = receiver
    sb.route_webhook(f"{PUBLIC}/telegram", f"{local}/")
    await bot.set_webhook(HOOK_URL, secret_token=SECRET)
    await sb.new_user("Siti").send_text("halo")
    await sb.wait_webhook_delivered()
    assert [path for path, _, _ in recorder.received] == ["/pps-bimtek"]


async def test_refused_updates_are_retried_and_reported_until_acknowledged(
    sb: Sandbox, bot: Bot, receiver: tuple[Receiver, str]
) -> None:
    recorder, local = receiver
    recorder.status = 404
    sb.route_webhook(PUBLIC, local)
    await bot.set_webhook(HOOK_URL, secret_token=SECRET)
    await sb.new_user("Siti").send_text("/start")
    await eventually(lambda: len(recorder.received) >= 3)  # retried, with backoff
    info = await bot.get_webhook_info()
    assert info.pending_update_count == 1
    assert info.last_error_date is not None
    assert info.last_error_message == "Wrong response from the webhook: 404 Not Found"

    recorder.status = 200
    await sb.wait_webhook_delivered()
    assert set(recorder.texts()) == {"/start"}
    assert (await bot.get_webhook_info()).pending_update_count == 0


async def test_an_unreachable_webhook_is_reported_and_delete_webhook_stops_the_retries(
    sb: Sandbox, bot: Bot
) -> None:
    sb.route_webhook(PUBLIC, "http://127.0.0.1:9")  # the discard port: nothing listens there
    await bot.set_webhook(HOOK_URL, secret_token=SECRET)
    await sb.new_user("Siti").send_text("/start")
    await eventually(lambda: sb.webhook_errors >= 2)
    info = await bot.get_webhook_info()
    assert info.last_error_message == "Connection refused" and info.pending_update_count == 1

    await bot.delete_webhook()
    failures = sb.webhook_errors
    assert sb.webhook_delivery.attempts >= failures
    [update] = await bot.get_updates()  # the update waited; polling gets it now
    assert update.message is not None and update.message.text == "/start"
    assert sb.webhook_errors == failures


async def test_a_chats_next_update_waits_for_the_previous_ones_answer(
    sb: Sandbox, bot: Bot, receiver: tuple[Receiver, str]
) -> None:
    recorder, local = receiver
    recorder.hold = asyncio.Event()
    sb.route_webhook(PUBLIC, local)
    await bot.set_webhook(HOOK_URL, secret_token=SECRET)
    siti, budi = sb.new_user("Siti"), sb.new_user("Budi")
    for text in ("satu", "dua", "tiga"):
        await siti.send_text(text)
    await budi.send_text("budi")
    await eventually(lambda: len(recorder.received) == 2)  # Siti's first and Budi's, concurrently
    assert sorted(recorder.texts()) == ["budi", "satu"]
    assert recorder.in_flight == 2

    recorder.hold.set()
    await sb.wait_webhook_delivered()
    siti_texts = [text for text in recorder.texts() if text != "budi"]
    assert siti_texts == ["satu", "dua", "tiga"]
    assert recorder.most_in_flight == 2


async def test_an_unrouted_webhook_is_never_contacted(sb: Sandbox, bot: Bot) -> None:
    await bot.set_webhook(HOOK_URL, secret_token=SECRET)
    await sb.new_user("Siti").send_text("/start")
    await eventually(lambda: sb.webhook_errors >= 1)
    info = await bot.get_webhook_info()
    assert info.last_error_message is not None and "no route" in info.last_error_message
