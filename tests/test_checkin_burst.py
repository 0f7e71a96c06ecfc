"""All 1,035 PPS of Lebak check in at once through Telegram: each answered once, none lost, the recap agrees.

Also: a read (the recap, the export) on SQLite never holds the write lock that check-ins queue on.
"""

import asyncio
import logging
import shutil
import statistics
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, insert, select, update
from sqlalchemy.exc import OperationalError

from bot.checkin.codes import current_code
from bot.core.clock import ManualClock
from bot.core.db import SessionFactory, make_engine, make_read_session_factory, make_session_factory
from bot.runtime.context import BotApplication
from bot.sandbox import Sandbox, SimUser
from models import CheckIn, Kecamatan, Member, Position, TelegramAccount, TrainingSession
from tests.factories import LEBAK_DESA, LEBAK_PPS, import_lebak_wilayah, import_rows, lebak_roster
from tests.helpers import bot_idle
from tests.seed import seed_coordinator, seed_session

# 1,035 replies at Telegram's ~29 messages a second take about 36 s; the wait for each starts at once.
REPLY_TIMEOUT = 120.0
WINDOW_MINUTES = 5


@dataclass(frozen=True)
class Participant:
    """A PPS member on the roster, registered as a sandbox user, and the code on their venue's screen."""

    member_id: int
    user: SimUser
    code: str


async def _lebak_training_day(
    factory: SessionFactory, sandbox: Sandbox, clock: ManualClock
) -> list[Participant]:
    """The real region list, a synthetic roster, a session in each of the 28 kecamatan, all PPS registered."""
    await import_lebak_wilayah(factory)
    await import_rows(factory, lebak_roster())
    async with factory() as session:
        kecamatan = (await session.execute(select(Kecamatan.code, Kecamatan.name))).all()
    for code, name in kecamatan:
        await seed_session(factory, code, venue=f"Aula Kantor Kecamatan {name}")

    async with factory() as session:
        pps = (
            await session.execute(
                select(Member.id, Member.name, TrainingSession.secret)
                .join(TrainingSession, TrainingSession.kecamatan_id == Member.kecamatan_id)
                .where(Member.position != Position.PPK)
                .order_by(Member.id)
            )
        ).all()
    users = [sandbox.new_user(name) for _, name, _ in pps]
    registered_at = datetime(2024, 6, 2, 12, 0, tzinfo=UTC)
    # Registration in bulk: two statements, not 1,035 transactions.
    async with factory() as session, session.begin():
        await session.execute(
            insert(TelegramAccount),
            [{"id": u.id, "first_name": u.first_name, "reachable": True} for u in users],
        )
        await session.execute(
            update(Member),
            [
                {"id": member_id, "telegram_user_id": user.id, "registered_at": registered_at}
                for (member_id, _, _), user in zip(pps, users, strict=True)
            ],
        )
    now = clock.now()
    return [
        Participant(member_id, user, current_code(secret, WINDOW_MINUTES, now))
        for (member_id, _, secret), user in zip(pps, users, strict=True)
    ]


async def _check_ins(factory: SessionFactory) -> tuple[int, int]:
    """How many check-in rows there are, and for how many distinct members."""
    async with factory() as session:
        rows = await session.scalar(select(func.count()).select_from(CheckIn))
        members = await session.scalar(select(func.count(func.distinct(CheckIn.member_id))))
    return rows or 0, members or 0


async def test_all_pps_check_in_at_once(
    sandbox: Sandbox,
    running_bot: BotApplication,
    session_factory: SessionFactory,
    clock: ManualClock,
    caplog: pytest.LogCaptureFixture,
    database_url: str,
) -> None:
    caplog.set_level(logging.WARNING)
    people = await _lebak_training_day(session_factory, sandbox, clock)
    assert len(people) == LEBAK_PPS
    kpu = sandbox.new_user("Bu KPU")
    await seed_coordinator(session_factory, "+6281311110000", telegram_user_id=kpu.id)

    started = time.monotonic()
    await asyncio.gather(*(p.user.send_text(f"/hadir {p.code}") for p in people))
    replies = await asyncio.gather(*(p.user.next_message(timeout=REPLY_TIMEOUT) for p in people))
    finished = time.monotonic()
    await bot_idle(running_bot, timeout=REPLY_TIMEOUT)

    # Every member got exactly one answer, and it is the confirmation.
    assert [len(p.user.messages) for p in people] == [1] * LEBAK_PPS
    refused = [r.text for r in replies if "Presensi tercatat" not in r.text]
    assert refused == []
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert "database is locked" not in caplog.text
    assert await _check_ins(session_factory) == (LEBAK_PPS, LEBAK_PPS)

    await kpu.send_text("/rekap")
    recap = await kpu.next_message(timeout=REPLY_TIMEOUT)
    assert "Jumlah PPS: 1.035 / 1.035 / 1.035 (100%)" in recap.text
    assert f"(dari {LEBAK_DESA}):\n3 hadir: {LEBAK_DESA} · 2 hadir: 0 · 1 hadir: 0 · 0 hadir: 0" in recap.text
    assert (await kpu.next_message(timeout=REPLY_TIMEOUT)).method == "sendPhoto"

    latencies = sorted(r.sent_at - started for r in replies)
    print(
        f"\n[{database_url.split(':', 1)[0]}] {LEBAK_PPS} check-ins answered in {finished - started:.1f} s "
        f"({LEBAK_PPS / (finished - started):.1f}/s); reply latency p50 {statistics.median(latencies):.2f} s, "
        f"p95 {latencies[int(0.95 * len(latencies))]:.2f} s, max {latencies[-1]:.2f} s"
    )


# --- Reads and the SQLite write lock -----------------------------------------------------------------


def _impatient(engine: Any) -> None:
    """A writer that fails at once instead of waiting for the lock (so a blocked writer is seen, not waited)."""

    @event.listens_for(engine.sync_engine, "connect")
    def _no_busy_wait(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout=0")
        cursor.close()


async def _write_while_reading(url: str, reader: SessionFactory, account_id: int) -> None:
    writer_engine = make_engine(url)
    _impatient(writer_engine)
    writer = make_session_factory(writer_engine)
    count = select(func.count()).select_from(TelegramAccount)
    try:
        async with reader() as session, session.begin():
            # The recap's kind of read is under way ...
            before = await session.scalar(count)
            # ... when someone writes (registers, here) on another connection.
            async with writer() as other, other.begin():
                other.add(TelegramAccount(id=account_id, first_name="Siti"))
            # The read keeps its snapshot.
            assert await session.scalar(count) == before
    finally:
        await writer_engine.dispose()


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    """A fresh migrated SQLite database (this concern is SQLite's own: PostgreSQL readers never lock)."""
    path = tmp_path / "bot.sqlite3"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite+aiosqlite:///{path}"


async def test_a_read_on_sqlite_does_not_block_a_writer(sqlite_url: str) -> None:
    url = sqlite_url
    engine = make_engine(url)
    try:
        await _write_while_reading(url, make_read_session_factory(engine), 700_000_001)
        async with make_session_factory(engine)() as session:
            assert await session.scalar(select(func.count()).select_from(TelegramAccount)) == 1
        # The same read through the writers' factory (BEGIN IMMEDIATE) holds the lock: the writer fails.
        with pytest.raises(OperationalError, match="database is locked"):
            await _write_while_reading(url, make_session_factory(engine), 700_000_002)
    finally:
        await engine.dispose()
