"""The training plan: the example file, all-or-nothing checks with places, upserts that keep secrets, the CLI."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo

import pytest
from conftest import WILAYAH_CSV
from sqlalchemy import func, select

from bot.cli.plan import plan_import, plan_show
from bot.core.db import SessionFactory
from bot.core.problems import Problem
from bot.plan.document import PlanDocument, SectionOutcome
from bot.plan.parsing import parse_plan, read_plan_file
from bot.plan.problems import PlanErrorCode, PlanRejected, PlanWarningCode
from bot.plan.reader import EntryReader
from bot.plan.sessions import PlanSummary, check_kecamatan_names, import_plan
from bot.plan.views import SessionView, list_sessions
from bot.plans import EXAMPLE_PLAN
from bot.roster.importer import import_roster
from bot.roster.synthetic import synthetic_roster
from bot.roster.wilayah import import_wilayah, read_wilayah_file
from bot.texts import placeholders, plan_en, plan_id
from models import AuditLog, CheckIn, CheckInMethod, Kecamatan, Member, TrainingSession

WIB = ZoneInfo("Asia/Jakarta")
# The sessions part of the example plan; its program and duties are tested with their own sections.
EXAMPLE = EXAMPLE_PLAN.read_text(encoding="utf-8").split("\n[[announcement]]", 1)[0]
LEBAK_KECAMATAN = 28
PPK_PER_KECAMATAN = 5


# --- Helpers -------------------------------------------------------------------------------------------


def lebak_region_kecamatan() -> list[str]:
    rows = read_wilayah_file(WILAYAH_CSV)
    return list(dict.fromkeys(row.kecamatan_name for row in rows))


def desa_count(kecamatan: str) -> int:
    return sum(1 for row in read_wilayah_file(WILAYAH_CSV) if row.kecamatan_name == kecamatan)


async def import_region(factory: SessionFactory) -> None:
    async with factory() as session, session.begin():
        await import_wilayah(
            session, read_wilayah_file(WILAYAH_CSV), actor="test", source_name=WILAYAH_CSV.name
        )


async def import_members(factory: SessionFactory) -> None:
    """The synthetic Lebak roster: 3 PPS per desa and 5 PPK per kecamatan."""
    rows = synthetic_roster(read_wilayah_file(WILAYAH_CSV))
    async with factory() as session, session.begin():
        await import_roster(session, rows, actor="test", source_name="roster.csv")


async def import_text(factory: SessionFactory, text: str) -> PlanSummary:
    """Parse and import a plan in one transaction, as the command line does."""
    document = parse_plan(text, source="plan.toml")
    async with factory() as session, session.begin():
        return await import_plan(session, document, actor="test", source_name="plan.toml")


async def sessions(factory: SessionFactory) -> list[SessionView]:
    async with factory() as session:
        return await list_sessions(session)


async def secrets_by_kecamatan(factory: SessionFactory) -> dict[int, tuple[int, str]]:
    async with factory() as session:
        rows = await session.execute(
            select(TrainingSession.kecamatan_id, TrainingSession.id, TrainingSession.secret)
        )
        return {kecamatan_id: (session_id, secret) for kecamatan_id, session_id, secret in rows.tuples()}


async def count(factory: SessionFactory, model: type[TrainingSession] | type[AuditLog]) -> int:
    async with factory() as session:
        return await session.scalar(select(func.count()).select_from(model)) or 0


def in_session(kecamatan: str, lines: str) -> Callable[[str], str]:
    """An edit of the example: extra keys in the kecamatan's [[session]] (after its kecamatan line)."""
    anchor = f'kecamatan = "{kecamatan}"\n'

    def edit(text: str) -> str:
        assert text.count(anchor) == 1
        return text.replace(anchor, anchor + lines.strip() + "\n")

    return edit


def replace_once(old: str, new: str) -> Callable[[str], str]:
    """An edit of the example: one exact piece of it replaced."""

    def edit(text: str) -> str:
        assert text.count(old) == 1, old
        return text.replace(old, new)

    return edit


def without_session(kecamatan: str) -> Callable[[str], str]:
    """An edit of the example: the kecamatan's [[session]] removed."""

    def edit(text: str) -> str:
        pattern = re.compile(r'\n\[\[session\]\]\nkecamatan = "' + kecamatan + r'"\n(?:[^\n\[]+\n)*')
        edited, found = pattern.subn("\n", text)
        assert found == 1
        return edited

    return edit


def whole(text: str) -> Callable[[str], str]:
    return lambda _: text


def line_of(text: str, piece: str) -> int:
    return text[: text.index(piece)].count("\n") + 1


def codes(issues: Sequence[Problem]) -> list[str]:
    return [issue.code for issue in issues]


async def run_import(factory: SessionFactory, path: Path, *, language: str = "id") -> tuple[int, str]:
    out = io.StringIO()
    code = await plan_import(factory, path, language=language, zone=WIB, out=out)
    return code, out.getvalue()


async def run_show(factory: SessionFactory, *, language: str = "id") -> tuple[int, str]:
    out = io.StringIO()
    code = await plan_show(factory, language=language, zone=WIB, out=out)
    return code, out.getvalue()


