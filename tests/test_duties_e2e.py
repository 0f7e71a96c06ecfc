"""Duties end to end: reminders at each offset with Selesai / Ingatkan besok, /tugas, /tugas_baru, /rekap_tugas,
the overdue digest, and restarts between reminders."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from conftest import sandbox_config
from sqlalchemy import update

from bot.app import build_application, running
from bot.core.clock import ManualClock
from bot.core.db import SessionFactory
from bot.duties.plan_section import DutyPlanSection
from bot.plan.parsing import parse_plan
from bot.plan.sessions import import_plan
from bot.runtime.context import BotApplication
from bot.sandbox import BotMessage, Sandbox, SimUser
from handlers.duties import send_overdue_digest
from handlers.duties.wording import DUTY_WORDING
from models import Position, TelegramAccount
from tests.helpers import bot_idle, press_when_shown
from tests.seed import link_telegram, seed_coordinator, seed_members

WIB = ZoneInfo("Asia/Jakarta")
K, A = Position.KETUA, Position.ANGGOTA
# Tests run the outbox fast (a paid-broadcast rate); the real rate is measured in bench/.
FAST = {"rate_per_second": 200, "paid_broadcast": True}
REMINDER = "Pengingat tugas"
DONE, SNOOZE = "✅ Selesai", "⏰ Ingatkan besok"

PLAN = """
[plan]
name = "Bimtek"
date = 2024-06-03

[[session]]
kecamatan = "Malingping"
venue = "Aula Kecamatan Malingping"
latitude = -6.77
longitude = 106.02
starts = 08:00:00
ends = 16:00:00
checkin_opens = 07:00:00
checkin_closes = 09:00:00
"""
PANTARLIH = """
[[duty]]
name = "pantarlih"
title = "Tetapkan Pantarlih"
description = "Tetapkan Pantarlih untuk setiap TPS & kirim SK-nya ke PPK."
due = 2024-06-14T23:59:00
done_by = "{done_by}"
reminders = ["7d", "7d 18:00", "1d", "07:00"]
"""

KETUA_REPORT = """
[[duty]]
title = "Laporan Ketua"
due = 2024-06-14T23:59:00
audience = "ketua"
reminders = ["07:00"]
"""


def wib(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2024, 6, day, hour, minute, tzinfo=WIB)


@dataclass
class World:
    """Malingping (Sukamanah: Siti, Budi, Cici; Cilangkahan: Dedi, Eka), Bayah (Bayah Barat: Asep, Nina);
    a KPU coordinator (also the admin who hears of missed reminders) and each kecamatan's PPK coordinator."""

    kpu: SimUser
    ppk: SimUser
    ppk_bayah: SimUser
    members: dict[str, SimUser] = field(default_factory=dict)

    def __getitem__(self, name: str) -> SimUser:
        return self.members[name]


@pytest.fixture
async def world(sandbox: Sandbox, session_factory: SessionFactory) -> World:
    w = World(
        kpu=sandbox.new_user("Bu KPU"), ppk=sandbox.new_user("Pak PPK"), ppk_bayah=sandbox.new_user("Bu PPK")
    )
    groups = [
        ("Sukamanah", "36.02.01", "Malingping", [("Siti", K), ("Budi", A), ("Cici", A)]),
        ("Cilangkahan", "36.02.01", "Malingping", [("Dedi", K), ("Eka", A)]),
        ("Bayah Barat", "36.02.05", "Bayah", [("Asep", K), ("Nina", A)]),
    ]
    phone = 800
    for desa, code, kecamatan, people in groups:
        rows = []
        for name, position in people:
            phone += 1
            rows.append((name, position, f"+6281234567{phone:03d}"))
        seeded = await seed_members(
            session_factory, rows, desa_name=desa, kecamatan_code=code, kecamatan_name=kecamatan
        )
        for member in seeded:
            user = sandbox.new_user(member.name)
            await link_telegram(session_factory, member.id, user.id)
            w.members[member.name] = user
    await seed_coordinator(session_factory, "+6281311110000", telegram_user_id=w.kpu.id)
    await seed_coordinator(session_factory, "+6281311110001", "36.02.01", telegram_user_id=w.ppk.id)
    await seed_coordinator(session_factory, "+6281311110002", "36.02.05", telegram_user_id=w.ppk_bayah.id)
    return w


