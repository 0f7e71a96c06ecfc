"""Duty rules on a small world and on Lebak: the [[duty]] plan section, reminders, done, snooze, recaps, digest."""

import io
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from bot.attendance.exports import attendance_xlsx
from bot.attendance.recap import attendance_recap, attendance_rows
from bot.broadcasts.audience import Audience, AudienceKind, recipients
from bot.cli.plan import plan_show
from bot.core.db import SessionFactory
from bot.core.identity import REGENCY, CoordinatorScope
from bot.core.scope import OutOfScope
from bot.duties import creating, digest, marking, progress, reminder_specs
from bot.duties.plan_section import DutyPlanError, DutyPlanSection, DutyPlanWarning
from bot.plan.parsing import parse_plan
from bot.plan.problems import PlanRejected
from bot.plan.sessions import import_plan
from bot.plans import EXAMPLE_PLAN
from handlers.duties.wording import DUTY_WORDING, compose_reminder, duties_sheet
from models import Broadcast, BroadcastStatus, Duty, DutyCompletion, Kecamatan, Position
from tests.factories import import_lebak_wilayah, import_rows, lebak_roster
from tests.seed import link_telegram, seed_coordinator, seed_members

WIB = ZoneInfo("Asia/Jakarta")
TRAINING_DAY = datetime(2024, 6, 3, 7, 30, tzinfo=WIB)
DUE = datetime(2024, 6, 14, 23, 59, tzinfo=WIB)
K, A = Position.KETUA, Position.ANGGOTA


def wib(day: int, hour: int, minute: int = 0, month: int = 6) -> datetime:
    return datetime(2024, month, day, hour, minute, tzinfo=WIB)


@dataclass
class World:
    """Two kecamatan: Malingping (desa Sukamanah and Cilangkahan) and Bayah (desa Bayah Barat)."""

    member: dict[str, int] = field(default_factory=dict)
    kecamatan: dict[str, int] = field(default_factory=dict)

    def ids(self, *names: str) -> set[int]:
        return {self.member[name] for name in names}


@pytest.fixture
async def world(session_factory: SessionFactory) -> World:
    w = World()
    desa = [
        ("Sukamanah", "36.02.01", "Malingping", [("Siti", K), ("Budi", A), ("Cici", A)]),
        ("Cilangkahan", "36.02.01", "Malingping", [("Dedi", K), ("Eka", A), ("Fajar", A)]),
        ("Bayah Barat", "36.02.05", "Bayah", [("Asep", K), ("Nina", A), ("Oki", A)]),
    ]
    phone = 100
    for desa_name, code, kecamatan, people in desa:
        rows = []
        for name, position in people:
            phone += 1
            rows.append((name, position, f"+62812345{phone:05d}"))
        for seeded in await seed_members(
            session_factory, rows, desa_name=desa_name, kecamatan_code=code, kecamatan_name=kecamatan
        ):
            w.member[seeded.name] = seeded.id
            await link_telegram(session_factory, seeded.id, 5000 + seeded.id)
    async with session_factory() as session:
        w.kecamatan = dict((await session.execute(select(Kecamatan.name, Kecamatan.id))).tuples().all())
    await seed_coordinator(session_factory, "+6281311110001", "36.02.01", telegram_user_id=9001)
    await seed_coordinator(session_factory, "+6281311110002", "36.02.05", telegram_user_id=9002)
    await seed_coordinator(session_factory, "+6281311110000", telegram_user_id=9000)
    return w


def scope_of(world: World, kecamatan: str) -> CoordinatorScope:
    return CoordinatorScope(kecamatan_id=world.kecamatan[kecamatan], kecamatan=kecamatan)


async def new_duty(
    factory: SessionFactory,
    *,
    completion: DutyCompletion = DutyCompletion.DESA,
    kind: AudienceKind = AudienceKind.PPS,
    kecamatan_ids: tuple[int, ...] = (),
    reminders: tuple[str, ...] = ("7d", "1d", "07:00"),
    due: datetime = DUE,
    now: datetime = TRAINING_DAY,
    scope: CoordinatorScope = REGENCY,
) -> creating.CreatedDuty:
    spec = creating.DutySpec(
        title="Tetapkan Pantarlih",
        due_at=due.astimezone(UTC),
        kind=kind,
        kecamatan_ids=kecamatan_ids,
        completion=completion,
        reminders=reminders,
    )
    async with factory() as session, session.begin():
        return await creating.create_duty(
            session,
            spec,
            scope=scope,
            compose=compose_reminder,
            created_by=9000,
            creator_chat_id=9000,
            now=now,
            zone=WIB,
        )


