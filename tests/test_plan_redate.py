"""A past plan: `plan import` refuses a plan whose day is over, `--on DATE` moves every time by whole days,
`--past` stores it as written; on SQLite and PostgreSQL, and through the real command line."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from conftest import WILAYAH_CSV
from helpers import bot_cli
from sqlalchemy import func, select

from bot.cli.plan import plan_import, plan_show
from bot.cli.plan_sections import plan_sections
from bot.core.db import SessionFactory
from bot.plan.parsing import parse_plan
from bot.plans import EXAMPLE_PLAN
from handlers.duties.wording import DUTY_WORDING
from models import AuditLog, Broadcast, BroadcastStatus, Duty, TrainingSession
from tests.factories import import_lebak_wilayah

WIB = ZoneInfo("Asia/Jakarta")
WRITTEN_DAY = date(2024, 6, 3)
NEW_DAY = date(2026, 12, 14)
MOVED = NEW_DAY - WRITTEN_DAY  # 924 days
NOW = datetime(2026, 6, 1, 9, 0, tzinfo=WIB)  # the day the coordinator imports last year's plan
EXAMPLE = EXAMPLE_PLAN.read_text(encoding="utf-8")


async def _import(
    factory: SessionFactory,
    *,
    on: date | None = None,
    past: bool = False,
    language: str = "id",
    path: Path = EXAMPLE_PLAN,
) -> tuple[int, list[str]]:
    out = io.StringIO()
    code = await plan_import(
        factory,
        path,
        language=language,
        zone=WIB,
        out=out,
        sections=plan_sections(lambda: NOW, duty_wording=DUTY_WORDING),
        on=on,
        past=past,
        now=NOW,
    )
    return code, out.getvalue().splitlines()


def _wib(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC).astimezone(WIB) if moment.tzinfo is None else moment.astimezone(WIB)


# --- Parsing ---------------------------------------------------------------------------------------------


def test_on_moves_every_kind_of_time_by_whole_days_keeping_the_time_of_day() -> None:
    text = EXAMPLE.replace(
        '[[announcement]]\nname = "malam-sebelum"',
        '[[announcement]]\nname = "rapat-absolut"\naudience = "ppk"\nat = 2024-06-02T13:00:00\n'
        'text = "Rapat PPK"\n\n[[announcement]]\nname = "rapat-offset"\naudience = "ppk"\n'
        'at = 2024-06-02T09:00:00Z\ntext = "Rapat PPK (UTC)"\n\n[[announcement]]\nname = "malam-sebelum"',
        1,
    )
    written = parse_plan(text, source="p", default_zone=WIB, sections=plan_sections(lambda: NOW))
    moved = parse_plan(text, source="p", default_zone=WIB, sections=plan_sections(lambda: NOW), on=NEW_DAY)

    assert (moved.date, moved.written_date, moved.moved_days) == (NEW_DAY, WRITTEN_DAY, MOVED.days)
    for before, after in zip(written.sessions, moved.sessions, strict=True):
        for field in ("starts_at", "ends_at", "checkin_opens_at", "checkin_closes_at"):
            assert getattr(after, field) - getattr(before, field) == MOVED, field
    first = moved.sessions[0]
    assert _wib(first.starts_at) == datetime(2026, 12, 14, 8, 0, tzinfo=WIB)
    assert _wib(first.checkin_opens_at) == datetime(2026, 12, 14, 7, 0, tzinfo=WIB)

    absolute = {item.name: item.at for item in moved.items["announcement"] if item.name.startswith("rapat")}
    assert _wib(absolute["rapat-absolut"].moment) == datetime(2026, 12, 13, 13, 0, tzinfo=WIB)
    # An explicit offset is moved on the zone's clock too: 09:00Z = 16:00 WIB, the day before the new day.
    assert _wib(absolute["rapat-offset"].moment) == datetime(2026, 12, 13, 16, 0, tzinfo=WIB)

    dues = {duty.key: _wib(duty.due_at) for duty in moved.items["duty"]}
    assert dues["pantarlih-tetapkan"] == datetime(2026, 12, 25, 23, 59, tzinfo=WIB)  # 2024-06-14 + 924 days
    assert dues["bentuk-kpps"] == datetime(2027, 5, 18, 23, 59, tzinfo=WIB)  # 2024-11-05 + 924 days
    assert [w.code for w in moved.warnings] == [w.code for w in written.warnings]


def test_without_on_nothing_moves() -> None:
    document = parse_plan(EXAMPLE, source="p", default_zone=WIB, sections=plan_sections(lambda: NOW))
    assert (document.date, document.written_date, document.moved_days) == (WRITTEN_DAY, None, 0)


# --- Importing, on both databases ------------------------------------------------------------------------


async def test_a_past_plan_is_refused_in_one_line_naming_the_day(session_factory: SessionFactory) -> None:
    await import_lebak_wilayah(session_factory)
    code, lines = await _import(session_factory)
    assert code == 1
    assert lines == [
        "Rencana di lebak_bimtek_2024.toml untuk hari Senin, 3 Juni 2024, yang sudah lewat; tidak ada yang "
        "disimpan. Pindahkan ke hari Bimtek yang baru dengan --on TANGGAL (mis. --on 2026-06-08), atau "
        "simpan apa adanya dengan --past."
    ]
    code, lines = await _import(session_factory, language="en")
    assert code == 1
    assert lines[0].startswith(
        "The plan in lebak_bimtek_2024.toml is for Monday, 3 June 2024, which is over;"
    )
    async with session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(TrainingSession)) == 0
        assert await session.scalar(select(func.count()).select_from(Broadcast)) == 0
        assert await session.scalar(select(func.count()).select_from(Duty)) == 0


async def test_on_schedules_the_program_on_the_new_day(session_factory: SessionFactory) -> None:
    await import_lebak_wilayah(session_factory)
    code, lines = await _import(session_factory, on=NEW_DAY)
    assert code == 0, lines
    assert lines[0].startswith(
        "Rencana „Bimtek PPS Pilkada 2024 — KPU Kabupaten Lebak” (lebak_bimtek_2024.toml) "
        "diimpor: Bimtek Senin, 14 Desember 2026, 28 sesi"
    )
    assert lines[1] == (
        "Rencana dipindahkan dari Senin, 3 Juni 2024 ke Senin, 14 Desember 2026 (924 hari); jam dan zonanya tetap."
    )
    assert (
        "Program: 5 pengumuman — 5 jadwal kirim baru, 0 diubah, 0 tidak berubah, 0 dihapus, 0 sudah lewat."
        in lines
    )

    async with session_factory() as session:
        starts = set(
            (
                await session.scalars(
                    select(TrainingSession.starts_at).where(TrainingSession.desa_id.is_(None))
                )
            ).all()
        )
        program = {
            key.split(":")[1]: _wib(send_at)
            for key, send_at, status in (
                await session.execute(
                    select(Broadcast.program_key, Broadcast.send_at, Broadcast.status).where(
                        Broadcast.program_key.is_not(None)
                    )
                )
            ).tuples()
            if status is BroadcastStatus.SCHEDULED and key is not None
        }
        reminders = (
            await session.scalars(select(Broadcast.send_at).where(Broadcast.duty_id.is_not(None)))
        ).all()
        dues = dict((await session.execute(select(Duty.plan_key, Duty.due_at))).tuples().all())
        audit = await session.scalar(select(AuditLog.detail).where(AuditLog.action == "plan.import"))
    assert {_wib(moment) for moment in starts} == {datetime(2026, 12, 14, 8, 0, tzinfo=WIB)}
    assert program == {
        "malam-sebelum": datetime(2026, 12, 13, 18, 0, tzinfo=WIB),
        "apel-pagi": datetime(2026, 12, 14, 6, 30, tzinfo=WIB),
        "presensi-dibuka": datetime(2026, 12, 14, 7, 0, tzinfo=WIB),
        "pengingat-presensi": datetime(2026, 12, 14, 8, 30, tzinfo=WIB),
        "penutupan": datetime(2026, 12, 14, 16, 0, tzinfo=WIB),
    }
    # Every reminder the file asks for (19 for its 5 duties) is scheduled, none before the import.
    assert len(dues) == 5 and len(reminders) == 19 and min(_wib(r) for r in reminders) > NOW
    assert _wib(dues["pantarlih-tetapkan"]) == datetime(2026, 12, 25, 23, 59, tzinfo=WIB)
    assert audit is not None and audit["moved_from"] == "2024-06-03" and audit["date"] == "2026-12-14"

    out = io.StringIO()
    sections = plan_sections(duty_wording=DUTY_WORDING)
    assert await plan_show(session_factory, language="id", zone=WIB, out=out, sections=sections) == 0
    # The timeline's days are the new ones (the evening before first); a text that names a date in its
    # words, like a duty title "(24 Juni – 24 Juli 2024)", is the coordinator's to edit.
    days = [line for line in out.getvalue().splitlines() if line[:1].isalpha() and line.count(",") == 1]
    assert days[:2] == ["Minggu, 13 Desember 2026", "Senin, 14 Desember 2026"]
    assert not [day for day in days if "2024" in day]


async def test_on_a_day_that_is_over_too_is_refused(session_factory: SessionFactory) -> None:
    await import_lebak_wilayah(session_factory)
    code, lines = await _import(session_factory, on=date(2025, 6, 2))
    assert code == 1
    assert lines[0].startswith(
        "Rencana di lebak_bimtek_2024.toml untuk hari Senin, 2 Juni 2025, yang sudah lewat;"
    )


async def test_past_stores_the_plan_as_written(session_factory: SessionFactory) -> None:
    await import_lebak_wilayah(session_factory)
    code, lines = await _import(session_factory, past=True)
    assert code == 0, lines
    assert "diimpor: Bimtek Senin, 3 Juni 2024" in lines[0]
    assert not any(line.startswith("Rencana dipindahkan") for line in lines)
    async with session_factory() as session:
        starts = set(
            (
                await session.scalars(
                    select(TrainingSession.starts_at).where(TrainingSession.desa_id.is_(None))
                )
            ).all()
        )
        scheduled = await session.scalar(
            select(func.count()).select_from(Broadcast).where(Broadcast.status == BroadcastStatus.SCHEDULED)
        )
    assert {_wib(moment).date() for moment in starts} == {WRITTEN_DAY}
    assert scheduled == 0  # every moment of 2024 has passed: nothing is sent


# --- The command line ------------------------------------------------------------------------------------


async def test_the_command_line_refuses_the_2024_plan_and_imports_it_with_on(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[database]\nurl = "sqlite+aiosqlite:///{tmp_path / "bot.sqlite3"}"\n', encoding="utf-8"
    )
    code, output = await bot_cli("wilayah", "import", str(WILAYAH_CSV), config=config)
    assert code == 0, output

    code, output = await bot_cli("plan", "import", str(EXAMPLE_PLAN), config=config)
    assert code == 1, output
    [line] = [line for line in output.splitlines() if "lebak_bimtek_2024.toml" in line]
    assert "Senin, 3 Juni 2024" in line and "--on" in line

    day = (datetime.now(WIB) + timedelta(days=30)).date()
    code, output = await bot_cli("plan", "import", str(EXAMPLE_PLAN), "--on", day.isoformat(), config=config)
    assert code == 0, output
    assert "Rencana dipindahkan dari Senin, 3 Juni 2024" in output

    code, output = await bot_cli("plan", "import", str(EXAMPLE_PLAN), "--on", "14-12-2026", config=config)
    assert code == 2
    assert "'14-12-2026' is not a date like 2026-12-14" in output