async def import_duties(factory: SessionFactory, clock: ManualClock, duties: str) -> None:
    """`plan import` of a plan with these [[duty]] entries, at the clock's time (before the bot starts)."""
    document = parse_plan(
        PLAN + duties, source="plan.toml", sections=[DutyPlanSection(clock.now, wording=DUTY_WORDING)]
    )
    async with factory() as session, session.begin():
        await import_plan(session, document, actor="test", source_name="plan.toml")


@asynccontextmanager
async def bot_running(
    sandbox: Sandbox, database_url: str, clock: ManualClock, world: World
) -> AsyncIterator[BotApplication]:
    """The real bot from the composition root (the KPU coordinator is its admin); stopped when the block ends."""
    config = sandbox_config(sandbox, database_url, FAST, admins=(world.kpu.id,))
    application = build_application(config, clock=clock, per_chat_interval=0.0)
    async with running(application, poll_timeout=5):
        yield application


async def fire(application: BotApplication, clock: ManualClock, moment: datetime) -> list[int]:
    """Move the clock to `moment`, start what is due, and wait until the outbox has sent it."""
    clock.set(moment)
    started = await application.bot_data.scheduler.fire_due()
    await application.bot_data.outbox.wait_idle(timeout=10)
    return started


def reminders(user: SimUser) -> list[BotMessage]:
    return [m for m in user.messages if REMINDER in m.text]


def counts(world: World) -> dict[str, int]:
    return {
        name: len([m for m in user.messages if REMINDER in m.text or "Duty reminder" in m.text])
        for name, user in world.members.items()
    }


async def press_on(user: SimUser, message: BotMessage, text: str) -> str:
    """Press a button of this very message; returns the query id."""
    return await user.press(text, message_id=message.message_id)


# --- Reminders from the plan ----------------------------------------------------------------------------


async def test_plan_duty_reminds_at_each_offset_until_the_desa_is_done(
    sandbox: Sandbox, database_url: str, session_factory: SessionFactory, clock: ManualClock, world: World
) -> None:
    await import_duties(session_factory, clock, PANTARLIH.format(done_by="desa"))
    async with session_factory() as session, session.begin():
        await session.execute(
            update(TelegramAccount).where(TelegramAccount.id == world["Nina"].id).values(language="en")
        )
    async with bot_running(sandbox, database_url, clock, world) as bot:
        await fire(bot, clock, wib(7, 7))
        assert counts(world) == dict.fromkeys(world.members, 1)
        [english] = [m for m in world["Nina"].messages if "Duty reminder" in m.text]
        assert "Due: Friday, 14 June 2024 at 23:59 WIB (in 7 days)" in english.text
        assert english.button_texts == ["✅ Done", "⏰ Remind me tomorrow"]
        [first] = reminders(world["Budi"])
        assert first.text.splitlines()[:5] == [
            "🔔 Pengingat tugas",
            "",
            "Tetapkan Pantarlih",
            "Tetapkan Pantarlih untuk setiap TPS & kirim SK-nya ke PPK.",
            "",
        ]
        assert "Tenggat: Jumat, 14 Juni 2024 pukul 23.59 WIB (7 hari lagi)" in first.text
        assert "Cukup satu anggota PPS desa Anda yang menandainya." in first.text
        assert first.button_texts == [DONE, SNOOZE]

        query = await press_on(world["Budi"], first, DONE)
        answer = await world["Budi"].wait_callback_answered(query)
        assert answer.text == "Tercatat selesai: Tetapkan Pantarlih"
        edited = await world["Budi"].wait_for_edit(first.message_id)
        assert "✅ Anda menandai tugas ini selesai pada Jumat, 7 Juni 2024 pukul 07.00 WIB." in edited.text
        assert "Anggota PPS lain di desa Anda tidak akan diingatkan lagi." in edited.text
        assert edited.button_texts == ["↩️ Batalkan tanda selesai"]

        # Siti, of the same desa, presses her own reminder's button: she is told who did it.
        [siti_reminder] = reminders(world["Siti"])
        query = await press_on(world["Siti"], siti_reminder, DONE)
        answer = await world["Siti"].wait_callback_answered(query)
        assert (
            answer.text
            == "Tetapkan Pantarlih sudah ditandai selesai oleh Budi pada Jumat, 7 Juni 2024 pukul 07.00 WIB."
        )
        noted = await world["Siti"].wait_for_edit(siti_reminder.message_id)
        assert noted.text.endswith(
            "— ✅ Sudah ditandai selesai oleh Budi pada Jumat, 7 Juni 2024 pukul 07.00 WIB."
        )
        assert noted.button_texts == []

        # Sukamanah is done: Siti and Cici hear no more; everyone else gets every reminder until the due day.
        await fire(bot, clock, wib(7, 18))
        await fire(bot, clock, wib(13, 7))
        await fire(bot, clock, wib(14, 7))
        assert counts(world) == {"Siti": 1, "Budi": 1, "Cici": 1, "Dedi": 4, "Eka": 4, "Asep": 4, "Nina": 4}
        morning = reminders(world["Dedi"])[-1]
        assert "(hari ini)" in morning.text
        assert morning.button_texts == [DONE]  # tomorrow is after the due time: nothing to snooze to

        # Nothing after the due time.
        assert await fire(bot, clock, wib(15, 7)) == []
        assert counts(world)["Dedi"] == 4

        await world["Cici"].send_text("/tugas")
        listing = await world["Cici"].wait_for(lambda m: "Tugas Anda" in m.text)
        assert "✅ Tetapkan Pantarlih — ditandai Budi, Jumat, 7 Juni 2024 pukul 07.00 WIB" in listing.text


