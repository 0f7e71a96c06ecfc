"""Figure 5: a national-scale rehearsal — a synthetic region list of ~1,500 kecamatan × 33 desa with 3 PPS
each (150,000 members by default) — roster and plan import, /rekap, and the idle memory of the running bot,
before and after its first /rekap chart."""

from __future__ import annotations

import asyncio
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, insert, select, text

from bench.host import SandboxHost
from bench.people import JADWAL, Interaction, drive, rekap_chart
from bench.report import Results
from bench.settings import Settings
from bench.world import (
    ACTOR,
    REPO_ROOT,
    WIB,
    WILAYAH_CSV,
    DatabaseTemplate,
    Person,
    config_toml,
    register,
)
from bot.attendance.recap import attendance_recap
from bot.broadcasts.audience import Audience, AudienceKind
from bot.broadcasts.compose import create_broadcast, start_broadcast
from bot.core.config import ENV_CONFIG, ENV_DATABASE_URL, ENV_TELEGRAM_TOKEN
from bot.core.db import SessionFactory, make_engine, make_session_factory, refresh_statistics
from bot.plan.parsing import parse_plan
from bot.plan.sessions import import_plan
from bot.roster.files import read_roster_file
from bot.roster.importer import import_roster
from bot.roster.synthetic import synthetic_roster, write_roster_csv
from bot.roster.wilayah import WilayahRow, import_wilayah, read_wilayah_file
from bot.sandbox import Sandbox, TelegramLimits
from models import (
    Broadcast,
    CheckIn,
    CheckInMethod,
    Coordinator,
    Delivery,
    DesaKind,
    Member,
    TelegramAccount,
    TrainingSession,
)

DESA_PER_KECAMATAN = 33
REGISTERED_SHARE = 0.8
PRESENT_SHARE = 0.6
REKAP_REPEATS = 5
START_TIMEOUT = 120.0
CHART_TIMEOUT = 300.0
"""A regency /rekap of ~1,000 kecamatan sends a file and draws a chart of ~1,000 bars: seconds, not minutes."""
CHECKED_IN_AT = datetime(2024, 6, 3, 7, 45, tzinfo=WIB)


def national_regions(members: int, seed: int) -> list[WilayahRow]:
    """~members / 99 kecamatan of 33 desa/kelurahan each, named after Lebak's (numbered, so unique)."""
    lebak = read_wilayah_file(WILAYAH_CSV)
    kecamatan_names = list(dict.fromkeys(row.kecamatan_name for row in lebak))
    desa_names = [row.desa_name for row in lebak]
    rng = random.Random(seed)
    count = max(1, round(members / (3 * DESA_PER_KECAMATAN)))
    rows: list[WilayahRow] = []
    for k in range(count):
        # Province.kabupaten.kecamatan, like the official codes (10 kecamatan per kabupaten, 99 per province).
        code = f"{11 + k // 990:02d}.{(k // 10) % 99 + 1:02d}.{k % 10 + 1:02d}"
        name = f"{kecamatan_names[k % len(kecamatan_names)]} {k // len(kecamatan_names) + 1}"
        for j in range(DESA_PER_KECAMATAN):
            rows.append(
                WilayahRow(
                    row=len(rows) + 2,
                    kecamatan_code=code,
                    kecamatan_name=name,
                    desa_code=f"{code}.{2001 + j}",
                    desa_name=f"{desa_names[rng.randrange(len(desa_names))]} {j + 1}",
                    kind=DesaKind.KELURAHAN if j % 15 == 14 else DesaKind.DESA,
                )
            )
    return rows


def national_plan(regions: list[WilayahRow], seed: int) -> str:
    """A plan file with one session per kecamatan (TOML, as coordinators write it)."""
    rng = random.Random(seed)
    lines = [
        "[plan]",
        'name = "Bimtek PPS nasional (sintetis, benchmark)"',
        "date = 2024-06-03",
        'timezone = "Asia/Jakarta"',
        "",
        "[session_defaults]",
        "starts = 08:00:00",
        "ends = 16:00:00",
        "checkin_opens = 07:00:00",
        "checkin_closes = 09:00:00",
        "radius_m = 300",
    ]
    for name in dict.fromkeys(row.kecamatan_name for row in regions):
        lines += [
            "",
            "[[session]]",
            f"kecamatan = {json.dumps(name)}",
            f"venue = {json.dumps('Aula Kantor Kecamatan ' + name)}",
            f"address = {json.dumps('Kantor Kecamatan ' + name)}",
            # Inside the plan checker's rough box, so it does not warn about a thousand venues.
            f"latitude = {rng.uniform(-7.0, -6.1):.4f}",
            f"longitude = {rng.uniform(105.9, 106.5):.4f}",
        ]
    return "\n".join(lines) + "\n"


