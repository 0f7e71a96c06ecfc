"""The operators' endpoint: /healthz, /readyz (following the database away and back) and /metrics as a
broadcast runs through the sandbox."""

import asyncio
import dataclasses
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import make_url

from bot.app import build_application, running
from bot.broadcasts.audience import Audience
from bot.broadcasts.compose import create_broadcast
from bot.core.clock import ManualClock
from bot.core.config import ConfigError, HealthConfig, load_config
from bot.core.db import SessionFactory
from bot.runtime.context import BotApplication
from bot.sandbox import Sandbox, SimUser
from models import Position
from tests.conftest import POSTGRES_URL, _admin_execute, sandbox_config
from tests.seed import link_telegram, seed_members

DEADLINE_SECONDS = 15.0


def free_port() -> int:
    """A port nobody listens on now (the OS picks it; tests run in parallel)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def delivery_options() -> dict[str, object]:
    # Slow enough that a scrape can catch the broadcast half way (10 recipients take about 2 s).
    return {"rate_per_second": 5}


@pytest.fixture
async def health_bot(
    sandbox: Sandbox,
    database_url: str,
    delivery_options: dict[str, object],
    clock: ManualClock,
    per_chat_interval: float,
) -> AsyncIterator[tuple[BotApplication, str]]:
    """The real bot with its operators' endpoint on a free port: (application, endpoint URL)."""
    port = free_port()
    config = dataclasses.replace(
        sandbox_config(sandbox, database_url, delivery_options), health=HealthConfig(port=port)
    )
    application = build_application(config, clock=clock, per_chat_interval=per_chat_interval)
    async with running(application, poll_timeout=5):
        yield application, f"http://127.0.0.1:{port}"


