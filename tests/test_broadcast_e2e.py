"""Broadcasts end to end: the /umumkan wizard, audiences, scheduling, cancel, and the outbox under faults."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.broadcasts.audience import Audience, AudienceKind
from bot.broadcasts.compose import create_broadcast
from bot.core.clock import ManualClock
from bot.core.db import SessionFactory
from bot.runtime.context import BotApplication
from bot.sandbox import BotMessage, Sandbox, SimUser
from models import Broadcast, BroadcastStatus, Delivery, DeliveryStatus, Kecamatan, Position, TelegramAccount
from tests.helpers import bot_idle, press_when_shown
from tests.seed import link_telegram, seed_coordinator, seed_members, seed_session

WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def delivery_options() -> dict[str, object]:
    # Tests run the outbox fast (a paid-broadcast rate); the real 25/s rate is measured in bench/.
    return {"rate_per_second": 200, "paid_broadcast": True}


class World:
    """Two kecamatan with registered members, a KPU (regency) and a PPK (Malingping) coordinator."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.members: dict[str, SimUser] = {}
        self.kpu = sandbox.new_user("Bu KPU")
        self.ppk = sandbox.new_user("Pak PPK")


@pytest.fixture
async def world(sandbox: Sandbox, session_factory: SessionFactory) -> World:
    w = World(sandbox)
    malingping = await seed_members(
        session_factory,
        [
            ("Siti <Aminah>", Position.KETUA, "+6281234567801"),
            ("Budi", Position.ANGGOTA, "+6281234567802"),
            ("Cici", Position.ANGGOTA, "+6281234567803"),
            ("Dedi PPK", Position.PPK, "+6281234567804"),
        ],
    )
    bayah = await seed_members(
        session_factory,
        [("Asep", Position.KETUA, "+6281234567899"), ("Nina", Position.ANGGOTA, "+6281234567898")],
        desa_name="Bayah Barat",
        kecamatan_code="36.02.05",
        kecamatan_name="Bayah",
    )
    await seed_session(session_factory)
    await seed_session(session_factory, "36.02.05", venue="Aula Kantor Kecamatan Bayah")
    for member in [*malingping, *bayah]:
        user = sandbox.new_user(member.name)
        await link_telegram(session_factory, member.id, user.id)
        w.members[member.name] = user
    await seed_coordinator(session_factory, "+6281311110000", telegram_user_id=w.kpu.id)
    await seed_coordinator(session_factory, "+6281311110001", "36.02.01", telegram_user_id=w.ppk.id)
    return w


async def _compose(coordinator: SimUser, text: str, audience: str) -> None:
    await coordinator.send_text("/umumkan")
    await coordinator.next_message()
    await coordinator.send_text(text)
    await coordinator.wait_for(lambda m: "Kepada siapa" in m.text)
    await press_when_shown(coordinator, audience)


async def _statuses(factory: SessionFactory) -> list[BroadcastStatus]:
    async with factory() as session:
        return list(await session.scalars(select(Broadcast.status).order_by(Broadcast.id)))


async def test_wizard_sends_a_personalised_announcement_to_everyone_once(
    sandbox: Sandbox, running_bot: BotApplication, session_factory: SessionFactory, world: World
) -> None:
    kpu = world.kpu
    await _compose(kpu, "Halo {nama} dari {desa}: Bimtek di {venue} pukul {jam_mulai}.", "Semua PPS dan PPK")
    await kpu.wait_for(lambda m: "Pilih kecamatan" in m.text)
    await press_when_shown(kpu, "Lanjut ➡️")
    await kpu.wait_for(lambda m: "Kapan dikirim" in m.text)
    await press_when_shown(kpu, "Kirim sekarang")
    preview = await kpu.wait_for(lambda m: m.text.startswith("Halo "))
    assert "pukul 08.00 WIB" in preview.text
    summary = await kpu.wait_for(lambda m: "Siap dikirim" in m.text)
    assert "Penerima: 6 orang" in summary.text

    await press_when_shown(kpu, "✅ Kirim")
    await kpu.wait_for_edit(summary.message_id, lambda m: "selesai" in m.text, timeout=10)
    report = next(m for m in kpu.messages if m.message_id == summary.message_id)
    assert "Terkirim: 6 dari 6" in report.text

    siti = world.members["Siti <Aminah>"]
    [received] = [m for m in siti.messages if m.text.startswith("Halo")]
    assert (
        received.text
        == "Halo Siti <Aminah> dari Sukamanah: Bimtek di Aula Kantor Kecamatan Malingping pukul 08.00 WIB."
    )
    asep = world.members["Asep"]
    assert [m.text for m in asep.messages] == [
        "Halo Asep dari Bayah Barat: Bimtek di Aula Kantor Kecamatan Bayah pukul 08.00 WIB."
    ]
    assert all(sandbox.delivered(user.id) == 1 for user in world.members.values())