@dataclass
class ScaleRun:
    """What one database measured."""

    members: int = 0
    kecamatan: int = 0
    desa: int = 0
    wilayah_import: float = 0.0
    roster_read: float = 0.0
    roster_import: float = 0.0
    plan_parse: float = 0.0
    plan_import: float = 0.0
    rekap: list[float] | None = None
    idle_rss_mb: float | None = None
    idle_hwm_mb: float | None = None
    bot_start: float | None = None
    chart_rss_mb: float | None = None
    chart_hwm_mb: float | None = None
    chart_answer: float | None = None
    storage: dict[str, dict[str, float]] | None = None


@dataclass(frozen=True)
class IdleMemory:
    """What `python -m bot run` held: after start-up and one /jadwal, then after its first /rekap chart."""

    rss_mb: float
    hwm_mb: float
    start_up: float
    after_chart_rss_mb: float
    after_chart_hwm_mb: float
    chart_answer: float


async def _timed(work: Awaitable[None]) -> float:
    started = time.perf_counter()
    await work
    return time.perf_counter() - started


async def _timed_transaction(factory: SessionFactory, action: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    async with factory() as session, session.begin():
        result = await action(session)
    return time.perf_counter() - started, result


async def _check_in_share(factory: SessionFactory) -> None:
    """Check-ins for 60 % of the members (not timed: /rekap needs something to count)."""
    async with factory() as session, session.begin():
        sessions = dict(
            (await session.execute(select(TrainingSession.kecamatan_id, TrainingSession.id))).tuples().all()
        )
        members = (await session.execute(select(Member.id, Member.kecamatan_id))).tuples().all()
        rows = [
            {
                "session_id": sessions[kecamatan_id],
                "member_id": member_id,
                "at": CHECKED_IN_AT,
                "method": CheckInMethod.CODE,
            }
            for member_id, kecamatan_id in members
            if member_id % 5 < PRESENT_SHARE * 5 and kecamatan_id in sessions
        ]
        if rows:
            await session.execute(insert(CheckIn), rows)


async def measure_database(url: str, settings: Settings, folder: Path) -> tuple[ScaleRun, Person]:
    """Region list, roster from a CSV file, plan, registrations and check-ins, then /rekap."""
    run = ScaleRun()
    regions = national_regions(settings.scale_members, settings.seed)
    run.kecamatan = len({row.kecamatan_code for row in regions})
    run.desa = len(regions)
    roster = synthetic_roster(regions, ppk_per_kecamatan=0, seed=settings.seed)
    run.members = len(roster)
    roster_file = folder / "roster.csv"
    await asyncio.to_thread(write_roster_csv, roster, roster_file)
    plan_text = national_plan(regions, settings.seed)

    engine = make_engine(url)
    factory = make_session_factory(engine)
    try:
        run.wilayah_import, _ = await _timed_transaction(
            factory, lambda s: import_wilayah(s, regions, actor=ACTOR, source_name="national.csv")
        )
        # As `python -m bot roster import FILE` does it: read the file (phones in mixed spellings), then
        # check and upsert every row in one transaction.
        started = time.perf_counter()
        rows = await asyncio.to_thread(read_roster_file, roster_file)
        run.roster_read = time.perf_counter() - started
        run.roster_import, _ = await _timed_transaction(
            factory, lambda s: import_roster(s, rows, actor=ACTOR, source_name=roster_file.name)
        )
        run.roster_import += await _timed(
            refresh_statistics(factory, Member.__tablename__)
        )  # as the CLI does
        started = time.perf_counter()
        document = parse_plan(plan_text, source="national.toml", default_zone=WIB)
        run.plan_parse = time.perf_counter() - started
        run.plan_import, _ = await _timed_transaction(
            factory, lambda s: import_plan(s, document, actor=ACTOR, source_name="national.toml")
        )
        run.plan_import += await _timed(refresh_statistics(factory, TrainingSession.__tablename__))
        people = await register(factory, int(run.members * REGISTERED_SHARE))
        await _check_in_share(factory)
        async with factory() as session, session.begin():
            # The first member is also a regency coordinator, so the same person can ask for /rekap.
            session.add(Coordinator(phone="+6281200000000", telegram_user_id=people[0].telegram_id))
        run.rekap = []
        for _ in range(REKAP_REPEATS):
            started = time.perf_counter()
            async with factory() as session:
                await attendance_recap(session, None)
            run.rekap.append(time.perf_counter() - started)
        if url.startswith("postgresql"):
            run.storage = await _storage(factory)
    finally:
        await engine.dispose()
    return run, people[0]


STORAGE_TABLES = {
    "member": Member,
    "telegram_account": TelegramAccount,
    "check_in": CheckIn,
    "delivery": Delivery,
}


async def _storage(factory: SessionFactory) -> dict[str, dict[str, float]]:
    """What PostgreSQL holds per row: one announcement to every registered PPS is started (its delivery rows
    written, as the scheduler does at send time), then per table its row count and pg_total_relation_size
    (heap, indexes and TOAST) after VACUUM ANALYZE."""
    now = CHECKED_IN_AT
    async with factory() as session, session.begin():
        broadcast_id = await create_broadcast(
            session,
            body_html="<b>Pengumuman</b>: Bimtek PPS dimulai pukul 08.00 WIB di aula kecamatan masing-masing.",
            media_kind=None,
            media_file_id=None,
            audience=Audience(kind=AudienceKind.PPS),
            send_at=now,
            now=now,
            created_by=None,
            creator_chat_id=None,
            language="id",
            include_late=False,
            progress=None,
        )
        await start_broadcast(session, broadcast_id, now=now, zone=WIB)
    sizes: dict[str, dict[str, float]] = {}
    async with factory() as session:
        connection = await session.connection()
        await connection.commit()
        raw = await connection.get_raw_connection()
        driver = raw.driver_connection
        assert driver is not None
        await driver.execute("VACUUM ANALYZE")  # outside a transaction: asyncpg runs it as given
        for table, model in STORAGE_TABLES.items():
            rows = await session.scalar(select(func.count()).select_from(model)) or 0
            size = await session.scalar(text(f"SELECT pg_total_relation_size('{table}')")) or 0
            sizes[table] = {"rows": rows, "bytes": size, "bytes_per_row": size / rows if rows else 0.0}
        database = await session.scalar(text("SELECT pg_database_size(current_database())")) or 0
        sizes["database"] = {"rows": 0, "bytes": database, "bytes_per_row": 0.0}
    # Gone again before the bot starts on this database (its outbox would send them all).
    async with factory() as session, session.begin():
        await session.execute(delete(Delivery))
        await session.execute(delete(Broadcast))
    return sizes


def _status_mb(pid: int) -> tuple[float, float]:
    """VmRSS and VmHWM (peak) of a process, in MB."""
    fields: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) / 1024
    return fields["VmRSS"], fields["VmHWM"]


