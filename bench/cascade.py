"""The cascade's reads on Lebak with its next level (14,490 people, 42 per desa): `/kaskade`, a PPS's `/rekap`,
and the KPU's `/rekap` (which must keep counting the PPS only). Run alone, on a fresh database:

    .venv/bin/python -m bench.cascade [DATABASE_URL]     (default: a temporary SQLite file)

It prints the best and median of five runs of each read. Not part of `python -m bench` (no goal in DESIGN §6;
the 150,000-member `/rekap` goal is the scale benchmark's).
"""

import asyncio
import secrets
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.attendance.recap import attendance_recap
from bot.cascade.recap import cascade_progress, desa_recap
from bot.core.db import make_engine, make_session_factory, upgrade_to_head
from bot.core.scope import REGENCY, DesaScope
from bot.data import LEBAK_WILAYAH_CSV
from bot.roster.importer import import_roster
from bot.roster.synthetic import synthetic_roster
from bot.roster.wilayah import import_wilayah, read_wilayah_file
from models import CascadeMember, CascadeRole, CheckIn, CheckInMethod, Desa, Member, Position, TrainingSession

PER_DESA = 42  # Lebak's ~14,400 KPPS over 345 desa
SCHEDULED_DESA = 200
NOW = datetime(2024, 6, 20, tzinfo=UTC)


async def _world(url: str) -> tuple[Callable[[], AsyncSession], DesaScope]:
    engine = make_engine(url)
    await upgrade_to_head(engine)
    factory = make_session_factory(engine)
    wilayah = read_wilayah_file(LEBAK_WILAYAH_CSV)
    async with factory() as session, session.begin():
        await import_wilayah(session, wilayah, actor="bench", source_name="lebak")
        await import_roster(session, synthetic_roster(wilayah, seed=1), actor="bench", source_name="roster")
    async with factory() as session, session.begin():
        desa = (await session.execute(select(Desa.id, Desa.kecamatan_id).order_by(Desa.id))).tuples().all()
        people = [
            {
                "name": f"P{n}",
                "position": Position.KPPS,
                "kecamatan_id": kecamatan_id,
                "desa_id": desa_id,
                "phone": f"+62819{n:08d}",
                "active": True,
                "created_at": NOW,
                "updated_at": NOW,
            }
            for n, (desa_id, kecamatan_id) in enumerate(
                ((d, k) for d, k in desa for _ in range(PER_DESA)), start=1
            )
        ]
        await session.execute(insert(Member), people)
        rows = (
            (
                await session.execute(
                    select(Member.id, Member.desa_id, Member.kecamatan_id).where(
                        Member.position == Position.KPPS
                    )
                )
            )
            .tuples()
            .all()
        )
        await session.execute(
            insert(CascadeMember),
            [
                {
                    "member_id": member_id,
                    "desa_id": desa_id,
                    "kecamatan_id": kecamatan_id,
                    "role": CascadeRole.PANTARLIH if i % 6 == 0 else CascadeRole.KPPS,
                    "name": "x",
                    "tps": "001",
                    "active": True,
                    "created_at": NOW,
                    "updated_at": NOW,
                }
                for i, (member_id, desa_id, kecamatan_id) in enumerate(rows)
            ],
        )
        pantarlih: dict[int, list[int]] = {}
        for i, (member_id, desa_id, _) in enumerate(rows):
            if i % 6 == 0 and desa_id is not None:
                pantarlih.setdefault(desa_id, []).append(member_id)
        for desa_id, kecamatan_id in desa[:SCHEDULED_DESA]:
            start = NOW - timedelta(days=2)
            training = TrainingSession(
                kecamatan_id=kecamatan_id,
                desa_id=desa_id,
                level="pantarlih",
                venue="Balai Desa",
                address="",
                latitude=0.0,
                longitude=0.0,
                starts_at=start,
                ends_at=start + timedelta(hours=3),
                checkin_opens_at=start - timedelta(minutes=30),
                checkin_closes_at=start + timedelta(hours=3),
                secret=secrets.token_hex(32),
            )
            session.add(training)
            await session.flush()
            await session.execute(
                insert(CheckIn),
                [
                    {"session_id": training.id, "member_id": m, "at": start, "method": CheckInMethod.QR}
                    for m in pantarlih.get(desa_id, [])[:5]
                ],
            )
    return factory, DesaScope(desa[0][0], "", desa[0][1], "")


async def main(url: str) -> None:
    factory, scope = await _world(url)
    reads: list[tuple[str, Callable[[AsyncSession], Awaitable[object]]]] = [
        (
            "/kaskade (KPU, 345 desa)",
            lambda s: cascade_progress(s, REGENCY, level=CascadeRole.PANTARLIH, now=NOW),
        ),
        ("/rekap of a PPS (one desa)", lambda s: desa_recap(s, scope)),
        ("/rekap of the KPU (1,035 PPS)", lambda s: attendance_recap(s, None)),
    ]
    print(
        f"database: {url.split(':')[0]}; {PER_DESA * 345:,} next-level people, {SCHEDULED_DESA} desa sessions"
    )
    for name, read in reads:
        times = []
        for _ in range(5):
            async with factory() as session:
                started = time.perf_counter()
                await read(session)
                times.append(time.perf_counter() - started)
        times.sort()
        print(f"{name:32} best {times[0] * 1000:7.1f} ms   median {times[2] * 1000:7.1f} ms")


if __name__ == "__main__":
    target = (
        sys.argv[1]
        if len(sys.argv) > 1
        else f"sqlite+aiosqlite:///{Path(tempfile.mkdtemp()) / 'cascade.sqlite3'}"
    )
    asyncio.run(main(target))