def dots(number: int) -> str:
    """A count as Indonesian writes it (1.175)."""
    return f"{number:,}".replace(",", ".")


def write(tmp_path: Path, text: str, name: str = "plan.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- The example plan ----------------------------------------------------------------------------------


def test_example_plan_has_every_kecamatan_of_the_region_list_spelled_the_same() -> None:
    document = parse_plan(EXAMPLE, source=EXAMPLE_PLAN.name)
    assert [spec.kecamatan for spec in document.sessions] == lebak_region_kecamatan()
    assert document.warnings == ()
    assert document.date.isoformat() == "2024-06-03"
    for spec in document.sessions:
        assert spec.venue == f"Aula Kantor Kecamatan {spec.kecamatan}"
        assert -7.0 <= spec.latitude <= -6.2 and 105.9 <= spec.longitude <= 106.5
        assert spec.radius_m == 300


async def test_example_plan_imports_28_sessions_in_utc(session_factory: SessionFactory) -> None:
    await import_region(session_factory)
    summary = await import_text(session_factory, EXAMPLE)
    assert (summary.sessions, summary.sessions_new, summary.sessions_updated, summary.sessions_unchanged) == (
        LEBAK_KECAMATAN,
        LEBAK_KECAMATAN,
        0,
        0,
    )
    assert summary.warnings == ()

    views = await sessions(session_factory)
    assert sorted(view.kecamatan for view in views) == sorted(lebak_region_kecamatan())
    for view in views:
        # 08:00 WIB is 01:00 UTC; what comes back from either database is timezone-aware UTC.
        assert view.starts_at.isoformat() == "2024-06-03T01:00:00+00:00"
        assert view.ends_at.isoformat() == "2024-06-03T09:00:00+00:00"
        assert view.checkin_opens_at.isoformat() == "2024-06-03T00:00:00+00:00"
        assert view.checkin_closes_at.isoformat() == "2024-06-03T02:00:00+00:00"
        assert view.starts_at.astimezone(WIB).strftime("%H:%M %Z") == "08:00 WIB"
        assert view.radius_m == 300
    malingping = next(view for view in views if view.kecamatan == "Malingping")
    assert (malingping.latitude, malingping.longitude) == (-6.77, 106.02)
    assert malingping.address == "Kantor Kecamatan Malingping, Kabupaten Lebak, Banten"

    secrets = [secret for _, secret in (await secrets_by_kecamatan(session_factory)).values()]
    assert len(set(secrets)) == LEBAK_KECAMATAN
    assert all(re.fullmatch(r"[0-9a-f]{64}", secret) for secret in secrets)
    async with session_factory() as session:
        audit = (await session.scalars(select(AuditLog).where(AuditLog.action == "plan.import"))).all()
    assert len(audit) == 1
    assert audit[0].detail["sessions_new"] == LEBAK_KECAMATAN
    assert audit[0].detail["file"] == "plan.toml"


async def test_reimport_changes_nothing_and_keeps_the_secrets(session_factory: SessionFactory) -> None:
    await import_region(session_factory)
    await import_text(session_factory, EXAMPLE)
    before = await secrets_by_kecamatan(session_factory)
    summary = await import_text(session_factory, EXAMPLE)
    assert (summary.sessions_new, summary.sessions_updated, summary.sessions_unchanged) == (
        0,
        0,
        LEBAK_KECAMATAN,
    )
    assert summary.sessions_removed == 0
    assert await secrets_by_kecamatan(session_factory) == before


async def test_an_edited_plan_updates_in_place(session_factory: SessionFactory) -> None:
    await import_region(session_factory)
    await import_text(session_factory, EXAMPLE)
    before = await secrets_by_kecamatan(session_factory)
    edited = in_session("Malingping", "starts = 08:30:00\nradius_m = 0\n")(EXAMPLE)
    edited = edited.replace('"Aula Kantor Kecamatan Bayah"', '"GOR Bayah"')
    summary = await import_text(session_factory, edited)
    assert (summary.sessions_new, summary.sessions_updated, summary.sessions_unchanged) == (
        0,
        2,
        LEBAK_KECAMATAN - 2,
    )
    assert await secrets_by_kecamatan(session_factory) == before  # same rows, same secrets
    views = {view.kecamatan: view for view in await sessions(session_factory)}
    assert views["Malingping"].starts_at.isoformat() == "2024-06-03T01:30:00+00:00"
    assert views["Malingping"].radius_m is None  # 0 = no location check
    assert views["Bayah"].venue == "GOR Bayah"
    assert views["Cibeber"].radius_m == 300


async def test_a_session_left_out_is_removed_unless_members_checked_in(
    session_factory: SessionFactory,
) -> None:
    await import_region(session_factory)
    await import_members(session_factory)
    await import_text(session_factory, EXAMPLE)
    ids = {view.kecamatan: view.id for view in await sessions(session_factory)}
    async with session_factory() as session, session.begin():
        member_id = await session.scalar(select(Member.id).limit(1))
        assert member_id is not None
        session.add(CheckIn(session_id=ids["Cibeber"], member_id=member_id, method=CheckInMethod.MANUAL))
        session.add(CheckIn(session_id=ids["Maja"], member_id=member_id, method=CheckInMethod.MANUAL))

    edited = without_session("Bayah")(without_session("Cibeber")(EXAMPLE))
    edited = edited.replace('"Aula Kantor Kecamatan Maja"', '"Aula Baru Maja"')
    summary = await import_text(session_factory, edited)
    assert (summary.sessions, summary.sessions_removed, summary.sessions_kept) == (LEBAK_KECAMATAN - 2, 1, 1)
    warnings = {(w.code, w.params.get("kecamatan")) for w in summary.warnings}
    assert warnings == {
        (PlanWarningCode.KEPT_WITH_CHECKINS, "Cibeber"),
        (PlanWarningCode.CHANGED_WITH_CHECKINS, "Maja"),
        (PlanWarningCode.MISSING_SESSION, "Bayah"),
    }
    names = {view.kecamatan for view in await sessions(session_factory)}
    assert "Bayah" not in names and "Cibeber" in names


# --- Warnings ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("with_roster", [True, False], ids=["roster", "no-roster"])
async def test_a_kecamatan_without_a_session_is_a_warning(
    session_factory: SessionFactory, with_roster: bool
) -> None:
    await import_region(session_factory)
    if with_roster:
        await import_members(session_factory)
    summary = await import_text(session_factory, without_session("Bayah")(EXAMPLE))
    assert summary.sessions_new == LEBAK_KECAMATAN - 1
    [warning] = summary.warnings
    if with_roster:
        assert warning.code == PlanWarningCode.MISSING_SESSION
        assert warning.params == {
            "kecamatan": "Bayah",
            "members": 3 * desa_count("Bayah") + PPK_PER_KECAMATAN,
        }
    else:
        assert warning.code == PlanWarningCode.MISSING_SESSION_NO_MEMBERS
        assert warning.params == {"kecamatan": "Bayah"}


def test_an_offset_of_another_zone_is_a_warning_and_means_that_instant() -> None:
    # 09:00 WITA (+08:00) is 08:00 WIB: the moment is right, but whoever wrote it may have meant 09:00 WIB.
    document = parse_plan(in_session("Malingping", "starts = 2024-06-03T09:00:00+08:00")(EXAMPLE), source="p")
    [warning] = document.warnings
    assert warning.code == PlanWarningCode.OFFSET_DIFFERS
    assert (warning.place.label, warning.place.key) == ("Malingping", "starts")
    assert warning.params["offset"] == "+08:00" and warning.params["zone_offset"] == "+07:00"
    assert warning.params["local"] == "2024-06-03 08:00"
    assert document.sessions[0].starts_at.isoformat() == "2024-06-03T01:00:00+00:00"


def test_utc_z_for_a_local_time_is_a_warning() -> None:
    # The same instants as the defaults (09:00 and 16:00 WIB), written in UTC.
    text = in_session("Malingping", "checkin_closes = 2024-06-03T02:00:00Z\nends = 2024-06-03T09:00:00Z")(
        EXAMPLE
    )
    document = parse_plan(text, source="p")
    assert codes(document.warnings) == [PlanWarningCode.OFFSET_DIFFERS, PlanWarningCode.OFFSET_DIFFERS]


def test_the_plan_zone_s_own_offset_and_local_datetimes_are_fine() -> None:
    text = in_session("Malingping", "starts = 2024-06-03T08:00:00+07:00\nends = 2024-06-03T16:00:00")(EXAMPLE)
    document = parse_plan(text, source="p")
    assert document.warnings == ()
    assert document.sessions[0].ends_at.isoformat() == "2024-06-03T09:00:00+00:00"


def test_a_plan_without_timezone_uses_the_configured_zone() -> None:
    text = EXAMPLE.replace('timezone = "Asia/Jakarta"', "")
    assert parse_plan(text, source="p").sessions[0].starts_at.isoformat() == "2024-06-03T01:00:00+00:00"
    makassar = parse_plan(text, source="p", default_zone=ZoneInfo("Asia/Makassar"))
    assert makassar.sessions[0].starts_at.isoformat() == "2024-06-03T00:00:00+00:00"


def test_a_venue_outside_lebak_is_a_warning() -> None:
    sign_lost = replace_once("latitude = -6.77\nlongitude = 106.02", "latitude = 6.77\nlongitude = 106.02")(
        EXAMPLE
    )
    [warning] = parse_plan(sign_lost, source="p").warnings
    assert warning.code == PlanWarningCode.OUTSIDE_AREA_SIGN
    assert warning.params == {"latitude": "6.77", "longitude": "106.02", "fixed": "-6.77"}
    jakarta = replace_once("latitude = -6.77\nlongitude = 106.02", "latitude = -6.2\nlongitude = 106.85")(
        EXAMPLE
    )
    [warning] = parse_plan(jakarta, source="p").warnings
    assert warning.code == PlanWarningCode.OUTSIDE_AREA
    assert warning.place.label == "Malingping"


def test_swapped_latitude_and_longitude_are_named_as_such() -> None:
    # Lebak's longitude (106) is no latitude at all, so a swap is an error, explained as a swap.
    swapped = replace_once("latitude = -6.77\nlongitude = 106.02", "latitude = 106.02\nlongitude = -6.77")(
        EXAMPLE
    )
    with pytest.raises(PlanRejected) as rejected:
        parse_plan(swapped, source="p")
    assert codes(rejected.value.errors) == [PlanErrorCode.COORDINATES_SWAPPED]


def test_odd_but_possible_times_are_warnings() -> None:
    text = in_session("Malingping", "checkin_opens = 04:00:00")(EXAMPLE)
    text = in_session(
        "Bayah",
        "starts = 2024-06-04T08:00:00\nends = 2024-06-04T16:00:00\n"
        "checkin_opens = 2024-06-04T07:00:00\ncheckin_closes = 2024-06-04T09:00:00",
    )(text)
    text = in_session("Cibeber", "ends = 2024-06-04T07:00:00")(text)
    document = parse_plan(text, source="p")
    assert [(w.code, w.place.label) for w in document.warnings] == [
        (PlanWarningCode.CHECKIN_OPENS_EARLY, "Malingping"),
        (PlanWarningCode.OTHER_DAY, "Bayah"),
        (PlanWarningCode.LONG_SESSION, "Cibeber"),
    ]


def test_announcements_and_duties_are_read_and_counted_but_not_applied_yet() -> None:
    text = (
        EXAMPLE + '\n[[announcement]]\nat = 2024-06-02T19:00:00\ntext = "Besok Bimtek"\n\n[[duty]]\nx = 1\n'
    )
    text += "\n[[announcement]]\nanything = true\n"
    document = parse_plan(text, source="p")
    assert {table: len(entries) for table, entries in document.entries.items()} == {
        "announcement": 2,
        "duty": 1,
        "desa_bimtek": 0,
    }
    assert document.entries["announcement"][0].values["text"] == "Besok Bimtek"
    assert [(w.code, w.params) for w in document.warnings] == [
        (PlanWarningCode.NOT_APPLIED, {"table": "announcement", "count": 2}),
        (PlanWarningCode.NOT_APPLIED, {"table": "duty", "count": 1}),
    ]


# --- Bad files: every kind of error, with its place, and nothing written -------------------------------

MINIMAL_HEAD = '[plan]\nname = "x"\ndate = 2024-06-03\n'
MINIMAL_SESSION = (
    '[[session]]\nkecamatan = "Maja"\nvenue = "Aula"\nlatitude = -6.34\nlongitude = 106.41\n'
    "starts = 08:00:00\nends = 16:00:00\ncheckin_opens = 07:00:00\ncheckin_closes = 09:00:00\n"
)


class BadCase(NamedTuple):
    id: str
    edit: Callable[[str], str]
    code: PlanErrorCode
    # The place as printed in Indonesian (then ": " and the message follow), or how the line begins.
    where: str | Callable[[str], str]


BAD_CASES = [
    BadCase(
        "syntax",
        replace_once("radius_m = 300\n", "radius_m = \n"),
        PlanErrorCode.SYNTAX,
        lambda t: f"baris {line_of(t, 'radius_m = ')}, kolom",
    ),
    BadCase(
        "time-without-seconds",
        replace_once("starts = 08:00:00", "starts = 08:00"),
        PlanErrorCode.TIME_WITHOUT_SECONDS,
        lambda t: f"baris {line_of(t, 'starts = 08:00')}, kolom",
    ),
    BadCase("unknown-table", lambda t: t + "\n[extra]\nx = 1\n", PlanErrorCode.UNKNOWN_TABLE, "[extra]"),
    BadCase(
        "unknown-table-similar",
        replace_once('[[session]]\nkecamatan = "Malingping"', '[[sessions]]\nkecamatan = "Malingping"'),
        PlanErrorCode.UNKNOWN_TABLE_SIMILAR,
        "[sessions]",
    ),
    BadCase("missing-plan", whole(MINIMAL_SESSION), PlanErrorCode.MISSING_TABLE, "[plan]"),
    BadCase(
        "plan-not-a-table", whole('plan = "Bimtek"\n' + MINIMAL_SESSION), PlanErrorCode.NOT_A_TABLE, "[plan]"
    ),
    BadCase(
        "session-not-an-array",
        whole(MINIMAL_HEAD + MINIMAL_SESSION.replace("[[session]]", "[session]")),
        PlanErrorCode.NOT_AN_ARRAY,
        "[session]",
    ),
    BadCase(
        "entry-not-a-table",
        whole("session = [1]\n" + MINIMAL_HEAD),
        PlanErrorCode.ENTRY_NOT_A_TABLE,
        "session #1",
    ),
    BadCase("no-sessions", whole(MINIMAL_HEAD), PlanErrorCode.NO_SESSIONS, lambda _: "rencana belum berisi"),
    BadCase(
        "unknown-key",
        replace_once('timezone = "Asia/Jakarta"', 'timezone = "Asia/Jakarta"\ncolour = 1'),
        PlanErrorCode.UNKNOWN_KEY,
        "[plan] colour",
    ),
    BadCase(
        "unknown-key-similar",
        in_session("Malingping", 'venu = "Aula"'),
        PlanErrorCode.UNKNOWN_KEY_SIMILAR,
        "session #1 (Malingping) venu",
    ),
    BadCase(
        "missing-key",
        replace_once('venue = "Aula Kantor Kecamatan Bayah"\n', ""),
        PlanErrorCode.MISSING_KEY,
        "session #3 (Bayah) venue",
    ),
    BadCase(
        "missing-kecamatan",
        replace_once('kecamatan = "Bayah"\n', ""),
        PlanErrorCode.MISSING_KEY,
        "session #3 kecamatan",
    ),
    BadCase(
        "missing-time",
        replace_once("ends = 16:00:00\n", ""),
        PlanErrorCode.MISSING_TIME,
        "session #1 (Malingping) ends",
    ),
    BadCase(
        "not-text",
        replace_once('address = "Kantor Kecamatan Malingping, Kabupaten Lebak, Banten"', "address = 5"),
        PlanErrorCode.NOT_TEXT,
        "session #1 (Malingping) address",
    ),
    BadCase(
        "empty-text",
        replace_once('venue = "Aula Kantor Kecamatan Bayah"', 'venue = "  "'),
        PlanErrorCode.EMPTY_TEXT,
        "session #3 (Bayah) venue",
    ),
    BadCase(
        "too-long",
        replace_once('venue = "Aula Kantor Kecamatan Bayah"', f'venue = "{"x" * 201}"'),
        PlanErrorCode.TOO_LONG,
        "session #3 (Bayah) venue",
    ),
    BadCase(
        "not-number",
        replace_once("latitude = -6.93", 'latitude = "-6.93"'),
        PlanErrorCode.NOT_NUMBER,
        "session #3 (Bayah) latitude",
    ),
    BadCase(
        "not-integer",
        replace_once("radius_m = 300", "radius_m = 300.5"),
        PlanErrorCode.NOT_INTEGER,
        "[session_defaults] radius_m",
    ),
    BadCase(
        "not-date",
        replace_once("date = 2024-06-03", 'date = "3 Juni 2024"'),
        PlanErrorCode.NOT_DATE,
        "[plan] date",
    ),
    BadCase(
        "not-time",
        in_session("Malingping", 'starts = "08:00"'),
        PlanErrorCode.NOT_TIME,
        "session #1 (Malingping) starts",
    ),
    BadCase(
        "bad-timezone", replace_once('"Asia/Jakarta"', '"WIB"'), PlanErrorCode.BAD_TIMEZONE, "[plan] timezone"
    ),
    BadCase(
        "latitude-range",
        replace_once("latitude = -6.93", "latitude = -96.93"),
        PlanErrorCode.LATITUDE_RANGE,
        "session #3 (Bayah) latitude",
    ),
    BadCase(
        "longitude-range",
        replace_once("longitude = 106.23", "longitude = 206.23"),
        PlanErrorCode.LONGITUDE_RANGE,
        "session #3 (Bayah) longitude",
    ),
    BadCase(
        "coordinates-swapped",
        replace_once("latitude = -6.93\nlongitude = 106.23", "latitude = 106.23\nlongitude = -6.93"),
        PlanErrorCode.COORDINATES_SWAPPED,
        "session #3 (Bayah)",
    ),
    BadCase(
        "radius-range",
        in_session("Bayah", "radius_m = 6000"),
        PlanErrorCode.RADIUS_RANGE,
        "session #3 (Bayah) radius_m",
    ),
    BadCase(
        "ends-before-starts",
        in_session("Bayah", "ends = 07:30:00\ncheckin_closes = 07:30:00"),
        PlanErrorCode.ENDS_NOT_AFTER_STARTS,
        "session #3 (Bayah)",
    ),
    BadCase(
        "checkin-closes-before-opens",
        in_session("Bayah", "checkin_opens = 08:30:00\ncheckin_closes = 08:15:00"),
        PlanErrorCode.CHECKIN_CLOSES_NOT_AFTER_OPENS,
        "session #3 (Bayah)",
    ),
    BadCase(
        "checkin-closes-before-starts",
        in_session("Bayah", "checkin_closes = 07:30:00"),
        PlanErrorCode.CHECKIN_CLOSES_BEFORE_STARTS,
        "session #3 (Bayah)",
    ),
    BadCase(
        "checkin-closes-after-ends",
        in_session("Bayah", "checkin_closes = 17:00:00"),
        PlanErrorCode.CHECKIN_CLOSES_AFTER_ENDS,
        "session #3 (Bayah)",
    ),
    BadCase(
        "duplicate-kecamatan",
        replace_once('kecamatan = "Bayah"', 'kecamatan = "  kec. MALINGPING"'),
        PlanErrorCode.DUPLICATE_KECAMATAN,
        "session #3 (kec. MALINGPING) kecamatan",
    ),
    BadCase(
        "unknown-kecamatan-similar",
        replace_once('kecamatan = "Bayah"', 'kecamatan = "Bayahh"'),
        PlanErrorCode.UNKNOWN_KECAMATAN_SIMILAR,
        "session #3 (Bayahh) kecamatan",
    ),
    BadCase(
        "unknown-kecamatan",
        replace_once('kecamatan = "Bayah"', 'kecamatan = "Atlantis"'),
        PlanErrorCode.UNKNOWN_KECAMATAN,
        "session #3 (Atlantis) kecamatan",
    ),
]
# Tested on their own below: they need a file that cannot be read, or a special region list.
CODES_TESTED_ELSEWHERE = {
    PlanErrorCode.UNREADABLE,
    PlanErrorCode.NOT_UTF8,
    PlanErrorCode.AMBIGUOUS_KECAMATAN,
    PlanErrorCode.WILAYAH_EMPTY,
}


def test_every_kind_of_error_is_tested() -> None:
    assert {case.code for case in BAD_CASES} | CODES_TESTED_ELSEWHERE == set(PlanErrorCode)


async def errors_of(factory: SessionFactory, text: str) -> list[Problem]:
    """Every error of a plan text as the command line finds them (file first, then the region list)."""
    try:
        document = parse_plan(text, source="plan.toml")
    except PlanRejected as in_file:
        async with factory() as session:
            return in_file.errors + await check_kecamatan_names(session, in_file.kecamatan_names)
    with pytest.raises(PlanRejected) as against_database:
        async with factory() as session, session.begin():
            await import_plan(session, document, actor="test", source_name="plan.toml")
    return against_database.value.errors


@dataclass(frozen=True)
class Snapshot:
    sessions: list[SessionView]
    secrets: dict[int, tuple[int, str]]
    audit_rows: int


async def snapshot(factory: SessionFactory) -> Snapshot:
    return Snapshot(
        await sessions(factory), await secrets_by_kecamatan(factory), await count(factory, AuditLog)
    )


@pytest.mark.parametrize("case", BAD_CASES, ids=[case.id for case in BAD_CASES])
async def test_each_kind_of_bad_entry_is_refused_with_its_place_and_nothing_is_written(
    session_factory: SessionFactory, tmp_path: Path, case: BadCase
) -> None:
    await import_region(session_factory)
    await import_text(session_factory, EXAMPLE)
    before = await snapshot(session_factory)
    text = case.edit(EXAMPLE)

    assert case.code in codes(await errors_of(session_factory, text))
    code, out = await run_import(session_factory, write(tmp_path, text))
    assert code == 1
    start = case.where(text) if callable(case.where) else f"{case.where}: "
    lines = out.splitlines()
    assert any(line.startswith(start) for line in lines[:-1]), out
    assert lines[-1].startswith("Rencana ditolak:")
    assert await snapshot(session_factory) == before


def test_a_bad_time_gives_the_indonesian_message_from_the_brief() -> None:
    with pytest.raises(PlanRejected) as rejected:
        parse_plan(
            in_session("Malingping", "checkin_opens = 08:00:00\ncheckin_closes = 07:30:00")(EXAMPLE),
            source="p",
        )
    assert [(e.code, e.params) for e in rejected.value.errors] == [
        (PlanErrorCode.CHECKIN_CLOSES_NOT_AFTER_OPENS, {"opens": "08:00", "closes": "07:30"}),
        (PlanErrorCode.CHECKIN_CLOSES_BEFORE_STARTS, {"closes": "07:30", "starts": "08:00"}),
    ]


def test_a_bad_default_is_one_error_at_session_defaults_not_one_per_session() -> None:
    text = replace_once("checkin_closes = 09:00:00", "checkin_closes = 07:30:00")(EXAMPLE)
    # Bayah's own start makes the default window right for it; the rule is checked per session then.
    text = in_session("Bayah", "starts = 07:00:00")(text)
    text = in_session("Cibeber", "starts = 07:45:00")(text)
    with pytest.raises(PlanRejected) as rejected:
        parse_plan(text, source="p")
    assert [(e.code, e.place.table, e.place.label) for e in rejected.value.errors] == [
        (PlanErrorCode.CHECKIN_CLOSES_BEFORE_STARTS, "session_defaults", None),
        (PlanErrorCode.CHECKIN_CLOSES_BEFORE_STARTS, "session", "Cibeber"),
    ]


async def test_every_error_in_the_file_is_listed_at_once(
    session_factory: SessionFactory, tmp_path: Path
) -> None:
    await import_region(session_factory)
    text = replace_once('kecamatan = "Bayah"', 'kecamatan = "Bayahh"')(EXAMPLE)
    text = replace_once("date = 2024-06-03", 'date = "2024-06-03"')(text)
    text = in_session("Cibeber", "radius_m = -1")(text)
    code, out = await run_import(session_factory, write(tmp_path, text))
    assert code == 1
    assert out.splitlines() == [
        '[plan] date: harus tanggal tanpa tanda kutip, misalnya 2024-06-03; tertulis "2024-06-03"',
        "session #3 (Bayahh) kecamatan: kecamatan Bayahh tidak ada di daftar wilayah; maksudnya Bayah?",
        "session #19 (Cibeber) radius_m: harus antara 0 dan 5.000 meter (0 = tanpa cek lokasi), tertulis -1",
        "Rencana ditolak: 3 kesalahan. Tidak ada yang disimpan; perbaiki berkasnya lalu impor lagi.",
    ]
    assert await count(session_factory, TrainingSession) == 0


async def test_an_ambiguous_kecamatan_name_lists_the_candidates(session_factory: SessionFactory) -> None:
    await import_region(session_factory)
    async with session_factory() as session, session.begin():
        session.add(Kecamatan(code="36.01.01", name="Maja"))  # a Maja in another regency, as nationwide
    errors = await errors_of(session_factory, EXAMPLE)
    assert [(e.code, e.params) for e in errors] == [
        (
            PlanErrorCode.AMBIGUOUS_KECAMATAN,
            {"name": "Maja", "candidates": "Maja (36.01.01), Maja (36.02.13)"},
        )
    ]


async def test_an_empty_region_list_is_one_clear_error(
    session_factory: SessionFactory, tmp_path: Path
) -> None:
    assert codes(await errors_of(session_factory, EXAMPLE)) == [PlanErrorCode.WILAYAH_EMPTY]
    code, out = await run_import(session_factory, EXAMPLE_PLAN)
    assert code == 1
    assert "python -m bot wilayah import FILE" in out.splitlines()[0]
    assert await count(session_factory, TrainingSession) == 0
    assert await count(session_factory, AuditLog) == 0


def test_unreadable_and_non_utf8_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(PlanRejected) as rejected:
        read_plan_file(tmp_path / "missing.toml")
    assert codes(rejected.value.errors) == [PlanErrorCode.UNREADABLE]
    latin1 = tmp_path / "latin1.toml"
    latin1.write_bytes(b'[plan]\nname = "Bimtek"\nvenue = "Caf\xe9"\n')
    with pytest.raises(PlanRejected) as rejected:
        read_plan_file(latin1)
    [error] = rejected.value.errors
    assert (error.code, error.place.line) == (PlanErrorCode.NOT_UTF8, 3)
    with_bom = tmp_path / "bom.toml"
    with_bom.write_bytes(b"\xef\xbb\xbf" + EXAMPLE.encode())
    assert read_plan_file(with_bom) == EXAMPLE


# --- The command line ----------------------------------------------------------------------------------


async def test_cli_imports_the_example_then_finds_nothing_changed(
    session_factory: SessionFactory, tmp_path: Path
) -> None:
    await import_region(session_factory)
    sessions_only = tmp_path / EXAMPLE_PLAN.name
    sessions_only.write_text(EXAMPLE, encoding="utf-8")
    code, out = await run_import(session_factory, sessions_only)
    assert code == 0
    assert out == (
        "Rencana „Bimtek PPS Pilkada 2024 — KPU Kabupaten Lebak” (lebak_bimtek_2024.toml) diimpor: "
        "Bimtek Senin, 3 Juni 2024, 28 sesi — 28 baru, 0 diubah, 0 tidak berubah.\n"
    )
    code, out = await run_import(session_factory, sessions_only, language="en")
    assert code == 0
    assert out == (
        "Plan “Bimtek PPS Pilkada 2024 — KPU Kabupaten Lebak” (lebak_bimtek_2024.toml) imported: "
        "Bimtek on Monday, 3 June 2024, 28 sessions — 0 new, 0 updated, 28 unchanged.\n"
    )


async def test_cli_prints_warnings_in_indonesian(session_factory: SessionFactory, tmp_path: Path) -> None:
    await import_region(session_factory)
    await import_members(session_factory)
    text = without_session("Bayah")(EXAMPLE)
    text = in_session("Malingping", "ends = 2024-06-03T09:00:00Z")(text)
    text += '\n[[duty]]\ntitle = "Bentuk KPPS"\n'
    code, out = await run_import(session_factory, write(tmp_path, text))
    assert code == 0
    members = 3 * desa_count("Bayah") + PPK_PER_KECAMATAN
    assert out.splitlines()[1:] == [
        "Peringatan: session #1 (Malingping) ends: waktu 2024-06-03T09:00:00+00:00 memakai selisih +00:00, "
        "padahal zona rencana Asia/Jakarta (+07:00); artinya 2024-06-03 16:00 waktu Asia/Jakarta",
        "Peringatan: 1 entri [[duty]] terbaca tetapi belum diterapkan: versi bot ini belum mengolahnya",
        f"Peringatan: kecamatan Bayah tidak punya sesi; {members} anggotanya di daftar tidak akan mendapat "
        "jadwal Bimtek",
    ]


async def test_plan_show_prints_the_day_in_wib(session_factory: SessionFactory) -> None:
    await import_region(session_factory)
    await import_members(session_factory)
    await import_text(session_factory, in_session("Bayah", "starts = 09:00:00")(EXAMPLE))
    code, out = await run_show(session_factory)
    assert code == 0
    lines = out.splitlines()
    members = 3 * 345 + PPK_PER_KECAMATAN * LEBAK_KECAMATAN
    everyone = dots(members)
    bayah = 3 * desa_count("Bayah") + PPK_PER_KECAMATAN
    assert lines[:8] == [
        "Jadwal Bimtek: 28 sesi (waktu WIB)",
        "",
        "Senin, 3 Juni 2024",
        f"  07.00 WIB  Check-in dibuka: 28 sesi, {everyone} anggota",
        "  08.00 WIB  Bimtek dimulai: 27 sesi (Banjarsari, Bojongmanik, Cibadak, Cibeber, Cigemblong dan 22 "
        f"lainnya), {dots(members - bayah)} anggota",
        f"  09.00 WIB  Bimtek dimulai: 1 sesi (Bayah), {bayah} anggota",
        f"  09.00 WIB  Check-in ditutup: 28 sesi, {everyone} anggota",
        f"  16.00 WIB  Bimtek selesai: 28 sesi, {everyone} anggota",
    ]
    venues = [line for line in lines if line.startswith("      Senin, 3 Juni 2024 ")]
    assert len(venues) == LEBAK_KECAMATAN
    assert sum("08.00–16.00 WIB; check-in 07.00–09.00; radius 300 m" in line for line in venues) == 27
    assert (
        "  Malingping: Aula Kantor Kecamatan Malingping, Kantor Kecamatan Malingping, Kabupaten Lebak, Banten"
        in lines
    )


async def test_plan_show_in_english_and_before_any_import(session_factory: SessionFactory) -> None:
    code, out = await run_show(session_factory)
    assert (code, out) == (
        0,
        "Belum ada sesi Bimtek. Impor rencananya dulu: python -m bot plan import FILE\n",
    )
    await import_region(session_factory)
    await import_text(session_factory, EXAMPLE)
    code, out = await run_show(session_factory, language="en")
    assert code == 0
    assert "  07:00 WIB  Check-in opens: 28 sessions, 0 members" in out.splitlines()
    assert "Monday, 3 June 2024" in out.splitlines()


# --- The frame for [[announcement]] and [[duty]] -------------------------------------------------------


@dataclass(frozen=True)
class Note:
    title: str
    minutes_before: int


@dataclass
class NoteSection:
    """A stand-in for the program's parser: how a later [[announcement]] / [[duty]] parser plugs in."""

    table: str = "announcement"
    applied: list[Note] | None = None

    def parse_entry(self, reader: EntryReader) -> Note | None:
        title = reader.text("title")
        minutes = reader.integer("minutes_before")
        return Note(title, minutes) if title is not None and minutes is not None else None

    async def apply(
        self, session: object, document: PlanDocument, items: Sequence[Note], *, actor: str
    ) -> SectionOutcome:
        self.applied = list(items)
        return SectionOutcome(table=self.table, counts={"count": len(items)}, summary_key="plan.removed")


@pytest.fixture
def note_section() -> Iterator[NoteSection]:
    yield NoteSection()


async def test_a_section_plugs_into_parsing_and_the_import(
    session_factory: SessionFactory, note_section: NoteSection, tmp_path: Path
) -> None:
    await import_region(session_factory)
    text = EXAMPLE + '\n[[announcement]]\ntitle = "Malam sebelum"\nminutes_before = 780\n'
    document = parse_plan(text, source="p", sections=[note_section])
    assert document.items == {"announcement": (Note("Malam sebelum", 780),)}
    assert document.warnings == ()  # handled, so no "not applied" warning
    async with session_factory() as session, session.begin():
        summary = await import_plan(session, document, actor="test", source_name="p")
    assert note_section.applied == [Note("Malam sebelum", 780)]
    assert summary.sections[0].counts == {"count": 1}
    async with session_factory() as session:
        detail = await session.scalar(select(AuditLog.detail).where(AuditLog.action == "plan.import"))
    assert detail is not None and detail["sections"] == {"announcement": {"count": 1}}

    bad = EXAMPLE + '\n[[announcement]]\ntitle = "Pagi"\nminutes_befor = 5\n'
    out = io.StringIO()
    code = await plan_import(
        session_factory, write(tmp_path, bad), language="en", zone=WIB, out=out, sections=[note_section]
    )
    assert code == 1
    assert out.getvalue().splitlines()[:2] == [
        "announcement #1 (Pagi) minutes_before: is required",
        "announcement #1 (Pagi) minutes_befor: unknown key; did you mean minutes_before?",
    ]


# --- Texts ---------------------------------------------------------------------------------------------


def test_both_languages_have_the_same_keys_and_placeholders() -> None:
    assert set(plan_id.TEXTS) == set(plan_en.TEXTS)
    for key, text in plan_id.TEXTS.items():
        assert placeholders(text) == placeholders(plan_en.TEXTS[key]), key
        assert text.strip() and plan_en.TEXTS[key].strip(), key


def test_every_error_and_warning_code_has_a_text() -> None:
    wanted = {f"plan.error.{code}" for code in PlanErrorCode} | {
        f"plan.warning.{code}" for code in PlanWarningCode
    }
    assert wanted <= set(plan_id.TEXTS)