async def reminded(
    factory: SessionFactory, duty_id: int, at: datetime, *, member: int | None = None
) -> set[int]:
    """Who a reminder of the duty (the regular ones, or `member`'s own after a snooze) reaches if it fires at
    `at`: the audience stored on the reminder broadcast, read at firing time as the outbox does."""
    async with factory() as session:
        stored = [
            Audience.from_json(audience)
            for audience in await session.scalars(
                select(Broadcast.audience).where(Broadcast.duty_id == duty_id)
            )
        ]
        [audience] = {a for a in stored if a.member_ids == ((member,) if member is not None else ())}
        return {member_id for member_id, _ in await recipients(session, audience, now=at, zone=WIB)}


# --- Reminder specs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7d", wib(7, 7)),
        ("1d", wib(13, 7)),
        ("1d 18:00", wib(13, 18)),
        ("07:00", wib(14, 7)),
        ("0d 16.30", wib(14, 16, 30)),
        ("3h", wib(14, 20, 59)),
        (" 14D ", wib(31, 7, month=5)),
    ],
)
def test_a_reminder_is_days_before_the_due_day_in_the_morning_or_hours_before(
    text: str, expected: datetime
) -> None:
    spec = reminder_specs.parse_reminder(text)
    assert spec is not None
    assert spec.moment(DUE.astimezone(UTC), WIB, TRAINING_DAY) == expected


@pytest.mark.parametrize("text", ["", "besok", "7", "7 d", "0h", "25:00", "1d 7", "-1d"])
def test_what_is_not_a_reminder(text: str) -> None:
    assert reminder_specs.parse_reminder(text) is None


def test_reminders_already_past_or_not_before_due_are_not_sent() -> None:
    planned = reminder_specs.planned_reminders(
        ["7d", "1d", "07:00", "now"], DUE.astimezone(UTC), now=wib(10, 9), zone=WIB
    )
    assert [(r.spec, r.at, r.will_send) for r in planned] == [
        ("7d", wib(7, 7), False),
        ("now", wib(10, 9), True),
        ("1d", wib(13, 7), True),
        ("07:00", wib(14, 7), True),
    ]


# --- Duties from the plan file -------------------------------------------------------------------------


async def test_the_example_plan_brings_the_pilkada_duties_with_their_reminders(
    session_factory: SessionFactory,
) -> None:
    await import_lebak_wilayah(session_factory)
    await import_rows(session_factory, lebak_roster())
    document = parse_plan(
        EXAMPLE_PLAN.read_text(encoding="utf-8"),
        source="p",
        sections=[DutyPlanSection(lambda: TRAINING_DAY, wording=DUTY_WORDING)],
    )
    async with session_factory() as session, session.begin():
        summary = await import_plan(session, document, actor="test", source_name="p")
    [outcome] = [o for o in summary.sections if o.table == "duty"]
    assert outcome.counts == {
        "duties": 5,
        "new": 5,
        "updated": 0,
        "unchanged": 0,
        "withdrawn": 0,
        "reminders": 19,
    }
    async with session_factory() as session:
        rows = (await session.scalars(select(Duty).order_by(Duty.due_at))).all()
        coklit = next(d for d in rows if d.plan_key == "coklit")
        coklit_reminders = list(
            await session.scalars(
                select(Broadcast.send_at).where(Broadcast.duty_id == coklit.id).order_by(Broadcast.send_at)
            )
        )
        recap = await progress.duty_recap(session, REGENCY)
    assert [d.plan_key for d in rows] == [
        "pantarlih-tetapkan",
        "bimtek-pantarlih",
        "coklit",
        "umumkan-dps",
        "bentuk-kpps",
    ]
    assert coklit.link == "https://ecoklit.kpu.go.id/"
    assert coklit.due_at == datetime(2024, 7, 24, 23, 59, tzinfo=WIB)
    # 30 days before the end of coklit is its first day, 24 June, in the morning.
    assert coklit_reminders == [
        wib(24, 7),
        wib(10, 7, month=7),
        wib(17, 7, month=7),
        wib(23, 7, month=7),
        wib(24, 7, month=7),
    ]
    # Every duty is done per desa by the PPS of all 345 desa of Lebak.
    assert {(r.done, r.total, len(r.kecamatan)) for r in recap} == {(0, 345, 28)}

    out = io.StringIO()
    await plan_show(
        session_factory,
        language="id",
        zone=WIB,
        out=out,
        sections=[DutyPlanSection(lambda: TRAINING_DAY, wording=DUTY_WORDING)],
    )
    assert (
        "  23.59 WIB  Tenggat tugas: Awasi coklit Pantarlih (24 Juni – 24 Juli 2024) → Semua PPS, "
        "1.035 anggota; Sekali per desa (salah satu PPS desa menandai)"
    ) in out.getvalue().splitlines()

    # Importing the same file again changes nothing.
    again = parse_plan(
        EXAMPLE_PLAN.read_text(encoding="utf-8"),
        source="p",
        sections=[DutyPlanSection(lambda: TRAINING_DAY, wording=DUTY_WORDING)],
    )
    async with session_factory() as session, session.begin():
        summary = await import_plan(session, again, actor="test", source_name="p")
    [outcome] = [o for o in summary.sections if o.table == "duty"]
    assert (outcome.counts["unchanged"], outcome.counts["reminders"]) == (5, 0)


