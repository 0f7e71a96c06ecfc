"""Coordinators at the venue: the rotating QR code on a screen, and check-in by hand, with scope enforced."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.checkin.codes import current_code, deep_link_payload
from bot.checkin.qr import qr_png
from bot.core.clock import ManualClock
from bot.core.db import SessionFactory
from bot.runtime.context import BotApplication
from bot.sandbox import Sandbox, SimUser
from models import AuditLog, CheckIn, CheckInMethod, Position, TrainingSession
from tests.helpers import bot_idle
from tests.seed import link_telegram, seed_coordinator, seed_members, seed_session


@pytest.fixture
async def world(sandbox: Sandbox, session_factory: SessionFactory) -> dict[str, object]:
    """Malingping (with a session) and Bayah (with a session); a PPK coordinator of Malingping; a member."""
    [siti] = await seed_members(session_factory, [("Siti Aminah", Position.KETUA, "+6281234567801")])
    [asep] = await seed_members(
        session_factory,
        [("Asep", Position.KETUA, "+6281234567899")],
        desa_name="Bayah Barat",
        kecamatan_code="36.02.05",
        kecamatan_name="Bayah",
    )
    malingping = await seed_session(session_factory)
    bayah = await seed_session(session_factory, "36.02.05", venue="Aula Kantor Kecamatan Bayah")
    ppk = sandbox.new_user("Pak PPK")
    await seed_coordinator(session_factory, "+6281311110000", "36.02.01", telegram_user_id=ppk.id)
    member = sandbox.new_user("Siti")
    await link_telegram(session_factory, siti.id, member.id)
    return {
        "ppk": ppk,
        "member": member,
        "siti": siti.id,
        "asep": asep.id,
        "malingping": malingping,
        "bayah": bayah,
    }


async def _secret(factory: SessionFactory, session_id: int) -> str:
    async with factory() as session:
        secret = await session.scalar(select(TrainingSession.secret).where(TrainingSession.id == session_id))
    assert secret is not None
    return secret


async def test_qr_shows_the_deep_link_and_turns_with_the_window(
    sandbox: Sandbox,
    running_bot: BotApplication,
    session_factory: SessionFactory,
    clock: ManualClock,
    world: dict[str, object],
) -> None:
    ppk = world["ppk"]
    assert isinstance(ppk, SimUser)
    session_id = world["malingping"]
    assert isinstance(session_id, int)
    secret = await _secret(session_factory, session_id)

    await ppk.send_text("/qr")
    shown = await ppk.next_message()
    code = current_code(secret, 5, clock.now())
    link = f"https://t.me/{sandbox.bot_username}?start={deep_link_payload(session_id, code)}"
    assert shown.method == "sendPhoto"
    assert shown.photo == qr_png(link)  # the image is exactly the QR code of the check-in link
    assert f"/hadir {code}" in shown.text
    assert "Kode berganti pukul 07.35 WIB" in shown.text

    await bot_idle(running_bot)  # the job is scheduled right after the photo is sent
    [job] = running_bot.job_queue.get_jobs_by_name(f"qr:{ppk.id}:{shown.message_id}")  # type: ignore[union-attr]
    clock.advance(timedelta(minutes=5))
    await job.run(running_bot)
    new_code = current_code(secret, 5, clock.now())
    turned = await ppk.wait_for_edit(shown.message_id, lambda m: f"/hadir {new_code}" in m.text)
    new_link = f"https://t.me/{sandbox.bot_username}?start={deep_link_payload(session_id, new_code)}"
    assert turned.photo == qr_png(new_link)

    clock.advance(timedelta(hours=2))  # 09.35 WIB: check-in closed
    await job.run(running_bot)
    await ppk.wait_for_edit(shown.message_id, lambda m: "sudah ditutup" in m.text)
    assert not running_bot.job_queue.get_jobs_by_name(job.name)  # type: ignore[union-attr]


async def test_member_and_out_of_scope_coordinator_get_no_qr(
    running_bot: BotApplication, world: dict[str, object]
) -> None:
    member, ppk = world["member"], world["ppk"]
    assert isinstance(member, SimUser) and isinstance(ppk, SimUser)
    await member.send_text("/qr Malingping")
    assert "hanya untuk koordinator" in (await member.next_message()).text
    await ppk.send_text("/qr Bayah")
    assert "hanya dapat mengelola Kecamatan Malingping" in (await ppk.next_message()).text


async def test_qr_with_a_misspelt_kecamatan_suggests_it_like_rekap(
    running_bot: BotApplication, world: dict[str, object]
) -> None:
    ppk = world["ppk"]
    assert isinstance(ppk, SimUser)
    await ppk.send_text("/qr Malingpng")
    answer = (await ppk.next_message()).text
    assert "Kecamatan «Malingpng» tidak ditemukan" in answer
    assert "Mungkin maksud Anda: Malingping" in answer
    await ppk.send_text("/rekap Malingpng")
    assert (await ppk.next_message()).text == answer  # one resolver, one answer

    await ppk.send_text("/qr kec. malingping")  # written as people write it: the PPK's own venue
    assert (await ppk.next_message()).method == "sendPhoto"


async def test_manual_check_in_with_reason_is_audited_and_scoped(
    running_bot: BotApplication, session_factory: SessionFactory, world: dict[str, object]
) -> None:
    ppk = world["ppk"]
    assert isinstance(ppk, SimUser)
    await ppk.send_text("/hadirkan 081234567801")
    assert "Alasan wajib" in (await ppk.next_message()).text

    await ppk.send_text("/hadirkan 081234567801 HP mati total")
    done = await ppk.next_message()
    assert "Siti Aminah" in done.text and "HP mati total" in done.text
    await ppk.send_text("/hadirkan 081234567801 lagi")
    assert "sudah presensi" in (await ppk.next_message()).text

    await ppk.send_text("/hadirkan 081234567899 HP hilang")  # Asep is in Bayah
    assert "hanya dapat mengelola" in (await ppk.next_message()).text
    await ppk.send_text("/hadirkan 085700000000 salah nomor")
    assert "tidak ada di daftar" in (await ppk.next_message()).text

    async with session_factory() as session:
        rows = (await session.execute(select(CheckIn.member_id, CheckIn.method, CheckIn.reason))).all()
        audits = (await session.execute(select(AuditLog.action, AuditLog.note))).all()
    assert [tuple(r) for r in rows] == [(world["siti"], CheckInMethod.MANUAL, "HP mati total")]
    assert [tuple(a) for a in audits] == [("checkin.manual", "HP mati total")]