async def test_unknown_placeholder_is_refused_while_composing(
    running_bot: BotApplication, session_factory: SessionFactory, world: World
) -> None:
    await world.kpu.send_text("/umumkan")
    await world.kpu.next_message()
    await world.kpu.send_text("Halo {nama}, jadwal {jam_selesai}")
    refusal = await world.kpu.next_message()
    assert "Penanda tidak dikenal: {jam_selesai}" in refusal.text
    await world.kpu.send_text("/batal")
    assert "Dibatalkan" in (await world.kpu.next_message()).text
    assert await _statuses(session_factory) == []


async def test_ppk_coordinator_reaches_only_their_kecamatan(
    sandbox: Sandbox, running_bot: BotApplication, session_factory: SessionFactory, world: World
) -> None:
    ppk = world.ppk
    await _compose(ppk, "Rapat PPS Malingping besok.", "Semua PPS")
    await ppk.wait_for(lambda m: "Kapan dikirim" in m.text)
    await press_when_shown(ppk, "Kirim sekarang")
    summary = await ppk.wait_for(lambda m: "Siap dikirim" in m.text)
    assert "Penerima: 3 orang" in summary.text
    await press_when_shown(ppk, "✅ Kirim")
    await ppk.wait_for_edit(summary.message_id, lambda m: "selesai" in m.text, timeout=10)
    assert sandbox.delivered(world.members["Budi"].id) == 1
    assert sandbox.delivered(world.members["Asep"].id) == 0
    assert sandbox.delivered(world.members["Dedi PPK"].id) == 0


async def test_ketua_only_and_not_checked_in_audiences(
    sandbox: Sandbox, running_bot: BotApplication, session_factory: SessionFactory, world: World
) -> None:
    kpu = world.kpu
    await _compose(kpu, "Untuk ketua.", "Ketua PPS saja")
    await kpu.wait_for(lambda m: "Pilih kecamatan" in m.text)
    await press_when_shown(kpu, "Malingping")
    await kpu.wait_for(lambda m: any(b.text == "✅ Malingping" for row in m.buttons for b in row))
    await press_when_shown(kpu, "Lanjut ➡️")
    await press_when_shown(kpu, "Kirim sekarang")
    summary = await kpu.wait_for(lambda m: "Siap dikirim" in m.text)
    assert "Penerima: 1 orang" in summary.text
    await press_when_shown(kpu, "✅ Kirim")
    await kpu.wait_for_edit(summary.message_id, lambda m: "selesai" in m.text, timeout=10)
    assert [m.text for m in world.members["Siti <Aminah>"].messages] == ["Untuk ketua."]
    assert world.members["Asep"].messages == []

    await _compose(kpu, "Anda belum presensi!", "Belum presensi hari ini")
    await kpu.wait_for(lambda m: "Pilih kecamatan" in m.text and m.message_id > summary.message_id)
    await press_when_shown(kpu, "Lanjut ➡️")
    await press_when_shown(kpu, "Kirim sekarang")
    pending = await kpu.wait_for(lambda m: "Siap dikirim" in m.text)
    assert "Penerima: 6 orang" in pending.text  # nobody has checked in yet


