"""'Sudah dibaca' at national scale: the reads it adds to /rekap and its views, and one press, at 150,000 members.

    python -m bench.acks [--members 150000] [--postgres URL]

A synthetic region list (as figure 5), 80 % registered, one regency-wide announcement with "Sudah dibaca"
delivered to all of them and read by 60 %; then the median of 5 runs of each read, beside DESIGN.md §6's
/rekap goal (≤ 0.5 s at 150,000 members: /rekap now reads the attendance recap and the latest rate).
"""

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from bench.scale import national_regions
from bench.world import ACTOR, register
from bot.attendance.recap import attendance_recap
from bot.broadcasts import acks
from bot.broadcasts.audience import Audience, count_audience
from bot.broadcasts.compose import create_sending_broadcast
from bot.core.db import SessionFactory, make_engine, make_session_factory, upgrade_to_head
from bot.core.scope import REGENCY
from bot.roster.importer import import_roster
from bot.roster.synthetic import synthetic_roster
from bot.roster.wilayah import import_wilayah
from models import Delivery, DeliveryStatus, Member

REPEATS = 5
READ_SHARE = 0.6
PRESSES = 200
ZONE = ZoneInfo("Asia/Jakarta")


def _wording(broadcast_id: int, first_line: str) -> acks.AckWording:
    data = f"ak:{broadcast_id}"
    return acks.AckWording({"id": [[{"text": "Sudah dibaca ✅", "callback_data": data}]]}, first_line, {})


async def _median(factory: SessionFactory, read: Callable[[Any], Awaitable[object]]) -> float:
    runs = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        async with factory() as session:
            await read(session)
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


async def measure(url: str, members: int) -> list[tuple[str, float, str]]:
    """Build the world on a fresh database at `url`; return (what, seconds, goal) rows."""
    engine = make_engine(url)
    await upgrade_to_head(engine)
    factory = make_session_factory(engine)
    try:
        regions = national_regions(members, seed=1)
        roster = synthetic_roster(regions, ppk_per_kecamatan=0, seed=1)
        async with factory() as session, session.begin():
            await import_wilayah(session, regions, actor=ACTOR, source_name="national.csv")
        async with factory() as session, session.begin():
            await import_roster(session, roster, actor=ACTOR, source_name="roster.csv")
        await register(factory, int(len(roster) * 0.8))
        now = datetime.now(UTC)
        started = time.perf_counter()
        async with factory() as session, session.begin():
            created = await create_sending_broadcast(
                session,
                body_html="Baca juknis, {nama}.",
                media_kind=None,
                media_file_id=None,
                audience=Audience(),
                now=now,
                zone=ZONE,
                created_by=None,
                creator_chat_id=None,
                language="id",
                include_late=False,
                progress=None,
            )
            reminder = await acks.request_acknowledgement(
                session, created.id, compose=_wording, reminder_at=now + timedelta(hours=3)
            )
        stored = time.perf_counter() - started
        async with factory() as session, session.begin():
            await session.execute(
                update(Delivery).where(Delivery.broadcast_id == created.id).values(status=DeliveryStatus.SENT)
            )
            await session.execute(
                update(Delivery)
                .where(Delivery.broadcast_id == created.id, Delivery.id % 10 < int(READ_SHARE * 10))
                .values(acknowledged_at=now)
            )
        async with factory() as session:
            kecamatan_id = await session.scalar(select(Member.kecamatan_id).order_by(Member.id).limit(1))
            pressers = list(
                (
                    await session.execute(
                        select(Delivery.member_id, Delivery.chat_id)
                        .where(Delivery.broadcast_id == created.id, Delivery.acknowledged_at.is_(None))
                        .limit(PRESSES)
                    )
                ).tuples()
            )
        assert kecamatan_id is not None and reminder is not None
        press_started = time.perf_counter()
        for member_id, chat_id in pressers:
            async with factory() as session, session.begin():
                await acks.acknowledge(session, created.id, member_id=member_id, chat_id=chat_id, now=now)
        press = (time.perf_counter() - press_started) / max(1, len(pressers))
        reminder_audience = Audience(unacknowledged_of=created.id)
        return [
            (f"store + deliveries for {created.recipients:,} (button, reminder)", stored, "-"),
            (
                "/rekap: attendance recap (regency)",
                await _median(factory, lambda s: attendance_recap(s, None)),
                "-",
            ),
            (
                "/rekap: latest read rate (regency)",
                await _median(factory, lambda s: acks.latest_acknowledged(s, REGENCY)),
                "recap + rate ≤ 0.5 s",
            ),
            (
                "📖 view: per kecamatan (regency)",
                await _median(factory, lambda s: acks.ack_overview(s, created.id, REGENCY)),
                "-",
            ),
            (
                "📖 view: one kecamatan, names per desa",
                await _median(factory, lambda s: acks.kecamatan_acks(s, created.id, kecamatan_id, REGENCY)),
                "-",
            ),
            (
                "reminder: who has not read it (count)",
                await _median(factory, lambda s: count_audience(s, reminder_audience, now=now, zone=ZONE)),
                "-",
            ),
            ("one press of Sudah dibaca (mean of 200)", press, "-"),
        ]
    finally:
        await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=150_000)
    parser.add_argument("--postgres", help="a PostgreSQL URL (postgresql+asyncpg://…) to measure as well")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        urls = {"sqlite": f"sqlite+aiosqlite:///{Path(folder) / 'acks.sqlite3'}"}
        if args.postgres:
            urls["postgresql"] = args.postgres
        for name, url in urls.items():
            rows = asyncio.run(measure(url, args.members))
            print(f"\n'Sudah dibaca' at {args.members:,} members — {name}")
            print(f"{'what':<52} {'seconds':>9}  goal")
            for what, seconds, goal in rows:
                print(f"{what:<52} {seconds:>9.3f}  {goal}")


if __name__ == "__main__":
    main()