async def idle_memory(url: str, person: Person, folder: Path) -> IdleMemory:
    """`python -m bot run` in a child process against the sandbox: started, one /jadwal answered, long
    polling again; then its VmRSS (and VmHWM) from /proc. Then the person (a regency coordinator too) asks
    for /rekap; once the chart has arrived and the bot long-polls again, its VmRSS once more."""
    async with SandboxHost(latency=0.0, limits=TelegramLimits(), people=1) as host:
        config = folder / "bot.toml"
        config.write_text(config_toml(host, url), encoding="utf-8")
        env = {
            k: v for k, v in os.environ.items() if k not in (ENV_CONFIG, ENV_DATABASE_URL, ENV_TELEGRAM_TOKEN)
        }
        log_path = folder / "bot-run.log"
        with log_path.open("wb") as log:
            started = time.perf_counter()
            child = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "run",
                "--config",
                str(config),
                cwd=REPO_ROOT,
                env=env,
                stdout=log,
                stderr=log,
            )
            try:

                async def polling(sandbox: Sandbox) -> None:
                    await sandbox.wait_polling(timeout=START_TIMEOUT)

                await host.call(polling)
                startup = time.perf_counter() - started
                [answer] = await host.call(drive([Interaction(person, JADWAL, 0.0)], 30.0))
                if answer.latency is None:
                    raise RuntimeError(f"the bot did not answer /jadwal: {answer.problem}")
                await host.call(polling)
                rss, hwm = _status_mb(child.pid)
                chart = await host.call(rekap_chart(person, CHART_TIMEOUT))
                if chart.latency is None:
                    raise RuntimeError(f"the bot did not send the /rekap chart: {chart.problem}")
                await host.call(polling)
                after_rss, after_hwm = _status_mb(child.pid)
            except BaseException as error:
                tail = log_path.read_text(errors="replace")[-2000:]
                raise RuntimeError(f"`python -m bot run` failed; its log ends:\n{tail}") from error
            finally:
                if child.returncode is None:
                    child.terminate()
                    try:
                        await asyncio.wait_for(child.wait(), 30)
                    except TimeoutError:
                        child.kill()
                        await child.wait()
    return IdleMemory(rss, hwm, startup, after_rss, after_hwm, chart.latency)