async def test_a_per_member_duty_stops_only_for_who_marked_it(
    sandbox: Sandbox, database_url: str, session_factory: SessionFactory, clock: ManualClock, world: World
) -> None:
    await import_duties(session_factory, clock, PANTARLIH.format(done_by="member"))
    async with bot_running(sandbox, database_url, clock, world) as bot:
        await fire(bot, clock, wib(7, 7))
        [reminder] = reminders(world["Siti"])
        assert "Tekan Selesai bila sudah Anda kerjakan." in reminder.text
        query = await press_on(world["Siti"], reminder, DONE)
        await world["Siti"].wait_callback_answered(query)
        await world["Siti"].wait_for_edit(reminder.message_id)
        await fire(bot, clock, wib(7, 18))
        await fire(bot, clock, wib(13, 7))
        assert counts(world) == {"Siti": 1, "Budi": 3, "Cici": 3, "Dedi": 3, "Eka": 3, "Asep": 3, "Nina": 3}


async def test_snooze_moves_only_that_members_next_reminder_to_tomorrow(
    sandbox: Sandbox, database_url: str, session_factory: SessionFactory, clock: ManualClock, world: World
) -> None:
    await import_duties(session_factory, clock, PANTARLIH.format(done_by="desa"))
    async with bot_running(sandbox, database_url, clock, world) as bot:
        await fire(bot, clock, wib(7, 7))
        [reminder] = reminders(world["Budi"])
        query = await press_on(world["Budi"], reminder, SNOOZE)
        answer = await world["Budi"].wait_callback_answered(query)
        assert answer.text == "Baik, diingatkan lagi Sabtu, 8 Juni 2024 pukul 07.00 WIB."
        edited = await world["Budi"].wait_for_edit(reminder.message_id)
        assert "⏰ Anda akan diingatkan lagi Sabtu, 8 Juni 2024 pukul 07.00 WIB." in edited.text
        assert edited.button_texts == [DONE]

        await fire(bot, clock, wib(7, 18))  # the evening reminder skips Budi only
        assert counts(world) == {"Siti": 2, "Budi": 1, "Cici": 2, "Dedi": 2, "Eka": 2, "Asep": 2, "Nina": 2}
        await fire(bot, clock, wib(8, 7))  # Budi's own reminder, to him alone
        assert counts(world) == {"Siti": 2, "Budi": 2, "Cici": 2, "Dedi": 2, "Eka": 2, "Asep": 2, "Nina": 2}
        assert "(6 hari lagi)" in reminders(world["Budi"])[-1].text
        await fire(bot, clock, wib(13, 7))  # afterwards Budi is reminded with everyone again
        assert counts(world)["Budi"] == 3


