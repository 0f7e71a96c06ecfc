"""The cascade through Telegram, end to end: a PPS runs their desa's Pantarlih Bimtek with the bot's tools.

Sukamanah (Kec. Malingping) has PPS Siti (Ketua) and Budi (Anggota); Budi is also one of the desa's Pantarlih
(same phone, both roles). Bayah Barat (Kec. Bayah) has PPS Asep. Malingping's PPK follows the cascade.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.core.clock import ManualClock
from bot.core.db import SessionFactory
from bot.runtime.context import BotApplication
from bot.sandbox import Sandbox, SimUser
from models import CascadeMember, CheckIn, CheckInMethod, Member, Position, TrainingSession
from tests.helpers import bot_idle, press_when_shown
from tests.seed import link_telegram, seed_coordinator, seed_members

WIB = ZoneInfo("Asia/Jakarta")
BUDI_PHONE = "+6281234567802"
DEDI_PHONE = "081234567811"
EUIS_PHONE = "081234567812"
PPK_PHONE = "+6281234567890"
GOOD_ROSTER = (
    "nama;jabatan;tps;telepon\n"
    f"Dedi Kurniawan;Pantarlih;1;{DEDI_PHONE}\n"
    "Budi Santoso;Pantarlih;2;0812-3456-7802\n"
    f"Euis Rahayu;KPPS;TPS 001;{EUIS_PHONE}\n"
)


@dataclass
class Cascade:
    """The people of the scenario, as Telegram users (the PPS and the PPK registered already)."""

    siti: SimUser
    budi: SimUser
    asep: SimUser
    ppk: SimUser
    ppk_bayah: SimUser


@pytest.fixture
async def cascade(sandbox: Sandbox, session_factory: SessionFactory) -> Cascade:
    siti, _budi = await seed_members(
        session_factory,
        [("Siti Aminah", Position.KETUA, "+6281234567801"), ("Budi Santoso", Position.ANGGOTA, BUDI_PHONE)],
    )
    await seed_members(
        session_factory, [], desa_name="Sukajaya"
    )  # a desa of Malingping that schedules nothing
    [asep] = await seed_members(
        session_factory,
        [("Asep", Position.KETUA, "+6281234567899")],
        desa_name="Bayah Barat",
        kecamatan_code="36.02.05",
        kecamatan_name="Bayah",
    )
    users = Cascade(
        sandbox.new_user("Siti"),
        sandbox.new_user("Budi", phone_number=BUDI_PHONE),
        sandbox.new_user("Asep"),
        sandbox.new_user("PPK"),
        sandbox.new_user("PPK Bayah"),
    )
    await link_telegram(session_factory, siti.id, users.siti.id)
    await link_telegram(session_factory, asep.id, users.asep.id)
    await seed_coordinator(session_factory, PPK_PHONE, "36.02.01", telegram_user_id=users.ppk.id)
    await seed_coordinator(session_factory, "+6281234567891", "36.02.05", telegram_user_id=users.ppk_bayah.id)
    return users


async def _create_session(user: SimUser) -> None:
    """/bimtek_baru as a PPS: Pantarlih, 10 June 08:00–12:00, a shared location, no radius, saved."""
    await user.send_text("/bimtek_baru")
    await press_when_shown(user, "Pantarlih")
    assert "Kapan Bimtek dimulai" in (await user.wait_for(lambda m: "Kapan" in m.text)).text
    await user.send_text("10/6 08:00")
    assert "Selesai jam berapa" in (await user.wait_for(lambda m: "Selesai" in m.text)).text
    await user.send_text("12:00")
    await user.wait_for(lambda m: "Di mana tempatnya" in m.text)
    await user.share_location(-6.80, 106.01)
    await user.wait_for(lambda m: "nama tempatnya" in m.text)
    await user.send_text("Balai Desa Sukamanah")
    await press_when_shown(user, "30 menit sebelum mulai sampai selesai")
    await press_when_shown(user, "Tanpa cek lokasi")
    card = await user.wait_for(lambda m: "Simpan Bimtek ini?" in m.text)
    assert "Bimtek Pantarlih" in card.text and "Balai Desa Sukamanah" in card.text
    assert "08.00" in card.text and "12.00" in card.text
    await press_when_shown(user, "✅ Simpan")
    saved = await user.wait_for(lambda m: "tersimpan" in m.text)
    assert "Bimtek Pantarlih desa Sukamanah tersimpan" in saved.text


async def _register(user: SimUser, phone: str) -> None:
    await user.send_text("/daftar")
    await user.wait_for(lambda m: bool(m.keyboard))
    await user.share_contact(phone)
    confirm = await user.wait_for(lambda m: "Apakah ini benar Anda?" in m.text)
    await user.press("✅ Ya, benar")
    await user.wait_for_edit(confirm.message_id, lambda m: "Pendaftaran berhasil" in m.text)


async def _qr_link(user: SimUser) -> str:
    """/qr as the PPS: the deep link inside the caption's code (the QR image encodes the same)."""
    await user.send_text("/qr")
    photo = await user.wait_for(lambda m: m.kind == "photo")
    code = re.search(r"\b(\d{6})\b", photo.text)
    assert code is not None, photo.text
    return code.group(1)


