"""Personal data through Telegram, end to end: the notice before consent, /datasaya, /hapus and re-registration,
"akun dihapus" in coordinators' lists, and the audit of coordinators' accesses."""

import io
import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from bot.app import build_application, running
from bot.checkin.codes import current_code
from bot.core.clock import ManualClock
from bot.core.config import PrivacyConfig
from bot.core.db import SessionFactory
from bot.runtime.context import BotApplication
from bot.sandbox import Sandbox, SimUser
from models import (
    AuditLog,
    Broadcast,
    BroadcastStatus,
    CheckIn,
    Delivery,
    DeliveryStatus,
    Member,
    Position,
    RegistrationAttempt,
    RegistrationFailure,
    TelegramAccount,
    TrainingSession,
)
from tests.conftest import sandbox_config
from tests.helpers import bot_idle, press_when_shown
from tests.seed import link_telegram, seed_coordinator, seed_members, seed_session

SITI_PHONE, BUDI_PHONE, RINA_PHONE = "+6281234567801", "+6281234567802", "+6281234567803"
PPK_PHONE = "+6281311110001"
VENUE = (-6.7700, 106.0200)
# Where Siti stands when she shares her location: about 110 m north of the venue.
SITI_AT = (-6.7690, 106.0200)

EXPORT_TIMEOUT = 60.0
"""A deadline, not a wait: the workbook is written by a child process (bot/attendance/child.py)."""


@dataclass
class World:
    """Malingping: Siti (Ketua) and Budi (Anggota) registered, Rina on the roster only; a PPK coordinator."""

    siti: SimUser
    budi: SimUser
    ppk: SimUser
    siti_id: int
    budi_id: int
    rina_id: int
    session_id: int


@pytest.fixture
async def world(sandbox: Sandbox, session_factory: SessionFactory) -> World:
    siti, budi, rina = await seed_members(
        session_factory,
        [
            ("Siti Aminah", Position.KETUA, SITI_PHONE),
            ("Budi Santoso", Position.ANGGOTA, BUDI_PHONE),
            ("Rina Marlina", Position.ANGGOTA, RINA_PHONE),
        ],
    )
    session_id = await seed_session(session_factory, radius_m=300, latitude=VENUE[0], longitude=VENUE[1])
    w = World(
        siti=sandbox.new_user("Siti"),
        budi=sandbox.new_user("Budi"),
        ppk=sandbox.new_user("Pak PPK"),
        siti_id=siti.id,
        budi_id=budi.id,
        rina_id=rina.id,
        session_id=session_id,
    )
    await link_telegram(session_factory, siti.id, w.siti.id)
    await link_telegram(session_factory, budi.id, w.budi.id)
    await seed_coordinator(session_factory, PPK_PHONE, "36.02.01", telegram_user_id=w.ppk.id)
    return w


async def _code(factory: SessionFactory, session_id: int, clock: ManualClock) -> str:
    async with factory() as session:
        secret = await session.scalar(select(TrainingSession.secret).where(TrainingSession.id == session_id))
    assert secret is not None
    return current_code(secret, 5, clock.now())


async def _check_in_by_location(user: SimUser, factory: SessionFactory, w: World, clock: ManualClock) -> None:
    await user.send_text(f"/hadir {await _code(factory, w.session_id, clock)}")
    assert "Kirim lokasi saya" in (await user.next_message()).text
    await user.share_location(*SITI_AT)
    assert "Presensi tercatat" in (await user.next_message()).text