async def test_every_press_is_checked_again_and_answered(
    sandbox: Sandbox, database_url: str, session_factory: SessionFactory, clock: ManualClock, world: World
) -> None:
    morning_only = PANTARLIH.format(done_by="desa").replace('["7d", "7d 18:00", "1d", "07:00"]', '["07:00"]')
    await import_duties(session_factory, clock, morning_only + KETUA_REPORT)
    async with bot_running(sandbox, database_url, clock, world) as bot:
        await fire(bot, clock, wib(14, 7))
        budi = world["Budi"]
        [reminder] = reminders(budi)  # only the duty for all PPS
        # A modified client asks to snooze past the due time, and to mark the Ketua's duty (id 2) done.
        snooze = await budi.press_raw(reminder.message_id, "td:s:1:r")
        assert (await budi.wait_callback_answered(snooze)).text == (
            "Tenggatnya Jumat, 14 Juni 2024 pukul 23.59 WIB, sebelum besok, jadi pengingat tidak dapat ditunda. "
            "Tekan Selesai bila sudah dikerjakan."
        )
        other = await budi.press_raw(reminder.message_id, "td:d:2:r")
        answer = await budi.wait_callback_answered(other)
        assert (answer.text, answer.show_alert) == ("Tugas ini sudah dicabut atau tidak untuk Anda.", True)
        garbage = await budi.press_raw(reminder.message_id, "td:x:1")
        assert (await budi.wait_callback_answered(garbage)).show_alert
        await bot_idle(bot)
        assert next(m for m in budi.messages if m.message_id == reminder.message_id).edits == 0
        await budi.send_text("/tugas")
        listing = await budi.wait_for(lambda m: "Tugas Anda" in m.text)
        assert "Laporan Ketua" not in listing.text and "Tetapkan Pantarlih" in listing.text


async def test_a_forged_button_with_a_twenty_digit_id_gets_the_stale_button_answer(
    sandbox: Sandbox, database_url: str, session_factory: SessionFactory, clock: ManualClock, world: World
) -> None:
    morning_only = PANTARLIH.format(done_by="desa").replace('["7d", "7d 18:00", "1d", "07:00"]', '["07:00"]')
    await import_duties(session_factory, clock, morning_only)
    stale = "Tombol ini sudah tidak berlaku. Silakan ulangi perintahnya."
    async with bot_running(sandbox, database_url, clock, world) as bot:
        await fire(bot, clock, wib(14, 7))
        budi = world["Budi"]
        [reminder] = reminders(budi)
        # An id beyond a database integer must not reach a query (it would overflow on PostgreSQL).
        for data in ("td:d:12345678901234567890:r", "td:s:99999999999999999999:l", "td:u:0:r"):
            forged = await budi.press_raw(reminder.message_id, data)
            answer = await budi.wait_callback_answered(forged)
            assert (answer.text, answer.show_alert) == (stale, True)
        kpu = world.kpu
        await kpu.send_text("/rekap_tugas")
        recap = await kpu.wait_for(lambda m: "Rekap tugas" in m.text)
        for data in ("rt:d:12345678901234567890", "rt:k:1:12345678901234567890"):
            forged = await kpu.press_raw(recap.message_id, data)
            answer = await kpu.wait_callback_answered(forged)
            assert (answer.text, answer.show_alert) == (stale, True)
        await bot_idle(bot)
        assert next(m for m in budi.messages if m.message_id == reminder.message_id).edits == 0
        # The genuine button still works afterwards.
        await press_on(budi, reminder, DONE)
        done = await budi.wait_for_edit(reminder.message_id)
        assert "✅ Anda menandai tugas ini selesai" in done.text


# --- /tugas ---------------------------------------------------------------------------------------------