PLAN_HEAD = """
[plan]
name = "x"
date = 2024-06-03

[[session]]
kecamatan = "Malingping"
venue = "Aula"
latitude = -6.77
longitude = 106.02
starts = 08:00:00
ends = 16:00:00
checkin_opens = 07:00:00
checkin_closes = 09:00:00
"""


def duty_entry(**values: str) -> str:
    return "\n[[duty]]\n" + "".join(f"{key} = {value}\n" for key, value in values.items())


async def import_duties(factory: SessionFactory, text: str, now: datetime = TRAINING_DAY) -> dict[str, int]:
    document = parse_plan(
        PLAN_HEAD + text, source="plan.toml", sections=[DutyPlanSection(lambda: now, wording=DUTY_WORDING)]
    )
    async with factory() as session, session.begin():
        summary = await import_plan(session, document, actor="test", source_name="plan.toml")
    [outcome] = summary.sections
    return dict(outcome.counts)


async def scheduled_reminders(factory: SessionFactory) -> list[datetime]:
    async with factory() as session:
        return list(
            await session.scalars(
                select(Broadcast.send_at)
                .where(Broadcast.duty_id.is_not(None), Broadcast.status == BroadcastStatus.SCHEDULED)
                .order_by(Broadcast.send_at)
            )
        )


async def test_an_edited_duty_gets_new_reminders_and_a_removed_one_is_withdrawn(
    session_factory: SessionFactory, world: World
) -> None:
    first = duty_entry(name='"pantarlih"', title='"Tetapkan Pantarlih"', due="2024-06-14T23:59:00")
    second = duty_entry(
        title='"Ketua lapor ke PPK"', due="2024-06-10", audience='"ketua"', reminders='["1d"]'
    )
    counts = await import_duties(session_factory, first + second)
    assert (counts["new"], counts["reminders"]) == (2, 4)
    assert await scheduled_reminders(session_factory) == [wib(7, 7), wib(9, 7), wib(13, 7), wib(14, 7)]

    moved = first.replace("2024-06-14T23:59:00", "2024-06-21T16:00:00")
    counts = await import_duties(session_factory, moved, now=wib(8, 12))
    assert {k: counts[k] for k in ("updated", "withdrawn", "reminders")} == {
        "updated": 1,
        "withdrawn": 1,
        "reminders": 3,
    }
    assert await scheduled_reminders(session_factory) == [wib(14, 7), wib(20, 7), wib(21, 7)]
    async with session_factory() as session:
        titles = [d.title for d in await marking.member_duties(session, world.member["Siti"])]
    assert titles == ["Tetapkan Pantarlih"]  # the Ketua's duty left the file: withdrawn