async def _seed_deliveries(factory: SessionFactory, w: World) -> None:
    """A finished announcement both received, and one scheduled with a delivery still pending for Siti."""
    async with factory() as session, session.begin():
        done = Broadcast(
            body_html="Rapat persiapan Bimtek",
            audience={"kind": "all", "kecamatan_ids": []},
            send_at=datetime(2024, 6, 2, 1, 0, tzinfo=UTC),
            status=BroadcastStatus.DONE,
        )
        later = Broadcast(
            body_html="Pengingat tugas",
            audience={"kind": "all", "kecamatan_ids": []},
            send_at=datetime(2024, 6, 10, 1, 0, tzinfo=UTC),
            status=BroadcastStatus.SCHEDULED,
        )
        session.add_all([done, later])
        await session.flush()
        for member_id, chat_id in ((w.siti_id, w.siti.id), (w.budi_id, w.budi.id)):
            session.add(
                Delivery(
                    broadcast_id=done.id, member_id=member_id, chat_id=chat_id, status=DeliveryStatus.SENT
                )
            )
        session.add(
            Delivery(
                broadcast_id=later.id, member_id=w.siti_id, chat_id=w.siti.id, status=DeliveryStatus.PENDING
            )
        )
        session.add(AuditLog(actor="cli", action="test.names_siti", detail={"member_id": w.siti_id}))
        session.add(AuditLog(actor="cli", action="test.names_budi", detail={"member_id": w.budi_id}))


async def _count(factory: SessionFactory, model: type, *where: object) -> int:
    async with factory() as session:
        return int(await session.scalar(select(func.count()).select_from(model).where(*where)) or 0)  # type: ignore[arg-type]


async def test_the_notice_is_shown_before_the_confirmation(
    sandbox: Sandbox, running_bot: BotApplication, session_factory: SessionFactory, world: World
) -> None:
    rina = sandbox.new_user("Rina")
    await rina.share_contact(RINA_PHONE)
    await rina.next_message()  # "Terima kasih…"
    confirm = await rina.next_message()
    # One message: the notice, then the roster match and its question, then the buttons.
    notice, question = confirm.text.split("Nomor Anda cocok", 1)
    assert "Pemberitahuan data pribadi" in notice
    assert "presensi Bimtek dan koordinasi tugas pemilihan" in notice
    assert "koordinator PPK kecamatan Anda dan KPU Kabupaten Lebak" in notice
    assert "180 hari" in notice
    assert "/datasaya" in notice and "/hapus" in notice
    assert "Rina Marlina" in question
    assert [b.text for row in confirm.buttons for b in row] == ["✅ Ya, benar", "❌ Bukan saya"]
    async with session_factory() as session:
        assert (await session.get(Member, world.rina_id)).telegram_user_id is None  # type: ignore[union-attr]

    # The rights are in the command menu too, in both languages.
    assert {"datasaya", "hapus"} <= {c["command"] for c in sandbox.commands()}
    assert {c["command"]: c["description"] for c in sandbox.commands(language_code="en")}["hapus"] == (
        "Remove my account from the bot"
    )

    english = sandbox.new_user("Rina (EN)", language_code="en")
    await english.share_contact(RINA_PHONE)  # (Rina has not confirmed: the entry is still free)
    await english.next_message()
    confirm_en = await english.next_message()
    assert "Personal data notice" in confirm_en.text and "180 days" in confirm_en.text
    assert "/datasaya" in confirm_en.text and "Is this you?" in confirm_en.text


async def test_the_operator_can_replace_the_notice_with_a_file(
    sandbox: Sandbox,
    database_url: str,
    session_factory: SessionFactory,
    world: World,
    clock: ManualClock,
    tmp_path: Path,
) -> None:
    notice = tmp_path / "pemberitahuan.txt"
    notice.write_text(
        "Data Anda dipakai KPU Lebak untuk Bimtek <PPS> & tugas.\nLihat: /datasaya\n", encoding="utf-8"
    )
    config = replace(sandbox_config(sandbox, database_url), privacy=PrivacyConfig(notice_file=notice))
    async with running(build_application(config, clock=clock, per_chat_interval=0.0), poll_timeout=5):
        rina = sandbox.new_user("Rina")
        await rina.share_contact(RINA_PHONE)
        await rina.next_message()
        confirm = await rina.next_message()
        # Reworded without a restart: read at every registration; gone, the built-in notice stands in.
        notice.unlink()
        await rina.share_contact(RINA_PHONE)
        await rina.next_message()
        fallback = await rina.next_message()
    assert "Pemberitahuan data pribadi" in fallback.text and fallback.buttons
    assert confirm.text.startswith(
        "Data Anda dipakai KPU Lebak untuk Bimtek <PPS> & tugas.\nLihat: /datasaya\n\n"
    )
    assert "Pemberitahuan data pribadi" not in confirm.text
    assert "Rina Marlina" in confirm.text and confirm.buttons