async def test_tugas_lists_duties_marks_them_done_and_undoes_a_mistaken_tap(
    sandbox: Sandbox, database_url: str, session_factory: SessionFactory, clock: ManualClock, world: World
) -> None:
    await import_duties(session_factory, clock, PANTARLIH.format(done_by="desa"))
    async with bot_running(sandbox, database_url, clock, world) as bot:
        clock.set(wib(10, 9))
        siti = world["Siti"]
        await siti.send_text("/tugas")
        listing = await siti.wait_for(lambda m: "Tugas Anda" in m.text)
        assert (
            "1. Tetapkan Pantarlih\n    Tenggat: Jumat, 14 Juni 2024 pukul 23.59 WIB (4 hari lagi)"
            in listing.text
        )
        await press_on(siti, listing, "✅ Selesai: 1. Tetapkan Pantarlih")
        done = await siti.wait_for_edit(listing.message_id)
        assert "✅ Tetapkan Pantarlih — ditandai Anda, Senin, 10 Juni 2024 pukul 09.00 WIB" in done.text
        await press_on(siti, done, "↩️ Batalkan: Tetapkan Pantarlih")
        undone = await siti.wait_for_edit(listing.message_id, min_edits=2)
        assert "Belum selesai" in undone.text and undone.button_texts == ["✅ Selesai: 1. Tetapkan Pantarlih"]

        await press_on(siti, undone, "✅ Selesai: 1. Tetapkan Pantarlih")
        again = await siti.wait_for_edit(listing.message_id, min_edits=3)
        clock.advance(timedelta(minutes=11))
        late = await press_on(siti, again, "↩️ Batalkan: Tetapkan Pantarlih")
        answer = await siti.wait_callback_answered(late)
        assert answer.text == (
            "Tanda selesai hanya dapat dibatalkan dalam 10 menit. Hubungi PPK bila tanda itu keliru."
        )
        final = await siti.wait_for_edit(listing.message_id, min_edits=4)
        assert final.button_texts == []
        await bot_idle(bot)
        await world["Eka"].send_text("/tugas")
        assert "Belum selesai" in (await world["Eka"].wait_for(lambda m: "Tugas Anda" in m.text)).text


async def test_tugas_for_people_without_duties(
    sandbox: Sandbox, database_url: str, session_factory: SessionFactory, clock: ManualClock, world: World
) -> None:
    async with bot_running(sandbox, database_url, clock, world):
        await world["Nina"].send_text("/tugas")
        assert "Belum ada tugas untuk Anda" in (await world["Nina"].next_message()).text
        await world.kpu.send_text("/tugas")
        assert "/rekap_tugas" in (await world.kpu.next_message()).text


# --- /tugas_baru ----------------------------------------------------------------------------------------


async def run_wizard(coordinator: SimUser, text: str, due: str, completion: str, audience: str) -> None:
    await coordinator.send_text("/tugas_baru")
    await coordinator.wait_for(lambda m: "Tugas baru" in m.text)
    await coordinator.send_text(text)
    await coordinator.wait_for(lambda m: "Kapan tenggatnya" in m.text)
    await coordinator.send_text(due)
    await press_when_shown(coordinator, completion)
    await press_when_shown(coordinator, audience)


async def test_a_ppk_coordinator_creates_a_duty_for_their_kecamatan_only(
    sandbox: Sandbox, database_url: str, session_factory: SessionFactory, clock: ManualClock, world: World
) -> None:
    async with bot_running(sandbox, database_url, clock, world) as bot:
        ppk = world.ppk
        await run_wizard(
            ppk,
            "Rapat koordinasi <PPS>\nBawa laporan coklit.",
            "10/6 16:00",
            "Oleh tiap anggota",
            "Semua PPS",
        )
        choices = await ppk.wait_for(lambda m: "Kapan anggota diingatkan" in m.text)
        await press_on(ppk, choices, "▫️ 3 hari sebelum tenggat")
        await ppk.wait_for_edit(choices.message_id, lambda m: "✅ 3 hari sebelum tenggat" in m.button_texts)
        await press_on(ppk, choices, "Lanjut ➡️")
        summary = await ppk.wait_for(lambda m: "Periksa tugas baru" in m.text)
        assert "Untuk: Semua PPS · Malingping" in summary.text
        assert "Penerima pengingat saat ini: 5 orang (0 belum terdaftar)" in summary.text
        assert summary.text.endswith(
            "Pengingat:\n"
            "• 7 hari sebelum tenggat: dilewati (sudah lewat atau tidak sebelum tenggat)\n"
            "• Sekarang (pemberitahuan tugas baru): begitu disimpan\n"
            "• 3 hari sebelum tenggat: Jumat, 7 Juni 2024 pukul 07.00 WIB\n"
            "• 1 hari sebelum tenggat: Minggu, 9 Juni 2024 pukul 07.00 WIB\n"
            "• Pagi hari tenggat (07.00): Senin, 10 Juni 2024 pukul 07.00 WIB"
        )
        await press_when_shown(ppk, "✅ Simpan")
        saved = await ppk.wait_for_edit(summary.message_id)
        assert (
            saved.text
            == "✅ Tugas #1 disimpan: Rapat koordinasi <PPS>. Pengingat terjadwal: 4. Lihat /rekap_tugas."
        )
        await world["Eka"].wait_for(lambda m: REMINDER in m.text)
        await bot.bot_data.outbox.wait_idle(timeout=10)
        assert counts(world) == {"Siti": 1, "Budi": 1, "Cici": 1, "Dedi": 1, "Eka": 1, "Asep": 0, "Nina": 0}
        assert "Rapat koordinasi <PPS>\nBawa laporan coklit." in reminders(world["Eka"])[0].text
        assert len(bot.bot_data.scheduler.scheduled_job_names()) == 3

        await world["Asep"].send_text("/tugas_baru")
        assert "hanya untuk koordinator" in (await world["Asep"].next_message()).text