async def test_a_duty_due_before_the_import_is_kept_without_reminders_and_a_warning(
    session_factory: SessionFactory, world: World
) -> None:
    document = parse_plan(
        PLAN_HEAD + duty_entry(title='"Lama"', due="2024-06-01T12:00:00"),
        source="plan.toml",
        sections=[DutyPlanSection(lambda: TRAINING_DAY, wording=DUTY_WORDING)],
    )
    async with session_factory() as session, session.begin():
        summary = await import_plan(session, document, actor="test", source_name="plan.toml")
    assert [(w.code, w.place.label, w.params) for w in summary.warnings if w.code.startswith("duty")] == [
        (DutyPlanWarning.PAST_DUE, "Lama", {"due": "2024-06-01 12:00"})
    ]
    assert await scheduled_reminders(session_factory) == []


@pytest.mark.parametrize(
    ("values", "code", "key"),
    [
        (
            {"title": '"x"', "due": "2024-06-14T23:59:00", "reminders": '["besok"]'},
            DutyPlanError.BAD_REMINDER,
            "reminders",
        ),
        (
            {"title": '"x"', "due": "2024-06-14T06:00:00", "reminders": '["07:00"]'},
            DutyPlanError.REMINDER_NOT_BEFORE_DUE,
            "reminders",
        ),
        ({"title": '"x"', "due": "2024-06-14", "reminders": '"1d"x'}, None, None),
        ({"title": '"x"', "due": "2024-06-14", "reminders": "[1, 2]"}, DutyPlanError.NOT_A_LIST, "reminders"),
        (
            {"title": '"x"', "due": "2024-06-14", "audience": '"semua"'},
            DutyPlanError.BAD_AUDIENCE,
            "audience",
        ),
        (
            {"title": '"x"', "due": "2024-06-14", "done_by": '"kelompok"'},
            DutyPlanError.BAD_DONE_BY,
            "done_by",
        ),
        ({"title": '"x"', "due": "2024-06-14", "link": '"http://e.id"'}, DutyPlanError.BAD_LINK, "link"),
        ({"title": '"x"', "due": "2024-06-14", "name": '"Bentuk KPPS"'}, DutyPlanError.BAD_NAME, "name"),
        ({"title": '"x"'}, "missing_key", "due"),
        ({"due": "2024-06-14"}, "missing_key", "title"),
        ({"title": '"x"', "due": "2024-06-14", "deadline": "1"}, "unknown_key", "deadline"),
    ],
)
def test_a_bad_duty_entry_is_refused_with_its_place(
    values: dict[str, str], code: str | None, key: str | None
) -> None:
    with pytest.raises(PlanRejected) as refused:
        parse_plan(
            PLAN_HEAD + duty_entry(**values),
            source="p",
            sections=[DutyPlanSection(lambda: TRAINING_DAY, wording=DUTY_WORDING)],
        )
    if code is None:  # not TOML at all
        assert refused.value.errors[0].code == "syntax"
        return
    [error] = refused.value.errors
    assert (error.code, error.place.table, error.place.number, error.place.key) == (code, "duty", 1, key)


def test_audience_and_done_by_are_read_in_any_case() -> None:
    document = parse_plan(
        PLAN_HEAD + duty_entry(title='"x"', due="2024-06-14", audience='"Ketua"', done_by='"MEMBER"'),
        source="p",
        sections=[DutyPlanSection(lambda: TRAINING_DAY, wording=DUTY_WORDING)],
    )
    [entry] = document.items["duty"]
    assert (entry.kind, entry.completion) == (AudienceKind.KETUA, DutyCompletion.MEMBER)


def test_two_duties_of_the_same_name_are_refused_at_the_second() -> None:
    text = PLAN_HEAD + duty_entry(title='"Bentuk KPPS"', due="2024-11-05")
    text += duty_entry(name='"bentuk-kpps"', title='"Bentuk KPPS lagi"', due="2024-11-06")
    with pytest.raises(PlanRejected) as refused:
        parse_plan(text, source="p", sections=[DutyPlanSection(lambda: TRAINING_DAY, wording=DUTY_WORDING)])
    [error] = refused.value.errors
    assert (error.code, error.place.number, error.params) == (
        DutyPlanError.DUPLICATE_NAME,
        2,
        {"name": "bentuk-kpps", "first": 1},
    )