async def test_my_data_is_exactly_mine(
    sandbox: Sandbox,
    running_bot: BotApplication,
    session_factory: SessionFactory,
    world: World,
    clock: ManualClock,
) -> None:
    await _check_in_by_location(world.siti, session_factory, world, clock)
    await _seed_deliveries(session_factory, world)

    await world.siti.send_text("/datasaya")
    sent = await world.siti.next_message()
    assert sent.file is not None and sent.file.filename == "data-saya-2024-06-03-0730.json"
    assert "1 presensi, 2 pesan" in sent.text
    text = sent.file.data.decode("utf-8")
    data = json.loads(text)

    assert data["roster_entry"]["name"] == "Siti Aminah"
    assert data["roster_entry"]["phone"] == SITI_PHONE
    assert data["roster_entry"]["desa"] == "Sukamanah" and data["roster_entry"]["kecamatan"] == "Malingping"
    assert data["telegram_account"]["telegram_user_id"] == world.siti.id
    [check_in] = data["check_ins"]
    assert 100 <= check_in["distance_m"] <= 120 and check_in["within_radius"] is True
    assert check_in["at"] == "2024-06-03T07:30:00+07:00"
    assert sorted(d["announcement"] for d in data["deliveries"]) == [
        "Pengingat tugas",
        "Rapat persiapan Bimtek",
    ]
    actions = [entry["action"] for entry in data["audit_entries"]]
    assert "test.names_siti" in actions and "test.names_budi" not in actions
    assert data["coordinator"] is None and data["refused_registrations"] == []
    # The coordinates she shared are nowhere: not in the file, not in the database.
    assert "-6.769" not in text and "latitude" not in text
    async with session_factory() as session:
        stored = await session.scalar(select(CheckIn).where(CheckIn.member_id == world.siti_id))
    assert stored is not None and not hasattr(stored, "latitude")
    # Nobody else's data: not Budi's name, phone, account or deliveries.
    assert "Budi" not in text and BUDI_PHONE not in text and str(world.budi.id) not in text

    await world.budi.send_text("/datasaya")
    budi_file = (await world.budi.next_message()).file
    assert budi_file is not None
    budi = json.loads(budi_file.data)
    assert budi["roster_entry"]["name"] == "Budi Santoso" and budi["check_ins"] == []
    assert [d["announcement"] for d in budi["deliveries"]] == ["Rapat persiapan Bimtek"]
    assert "Siti" not in budi_file.data.decode("utf-8")