async def _desa_session_id(factory: SessionFactory) -> int:
    async with factory() as session:
        found = await session.scalar(select(TrainingSession.id).where(TrainingSession.desa_id.is_not(None)))
    assert found is not None
    return found


async def test_a_pps_runs_their_desa_pantarlih_bimtek(
    sandbox: Sandbox,
    running_bot: BotApplication,
    session_factory: SessionFactory,
    clock: ManualClock,
    cascade: Cascade,
) -> None:
    siti = cascade.siti
    await _create_session(siti)
    async with session_factory() as session:
        row = await session.scalar(select(TrainingSession).where(TrainingSession.desa_id.is_not(None)))
    assert row is not None and row.level == "pantarlih" and row.radius_m is None
    assert row.starts_at == datetime(2024, 6, 10, 8, 0, tzinfo=WIB)

    # The roster as a document: Dedi is new, Budi (already PPS) gains the Pantarlih role, Euis is KPPS.
    await siti.send_document(GOOD_ROSTER.encode(), "pantarlih.csv")
    imported = await siti.wait_for(lambda m: "Daftar desa" in m.text)
    assert "2 Pantarlih, 1 KPPS" in imported.text
    async with session_factory() as session:
        budi = await session.scalar(select(Member).where(Member.phone == BUDI_PHONE))
        roles = await session.scalar(select(func.count()).select_from(CascadeMember))
    assert budi is not None and budi.position is Position.ANGGOTA  # keeps the PPS role
    assert roles == 3

    # Dedi registers through the same contact flow; Budi registers once for both of his roles.
    dedi = sandbox.new_user("Dedi", phone_number=DEDI_PHONE)
    await _register(dedi, DEDI_PHONE)
    await _register(cascade.budi, BUDI_PHONE)

    # The day of the desa's Bimtek: Siti shows the QR; Dedi and Budi scan it.
    clock.set(datetime(2024, 6, 10, 7, 45, tzinfo=WIB))
    code = await _qr_link(siti)
    session_id = await _desa_session_id(session_factory)
    for user in (dedi, cascade.budi):
        await user.send_text(f"/start ci-{session_id}-{code}")
        done = await user.wait_for(lambda m: "Presensi tercatat" in m.text)
        assert "Balai Desa Sukamanah" in done.text
    async with session_factory() as session:
        methods = list(await session.scalars(select(CheckIn.method).where(CheckIn.session_id == session_id)))
    assert methods == [CheckInMethod.QR, CheckInMethod.QR]

    # The PPS's recap: two of two Pantarlih present; Euis (KPPS) has no session yet.
    await siti.send_text("/rekap")
    recap = await siti.wait_for(lambda m: "Rekap Bimtek desa Sukamanah" in m.text)
    assert "Daftar: 2 · terdaftar di bot: 2 · hadir: 2" in recap.text
    assert "belum dijadwalkan" in recap.text  # the KPPS level

    # The PPK's cascade view: Sukamanah held it, Sukajaya has not scheduled; Bayah is not theirs.
    await cascade.ppk.send_text("/kaskade")
    view = await cascade.ppk.wait_for(lambda m: "Bimtek Pantarlih di desa" in m.text)
    assert "1 dari 2 desa sudah menjadwalkan" in view.text
    assert "Sukamanah" in view.text and "hadir 2/2" in view.text
    assert "Sukajaya (Kec. Malingping)" in view.text
    assert "Bayah" not in view.text


