"""'Sudah dibaca' in the plan file: `ack` and `ack_reminder_hours` on an [[announcement]], checked, imported,
re-imported (the reminder follows the file) and removed with its announcement; then sent through the bot."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from factories import import_lebak_wilayah
from sqlalchemy import select

from bot.cli.plan_sections import plan_sections
from bot.core.clock import ManualClock
from bot.core.db import SessionFactory
from bot.delivery.scheduling import resync_jobs
from bot.plan.parsing import parse_plan
from bot.plan.problems import PlanRejected
from bot.plan.sessions import import_plan
from bot.program.announcements import ProgramErrorCode
from bot.runtime.context import BotApplication
from bot.sandbox import Sandbox
from models import Broadcast, BroadcastStatus, Position
from tests.helpers import bot_idle
from tests.seed import link_telegram, seed_members

WIB = ZoneInfo("Asia/Jakarta")
SUNDAY_MORNING = datetime(2024, 6, 2, 10, 0, tzinfo=WIB)
PLAN = (
    '[plan]\nname = "x"\ndate = 2024-06-03\n\n'
    '[[session]]\nkecamatan = "Malingping"\nvenue = "Aula"\nlatitude = -6.34\nlongitude = 106.41\n'
    "starts = 08:00:00\nends = 16:00:00\ncheckin_opens = 07:00:00\ncheckin_closes = 09:00:00\n"
)


def announcement(extra: str = "") -> str:
    return '\n[[announcement]]\nname = "juknis"\nat = 10:00:00\ntext = "Baca juknis, {nama}."\n' + extra


async def _import(factory: SessionFactory, text: str, now: datetime = SUNDAY_MORNING) -> None:
    document = parse_plan(text, source="plan.toml", sections=plan_sections(lambda: now)[:1])
    async with factory() as session, session.begin():
        await import_plan(session, document, actor="cli", source_name="plan.toml")


async def _rows(factory: SessionFactory) -> list[tuple[int, bool, int | None, str, BroadcastStatus]]:
    """(place, asks for acknowledgement, reminder of, time in WIB, status) of every broadcast, in id order (the
    place, not the id: SQLite may give a deleted row's id again)."""
    async with factory() as session:
        rows = await session.scalars(select(Broadcast).order_by(Broadcast.id))
        return [
            (
                n,
                r.ack_requested,
                r.ack_reminder_of,
                r.send_at.astimezone(WIB).strftime("%d %H:%M"),
                r.status,
            )
            for n, r in enumerate(rows, start=1)
        ]


@pytest.mark.parametrize(
    ("extra", "key"),
    [
        ('ack = "ya"\n', "ack"),
        ("ack_reminder_hours = 2\n", "ack_reminder_hours"),  # a reminder without ack
        ("ack = true\nack_reminder_hours = 0\n", "ack_reminder_hours"),
        ("ack = true\nack_reminder_hours = 100\n", "ack_reminder_hours"),
        ('ack = true\nack_reminder_hours = "3h"\n', "ack_reminder_hours"),
    ],
)
def test_bad_ack_keys_are_refused_with_their_place(extra: str, key: str) -> None:
    with pytest.raises(PlanRejected) as caught:
        parse_plan(
            PLAN + announcement(extra), source="plan.toml", sections=plan_sections(lambda: SUNDAY_MORNING)
        )
    [error] = caught.value.errors
    assert error.code in {ProgramErrorCode.BAD_ACK, ProgramErrorCode.BAD_ACK_REMINDER}
    assert (error.place.table, error.place.key) == ("announcement", key)


async def test_the_reminder_follows_the_file_on_every_import(session_factory: SessionFactory) -> None:
    await import_lebak_wilayah(session_factory)
    await _import(session_factory, PLAN + announcement("ack = true\nack_reminder_hours = 2\n"))
    assert await _rows(session_factory) == [
        (1, True, None, "03 10:00", BroadcastStatus.SCHEDULED),
        (2, False, 1, "03 12:00", BroadcastStatus.SCHEDULED),
    ]
    async with session_factory() as session:
        announcement_row = await session.get(Broadcast, 1)
        assert announcement_row is not None and announcement_row.buttons is not None
        assert announcement_row.buttons["id"] == [[{"text": "Sudah dibaca ✅", "callback_data": "ak:1"}]]

    await _import(session_factory, PLAN + announcement("ack = true\nack_reminder_hours = 2\n"))  # unchanged
    await _import(session_factory, PLAN + announcement("ack = true\nack_reminder_hours = 3\n"))
    assert await _rows(session_factory) == [
        (1, True, None, "03 10:00", BroadcastStatus.SCHEDULED),
        (2, False, 1, "03 13:00", BroadcastStatus.SCHEDULED),
    ]
    await _import(session_factory, PLAN + announcement())  # no longer asked
    assert await _rows(session_factory) == [(1, False, None, "03 10:00", BroadcastStatus.SCHEDULED)]
    await _import(session_factory, PLAN + announcement("ack = true\nack_reminder_hours = 1\n"))
    await _import(session_factory, PLAN)  # the announcement is gone, and its reminder with it
    assert await _rows(session_factory) == []


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(SUNDAY_MORNING)


@pytest.fixture
def delivery_options() -> dict[str, object]:
    return {"rate_per_second": 200, "paid_broadcast": True}


async def test_a_program_announcement_with_ack_gets_the_button_and_its_reminder(
    sandbox: Sandbox, running_bot: BotApplication, session_factory: SessionFactory, clock: ManualClock
) -> None:
    await import_lebak_wilayah(session_factory)
    people = await seed_members(
        session_factory,
        [("Siti", Position.KETUA, "+6281234567801"), ("Budi", Position.ANGGOTA, "+6281234567802")],
        kecamatan_code="36.02.01",
    )
    users = {}
    for member in people:
        users[member.name] = sandbox.new_user(member.name)
        await link_telegram(session_factory, member.id, users[member.name].id)
    await _import(session_factory, PLAN + announcement("ack = true\nack_reminder_hours = 2\n"))
    scheduler = running_bot.bot_data.scheduler
    await resync_jobs(scheduler, session_factory, clock)
    assert scheduler.scheduled_job_names() == ["broadcast:1", "broadcast:2"]

    clock.set(datetime(2024, 6, 3, 10, 0, tzinfo=WIB))
    assert await scheduler.fire_due() == [1]
    await running_bot.bot_data.outbox.wait_idle(timeout=10)
    siti = users["Siti"]
    [message] = siti.messages
    assert message.text == "Baca juknis, Siti." and message.buttons[0][0].text == "Sudah dibaca ✅"
    answer = await siti.wait_callback_answered(
        await siti.press("Sudah dibaca ✅", message_id=message.message_id)
    )
    assert answer.text == "Terima kasih, tercatat sudah dibaca."
    await bot_idle(running_bot)

    clock.set(datetime(2024, 6, 3, 12, 0, tzinfo=WIB))
    assert await scheduler.fire_due() == [2]
    await running_bot.bot_data.outbox.wait_idle(timeout=10)
    assert len(siti.messages) == 1  # she had read it
    assert [m.text.splitlines()[0] for m in users["Budi"].messages] == ["Baca juknis, Budi.", "⏰ Pengingat"]
