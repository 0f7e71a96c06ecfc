"""The synchronized program: [[announcement]] parsing, import as grouped broadcasts, re-import, plan show, e2e."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from factories import import_lebak_wilayah, import_rows, lebak_roster, lebak_wilayah
from sqlalchemy import select, update

from bot.broadcasts.audience import AudienceKind
from bot.broadcasts.compose import first_line
from bot.cli.plan import plan_import, plan_show
from bot.cli.plan_sections import plan_sections
from bot.core.clock import ManualClock
from bot.core.db import SessionFactory
from bot.core.problems import Place as PlanPlace
from bot.delivery.scheduling import RESYNC_JOB, Resync, install_resync, resync_jobs
from bot.plan.parsing import parse_plan
from bot.plan.problems import PlanErrorCode, PlanRejected, PlanWarningCode
from bot.plan.sessions import PlanSummary, import_plan
from bot.plans import EXAMPLE_PLAN
from bot.program.announcements import (
    AbsoluteTime,
    AtError,
    ProgramErrorCode,
    ProgramSection,
    ProgramWarningCode,
    RelativeTime,
    parse_relative,
    program_key,
)
from bot.runtime.context import BotApplication
from bot.sandbox import Sandbox, SimUser
from models import Broadcast, BroadcastStatus, CheckIn, CheckInMethod, Kecamatan, Member, TelegramAccount
from models import TrainingSession as SessionRow
from tests.seed import link_telegram, seed_members

WIB = ZoneInfo("Asia/Jakarta")
# The example plan without its duties, which have their own section and tests (tests/test_duties.py).
EXAMPLE = EXAMPLE_PLAN.read_text(encoding="utf-8").split("\n[[duty]]", 1)[0]
NAMES = ["malam-sebelum", "apel-pagi", "presensi-dibuka", "pengingat-presensi", "penutupan"]
# The example's program in UTC (WIB = UTC+7): 2 June 18.00, 3 June 06.30, 07.00, 08.30 and 16.00 WIB.
EXAMPLE_TIMES_UTC = [
    "2024-06-02T11:00:00+00:00",
    "2024-06-02T23:30:00+00:00",
    "2024-06-03T00:00:00+00:00",
    "2024-06-03T01:30:00+00:00",
    "2024-06-03T09:00:00+00:00",
]
SUNDAY_MORNING = datetime(2024, 6, 2, 10, 0, tzinfo=WIB)

MINIMAL = (
    '[plan]\nname = "x"\ndate = 2024-06-03\n\n'
    '[[session]]\nkecamatan = "Maja"\nvenue = "Aula"\nlatitude = -6.34\nlongitude = 106.41\n'
    "starts = 08:00:00\nends = 16:00:00\ncheckin_opens = 07:00:00\ncheckin_closes = 09:00:00\n"
)


def dots(number: int) -> str:
    """A count as Indonesian writes it (1.175)."""
    return f"{number:,}".replace(",", ".")


def announcement(**values: str) -> str:
    """An [[announcement]] entry; each value is TOML as written (strings with their quotes)."""
    return "\n[[announcement]]\n" + "".join(f"{key} = {value}\n" for key, value in values.items())


def parse(text: str, now: datetime = SUNDAY_MORNING) -> Any:
    return parse_plan(text, source="plan.toml", sections=[ProgramSection(lambda: now)])


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def in_session(kecamatan: str, lines: str) -> Callable[[str], str]:
    anchor = f'kecamatan = "{kecamatan}"\n'
    return lambda text: replace_once(text, anchor, anchor + lines)


def without_announcement(text: str, name: str) -> str:
    start = text.index(f'[[announcement]]\nname = "{name}"')
    following = re.compile(r"^(\[\[|# ---)", re.MULTILINE).search(text, start + 2)
    return text[:start] + (text[following.start() :] if following else "")


# --- The grammar of `at` -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("session.starts", RelativeTime("starts")),
        ("session.checkin_opens", RelativeTime("checkin_opens")),
        ("session.starts -30m", RelativeTime("starts", shift=timedelta(minutes=-30))),
        ("session.ends +1h30m", RelativeTime("ends", shift=timedelta(hours=1, minutes=30))),
        ("session.checkin_closes -2h", RelativeTime("checkin_closes", shift=timedelta(hours=-2))),
        ("session.starts -1d", RelativeTime("starts", shift=timedelta(days=-1))),
        ("session.starts -1d 18:00", RelativeTime("starts", days=-1, clock=datetime(1, 1, 1, 18).time())),
        (
            "session.starts +0d 06:30:00",
            RelativeTime("starts", days=0, clock=datetime(1, 1, 1, 6, 30).time()),
        ),
        ("  Session.Starts   -   45m ", RelativeTime("starts", shift=timedelta(minutes=-45))),
        ("session.starts+30m", RelativeTime("starts", shift=timedelta(minutes=30))),
    ],
)
def test_relative_forms_of_at(text: str, expected: RelativeTime) -> None:
    assert parse_relative(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("besok 18:00", ProgramErrorCode.BAD_AT),
        ("session.starts - 30 menit", ProgramErrorCode.BAD_AT),
        ("session.starts 30m", ProgramErrorCode.BAD_AT),  # no sign
        ("session.starts -30m15h", ProgramErrorCode.BAD_AT),  # units out of order
        ("session.starts -1d18:00", ProgramErrorCode.BAD_AT),
        ("2024-06-02T18:00:00", ProgramErrorCode.BAD_AT),  # an absolute time in quotes
        ("session.start -30m", ProgramErrorCode.UNKNOWN_EVENT),
        ("session.starts -1d 24:00", ProgramErrorCode.BAD_CLOCK),
    ],
)
def test_bad_relative_forms_are_refused(text: str, code: ProgramErrorCode) -> None:
    with pytest.raises(AtError) as caught:
        parse_relative(text)
    assert caught.value.code == code


def test_each_form_of_at_in_a_plan_file() -> None:
    text = MINIMAL
    text += announcement(name='"a"', at="08:30:00", text='"x"')
    text += announcement(name='"b"', at="2024-06-02T18:00:00", text='"x"')
    text += announcement(name='"c"', at="2024-06-02T18:00:00+07:00", text='"x"')
    text += announcement(name='"d"', at='"session.starts -1d 18:00"', text='"x"')
    text += announcement(name='"e"', at='"session.checkin_opens"', text='"x"')
    document = parse(text)
    items = {item.name: item for item in document.items["announcement"]}
    assert items["a"].at == AbsoluteTime(datetime(2024, 6, 3, 1, 30, tzinfo=UTC))
    assert items["b"].at == AbsoluteTime(datetime(2024, 6, 2, 11, 0, tzinfo=UTC))
    assert items["c"].at == items["b"].at
    assert items["d"].at == RelativeTime("starts", days=-1, clock=datetime(1, 1, 1, 18).time())
    assert items["e"].at == RelativeTime("checkin_opens")
    assert all(item.audience is AudienceKind.ALL for item in items.values())
    assert document.warnings == ()


def test_the_audience_is_read_in_any_case() -> None:
    document = parse(
        MINIMAL + announcement(name='"a"', audience='"Not_Checked_In"', at="08:30:00", text='"x"')
    )
    [item] = document.items["announcement"]
    assert item.audience is AudienceKind.NOT_CHECKED_IN


def test_another_zone_s_offset_is_a_warning_at_the_entry() -> None:
    document = parse(MINIMAL + announcement(name='"pagi"', at="2024-06-03T06:30:00Z", text='"x"'))
    [warning] = document.warnings
    assert warning.code == PlanWarningCode.OFFSET_DIFFERS
    assert warning.place == PlanPlace(table="announcement", number=1, label="pagi", key="at")
    assert document.items["announcement"][0].at == AbsoluteTime(datetime(2024, 6, 3, 6, 30, tzinfo=UTC))


def test_text_is_plain_and_stored_escaped() -> None:
    document = parse(MINIMAL + announcement(name='"x"', at="08:00:00", text='"A <b> & {nama}"'))
    assert document.items["announcement"][0].body_html == "A &lt;b&gt; &amp; {nama}"


# --- Bad entries: refused with their place -------------------------------------------------------------


@dataclass(frozen=True)
class Bad:
    id: str
    entry: str
    code: str
    key: str | None
    label: str | None = "pagi"


BAD = [
    Bad("unknown-key", announcement(name='"pagi"', at="06:30:00", text='"x"', audiens='"all"'),
        PlanErrorCode.UNKNOWN_KEY_SIMILAR, "audiens"),
    Bad("unknown-key-far", announcement(name='"pagi"', at="06:30:00", text='"x"', warna='"merah"'),
        PlanErrorCode.UNKNOWN_KEY, "warna"),
    Bad("bad-audience", announcement(name='"pagi"', audience='"semua"', at="06:30:00", text='"x"'),
        ProgramErrorCode.BAD_AUDIENCE, "audience"),
    Bad("bad-at-grammar", announcement(name='"pagi"', at='"session.starts minus 30"', text='"x"'),
        ProgramErrorCode.BAD_AT, "at"),
    Bad("bad-at-event", announcement(name='"pagi"', at='"session.mulai"', text='"x"'),
        ProgramErrorCode.UNKNOWN_EVENT, "at"),
    Bad("bad-at-clock", announcement(name='"pagi"', at='"session.starts +0d 6:75"', text='"x"'),
        ProgramErrorCode.BAD_CLOCK, "at"),
    Bad("at-a-date", announcement(name='"pagi"', at="2024-06-03", text='"x"'), ProgramErrorCode.BAD_AT, "at"),
    Bad("at-a-number", announcement(name='"pagi"', at="630", text='"x"'), ProgramErrorCode.BAD_AT, "at"),
    Bad("missing-at", announcement(name='"pagi"', text='"x"'), PlanErrorCode.MISSING_KEY, "at"),
    Bad("missing-text", announcement(name='"pagi"', at="06:30:00"), PlanErrorCode.MISSING_KEY, "text"),
    Bad("unknown-placeholder", announcement(name='"pagi"', at="06:30:00", text='"Mulai {jam_selesai}"'),
        ProgramErrorCode.UNKNOWN_PLACEHOLDER, "text"),
    Bad("too-long", announcement(name='"pagi"', at="06:30:00", text='"' + "{alamat} " * 11 + '"'),
        ProgramErrorCode.TOO_LONG, "text"),
    Bad("bad-name", announcement(name='"Apel Pagi"', at="06:30:00", text='"x"'),
        ProgramErrorCode.BAD_NAME, "name", "Apel Pagi"),
    Bad("missing-name", announcement(at="06:30:00", text='"x"'), PlanErrorCode.MISSING_KEY, "name", None),
]  # fmt: skip


@pytest.mark.parametrize("case", BAD, ids=[case.id for case in BAD])
def test_a_bad_entry_is_refused_with_its_place(case: Bad) -> None:
    good = announcement(name='"malam"', at='"session.starts -1d 18:00"', text='"Yth. {nama}"')
    with pytest.raises(PlanRejected) as caught:
        parse(MINIMAL + good + case.entry)
    [error] = caught.value.errors
    assert error.code == case.code
    assert error.place == PlanPlace(table="announcement", number=2, label=case.label, key=case.key)


def test_a_name_used_twice_names_the_first_entry() -> None:
    entry = announcement(name='"pagi"', at="06:30:00", text='"x"')
    with pytest.raises(PlanRejected) as caught:
        parse(MINIMAL + entry + entry)
    [error] = caught.value.errors
    assert (error.code, error.place.number, error.params) == (
        ProgramErrorCode.DUPLICATE_NAME,
        2,
        {"name": "pagi", "first": 1},
    )
    parse(MINIMAL + entry)  # the names of one parse do not leak into the next


async def test_errors_are_printed_with_their_place(session_factory: SessionFactory, tmp_path: Path) -> None:
    await import_lebak_wilayah(session_factory)
    text = MINIMAL + announcement(name='"pagi"', audience='"semua"', at='"session.start"', text='"{jam}"')
    path = tmp_path / "plan.toml"
    path.write_text(text, encoding="utf-8")
    outputs = {}
    for language in ("id", "en"):
        out = io.StringIO()
        code = await plan_import(
            session_factory, path, language=language, zone=WIB, out=out, sections=[ProgramSection()]
        )
        assert code == 1
        outputs[language] = out.getvalue().splitlines()
    assert outputs["id"][:3] == [
        'announcement #1 (pagi) audience: audience "semua" tidak dikenal; pilih salah satu: '
        "all, pps, ketua, ppk, not_checked_in",
        "announcement #1 (pagi) at: session.start tidak dikenal (maksudnya session.starts?); pilih salah satu: "
        "session.starts, session.ends, session.checkin_opens, session.checkin_closes",
        "announcement #1 (pagi) text: penanda tidak dikenal: {jam}; yang tersedia: {nama}, {desa}, {kecamatan}, "
        "{venue}, {alamat}, {jam_mulai}",
    ]
    assert outputs["en"][0].startswith('announcement #1 (pagi) audience: unknown audience "semua"')


# --- Import: one broadcast per announcement and firing time --------------------------------------------


@dataclass(frozen=True)
class Row:
    id: int
    key: str
    send_at: str
    status: BroadcastStatus
    kind: str
    kecamatan_ids: list[int]
    body: str


async def program_rows(factory: SessionFactory) -> list[Row]:
    async with factory() as session:
        rows = await session.scalars(
            select(Broadcast)
            .where(Broadcast.program_key.is_not(None))
            .order_by(Broadcast.send_at, Broadcast.id)
        )
        return [
            Row(
                r.id,
                r.program_key or "",
                r.send_at.isoformat(),
                r.status,
                str(r.audience["kind"]),
                list(r.audience["kecamatan_ids"]),  # type: ignore[call-overload]
                r.body_html,
            )
            for r in rows
        ]


async def kecamatan_ids(factory: SessionFactory, *names: str) -> list[int]:
    async with factory() as session:
        query = select(Kecamatan.id).order_by(Kecamatan.id)
        if names:
            query = query.where(Kecamatan.name.in_(names))
        return list(await session.scalars(query))


async def import_program(factory: SessionFactory, text: str, now: datetime = SUNDAY_MORNING) -> PlanSummary:
    """Parse and import a plan with the program section, as `plan import` does, at the moment `now`."""
    document = parse(text, now)
    async with factory() as session, session.begin():
        return await import_plan(session, document, actor="test", source_name="plan.toml")


def program_counts(summary: PlanSummary) -> dict[str, int]:
    [outcome] = summary.sections
    assert outcome.table == "announcement"
    return dict(outcome.counts)


def test_the_program_section_is_registered() -> None:
    assert [section.table for section in plan_sections()][:1] == ["announcement"]


async def test_the_example_program_is_one_broadcast_per_announcement(session_factory: SessionFactory) -> None:
    await import_lebak_wilayah(session_factory)
    summary = await import_program(session_factory, EXAMPLE)
    assert program_counts(summary) == {
        "announcements": 5,
        "new": 5,
        "updated": 0,
        "unchanged": 0,
        "removed": 0,
        "past": 0,
    }
    assert summary.warnings == ()
    rows = await program_rows(session_factory)
    everyone = await kecamatan_ids(session_factory)
    assert len(everyone) == 28
    assert [row.send_at for row in rows] == EXAMPLE_TIMES_UTC
    assert [row.key for row in rows] == [
        f"program:{name}:{moment}" for name, moment in zip(NAMES, EXAMPLE_TIMES_UTC, strict=True)
    ]
    assert all(row.status is BroadcastStatus.SCHEDULED and row.kecamatan_ids == everyone for row in rows)
    assert [row.kind for row in rows] == ["all", "all", "all", "not_checked_in", "all"]
    assert rows[0].body.startswith("Yth. Bapak/Ibu {nama}, besok Bimtek PPS Kecamatan {kecamatan} di")
    async with session_factory() as session:
        created_by = set(await session.scalars(select(Broadcast.created_by)))
    assert created_by == {None}


async def test_reimport_updates_in_place_without_duplicates(session_factory: SessionFactory) -> None:
    await import_lebak_wilayah(session_factory)
    await import_program(session_factory, EXAMPLE)
    before = await program_rows(session_factory)

    summary = await import_program(session_factory, EXAMPLE)
    assert program_counts(summary) == {
        "announcements": 5, "new": 0, "updated": 0, "unchanged": 5, "removed": 0, "past": 0
    }  # fmt: skip
    assert await program_rows(session_factory) == before

    edited = replace_once(EXAMPLE, "Sampai jumpa di lokasi.", "Sampai jumpa di {venue}.")
    edited = without_announcement(edited, "penutupan")
    summary = await import_program(session_factory, edited)
    assert (program_counts(summary)["updated"], program_counts(summary)["removed"]) == (1, 1)
    after = await program_rows(session_factory)
    assert [row.id for row in after] == [row.id for row in before[:4]]
    assert after[1].body.endswith("Sampai jumpa di {venue}.")
    assert [row.key.split(":")[1] for row in after] == NAMES[:4]


async def test_what_was_sent_or_cancelled_is_left_alone(session_factory: SessionFactory) -> None:
    await import_lebak_wilayah(session_factory)
    await import_program(session_factory, EXAMPLE)
    rows = await program_rows(session_factory)
    async with session_factory() as session, session.begin():
        await session.execute(
            update(Broadcast).where(Broadcast.id == rows[0].id).values(status=BroadcastStatus.DONE)
        )
        await session.execute(
            update(Broadcast).where(Broadcast.id == rows[1].id).values(status=BroadcastStatus.CANCELLED)
        )
    # The evening message is gone from the file and the morning call changed: neither is touched.
    edited = without_announcement(EXAMPLE, "malam-sebelum")
    edited = replace_once(edited, "Sampai jumpa di lokasi.", "Sampai jumpa.")
    summary = await import_program(session_factory, edited)
    assert [(w.code, w.place.label, w.place.key, w.params) for w in summary.warnings] == [
        (ProgramWarningCode.CANCELLED_KEPT, "apel-pagi", "at", {"time": "06:30"}),
    ]
    after = await program_rows(session_factory)
    assert after[:2] == [
        replace(rows[0], status=BroadcastStatus.DONE),
        replace(rows[1], status=BroadcastStatus.CANCELLED),
    ]
    assert len(after) == 5


async def test_a_session_moved_to_another_time_splits_the_group(session_factory: SessionFactory) -> None:
    await import_lebak_wilayah(session_factory)
    await import_program(session_factory, EXAMPLE)
    everyone = await kecamatan_ids(session_factory)
    [bayah] = await kecamatan_ids(session_factory, "Bayah")

    moved = in_session("Bayah", "starts = 09:00:00\n")(EXAMPLE)
    summary = await import_program(session_factory, moved)
    assert program_counts(summary) == {
        "announcements": 5, "new": 1, "updated": 1, "unchanged": 4, "removed": 0, "past": 0
    }  # fmt: skip
    rows = await program_rows(session_factory)
    nudges = [(row.send_at, row.kecamatan_ids) for row in rows if row.key.startswith("program:pengingat")]
    others = [i for i in everyone if i != bayah]
    assert nudges == [("2024-06-03T01:30:00+00:00", others), ("2024-06-03T02:30:00+00:00", [bayah])]
    # The evening message is at 18.00 the day before whatever the start: still one broadcast for all 28.
    assert [row.kecamatan_ids for row in rows if row.key.startswith("program:malam")] == [everyone]

    summary = await import_program(session_factory, EXAMPLE)  # moved back: the groups merge again
    assert (program_counts(summary)["updated"], program_counts(summary)["removed"]) == (1, 1)
    assert [row.kecamatan_ids for row in await program_rows(session_factory)] == [everyone] * 5


async def test_times_already_past_are_not_scheduled(session_factory: SessionFactory) -> None:
    await import_lebak_wilayah(session_factory)
    on_the_day = datetime(2024, 6, 3, 7, 30, tzinfo=WIB)
    summary = await import_program(session_factory, EXAMPLE, now=on_the_day)
    assert [(w.code, w.place.label, w.place.key, w.params) for w in summary.warnings] == [
        (ProgramWarningCode.PAST, "malam-sebelum", "at", {"time": "2024-06-02 18:00"}),
        (ProgramWarningCode.PAST, "apel-pagi", "at", {"time": "06:30"}),
        (ProgramWarningCode.PAST, "presensi-dibuka", "at", {"time": "07:00"}),
    ]
    assert [row.key.split(":")[1] for row in await program_rows(session_factory)] == NAMES[3:]
    assert program_counts(summary)["past"] == 3


async def test_a_reimport_on_the_day_leaves_what_has_passed_alone(session_factory: SessionFactory) -> None:
    await import_lebak_wilayah(session_factory)
    await import_program(session_factory, EXAMPLE)
    rows = await program_rows(session_factory)
    async with session_factory() as session, session.begin():
        await session.execute(
            update(Broadcast).where(Broadcast.id == rows[0].id).values(status=BroadcastStatus.DONE)
        )
    summary = await import_program(session_factory, EXAMPLE, now=datetime(2024, 6, 3, 7, 30, tzinfo=WIB))
    assert summary.warnings == ()  # already stored: sent, or left to the scheduler
    assert program_counts(summary) == {
        "announcements": 5, "new": 0, "updated": 0, "unchanged": 2, "removed": 0, "past": 3
    }  # fmt: skip
    assert await program_rows(session_factory) == [replace(rows[0], status=BroadcastStatus.DONE), *rows[1:]]


async def test_an_absolute_announcement_is_one_broadcast_for_the_regency(
    session_factory: SessionFactory,
) -> None:
    await import_lebak_wilayah(session_factory)
    text = EXAMPLE + announcement(name='"rapat"', audience='"ppk"', at="2024-06-02T19:00:00", text='"Rapat"')
    await import_program(session_factory, text)
    [row] = [row for row in await program_rows(session_factory) if "rapat" in row.key]
    assert (row.key, row.send_at, row.kind, row.kecamatan_ids) == (
        "program:rapat:2024-06-02T12:00:00+00:00",
        "2024-06-02T12:00:00+00:00",
        "ppk",
        [],
    )
    assert len(program_key("x" * 60, datetime(2024, 6, 3, tzinfo=UTC))) <= 200


async def test_cli_prints_the_program_summary(session_factory: SessionFactory) -> None:
    await import_lebak_wilayah(session_factory)
    out = io.StringIO()
    section = ProgramSection(lambda: SUNDAY_MORNING)
    code = await plan_import(
        session_factory, EXAMPLE_PLAN, language="id", zone=WIB, out=out, sections=[section]
    )
    assert code == 0
    assert out.getvalue().splitlines()[1] == (
        "Program: 5 pengumuman — 5 jadwal kirim baru, 0 diubah, 0 tidak berubah, 0 dihapus, 0 sudah lewat."
    )


# --- plan show ------------------------------------------------------------------------------------------


async def register_some(factory: SessionFactory, kecamatan: str, count: int, first_id: int) -> list[int]:
    """Link the first `count` members of a kecamatan to Telegram accounts; returns their member ids."""
    async with factory() as session, session.begin():
        members = (
            await session.scalars(
                select(Member)
                .join(Kecamatan, Kecamatan.id == Member.kecamatan_id)
                .where(Kecamatan.name == kecamatan)
                .order_by(Member.id)
                .limit(count)
            )
        ).all()
        for offset, member in enumerate(members):
            session.add(TelegramAccount(id=first_id + offset, first_name="", reachable=True))
            await session.flush()
            member.telegram_user_id = first_id + offset
        return [member.id for member in members]


async def test_plan_show_merges_the_program_into_the_timeline_in_wib(session_factory: SessionFactory) -> None:
    await import_lebak_wilayah(session_factory)
    await import_rows(session_factory, lebak_roster())
    await import_program(session_factory, in_session("Bayah", "starts = 09:00:00\n")(EXAMPLE))
    malingping = await register_some(session_factory, "Malingping", 3, 1000)
    await register_some(session_factory, "Bayah", 2, 2000)
    async with session_factory() as session, session.begin():
        session_id = await session.scalar(
            select(SessionRow.id).join(Kecamatan).where(Kecamatan.name == "Malingping")
        )
        assert session_id is not None
        session.add(
            CheckIn(
                session_id=session_id,
                member_id=malingping[0],
                at=datetime(2024, 6, 3, 7, 10, tzinfo=WIB),
                method=CheckInMethod.CODE,
            )
        )

    out = io.StringIO()
    assert await plan_show(session_factory, language="id", zone=WIB, out=out, sections=plan_sections()) == 0
    lines = out.getvalue().splitlines()
    rows = {row.key.split(":")[1] + row.send_at[11:16]: row for row in await program_rows(session_factory)}
    evening = first_line(rows["malam-sebelum11:00"].body)
    nudge = first_line(rows["pengingat-presensi01:30"].body)
    start = lines.index("Minggu, 2 Juni 2024")
    bayah = 3 * sum(1 for row in lebak_wilayah() if row.kecamatan_name == "Bayah") + 5  # PPS + PPK
    assert lines[start : start + 12] == [
        "Minggu, 2 Juni 2024",
        f"  18.00 WIB  Pengumuman malam-sebelum → semua PPS dan PPK, 28 kecamatan: 5 penerima — {evening}",
        "",
        "Senin, 3 Juni 2024",
        "  06.30 WIB  Pengumuman apel-pagi → semua PPS dan PPK, 28 kecamatan: 5 penerima — "
        + first_line(rows["apel-pagi23:30"].body),
        "  07.00 WIB  Check-in dibuka: 28 sesi, 1.175 anggota",
        "  07.00 WIB  Pengumuman presensi-dibuka → semua PPS dan PPK, 28 kecamatan: 5 penerima — "
        "Presensi Bimtek di {venue} sudah dibuka.",
        "  08.00 WIB  Bimtek dimulai: 27 sesi (Banjarsari, Bojongmanik, Cibadak, Cibeber, Cigemblong dan 22 "
        f"lainnya), {dots(1175 - bayah)} anggota",
        # Who has not checked in by then: 2 of Malingping's 3 and Bayah's 2 (Bayah's nudge comes at 09.30).
        f"  08.30 WIB  Pengumuman pengingat-presensi → yang belum presensi, 27 kecamatan: 2 penerima — {nudge}",
        f"  09.00 WIB  Bimtek dimulai: 1 sesi (Bayah), {bayah} anggota",
        "  09.00 WIB  Check-in ditutup: 28 sesi, 1.175 anggota",
        f"  09.30 WIB  Pengumuman pengingat-presensi → yang belum presensi, Bayah: 2 penerima — {nudge}",
    ]
    assert (
        "  16.00 WIB  Pengumuman penutupan → semua PPS dan PPK, 28 kecamatan: 5 penerima — "
        + first_line(rows["penutupan09:00"].body)
        in lines
    )

    async with session_factory() as session, session.begin():
        await session.execute(
            update(Broadcast)
            .where(Broadcast.id == rows["malam-sebelum11:00"].id)
            .values(status=BroadcastStatus.DONE)
        )
    out = io.StringIO()
    await plan_show(session_factory, language="en", zone=WIB, out=out, sections=plan_sections())
    assert (
        f"  18:00 WIB  Announcement malam-sebelum → all PPS and PPK, 28 kecamatan: 5 recipients [sent] — {evening}"
        in out.getvalue().splitlines()
    )


# --- In the running bot: jobs, and the evening message end to end --------------------------------------


@pytest.fixture
def clock() -> ManualClock:
    """The bot's clock, standing at noon the day before the training."""
    return ManualClock(datetime(2024, 6, 2, 12, 0, tzinfo=WIB))