async def test_scheduled_announcement_is_listed_cancelled_and_never_sent(
    sandbox: Sandbox,
    running_bot: BotApplication,
    session_factory: SessionFactory,
    clock: ManualClock,
    world: World,
) -> None:
    kpu = world.kpu
    await _compose(kpu, "Pengingat sore.", "Semua PPS dan PPK")
    await press_when_shown(kpu, "Lanjut ➡️")
    await kpu.wait_for(lambda m: "Kapan dikirim" in m.text)
    await kpu.send_text("kemarin 07:00")
    assert "tidak dapat dibaca" in (await kpu.wait_for(lambda m: "tidak dapat dibaca" in m.text)).text
    await kpu.send_text("07:00")
    await kpu.wait_for(lambda m: "sudah lewat" in m.text)
    await kpu.send_text("hari ini 18:00")
    summary = await kpu.wait_for(lambda m: "Siap dikirim" in m.text)
    assert "Senin, 3 Juni 2024 pukul 18.00 WIB" in summary.text
    await press_when_shown(kpu, "✅ Jadwalkan")
    await kpu.wait_for_edit(summary.message_id, lambda m: "dijadwalkan" in m.text)
    await bot_idle(running_bot)
    assert running_bot.bot_data.scheduler.scheduled_job_names() == ["broadcast:1"]

    await kpu.send_text("/terjadwal")
    listed = await kpu.wait_for(lambda m: "#1 ·" in m.text)
    await kpu.press("Batalkan #1", message_id=listed.message_id)
    await kpu.wait_for_edit(listed.message_id, lambda m: "Batalkan pengumuman #1" in m.text)
    await kpu.press("Ya, batalkan", message_id=listed.message_id)
    await kpu.wait_for_edit(listed.message_id, lambda m: "dibatalkan" in m.text, min_edits=2)
    await bot_idle(running_bot)
    assert running_bot.bot_data.scheduler.scheduled_job_names() == []
    assert await _statuses(session_factory) == [BroadcastStatus.CANCELLED]

    clock.set(datetime(2024, 6, 3, 18, 1, tzinfo=WIB))
    assert await running_bot.bot_data.scheduler.fire_due() == []
    assert all(sandbox.delivered(user.id) == 0 for user in world.members.values())


async def test_scheduled_announcement_fires_at_its_time(
    sandbox: Sandbox,
    running_bot: BotApplication,
    session_factory: SessionFactory,
    clock: ManualClock,
    world: World,
) -> None:
    kpu = world.kpu
    await _compose(kpu, "Selamat sore {nama}.", "Semua PPS dan PPK")
    await press_when_shown(kpu, "Lanjut ➡️")
    await kpu.wait_for(lambda m: "Kapan dikirim" in m.text)
    await kpu.send_text("3/6 18.00")
    summary = await kpu.wait_for(lambda m: "Siap dikirim" in m.text)
    await press_when_shown(kpu, "✅ Jadwalkan")
    await kpu.wait_for_edit(summary.message_id, lambda m: "dijadwalkan" in m.text)
    await bot_idle(running_bot)
    assert await running_bot.bot_data.scheduler.fire_due() == []  # 07.30: not yet

    clock.set(datetime(2024, 6, 3, 18, 0, tzinfo=WIB))
    assert await running_bot.bot_data.scheduler.fire_due() == [1]
    await running_bot.bot_data.outbox.wait_idle(timeout=10)
    assert [m.text for m in world.members["Asep"].messages] == ["Selamat sore Asep."]
    assert await running_bot.bot_data.scheduler.fire_due() == []  # fired once only
    assert await _statuses(session_factory) == [BroadcastStatus.DONE]


async def test_blocked_members_are_reported_and_marked_unreachable(
    sandbox: Sandbox, running_bot: BotApplication, session_factory: SessionFactory, world: World
) -> None:
    world.members["Budi"].block(notify_bot=False)
    kpu = world.kpu
    await _compose(kpu, "Info penting.", "Semua PPS dan PPK")
    await press_when_shown(kpu, "Lanjut ➡️")
    await press_when_shown(kpu, "Kirim sekarang")
    summary = await kpu.wait_for(lambda m: "Siap dikirim" in m.text)
    await press_when_shown(kpu, "✅ Kirim")
    report = await kpu.wait_for_edit(summary.message_id, lambda m: "selesai" in m.text, timeout=10)
    assert "Terkirim: 5 dari 6" in report.text and "memblokir bot): 1" in report.text
    await press_when_shown(kpu, "Daftar yang tidak menerima")
    listing = await kpu.wait_for(lambda m: "Tidak menerima pengumuman #1" in m.text)
    assert "Budi (+6281234567802): diblokir" in listing.text
    async with session_factory() as session:
        budi = await session.get(TelegramAccount, world.members["Budi"].id)
        assert budi is not None and budi.reachable is False