async def test_a_bad_roster_is_refused_whole_with_errors_by_row(
    running_bot: BotApplication, session_factory: SessionFactory, cascade: Cascade
) -> None:
    bad = (
        "Nama,Jabatan,TPS,Telepon\n"
        f"Dedi Kurniawan,Pantarlih,1,{DEDI_PHONE}\n"  # row 2: good
        "Euis Rahayu,KPPS,,081234567812\n"  # row 3: a KPPS without TPS
        "Ujang,Satpam,3,081234567813\n"  # row 4: not a role of the next level
        f"Dadang,Pantarlih,4,{DEDI_PHONE}\n"  # row 5: Dedi's phone again
        "Iis,Pantarlih,5,12345\n"  # row 6: not a phone
    )
    await cascade.siti.send_document(bad.encode(), "daftar.csv")
    refused = await cascade.siti.wait_for(lambda m: "tidak disimpan" in m.text)
    assert "4 kesalahan" in refused.text
    assert "Baris 2" not in refused.text
    assert "Baris 3: TPS kosong (wajib untuk KPPS)" in refused.text
    assert "Baris 4: jabatan 'Satpam' tidak dikenal" in refused.text
    assert "Baris 5: nomor telepon +62 812-3456-7811 sudah dipakai di baris 2" in refused.text
    assert "Baris 6: nomor telepon '12345'" in refused.text
    await cascade.siti.send_document(b"%PDF-1.4", "surat.pdf")
    assert "XLSX atau CSV" in (await cascade.siti.wait_for(lambda m: "XLSX atau CSV" in m.text)).text
    async with session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(CascadeMember)) == 0
        assert await session.scalar(select(func.count()).select_from(Member)) == 3  # nothing half-written


async def test_the_pps_announces_to_their_desa_pantarlih_only(
    sandbox: Sandbox, running_bot: BotApplication, session_factory: SessionFactory, cascade: Cascade
) -> None:
    siti = cascade.siti
    await siti.send_document(GOOD_ROSTER.encode(), "pantarlih.csv")
    await siti.wait_for(lambda m: "Daftar desa" in m.text)
    dedi = sandbox.new_user("Dedi", phone_number=DEDI_PHONE)
    euis = sandbox.new_user("Euis", phone_number=EUIS_PHONE)
    await _register(dedi, DEDI_PHONE)
    await _register(euis, EUIS_PHONE)

    await siti.send_text("/umumkan")
    await siti.wait_for(lambda m: "Tulis pengumuman untuk Pantarlih/KPPS desa Sukamanah" in m.text)
    await siti.send_text("Bimtek Pantarlih Senin 10 Juni pukul 08.00 di Balai Desa.")
    await press_when_shown(siti, "Pantarlih desa saya")
    summary = await siti.wait_for(lambda m: "Kirim sekarang?" in m.text)
    # Dedi is registered; Budi (Pantarlih too) has not registered yet.
    assert "Penerima: 1 (belum terdaftar: 1" in summary.text
    await press_when_shown(siti, "✅ Kirim")
    got = await dedi.wait_for(lambda m: "Bimtek Pantarlih Senin" in m.text)
    assert "Balai Desa" in got.text
    await siti.wait_for_edit(summary.message_id, lambda m: "1 dari 1" in m.text or "terkirim 1" in m.text)
    await bot_idle(running_bot)
    assert not any("Bimtek Pantarlih Senin" in m.text for m in euis.messages)  # KPPS were not chosen
    assert not any("Bimtek Pantarlih Senin" in m.text for m in cascade.asep.messages)  # another desa's PPS