async def test_the_kpu_creates_a_duty_for_the_ketua_of_chosen_kecamatan(
    sandbox: Sandbox, database_url: str, session_factory: SessionFactory, clock: ManualClock, world: World
) -> None:
    async with bot_running(sandbox, database_url, clock, world) as bot:
        kpu = world.kpu
        await run_wizard(
            kpu,
            "Serahkan SK Pantarlih",
            "besok 15:00",
            "Sekali per desa (salah satu PPS desa menandai)",
            "Ketua PPS saja",
        )
        await kpu.wait_for(lambda m: "Pilih kecamatan" in m.text)
        await press_when_shown(kpu, "Bayah")
        await kpu.wait_for(lambda m: any(b.text == "✅ Bayah" for row in m.buttons for b in row))
        await press_when_shown(kpu, "Lanjut ➡️")
        choices = await kpu.wait_for(lambda m: "Kapan anggota diingatkan" in m.text)
        await press_on(kpu, choices, "Lanjut ➡️")
        summary = await kpu.wait_for(lambda m: "Periksa tugas baru" in m.text)
        assert "Untuk: Ketua PPS saja · Bayah" in summary.text
        assert "Penerima pengingat saat ini: 1 orang" in summary.text
        await press_when_shown(kpu, "✅ Simpan")
        await kpu.wait_for_edit(summary.message_id)
        await world["Asep"].wait_for(lambda m: REMINDER in m.text)
        await bot.bot_data.outbox.wait_idle(timeout=10)
        assert counts(world) == {"Siti": 0, "Budi": 0, "Cici": 0, "Dedi": 0, "Eka": 0, "Asep": 1, "Nina": 0}
        assert "(besok)" in reminders(world["Asep"])[0].text


async def test_the_wizard_refuses_a_due_time_in_the_past_and_can_be_cancelled(
    sandbox: Sandbox, database_url: str, session_factory: SessionFactory, clock: ManualClock, world: World
) -> None:
    async with bot_running(sandbox, database_url, clock, world):
        kpu = world.kpu
        await kpu.send_text("/tugas_baru")
        await kpu.wait_for(lambda m: "Tugas baru" in m.text)
        await kpu.send_text("Tugas x")
        await kpu.wait_for(lambda m: "Kapan tenggatnya" in m.text)
        await kpu.send_text("07:00")
        assert "sudah lewat" in (await kpu.wait_for(lambda m: "sudah lewat" in m.text)).text
        await kpu.send_text("kapan-kapan")
        await kpu.wait_for(lambda m: "tidak dapat dibaca" in m.text)
        await kpu.send_text("/batal")
        await kpu.wait_for(lambda m: "Tugas baru dibatalkan" in m.text)
        await kpu.send_text("/rekap_tugas")
        assert "Belum ada tugas" in (await kpu.wait_for(lambda m: "Belum ada tugas" in m.text)).text