async def test_a_member_not_coordinator_cannot_broadcast(running_bot: BotApplication, world: World) -> None:
    asep = world.members["Asep"]
    # A PPS's /umumkan reaches their own desa's Pantarlih/KPPS only (issue 14), never the coordinators' audiences.
    await asep.send_text("/umumkan")
    assert "untuk Pantarlih/KPPS desa Bayah Barat" in (await asep.next_message()).text
    await asep.send_text("/batal")
    assert "Dibatalkan" in (await asep.next_message()).text
    await asep.send_text("/terjadwal")
    assert "hanya untuk koordinator" in (await asep.next_message()).text


async def _delivery_counts(factory: SessionFactory) -> dict[DeliveryStatus, int]:
    async with factory() as session:
        rows = await session.execute(select(Delivery.status, func.count()).group_by(Delivery.status))
        return {status: n for status, n in rows}


async def test_faults_429_5xx_and_timeouts_still_deliver_everyone_once(
    sandbox: Sandbox, running_bot: BotApplication, session_factory: SessionFactory, world: World
) -> None:
    sandbox.faults.hang_seconds = 0.3
    kpu = world.kpu
    await _compose(kpu, "Tahan gangguan.", "Semua PPS dan PPK")
    await press_when_shown(kpu, "Lanjut ➡️")
    await press_when_shown(kpu, "Kirim sekarang")
    summary = await kpu.wait_for(lambda m: "Siap dikirim" in m.text)
    # From here on the sandbox misbehaves for the broadcast's sends (the wizard's own messages are done).
    sandbox.faults.fail_next(method="sendMessage", status=429, retry_after=1, count=2)
    sandbox.faults.random(rate=0.3, kinds=("5xx", "timeout_before"), seed=7, methods=("sendMessage",))
    await press_when_shown(kpu, "✅ Kirim")
    await kpu.wait_for_edit(summary.message_id, lambda m: "selesai" in m.text, timeout=30)
    sandbox.faults.clear()
    assert {name: sandbox.delivered(user.id) for name, user in world.members.items()} == {
        name: 1 for name in world.members
    }
    assert await _delivery_counts(session_factory) == {DeliveryStatus.SENT: 6}


async def _send_now_to_everyone(kpu: SimUser, text: str) -> int:
    """Compose to everyone, send at once, and return the id of the message that becomes the report."""
    before = max((m.message_id for m in kpu.messages), default=0)

    def new(m: BotMessage, words: str) -> bool:
        return m.message_id > before and words in m.text

    await _compose(kpu, text, "Semua PPS dan PPK")
    picker = await kpu.wait_for(lambda m: new(m, "Pilih kecamatan"))
    await kpu.press("Lanjut ➡️", message_id=picker.message_id)
    when = await kpu.wait_for(lambda m: new(m, "Kapan dikirim"))
    await kpu.press("Kirim sekarang", message_id=when.message_id)
    summary = await kpu.wait_for(lambda m: new(m, "Siap dikirim"))
    await kpu.press("✅ Kirim", message_id=summary.message_id)
    return summary.message_id


async def test_a_failed_claim_restarts_the_outbox_and_later_broadcasts_still_reach_everyone(
    sandbox: Sandbox, running_bot: BotApplication, session_factory: SessionFactory, world: World
) -> None:
    outbox = running_bot.bot_data.outbox
    failures: list[str] = []

    async def refuse_once(session: AsyncSession) -> None:
        # A real database error inside the claim's transaction (no such table), once.
        if not failures:
            failures.append("claim")
            await session.execute(text("SELECT * FROM no_such_table"))

    outbox.before_claim = refuse_once
    kpu = world.kpu
    first = await _send_now_to_everyone(kpu, "Pertama.")
    await kpu.wait_for_edit(first, lambda m: "selesai" in m.text, timeout=15)
    assert failures == ["claim"]
    assert outbox.stats.restarts == 1

    second = await _send_now_to_everyone(kpu, "Kedua.")
    report = await kpu.wait_for_edit(second, lambda m: "selesai" in m.text, timeout=15)
    assert "Terkirim: 6 dari 6" in report.text
    for user in world.members.values():
        assert [m.text for m in user.messages] == ["Pertama.", "Kedua."]
    assert await _delivery_counts(session_factory) == {DeliveryStatus.SENT: 12}
    assert await _statuses(session_factory) == [BroadcastStatus.DONE, BroadcastStatus.DONE]
    assert outbox.stats.restarts == 1