async def get(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as client, client.get(url) as response:
        return response.status, await response.text()


async def poll(
    read: Callable[[], Awaitable[tuple[int, str]]], until: Callable[[int, str], bool]
) -> tuple[int, str]:
    """Read until `until` holds or the deadline passes (then the last answer is returned for the assert)."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while True:
        answer = await read()
        if until(*answer) or time.monotonic() > deadline:
            return answer
        await asyncio.sleep(0.05)


def samples(exposition: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a Prometheus exposition, parsed by prometheus-client's own parser."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(exposition)
        for sample in family.samples
    }


def value(exposition: str, name: str, **labels: str) -> float | None:
    return samples(exposition).get((name, tuple(sorted(labels.items()))))


def test_health_is_off_by_default_and_bound_to_localhost() -> None:
    config = load_config(None, environ={}, require_token=False)
    assert config.health == HealthConfig(listen="127.0.0.1", port=0)
    assert not config.health.enabled


def test_health_section_is_read_and_checked(tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text('[health]\nlisten = "10.0.0.5"\nport = 9108\n', encoding="utf-8")
    assert load_config(good, environ={}, require_token=False).health == HealthConfig(
        listen="10.0.0.5", port=9108
    )
    bad = tmp_path / "bad.toml"
    bad.write_text("[health]\nport = 70000\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[health\] port must be between 0 and 65535, got 70000"):
        load_config(bad, environ={}, require_token=False)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
@pytest.mark.skipif(not POSTGRES_URL, reason="PPSBOT_TEST_POSTGRES_URL is not set")
@pytest.mark.own_database  # it shuts its database to new connections
async def test_readyz_follows_a_postgresql_database_away_and_back(
    health_bot: tuple[BotApplication, str], database_url: str
) -> None:
    _, endpoint = health_bot
    name = make_url(database_url).database
    assert await get(f"{endpoint}/healthz") == (200, "ok\n")
    assert await poll(lambda: get(f"{endpoint}/readyz"), lambda status, _: status == 200) == (200, "ready\n")

    # The test's own database goes away: no new connections, and the bot's are cut.
    await _admin_execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
    try:
        await _admin_execute(
            f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
        )
        status, reason = await poll(lambda: get(f"{endpoint}/readyz"), lambda status, _: status == 503)
        assert status == 503
        assert reason.startswith("database: unreachable") and reason.count("\n") == 1
        assert await get(f"{endpoint}/healthz") == (200, "ok\n")  # alive all the same
        # /metrics still answers with the process's own figures, and says the database's are missing.
        status, page = await get(f"{endpoint}/metrics")
        assert status == 200
        assert value(page, "ppsbot_metrics_database_up") == 0
        assert value(page, "ppsbot_outbox_deliveries", status="sent") is None
        assert value(page, "ppsbot_outbox_restarts_total") is not None
    finally:
        await _admin_execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
    assert await poll(lambda: get(f"{endpoint}/readyz"), lambda status, _: status == 200) == (200, "ready\n")


async def _registered_members(sandbox: Sandbox, factory: SessionFactory, count: int) -> list[SimUser]:
    members = await seed_members(
        factory, [(f"Anggota {i}", Position.ANGGOTA, f"+62812345670{i:02d}") for i in range(count)]
    )
    users = []
    for member in members:
        user = sandbox.new_user(member.name)
        await link_telegram(factory, member.id, user.id)
        users.append(user)
    return users


async def test_metrics_move_as_a_broadcast_runs(
    sandbox: Sandbox,
    health_bot: tuple[BotApplication, str],
    session_factory: SessionFactory,
    clock: ManualClock,
) -> None:
    application, endpoint = health_bot
    members = await _registered_members(sandbox, session_factory, 10)

    async def scrape() -> tuple[int, str]:
        return await get(f"{endpoint}/metrics")

    status, before = await scrape()
    assert status == 200
    assert value(before, "ppsbot_outbox_deliveries", status="sent") == 0
    assert value(before, "ppsbot_outbox_sends_total", outcome="sent") == 0
    assert value(before, "ppsbot_telegram_429_total") == 0
    assert value(before, "ppsbot_current_broadcast", figure="id") is None  # none yet
    assert value(before, "ppsbot_metrics_database_up") == 1

    # A member writes: one message update, its reply latency observed.
    await members[0].send_text("/bantuan")
    await members[0].next_message()
    _, talked = await poll(
        scrape, lambda _, text: value(text, "ppsbot_updates_handled_total", kind="message") == 1
    )
    assert value(talked, "ppsbot_updates_handled_total", kind="message") == 1
    assert value(talked, "ppsbot_reply_latency_seconds_count") == 1

    # A broadcast to all ten; Telegram answers its first send with a 429.
    async with session_factory() as session, session.begin():
        broadcast_id = await create_broadcast(
            session,
            body_html="Rapat besok.",
            media_kind=None,
            media_file_id=None,
            audience=Audience(),
            send_at=clock.now(),
            now=clock.now(),
            created_by=None,
            creator_chat_id=None,
            language="id",
            include_late=False,
            progress=None,
        )
    sandbox.faults.fail_next(method="sendMessage", status=429, retry_after=1)
    await application.bot_data.scheduler.submit(broadcast_id, clock.now())

    seen_sent: list[float] = []

    def finished(_: int, text: str) -> bool:
        sent = value(text, "ppsbot_current_broadcast", figure="sent")
        if sent is not None:
            seen_sent.append(sent)
        return value(text, "ppsbot_current_broadcast", figure="sending") == 0

    _, after = await poll(scrape, finished)
    assert value(after, "ppsbot_current_broadcast", figure="id") == broadcast_id
    assert value(after, "ppsbot_current_broadcast", figure="sending") == 0
    assert value(after, "ppsbot_current_broadcast", figure="recipients") == 10
    assert value(after, "ppsbot_current_broadcast", figure="sent") == 10
    # Scraped while it ran: the sent count only ever rose, and was seen part way.
    assert seen_sent == sorted(seen_sent)
    assert any(0 < sent < 10 for sent in seen_sent)
    assert value(after, "ppsbot_outbox_deliveries", status="sent") == 10
    assert value(after, "ppsbot_outbox_deliveries", status="pending") == 0
    assert value(after, "ppsbot_outbox_sends_total", outcome="sent") == 10
    assert value(after, "ppsbot_telegram_429_total") == 1
    assert value(after, "ppsbot_broadcasts", status="done") == 1
    assert value(after, "ppsbot_outbox_restarts_total") == 0
    assert value(after, "ppsbot_missed_jobs_total") == 0
    assert all([m.text for m in member.messages].count("Rapat besok.") == 1 for member in members)


async def test_scheduled_jobs_are_counted(
    health_bot: tuple[BotApplication, str], session_factory: SessionFactory, clock: ManualClock
) -> None:
    application, endpoint = health_bot
    _, before = await get(f"{endpoint}/metrics")
    assert value(before, "ppsbot_scheduled_jobs", kind="broadcast") is None
    application.bot_data.scheduler.schedule(4242, clock.now().replace(hour=20))
    _, after = await poll(
        lambda: get(f"{endpoint}/metrics"),
        lambda _, text: value(text, "ppsbot_scheduled_jobs", kind="broadcast") == 1,
    )
    assert value(after, "ppsbot_scheduled_jobs", kind="broadcast") == 1