async def test_forged_wizard_buttons_get_the_stale_answer_and_the_wizard_goes_on(
    sandbox: Sandbox, database_url: str, session_factory: SessionFactory, clock: ManualClock, world: World
) -> None:
    stale = "Tombol ini sudah tidak berlaku. Silakan ulangi perintahnya."
    async with bot_running(sandbox, database_url, clock, world):
        kpu = world.kpu
        await run_wizard(kpu, "Serahkan SK Pantarlih", "besok 15:00", "Oleh tiap anggota", "Semua PPS")
        picker = await kpu.wait_for(lambda m: "Pilih kecamatan" in m.text)
        data = [b.callback_data or "" for row in picker.buttons for b in row]
        assert data[-1] == "tb:k:ok" and all(d.removeprefix("tb:k:").isdigit() for d in data[:-1])
        for data in ("tb:k:99999999999999999999", "tb:k:abc", "tb:k:"):
            forged = await kpu.press_raw(picker.message_id, data)
            answer = await kpu.wait_callback_answered(forged)
            assert (answer.text, answer.show_alert) == (stale, True), data
        await press_on(kpu, picker, "Bayah")
        await kpu.wait_for_edit(picker.message_id, lambda m: "✅ Bayah" in m.button_texts)
        await press_on(kpu, picker, "Lanjut ➡️")
        choices = await kpu.wait_for(lambda m: "Kapan anggota diingatkan" in m.text)
        forged = await kpu.press_raw(choices.message_id, "tb:r:9")
        assert (await kpu.wait_callback_answered(forged)).show_alert
        await press_on(kpu, choices, "Lanjut ➡️")
        summary = await kpu.wait_for(lambda m: "Periksa tugas baru" in m.text)
        assert "Untuk: Semua PPS · Bayah" in summary.text
        await kpu.send_text("/batal")
        await kpu.wait_for(lambda m: "Tugas baru dibatalkan" in m.text)
        # After /batal the summary's buttons belong to no wizard: nothing is saved.
        await press_on(kpu, summary, "✅ Simpan")
        await kpu.send_text("/rekap_tugas")
        assert "Belum ada tugas" in (await kpu.wait_for(lambda m: "Belum ada tugas" in m.text)).text


# --- Coordinators: /rekap_tugas and the digest ----------------------------------------------------------


async def mark_done_from_reminder(user: SimUser) -> None:
    reminder = reminders(user)[-1]
    query = await press_on(user, reminder, DONE)
    await user.wait_callback_answered(query)
    await user.wait_for_edit(reminder.message_id)


async def test_rekap_tugas_per_kecamatan_and_the_desa_not_done_within_scope(
    sandbox: Sandbox, database_url: str, session_factory: SessionFactory, clock: ManualClock, world: World
) -> None:
    await import_duties(session_factory, clock, PANTARLIH.format(done_by="desa"))
    async with bot_running(sandbox, database_url, clock, world) as bot:
        await fire(bot, clock, wib(7, 7))
        await mark_done_from_reminder(world["Budi"])
        kpu = world.kpu
        await kpu.send_text("/rekap_tugas")
        recap = await kpu.wait_for(lambda m: "Rekap tugas" in m.text)
        assert recap.text.splitlines()[:5] == [
            "Rekap tugas — Kabupaten Lebak",
            "",
            "1. Tetapkan Pantarlih",
            "    Tenggat Jumat, 14 Juni 2024 pukul 23.59 WIB",
            "    Selesai 1 dari 3 desa (33,3%)",
        ]
        await press_on(kpu, recap, "1. Tetapkan Pantarlih")
        per_kecamatan = await kpu.wait_for_edit(recap.message_id)
        assert "Bayah: 0/1\nMalingping: 1/2" in per_kecamatan.text
        assert per_kecamatan.button_texts == ["Bayah (1)", "Malingping (1)", "⬅️ Kembali"]
        await press_on(kpu, per_kecamatan, "Malingping (1)")
        desa = await kpu.wait_for_edit(recap.message_id, min_edits=2)
        assert desa.text.endswith("Belum selesai (1 desa):\n• Cilangkahan")

        ppk = world.ppk
        await ppk.send_text("/rekap_tugas")
        own = await ppk.wait_for(lambda m: "Rekap tugas" in m.text)
        assert "Rekap tugas — Kecamatan Malingping" in own.text and "Selesai 1 dari 2 desa (50%)" in own.text
        await press_on(ppk, own, "1. Tetapkan Pantarlih")
        detail = await ppk.wait_for_edit(own.message_id)
        assert "• Cilangkahan" in detail.text and "Bayah" not in detail.text
        # A forged button for another kecamatan is refused.
        forged = await ppk.press_raw(own.message_id, "rt:k:1:2")
        assert (
            "Anda hanya dapat mengelola Kecamatan Malingping"
            in (await ppk.wait_callback_answered(forged)).text
        )

        await world["Siti"].send_text("/rekap_tugas")
        assert (
            "hanya untuk koordinator"
            in (await world["Siti"].wait_for(lambda m: "koordinator" in m.text)).text
        )