async def _schedule_at_six(factory: SessionFactory, kecamatan_codes: tuple[str, ...], text: str) -> int:
    """A broadcast scheduled for 18.00 WIB today, stored through the rules (as KPU would)."""
    async with factory() as session, session.begin():
        ids = tuple(
            [
                await session.scalar(select(Kecamatan.id).where(Kecamatan.code == code))
                for code in kecamatan_codes
            ]
        )
        return await create_broadcast(
            session,
            body_html=text,
            media_kind=None,
            media_file_id=None,
            audience=Audience(AudienceKind.ALL, tuple(i for i in ids if i is not None)),
            send_at=datetime(2024, 6, 3, 18, 0, tzinfo=WIB),
            now=datetime(2024, 6, 3, 7, 30, tzinfo=WIB),
            created_by=None,
            creator_chat_id=None,
            language="id",
            include_late=False,
            progress=None,
        )


async def test_ppk_sees_regency_broadcasts_in_terjadwal_but_cannot_cancel_them(
    running_bot: BotApplication, session_factory: SessionFactory, world: World
) -> None:
    regency = await _schedule_at_six(session_factory, (), "Untuk seluruh kabupaten.")
    own = await _schedule_at_six(session_factory, ("36.02.01",), "Untuk Malingping.")
    other = await _schedule_at_six(session_factory, ("36.02.05",), "Untuk Bayah.")
    ppk = world.ppk
    await ppk.send_text("/terjadwal")
    listed = await ppk.wait_for(lambda m: f"#{regency} ·" in m.text and f"#{own} ·" in m.text)
    await bot_idle(running_bot)
    # The regency-wide one is seen, not controlled: only the own kecamatan's has a cancel button.
    assert [b.text for row in listed.buttons for b in row] == [f"Batalkan #{own}"]
    assert f"#{other} ·" not in listed.text  # another kecamatan's
    assert len([m for m in ppk.messages if "Pengumuman terjadwal" in m.text]) == 1

    # A forged cancel of the regency-wide one is refused, at both steps, and it stays scheduled.
    await ppk.press_raw(listed.message_id, f"tj:x:{regency}")
    await ppk.wait_for_edit(listed.message_id, lambda m: "sudah tidak terjadwal" in m.text)
    # The second refusal shows the same list again (Telegram keeps a message whose content is unchanged).
    await ppk.wait_callback_answered(await ppk.press_raw(listed.message_id, f"tj:y:{regency}"))
    await bot_idle(running_bot)
    assert "sudah tidak terjadwal" in listed.text and f"#{regency} ·" in listed.text
    assert await _statuses(session_factory) == [BroadcastStatus.SCHEDULED] * 3

    # KPU controls it: the list shows the cancel button.
    await world.kpu.send_text("/terjadwal")
    listed = await world.kpu.wait_for(lambda m: f"#{regency} ·" in m.text)
    assert [b.text for row in listed.buttons for b in row] == [
        f"Batalkan #{regency}",
        f"Batalkan #{own}",
        f"Batalkan #{other}",
    ]


async def test_forged_buttons_with_a_20_digit_id_get_the_stale_button_answer(
    running_bot: BotApplication, session_factory: SessionFactory, world: World
) -> None:
    regency = await _schedule_at_six(session_factory, (), "Untuk seluruh kabupaten.")
    kpu = world.kpu
    await kpu.send_text("/terjadwal")
    listed = await kpu.wait_for(lambda m: f"#{regency} ·" in m.text)
    huge = "9" * 20
    for data in (f"tj:y:{huge}", f"tj:x:{huge}", f"bu:{huge}", "tj:z:1", "bu:abc", f"tj:p:{huge}", "tj:p:-1"):
        query_id = await kpu.press_raw(listed.message_id, data)
        answer = await kpu.wait_callback_answered(query_id)
        assert answer.text is not None and "sudah tidak berlaku" in answer.text, data
        assert answer.show_alert
    await bot_idle(running_bot)
    assert await _statuses(session_factory) == [BroadcastStatus.SCHEDULED]