async def test_an_unknown_kecamatan_refuses_the_import_and_writes_nothing(
    session_factory: SessionFactory, world: World
) -> None:
    text = duty_entry(title='"x"', due="2024-06-14", kecamatan='["Malingping", "Bayahh"]')
    with pytest.raises(PlanRejected) as refused:
        await import_duties(session_factory, text)
    [error] = refused.value.errors
    assert (error.code, error.place.key, error.params) == (
        "unknown_kecamatan_similar",
        "kecamatan",
        {"name": "Bayahh", "suggestions": "Bayah"},
    )
    async with session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(Duty)) == 0


# --- Done, snooze and undo ------------------------------------------------------------------------------


async def test_a_per_desa_duty_done_by_one_member_is_done_for_the_whole_desa(
    session_factory: SessionFactory, world: World
) -> None:
    duty = await new_duty(session_factory)
    assert await reminded(session_factory, duty.id, wib(7, 7)) == world.ids(
        "Siti", "Budi", "Cici", "Dedi", "Eka", "Fajar", "Asep", "Nina", "Oki"
    )
    async with session_factory() as session, session.begin():
        mark = await marking.mark_done(session, duty.id, world.member["Budi"], now=wib(8, 10))
    assert (mark.name, mark.by_me) == ("Budi", True)
    assert await reminded(session_factory, duty.id, wib(13, 7)) == world.ids(
        "Dedi", "Eka", "Fajar", "Asep", "Nina", "Oki"
    )
    async with session_factory() as session, session.begin():
        with pytest.raises(marking.AlreadyDone) as already:
            await marking.mark_done(session, duty.id, world.member["Siti"], now=wib(9, 10))
        listed = await marking.member_duties(session, world.member["Cici"])
    assert (already.value.mark.name, already.value.mark.by_me, already.value.mark.at) == (
        "Budi",
        False,
        wib(8, 10),
    )
    [cici_sees] = listed
    assert cici_sees.done is not None and cici_sees.done.name == "Budi"


async def test_a_per_member_duty_is_done_by_each_member_alone(
    session_factory: SessionFactory, world: World
) -> None:
    duty = await new_duty(session_factory, completion=DutyCompletion.MEMBER)
    async with session_factory() as session, session.begin():
        await marking.mark_done(session, duty.id, world.member["Budi"], now=wib(8, 10))
        await marking.mark_done(session, duty.id, world.member["Siti"], now=wib(8, 11))
    assert await reminded(session_factory, duty.id, wib(13, 7)) == world.ids(
        "Cici", "Dedi", "Eka", "Fajar", "Asep", "Nina", "Oki"
    )


async def test_snooze_moves_only_that_members_next_reminder_to_the_same_time_tomorrow(
    session_factory: SessionFactory, world: World
) -> None:
    duty = await new_duty(session_factory)
    budi = world.member["Budi"]
    async with session_factory() as session, session.begin():
        snoozed = await marking.snooze(
            session, duty.id, budi, now=wib(7, 7, 5), zone=WIB, language="id", compose=compose_reminder
        )
    assert snoozed.until == wib(8, 7, 5) and snoozed.reminder.send_at == wib(8, 7, 5)
    # Until then the regular reminders skip Budi; his own reminder reaches only him, then.
    assert budi not in await reminded(session_factory, duty.id, wib(7, 18))
    assert await reminded(session_factory, duty.id, wib(8, 7, 5), member=budi) == {budi}
    assert budi in await reminded(session_factory, duty.id, wib(13, 7))

    async with session_factory() as session, session.begin():
        again = await marking.snooze(
            session, duty.id, budi, now=wib(7, 9), zone=WIB, language="id", compose=compose_reminder
        )
    assert again.cancelled == (snoozed.reminder.broadcast_id,)  # replaced, not added