async def test_scope_is_refused_at_every_level(
    sandbox: Sandbox,
    running_bot: BotApplication,
    session_factory: SessionFactory,
    clock: ManualClock,
    cascade: Cascade,
) -> None:
    await _create_session(cascade.siti)
    await cascade.siti.send_document(GOOD_ROSTER.encode(), "pantarlih.csv")
    await cascade.siti.wait_for(lambda m: "Daftar desa" in m.text)
    dedi = sandbox.new_user("Dedi", phone_number=DEDI_PHONE)
    await _register(dedi, DEDI_PHONE)

    # A Pantarlih coordinates nothing and sees nothing of others.
    await dedi.send_text("/bimtek_baru")
    assert "untuk anggota PPS" in (await dedi.wait_for(lambda m: "untuk anggota PPS" in m.text)).text
    await bot_idle(running_bot)
    for command in ("/rekap", "/umumkan", "/kaskade", "/qr", f"/hadirkan {DEDI_PHONE} lupa"):
        read = len(dedi.messages)
        await dedi.send_text(command)
        await dedi.wait_for(
            lambda m, read=read: "hanya untuk koordinator" in m.text and dedi.messages.index(m) >= read
        )
    await dedi.send_document(GOOD_ROSTER.encode(), "pantarlih.csv")
    await dedi.wait_for(lambda m: "tidak mengerti" in m.text)  # not a PPS: no roster of theirs to send
    assert not any("Daftar desa" in m.text for m in dedi.messages)

    # A Pantarlih scanning the QR of another desa's Bimtek is told whose it is.
    async with session_factory() as session, session.begin():
        bayah_barat = await session.scalar(select(Member.desa_id).where(Member.phone == "+6281234567899"))
        kecamatan = await session.scalar(select(Member.kecamatan_id).where(Member.phone == "+6281234567899"))
        assert bayah_barat is not None and kecamatan is not None
        other = TrainingSession(
            kecamatan_id=kecamatan,
            desa_id=bayah_barat,
            level="pantarlih",
            venue="Kantor Desa Bayah Barat",
            latitude=0.0,
            longitude=0.0,
            starts_at=datetime(2024, 6, 10, 8, 0, tzinfo=WIB),
            ends_at=datetime(2024, 6, 10, 12, 0, tzinfo=WIB),
            checkin_opens_at=datetime(2024, 6, 10, 7, 0, tzinfo=WIB),
            checkin_closes_at=datetime(2024, 6, 10, 12, 0, tzinfo=WIB),
            secret="ab" * 32,
        )
        session.add(other)
        await session.flush()
        other_id = other.id
    clock.set(datetime(2024, 6, 10, 7, 45, tzinfo=WIB))  # the day of Dedi's own Bimtek
    await dedi.send_text(f"/start ci-{other_id}-123456")
    await dedi.wait_for(lambda m: "Kode ini untuk Bimtek desa Bayah Barat" in m.text)

    # The PPS of another desa: their own desa only.
    await cascade.asep.send_text(f"/hadirkan {DEDI_PHONE} HP mati")
    other = await cascade.asep.wait_for(
        lambda m: "tidak ada di daftar Pantarlih/KPPS desa Bayah Barat" in m.text
    )
    assert "Bayah Barat" in other.text
    await cascade.asep.send_text("/rekap")
    own = await cascade.asep.wait_for(lambda m: "Rekap Bimtek desa Bayah Barat" in m.text)
    assert "Daftar: 0" in own.text
    assert "Sukamanah" not in own.text and "Dedi" not in own.text
    await cascade.asep.send_text("/kaskade")
    await cascade.asep.wait_for(lambda m: "hanya untuk koordinator" in m.text)

    # The PPK of another kecamatan sees theirs only.
    await cascade.ppk_bayah.send_text("/kaskade")
    bayah = await cascade.ppk_bayah.wait_for(lambda m: "Bimtek Pantarlih di desa" in m.text)
    assert "1 dari 1 desa" in bayah.text and "Bayah Barat" in bayah.text and "Sukamanah" not in bayah.text
    assert "Semua desa sudah menjadwalkan" in bayah.text
    await cascade.ppk_bayah.send_text("/kaskade Malingping")
    await cascade.ppk_bayah.wait_for(lambda m: "hanya dapat mengelola Kecamatan Bayah" in m.text)
    await cascade.ppk.send_text("/kaskade Malingping")
    own = await cascade.ppk.wait_for(lambda m: "Bimtek Pantarlih di desa — Kecamatan Malingping" in m.text)
    assert "Sukamanah" in own.text

    # Forged and stale buttons: a level that does not exist, and Siti's own buttons pressed by Dedi.
    await cascade.siti.send_text("/bimtek_baru")
    ask = await cascade.siti.wait_for(lambda m: "Bimtek ini untuk siapa?" in m.text)
    query = await cascade.siti.press_raw(ask.message_id, "kb:l:satpam")
    answer = await cascade.siti.wait_callback_answered(query)
    assert "tidak berlaku" in (answer.text or "")
    query = await dedi.press_raw(dedi.messages[-1].message_id, "kb:c:save")
    assert "tidak berlaku" in ((await dedi.wait_callback_answered(query)).text or "")
    async with session_factory() as session:
        assert (
            await session.scalar(select(func.count()).select_from(TrainingSession)) == 2
        )  # Siti's, Bayah Barat's
