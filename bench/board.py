"""The live board's cost at Lebak size: one /board/api/board computation for the KPU and for a PPK.

`python -m bench.board [--postgres URL]`: Lebak's 28 kecamatan and 345 desa, 1,175 people, the example plan
(28 venues, the program, the duties), 60 % of the PPS checked in; then the board is computed REPEATS times
per scope on SQLite (and PostgreSQL when a URL is given), printing the median and p95 time and the number
of SQL statements. The goal (DESIGN.md §6 has none for the board): a few statements and a few tens of ms,
so screens refreshing every 5 s cost nothing worth noticing.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import random
import statistics
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event, insert, make_url, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bench.world import WIB
from bot.board.snapshot import Viewer, board_snapshot
from bot.cli.plan import plan_import
from bot.cli.plan_sections import plan_sections
from bot.core.db import make_engine, make_session_factory, upgrade_to_head
from bot.core.scope import REGENCY, CoordinatorScope
from bot.data import LEBAK_WILAYAH_CSV
from bot.plan.parsing import read_plan_file
from bot.plans import EXAMPLE_PLAN
from bot.rehearsal.world import before_the_day
from bot.roster.importer import import_roster
from bot.roster.synthetic import synthetic_roster
from bot.roster.wilayah import import_wilayah, read_wilayah_file
from handlers.duties.wording import DUTY_WORDING
from models import CheckIn, CheckInMethod, Kecamatan, Member, Position, TrainingSession

REPEATS = 50
PRESENT_SHARE = 0.6
AT = datetime(2024, 6, 3, 8, 30, tzinfo=WIB)


async def _world(engine: AsyncEngine) -> None:
    await upgrade_to_head(engine)
    factory = make_session_factory(engine)
    wilayah = read_wilayah_file(LEBAK_WILAYAH_CSV)
    async with factory() as session, session.begin():
        await import_wilayah(session, wilayah, actor="bench", source_name="lebak")
        await import_roster(session, synthetic_roster(wilayah, seed=1), actor="bench", source_name="roster")
    imported_at = before_the_day(read_plan_file(EXAMPLE_PLAN), WIB)
    out = io.StringIO()
    failed = await plan_import(
        factory,
        EXAMPLE_PLAN,
        language="en",
        zone=WIB,
        out=out,
        sections=plan_sections(lambda: imported_at, duty_wording=DUTY_WORDING),
    )
    assert not failed, out.getvalue()
    rng = random.Random(1)
    async with factory() as session, session.begin():
        sessions = dict(
            (await session.execute(select(TrainingSession.kecamatan_id, TrainingSession.id))).tuples().all()
        )
        pps = (
            await session.execute(
                select(Member.id, Member.kecamatan_id).where(Member.position != Position.PPK)
            )
        ).tuples()
        rows = [
            {
                "session_id": sessions[kecamatan_id],
                "member_id": member_id,
                "at": datetime(2024, 6, 3, 7, 0, tzinfo=WIB) + timedelta(seconds=rng.randrange(5400)),
                "method": CheckInMethod.QR,
            }
            for member_id, kecamatan_id in pps
            if kecamatan_id in sessions and rng.random() < PRESENT_SHARE
        ]
        await session.execute(insert(CheckIn), rows)


async def _measure(engine: AsyncEngine, label: str) -> list[str]:
    factory = make_session_factory(engine)
    statements = 0

    def count(*_: Any) -> None:
        nonlocal statements
        statements += 1

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    async with factory() as session:
        kecamatan = (await session.execute(select(Kecamatan.id, Kecamatan.name).limit(1))).one()
    lines = []
    for who, scope in (("KPU (28 kecamatan)", REGENCY), ("PPK (1 kecamatan)", CoordinatorScope(*kecamatan))):
        viewer = Viewer("bench", scope)
        times = []
        for _ in range(REPEATS):
            statements = 0
            started = time.perf_counter()
            async with factory() as session, session.begin():
                board = await board_snapshot(session, viewer, now=AT, zone=WIB)
            times.append((time.perf_counter() - started) * 1000)
        p95 = statistics.quantiles(times, n=20)[18]
        lines.append(
            f"| {label:<10} | {who:<18} | {statistics.median(times):7.1f} | {p95:7.1f} | {statements:10d} |"
            f" {board['totals']['present']:>4}/{board['totals']['roster']:<4} |"
        )
    return lines


async def _sqlite() -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite+aiosqlite:///{Path(folder) / 'board.sqlite3'}")
        try:
            await _world(engine)
            return await _measure(engine, "SQLite")
        finally:
            await engine.dispose()


async def _postgres(url: str) -> list[str]:
    name = f"ppsbot_bench_board_{uuid.uuid4().hex[:8]}"
    admin = create_async_engine(url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(make_url(url).set(database=name).render_as_string(hide_password=False))
    try:
        await _world(engine)
        return await _measure(engine, "PostgreSQL")
    finally:
        await engine.dispose()
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


async def _main(postgres: str | None) -> None:
    lines = await _sqlite()
    if postgres:
        lines += await _postgres(postgres)
    print(f"Board JSON at Lebak size ({REPEATS} runs each, 60 % of 1,035 PPS checked in), times in ms")
    print("| database   | viewer             |  median |     p95 | statements | present |")
    print("|------------|--------------------|---------|---------|------------|---------|")
    for line in lines:
        print(line)


def main() -> None:
    """Parse the arguments and print the table."""
    parser = argparse.ArgumentParser(prog="python -m bench.board", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--postgres", help="a PostgreSQL URL to measure there too (a scratch database is made)"
    )
    asyncio.run(_main(parser.parse_args().postgres))


if __name__ == "__main__":
    main()