async def test_an_overdue_duty_sends_one_morning_digest_to_each_kecamatans_ppk(
    sandbox: Sandbox, database_url: str, session_factory: SessionFactory, clock: ManualClock, world: World
) -> None:
    await import_duties(session_factory, clock, PANTARLIH.format(done_by="desa"))
    async with bot_running(sandbox, database_url, clock, world) as bot:
        await fire(bot, clock, wib(7, 7))
        await mark_done_from_reminder(world["Cici"])
        await fire(bot, clock, wib(14, 7))  # the remaining reminders, so that nothing is left to miss
        clock.set(wib(15, 6, 59))
        assert await send_overdue_digest(bot) == 0
        clock.set(wib(15, 7))
        assert await send_overdue_digest(bot) == 2
        digest = await world.ppk.wait_for(lambda m: "Tugas lewat tenggat" in m.text)
        assert digest.text == (
            "⏰ Tugas lewat tenggat — Kec. Malingping\n\n"
            "Tetapkan Pantarlih (tenggat Jumat, 14 Juni 2024 pukul 23.59 WIB)\n"
            "Belum selesai: 1 dari 2 desa\n• Cilangkahan\n\nRinciannya: /rekap_tugas"
        )
        assert (
            "• Bayah Barat"
            in (await world.ppk_bayah.wait_for(lambda m: "Tugas lewat tenggat" in m.text)).text
        )
        assert await send_overdue_digest(bot) == 0
    # A restart that morning does not send it again.
    async with bot_running(sandbox, database_url, clock, world):
        assert len([m for m in world.ppk.messages if "Tugas lewat tenggat" in m.text]) == 1
    assert world.kpu.messages == []  # the KPU follows with /rekap_tugas; the digest is for the PPK


# --- Restarts ---------------------------------------------------------------------------------------------


async def test_a_restart_between_reminders_loses_none_and_sends_none_twice(
    sandbox: Sandbox, database_url: str, session_factory: SessionFactory, clock: ManualClock, world: World
) -> None:
    await import_duties(session_factory, clock, PANTARLIH.format(done_by="member"))
    async with bot_running(sandbox, database_url, clock, world) as bot:
        assert len(bot.bot_data.scheduler.scheduled_job_names()) == 4
        await fire(bot, clock, wib(7, 7))
        reminder = reminders(world["Budi"])[0]
        query = await press_on(world["Budi"], reminder, SNOOZE)
        await world["Budi"].wait_callback_answered(query)
        await world["Budi"].wait_for_edit(reminder.message_id)
    assert counts(world) == dict.fromkeys(world.members, 1)

    # Down from 07.00 to 08.00: the jobs come back from the database, the evening and Budi's own included.
    clock.set(wib(7, 8))
    async with bot_running(sandbox, database_url, clock, world) as bot:
        assert len(bot.bot_data.scheduler.scheduled_job_names()) == 4
        await fire(bot, clock, wib(7, 18))
        assert counts(world) == {"Siti": 2, "Budi": 1, "Cici": 2, "Dedi": 2, "Eka": 2, "Asep": 2, "Nina": 2}

    # Down across Budi's own reminder, back within the grace: it goes once, at start-up.
    clock.set(wib(8, 7, 10))
    async with bot_running(sandbox, database_url, clock, world) as bot:
        await bot.bot_data.outbox.wait_idle(timeout=10)
        assert counts(world)["Budi"] == 2
        assert await fire(bot, clock, wib(8, 7, 11)) == []

    # Down across the day-before reminder for longer than the grace: missed, and the admin is told.
    clock.set(wib(13, 9))
    async with bot_running(sandbox, database_url, clock, world) as bot:
        missed = await world.kpu.wait_for(lambda m: "tidak terkirim" in m.text)
        assert "Pengingat tugas" in missed.text
        await fire(bot, clock, wib(14, 7))
    assert counts(world) == {"Siti": 3, "Budi": 3, "Cici": 3, "Dedi": 3, "Eka": 3, "Asep": 3, "Nina": 3}