async def figure_scale(results: Results, settings: Settings, databases: list[str]) -> None:
    """Per database: a fresh, migrated database, the imports, /rekap, then the bot's idle memory on it."""
    for db in databases:
        settings.progress(f"figure 5: {settings.scale_members:,} members on {db}")
        folder = settings.workdir / f"scale-{db}"
        folder.mkdir(parents=True, exist_ok=True)
        template = await DatabaseTemplate.create(
            db, "scale", workdir=folder, postgres_url=settings.postgres_url
        )
        try:
            run, person = await measure_database(template.url, settings, folder)
            settings.progress(f"figure 5: idle memory of `python -m bot run` on {db}")
            memory = await idle_memory(template.url, person, folder)
            run.idle_rss_mb, run.idle_hwm_mb, run.bot_start = memory.rss_mb, memory.hwm_mb, memory.start_up
            run.chart_rss_mb, run.chart_hwm_mb = memory.after_chart_rss_mb, memory.after_chart_hwm_mb
            run.chart_answer = memory.chart_answer
        finally:
            await template.drop()
        prefix = f"scale.{db}"
        size = f"{run.members:,} PPS in {run.desa:,} desa of {run.kecamatan:,} kecamatan"
        results.set(
            f"{prefix}.roster_import",
            ours=run.roster_read + run.roster_import,
            note=f"{size}: reading the CSV file + checking and upserting every row + commit, as "
            "`roster import FILE`",
            details={
                "read_s": run.roster_read,
                "import_roster_s": run.roster_import,
                "wilayah_import_s": run.wilayah_import,
            },
        )
        results.set(
            f"{prefix}.plan_import",
            ours=run.plan_parse + run.plan_import,
            note=f"{run.kecamatan:,} sessions: parse_plan + import_plan + commit",
            details={"parse_s": run.plan_parse, "import_plan_s": run.plan_import},
        )
        assert run.rekap is not None
        results.set(
            f"{prefix}.rekap",
            ours=statistics.median(run.rekap),
            note=f"attendance_recap for the whole scope, median of {REKAP_REPEATS} "
            f"({REGISTERED_SHARE:.0%} registered, {PRESENT_SHARE:.0%} checked in)",
            details={"runs_s": run.rekap},
        )
        if run.storage is not None:
            storage = run.storage
            member_bytes = sum(storage[t]["bytes"] for t in ("member", "telegram_account", "check_in"))
            results.set(
                f"{prefix}.bytes_per_member",
                ours=member_bytes / run.members,
                note="pg_total_relation_size (heap + indexes + TOAST, after VACUUM ANALYZE) of member, "
                f"telegram_account and check_in over {run.members:,} members ({REGISTERED_SHARE:.0%} registered, "
                f"{PRESENT_SHARE:.0%} checked in)",
                details={"tables": storage},
            )
            deliveries = storage["delivery"]
            results.set(
                f"{prefix}.bytes_per_delivery",
                ours=deliveries["bytes_per_row"],
                note=f"pg_total_relation_size('delivery') / its {int(deliveries['rows']):,} rows: one announcement "
                "to every registered PPS, started (rows written), not yet sent",
            )
        results.set(
            f"{prefix}.idle_rss",
            ours=run.idle_rss_mb,
            note="VmRSS of `python -m bot run` (a child process) after start-up and one /jadwal, long polling "
            "again; no GC forced (it cannot be from outside; the bot's own GC runs as usual)",
            details={"peak_rss_mb": run.idle_hwm_mb, "start_up_s": run.bot_start},
        )
        results.set(
            f"{prefix}.idle_rss_after_chart",
            ours=run.chart_rss_mb,
            note="VmRSS of the same process after a regency /rekap (its text, then the chart of "
            f"{run.kecamatan:,} kecamatan as a photo), long polling again; no GC forced",
            details={"peak_rss_mb": run.chart_hwm_mb, "rekap_to_chart_s": run.chart_answer},
        )