async def test_no_snooze_past_the_due_time_and_no_reminder_after_it(
    session_factory: SessionFactory, world: World
) -> None:
    duty = await new_duty(session_factory)
    async with session_factory() as session, session.begin():
        with pytest.raises(marking.SnoozePastDue):
            await marking.snooze(
                session,
                duty.id,
                world.member["Budi"],
                now=wib(14, 7),
                zone=WIB,
                language="id",
                compose=compose_reminder,
            )
    assert await reminded(session_factory, duty.id, wib(14, 23, 59)) == set()
    assert await reminded(session_factory, duty.id, wib(15, 7)) == set()


async def test_a_done_mark_can_be_undone_within_ten_minutes_by_whoever_made_it(
    session_factory: SessionFactory, world: World
) -> None:
    duty = await new_duty(session_factory)
    async with session_factory() as session, session.begin():
        await marking.mark_done(session, duty.id, world.member["Budi"], now=wib(8, 10))
    async with session_factory() as session, session.begin():
        with pytest.raises(marking.NothingToUndo):
            await marking.undo_done(session, duty.id, world.member["Siti"], now=wib(8, 10, 2))
        assert (
            await marking.undo_done(session, duty.id, world.member["Budi"], now=wib(8, 10, 5))
            == "Tetapkan Pantarlih"
        )
    assert world.member["Siti"] in await reminded(session_factory, duty.id, wib(13, 7))
    async with session_factory() as session, session.begin():
        await marking.mark_done(session, duty.id, world.member["Siti"], now=wib(8, 10, 30))
    async with session_factory() as session, session.begin():
        with pytest.raises(marking.UndoExpired):
            await marking.undo_done(session, duty.id, world.member["Siti"], now=wib(8, 10, 41))


async def test_a_member_may_only_mark_the_duties_that_are_for_them(
    session_factory: SessionFactory, world: World
) -> None:
    ketua_only = await new_duty(session_factory, kind=AudienceKind.KETUA)
    bayah_only = await new_duty(session_factory, kecamatan_ids=(world.kecamatan["Bayah"],))
    async with session_factory() as session, session.begin():
        with pytest.raises(marking.NotYourDuty):
            await marking.mark_done(session, ketua_only.id, world.member["Budi"], now=wib(8, 10))
        with pytest.raises(marking.NotYourDuty):
            await marking.snooze(
                session,
                bayah_only.id,
                world.member["Siti"],
                now=wib(8, 10),
                zone=WIB,
                language="id",
                compose=compose_reminder,
            )
        with pytest.raises(marking.NotYourDuty):
            await marking.mark_done(session, 999, world.member["Siti"], now=wib(8, 10))
        await marking.mark_done(session, ketua_only.id, world.member["Siti"], now=wib(8, 10))
    assert await reminded(session_factory, ketua_only.id, wib(13, 7)) == world.ids("Dedi", "Asep")


async def test_a_ppk_coordinator_creates_duties_only_for_their_kecamatan(
    session_factory: SessionFactory, world: World
) -> None:
    ppk = scope_of(world, "Malingping")
    duty = await new_duty(session_factory, scope=ppk)
    assert await reminded(session_factory, duty.id, wib(7, 7)) == world.ids(
        "Siti", "Budi", "Cici", "Dedi", "Eka", "Fajar"
    )
    with pytest.raises(OutOfScope):
        await new_duty(session_factory, scope=ppk, kecamatan_ids=(world.kecamatan["Bayah"],))


# --- Coordinators: recap, digest, export ----------------------------------------------------------------


async def test_the_recap_counts_desa_per_kecamatan_and_lists_those_not_done(
    session_factory: SessionFactory, world: World
) -> None:
    per_desa = await new_duty(session_factory)
    per_member = await new_duty(
        session_factory, completion=DutyCompletion.MEMBER, due=DUE + timedelta(days=1)
    )
    async with session_factory() as session, session.begin():
        await marking.mark_done(session, per_desa.id, world.member["Eka"], now=wib(8, 10))
        await marking.mark_done(session, per_member.id, world.member["Eka"], now=wib(8, 10))
        await marking.mark_done(session, per_member.id, world.member["Asep"], now=wib(8, 10))
    async with session_factory() as session:
        recap = await progress.duty_recap(session, REGENCY)
        ppk_recap = await progress.duty_recap(session, scope_of(world, "Malingping"))
        detail = await progress.kecamatan_detail(
            session, per_member.id, world.kecamatan["Malingping"], REGENCY
        )
        with pytest.raises(OutOfScope):
            await progress.kecamatan_detail(
                session, per_desa.id, world.kecamatan["Bayah"], scope_of(world, "Malingping")
            )
    assert [(r.done, r.total, [(k.name, k.done, k.total) for k in r.kecamatan]) for r in recap] == [
        (1, 3, [("Bayah", 0, 1), ("Malingping", 1, 2)]),
        (2, 9, [("Bayah", 1, 3), ("Malingping", 1, 6)]),
    ]
    assert [(r.done, r.total) for r in ppk_recap] == [(1, 2), (1, 6)]
    assert detail is not None
    assert [(d.name, d.done, d.total, d.missing) for d in detail.pending] == [
        ("Cilangkahan", 1, 3, ("Dedi", "Fajar")),
        ("Sukamanah", 0, 3, ("Budi", "Cici", "Siti")),
    ]