@pytest.fixture
def delivery_options() -> dict[str, object]:
    return {"rate_per_second": 200, "paid_broadcast": True}


async def test_the_evening_message_reaches_each_member_once_with_their_own_venue(
    sandbox: Sandbox, running_bot: BotApplication, session_factory: SessionFactory, clock: ManualClock
) -> None:
    from models import Position

    await import_lebak_wilayah(session_factory)
    people = await seed_members(
        session_factory,
        [
            ("Siti <Aminah>", Position.KETUA, "+6281234567801"),
            ("Budi", Position.ANGGOTA, "+6281234567802"),
            ("Dedi PPK", Position.PPK, "+6281234567804"),
        ],
        desa_name="Desa Uji",
        kecamatan_code="36.02.01",
    )
    people += await seed_members(
        session_factory,
        [("Asep", Position.KETUA, "+6281234567899")],
        desa_name="Desa Uji Bayah",
        kecamatan_code="36.02.03",
    )
    users: dict[str, SimUser] = {}
    for member in people:
        users[member.name] = sandbox.new_user(member.name)
        await link_telegram(session_factory, member.id, users[member.name].id)

    document = parse_plan(EXAMPLE, source=EXAMPLE_PLAN.name, sections=[ProgramSection(clock.now)])
    async with session_factory() as session, session.begin():
        await import_plan(session, document, actor="cli", source_name=EXAMPLE_PLAN.name)

    # `plan import` ran in another process: the running bot learns of the new rows through the re-sync.
    scheduler = running_bot.bot_data.scheduler
    assert scheduler.scheduled_job_names() == []
    assert await resync_jobs(scheduler, session_factory, clock) == Resync(added=5, dropped=0)
    assert len(scheduler.scheduled_job_names()) == 5
    assert await resync_jobs(scheduler, session_factory, clock) == Resync(added=0, dropped=0)

    clock.set(datetime(2024, 6, 2, 17, 59, tzinfo=WIB))
    assert await scheduler.fire_due() == []
    clock.set(datetime(2024, 6, 2, 18, 0, tzinfo=WIB))
    [evening] = await scheduler.fire_due()
    await running_bot.bot_data.outbox.wait_idle(timeout=10)
    assert await scheduler.fire_due() == []

    def expected(name: str, kecamatan: str) -> str:
        return (
            f"Yth. Bapak/Ibu {name}, besok Bimtek PPS Kecamatan {kecamatan} diselenggarakan di Aula Kantor "
            f"Kecamatan {kecamatan} (Kantor Kecamatan {kecamatan}, Kabupaten Lebak, Banten), mulai pukul "
            "08.00 WIB.\nMohon hadir 30 menit lebih awal dan membawa KTP. Terima kasih."
        )

    assert {name: [m.text for m in user.messages] for name, user in users.items()} == {
        "Siti <Aminah>": [expected("Siti <Aminah>", "Malingping")],
        "Budi": [expected("Budi", "Malingping")],
        "Dedi PPK": [expected("Dedi PPK", "Malingping")],
        "Asep": [expected("Asep", "Bayah")],
    }
    assert all(sandbox.delivered(user.id) == 1 for user in users.values())
    assert [row.status for row in await program_rows(session_factory) if row.id == evening] == [
        BroadcastStatus.DONE
    ]

    # A re-import that drops an announcement: the bot's job for it goes at the next re-sync.
    async with session_factory() as session, session.begin():
        await import_plan(
            session,
            parse_plan(
                without_announcement(EXAMPLE, "penutupan"), source="p", sections=[ProgramSection(clock.now)]
            ),
            actor="cli",
            source_name="p",
        )
    assert await resync_jobs(scheduler, session_factory, clock) == Resync(added=0, dropped=1)
    assert len(scheduler.scheduled_job_names()) == 3


async def test_the_periodic_resync_is_one_repeating_job(running_bot: BotApplication) -> None:
    job_queue = running_bot.job_queue
    assert job_queue is not None
    data = running_bot.bot_data
    for _ in range(2):  # installing again replaces the job
        install_resync(job_queue, data.scheduler, data.session_factory, data.clock, interval_seconds=3600)
    assert [job.name for job in job_queue.jobs() if job.name == RESYNC_JOB] == [RESYNC_JOB]