async def test_erasing_keeps_the_official_record_and_registering_again_works(
    sandbox: Sandbox,
    running_bot: BotApplication,
    session_factory: SessionFactory,
    world: World,
    clock: ManualClock,
) -> None:
    await _check_in_by_location(world.siti, session_factory, world, clock)
    await _seed_deliveries(session_factory, world)
    async with session_factory() as session, session.begin():
        session.add(
            RegistrationAttempt(
                telegram_user_id=world.siti.id,
                phone="+6285700000000",
                reason=RegistrationFailure.NOT_ON_ROSTER,
            )
        )

    await world.siti.send_text("/hapus")
    ask = await world.siti.next_message()
    assert "Hapus akun Anda dari bot?" in ask.text and "Siti Aminah" in ask.text and "2 pesan" in ask.text
    assert await _count(session_factory, Delivery, Delivery.member_id == world.siti_id) == 2  # nothing yet
    erase_data = ask.buttons[0][0].callback_data
    assert erase_data is not None
    await world.siti.press("🗑 Ya, hapus")
    done = await world.siti.wait_for_edit(ask.message_id, lambda m: "sudah dihapus" in m.text)
    assert "2 catatan pesan dihapus" in done.text and done.buttons == []
    await bot_idle(running_bot)

    async with session_factory() as session:
        siti = await session.get(Member, world.siti_id)
        assert siti is not None and siti.telegram_user_id is None and siti.account_deleted_at is not None
        assert (
            siti.name == "Siti Aminah" and siti.phone == SITI_PHONE and siti.active
        )  # the roster entry stays
        assert await session.get(TelegramAccount, world.siti.id) is None  # Telegram id and language are gone
    assert await _count(session_factory, CheckIn, CheckIn.member_id == world.siti_id) == 1  # attendance stays
    assert await _count(session_factory, Delivery, Delivery.member_id == world.siti_id) == 0
    assert await _count(session_factory, Delivery, Delivery.member_id == world.budi_id) == 1  # Budi's stays
    assert (
        await _count(
            session_factory, RegistrationAttempt, RegistrationAttempt.telegram_user_id == world.siti.id
        )
        == 0
    )

    # The old button again: stale, nothing happens.
    query_id = await world.siti.press_raw(ask.message_id, erase_data)
    assert "tidak berlaku" in (await world.siti.wait_callback_answered(query_id)).text

    # Budi too (he has not checked in), then the PPK looks: "akun dihapus", not an error.
    await world.budi.send_text("/hapus")
    await press_when_shown(world.budi, "🗑 Ya, hapus")
    await world.budi.wait_for(lambda m: "sudah dihapus" in m.text)
    await world.ppk.send_text("/rekap Malingping")
    absent = await world.ppk.next_message()
    assert "Budi Santoso — Anggota PPS, akun dihapus, +62 812-3456-7802" in absent.text
    await world.ppk.send_text("/ekspor")
    assert "Menyiapkan" in (await world.ppk.next_message()).text
    export = await world.ppk.next_message(timeout=EXPORT_TIMEOUT)
    assert export.file is not None
    sheet = load_workbook(io.BytesIO(export.file.data))["Malingping"]
    header = [cell.value for cell in sheet[1]]
    rows = {row[header.index("Nama")]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["Siti Aminah"][header.index("Terdaftar di bot")] == "Tidak (akun dihapus)"
    assert rows["Siti Aminah"][header.index("Hadir")] == "Ya"

    # Siti registers again, with the same roster entry; her attendance is still hers.
    await world.siti.share_contact(SITI_PHONE)
    await world.siti.next_message()
    await press_when_shown(world.siti, "✅ Ya, benar")
    await world.siti.wait_for(lambda m: "Pendaftaran berhasil" in m.text)
    async with session_factory() as session:
        siti = await session.get(Member, world.siti_id)
        assert siti is not None and siti.telegram_user_id == world.siti.id and siti.account_deleted_at is None
    await world.siti.send_text("/jadwal")
    await world.siti.wait_for(lambda m: "Anda sudah presensi pukul 07.30" in m.text)
    # A button from before the re-registration no longer erases anything.
    query_id = await world.siti.press_raw(ask.message_id, erase_data)
    assert "tidak berlaku" in (await world.siti.wait_callback_answered(query_id)).text
    async with session_factory() as session:
        assert (await session.get(Member, world.siti_id)).telegram_user_id == world.siti.id  # type: ignore[union-attr]


async def test_cancelling_erases_nothing_and_a_forged_button_is_refused(
    sandbox: Sandbox, running_bot: BotApplication, session_factory: SessionFactory, world: World
) -> None:
    await world.siti.send_text("/hapus")
    ask = await world.siti.next_message()
    await world.siti.press("Batal")
    await world.siti.wait_for_edit(ask.message_id, lambda m: "tidak ada yang dihapus" in m.text)
    for forged in ("hps:y:999-0", "hps:y", "hps:zz:1"):
        query_id = await world.siti.press_raw(ask.message_id, forged)
        assert "tidak berlaku" in (await world.siti.wait_callback_answered(query_id)).text
    async with session_factory() as session:
        assert (await session.get(Member, world.siti_id)).telegram_user_id == world.siti.id  # type: ignore[union-attr]


async def test_coordinators_accesses_are_audited(
    sandbox: Sandbox, running_bot: BotApplication, session_factory: SessionFactory, world: World
) -> None:
    await world.ppk.send_text("/rekap Malingping")
    assert "Belum presensi" in (await world.ppk.next_message()).text
    await world.ppk.send_text("/ekspor")
    assert "Menyiapkan" in (await world.ppk.next_message()).text
    assert (await world.ppk.next_message(timeout=EXPORT_TIMEOUT)).file is not None
    await bot_idle(running_bot)
    async with session_factory() as session:
        rows = (
            await session.execute(
                select(AuditLog.actor, AuditLog.action, AuditLog.detail)
                .where(AuditLog.action.like("access.%"))
                .order_by(AuditLog.id)
            )
        ).all()
    assert [(actor, action) for actor, action, _ in rows] == [
        (f"tg:{world.ppk.id}", "access.absentees"),
        (f"tg:{world.ppk.id}", "access.export_attendance"),
    ]
    assert rows[0][2] == {"kecamatan": "Malingping", "phones": 3}
    assert rows[1][2] == {"scope": "Malingping", "members": 3}


async def test_a_coordinator_who_erases_is_unlinked_and_stays_accountable(
    sandbox: Sandbox, running_bot: BotApplication, session_factory: SessionFactory, world: World
) -> None:
    await world.ppk.send_text("/ekspor")
    assert "Menyiapkan" in (await world.ppk.next_message()).text
    assert (await world.ppk.next_message(timeout=EXPORT_TIMEOUT)).file is not None
    await world.ppk.send_text("/hapus")
    ask = await world.ppk.next_message()
    assert "tidak terhubung ke daftar PPS/PPK" in ask.text and "Anda juga koordinator" in ask.text
    await world.ppk.press("🗑 Ya, hapus")
    await world.ppk.wait_for_edit(ask.message_id, lambda m: "sudah dihapus" in m.text)
    await bot_idle(running_bot)

    await world.ppk.send_text("/rekap")
    assert "hanya untuk koordinator" in (await world.ppk.next_message()).text  # the role needs /daftar again
    async with session_factory() as session:
        actors = set(
            await session.scalars(select(AuditLog.actor).where(AuditLog.action == "access.export_attendance"))
        )
        deleted = await session.scalar(
            select(AuditLog.detail).where(AuditLog.action == "privacy.account_deleted")
        )
    assert actors == {f"tg:{world.ppk.id}"}  # who exported stays known until the retention purge
    assert deleted == {"member_id": None, "coordinator_unlinked": True}

    # A member's own audit rows lose the id when they erase (nothing of theirs needs accounting for).
    async with session_factory() as session, session.begin():
        session.add(AuditLog(actor=f"tg:{world.siti.id}", action="registration.linked", detail={}))
    await world.siti.send_text("/hapus")
    await press_when_shown(world.siti, "🗑 Ya, hapus")
    await world.siti.wait_for(lambda m: "sudah dihapus" in m.text)
    await bot_idle(running_bot)
    assert await _count(session_factory, AuditLog, AuditLog.actor == f"tg:{world.siti.id}") == 0
    linked = AuditLog.action == "registration.linked"
    assert await _count(session_factory, AuditLog, linked, AuditLog.actor == "tg:deleted") == 1