async def test_the_overdue_digest_goes_once_the_morning_after_to_each_kecamatans_ppk(
    session_factory: SessionFactory, world: World
) -> None:
    duty = await new_duty(session_factory)
    await new_duty(session_factory, due=wib(20, 12))  # not overdue yet
    async with session_factory() as session, session.begin():
        await marking.mark_done(session, duty.id, world.member["Asep"], now=wib(10, 10))
        assert await digest.claim_overdue_digests(session, now=wib(15, 6, 59), zone=WIB) == []
    async with session_factory() as session, session.begin():
        digests = await digest.claim_overdue_digests(session, now=wib(15, 7), zone=WIB)
    # Bayah is done: only Malingping's PPK hears, about its two desa.
    assert [(d.chat_id, d.kecamatan, [[p.name for p in x.pending] for x in d.duties]) for d in digests] == [
        (9001, "Malingping", [["Cilangkahan", "Sukamanah"]])
    ]
    async with session_factory() as session, session.begin():
        assert await digest.claim_overdue_digests(session, now=wib(15, 9), zone=WIB) == []


async def test_a_duty_long_overdue_gets_no_digest(session_factory: SessionFactory, world: World) -> None:
    await new_duty(session_factory, due=wib(3, 12), now=wib(3, 8))
    async with session_factory() as session, session.begin():
        assert await digest.claim_overdue_digests(session, now=wib(6, 7), zone=WIB) == []


async def test_the_duties_sheet_joins_the_attendance_workbook(
    session_factory: SessionFactory, world: World
) -> None:
    per_desa = await new_duty(session_factory)
    async with session_factory() as session, session.begin():
        await marking.mark_done(session, per_desa.id, world.member["Budi"], now=wib(8, 10))
    async with session_factory() as session:
        sheet_rows = await progress.duty_sheet_rows(session, scope_of(world, "Malingping"))
        sheet = duties_sheet(sheet_rows, language="id", zone=WIB, now=wib(9, 12))
        recap = await attendance_recap(session, world.kecamatan["Malingping"])
        rows = await attendance_rows(session, world.kecamatan["Malingping"])
    assert sheet.title == "Tugas"
    assert sheet.header[:6] == ("Tugas", "Tenggat (WIB)", "Kecamatan", "Desa/Kelurahan", "Anggota", "Status")
    assert [row[2:8] for row in sheet.rows] == [
        ("Malingping", "Cilangkahan", None, "Belum", None, None),
        ("Malingping", "Sukamanah", None, "Selesai", "Budi", wib(8, 10)),
    ]
    workbook = load_workbook(
        io.BytesIO(
            attendance_xlsx(
                recap, rows, language="id", zone=WIB, generated_at=wib(9, 12), extra_sheets=[sheet]
            )
        )
    )
    ws = workbook["Tugas"]
    assert [c.value for c in ws[3]][:6] == [
        "Tetapkan Pantarlih",
        datetime(2024, 6, 14, 23, 59),
        "Malingping",
        "Sukamanah",
        None,
        "Selesai",
    ]


def test_the_digest_time_is_the_last_seven_oclock() -> None:
    assert digest.digest_cutoff(wib(15, 6, 59), WIB) == wib(14, 7)
    assert digest.digest_cutoff(wib(15, 7), WIB) == wib(15, 7)
    assert time(7, 0) == digest.DIGEST_TIME
