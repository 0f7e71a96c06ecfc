"""'Sudah dibaca' end to end: the wizard's toggle, members pressing the button, the live view per kecamatan and
desa, forged and foreign presses, the reminder to those who have not read it (once), and /rekap's rate."""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from conftest import sandbox_config
from sqlalchemy import func, select, update

from bot.app import build_application, running
from bot.core.clock import ManualClock
from bot.core.db import SessionFactory
from bot.runtime.context import BotApplication
from bot.sandbox import BotMessage, Sandbox, SimUser
from models import Broadcast, BroadcastStatus, Delivery, Kecamatan, Position, TelegramAccount
from tests.helpers import bot_idle
from tests.seed import link_telegram, seed_coordinator, seed_members, seed_session

WIB = ZoneInfo("Asia/Jakarta")
ACK = "Sudah dibaca ✅"
DONE = "✅ Tercatat sudah dibaca"


@pytest.fixture
def delivery_options() -> dict[str, object]:
    # Tests run the outbox fast (a paid-broadcast rate); the real 25/s rate is measured in bench/.
    return {"rate_per_second": 200, "paid_broadcast": True}


class World:
    """Malingping (desa Sukamanah and Cilangkahan, and its PPK) and Bayah; a KPU and a Malingping PPK
    coordinator."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.members: dict[str, SimUser] = {}
        self.kpu = sandbox.new_user("Bu KPU")
        self.ppk = sandbox.new_user("Pak PPK")
        self.bayah_id = 0


@pytest.fixture
async def world(sandbox: Sandbox, session_factory: SessionFactory) -> World:
    w = World(sandbox)
    seeded = await seed_members(
        session_factory,
        [
            ("Siti <Aminah>", Position.KETUA, "+6281234567801"),
            ("Budi", Position.ANGGOTA, "+6281234567802"),
            ("Dedi PPK", Position.PPK, "+6281234567804"),
        ],
    )
    seeded += await seed_members(
        session_factory,
        [("Cici", Position.KETUA, "+6281234567803"), ("Eka", Position.ANGGOTA, "+6281234567805")],
        desa_name="Cilangkahan",
    )
    seeded += await seed_members(
        session_factory,
        [("Asep", Position.KETUA, "+6281234567899"), ("Nina", Position.ANGGOTA, "+6281234567898")],
        desa_name="Bayah Barat",
        kecamatan_code="36.02.05",
        kecamatan_name="Bayah",
    )
    await seed_session(session_factory)
    await seed_session(session_factory, "36.02.05", venue="Aula Kantor Kecamatan Bayah")
    for member in seeded:
        user = sandbox.new_user(member.name)
        await link_telegram(session_factory, member.id, user.id)
        w.members[member.name] = user
    await seed_coordinator(session_factory, "+6281311110000", telegram_user_id=w.kpu.id)
    await seed_coordinator(session_factory, "+6281311110001", "36.02.01", telegram_user_id=w.ppk.id)
    async with session_factory() as session:
        w.bayah_id = await session.scalar(select(Kecamatan.id).where(Kecamatan.code == "36.02.05")) or 0
    return w


@asynccontextmanager
async def _bot(
    sandbox: Sandbox, database_url: str, clock: ManualClock, delivery: dict[str, object]
) -> AsyncIterator[BotApplication]:
    """The real bot from the composition root, long-polling the sandbox, until the block ends (a restart)."""
    application = build_application(sandbox_config(sandbox, database_url, delivery), clock=clock)
    async with running(application, poll_timeout=5):
        yield application


def _after(before: int, words: str) -> Callable[[BotMessage], bool]:
    """A newer bot message than `before` that says `words`."""
    return lambda m: m.message_id > before and words in m.text


async def _announce(
    coordinator: SimUser, text: str, *, audience: str, ack: bool, reminder: str | None = None, when: str = ""
) -> BotMessage:
    """Compose through /umumkan (regency coordinators press Lanjut), set 'Sudah dibaca' and the reminder's
    delay, send or schedule; returns the summary message (which becomes the report)."""
    before = max((m.message_id for m in coordinator.messages), default=0)
    await coordinator.send_text("/umumkan")
    await coordinator.wait_for(_after(before, "Pengumuman baru"))
    await coordinator.send_text(text)
    asked = await coordinator.wait_for(_after(before, "Kepada siapa"))
    await coordinator.press(audience, message_id=asked.message_id)
    picker = await coordinator.wait_for(
        lambda m: m.message_id > before and ("Pilih kecamatan" in m.text or "Kapan dikirim" in m.text)
    )
    if "Pilih kecamatan" in picker.text:
        await coordinator.press("Lanjut ➡️", message_id=picker.message_id)
    when_message = await coordinator.wait_for(_after(before, "Kapan dikirim"))
    if when:
        await coordinator.send_text(when)
    else:
        await coordinator.press("Kirim sekarang", message_id=when_message.message_id)
    summary = await coordinator.wait_for(_after(before, "Siap dikirim"))
    labels = [b.text for row in summary.buttons for b in row]
    assert "Minta konfirmasi dibaca: tidak" in labels  # off by default
    if ack:
        await coordinator.press("Minta konfirmasi dibaca: tidak", message_id=summary.message_id)
        await coordinator.wait_for_edit(
            summary.message_id,
            lambda m: any(b.text == "Minta konfirmasi dibaca: ya" for row in m.buttons for b in row),
        )
        default = "Ingatkan yang belum membaca: setelah 3 jam"
        assert default in [b.text for row in summary.buttons for b in row]
        wanted = f"Ingatkan yang belum membaca: {reminder}"
        for _ in range(4):  # the delays go round: 3 h, 24 h, none, 1 h
            if reminder is None or wanted in [b.text for row in summary.buttons for b in row]:
                break
            edits = summary.edits
            await coordinator.press("Ingatkan yang belum membaca", message_id=summary.message_id)
            await coordinator.wait_for_edit(summary.message_id, min_edits=edits + 1)
        else:
            raise AssertionError(f"no reminder choice {wanted!r}")
    await coordinator.press("✅ Kirim" if not when else "✅ Jadwalkan", message_id=summary.message_id)
    return summary


async def _press_ack(user: SimUser, message: BotMessage, expected: str) -> None:
    query = await user.press(message_id=message.message_id, callback_data=message.buttons[0][0].callback_data)
    answer = await user.wait_callback_answered(query)
    assert answer.text == expected


async def _acknowledged(factory: SessionFactory) -> int:
    async with factory() as session:
        count = await session.scalar(
            select(func.count()).select_from(Delivery).where(Delivery.acknowledged_at.is_not(None))
        )
        return count or 0


async def test_members_acknowledge_and_the_coordinator_sees_who_live_per_kecamatan_and_desa(
    sandbox: Sandbox, running_bot: BotApplication, session_factory: SessionFactory, world: World
) -> None:
    kpu = world.kpu
    nina = world.members["Nina"]
    async with session_factory() as session, session.begin():  # Nina reads the bot in English
        await session.execute(
            update(TelegramAccount).where(TelegramAccount.id == nina.id).values(language="en")
        )
    summary = await _announce(
        kpu, "Rapat evaluasi {nama}.", audience="Semua PPS dan PPK", ack=True, reminder="tidak ada"
    )
    report = await kpu.wait_for_edit(summary.message_id, lambda m: "selesai" in m.text, timeout=10)
    assert "Terkirim: 7 dari 7" in report.text and "Sudah dibaca: 0 dari 7" in report.text

    # Every recipient sees the button under their own announcement.
    siti = world.members["Siti <Aminah>"]
    [received] = [m for m in siti.messages if m.text.startswith("Rapat evaluasi")]
    assert received.text == "Rapat evaluasi Siti <Aminah>."
    assert [[b.text for b in row] for row in received.buttons] == [[ACK]]
    for name, user in world.members.items():
        assert [b.text for row in user.messages[-1].buttons for b in row] == [
            "Read ✅" if name == "Nina" else ACK
        ]

    # The first press records it and turns the button; the second is told it is recorded already.
    await _press_ack(siti, received, "Terima kasih, tercatat sudah dibaca.")
    await siti.wait_for_edit(received.message_id, lambda m: m.buttons[0][0].text == DONE)
    await _press_ack(siti, received, "Sudah tercatat.")
    for name in ("Asep", "Dedi PPK"):
        user = world.members[name]
        await _press_ack(user, user.messages[-1], "Terima kasih, tercatat sudah dibaca.")
    await _press_ack(nina, nina.messages[-1], "Thank you, recorded as read.")
    await nina.wait_for_edit(
        nina.messages[-1].message_id, lambda m: m.buttons[0][0].text == "✅ Recorded as read"
    )
    await bot_idle(running_bot)
    assert await _acknowledged(session_factory) == 4

    # The coordinator's view: per kecamatan, from the report's button.
    await kpu.press("📖 Siapa sudah membaca", message_id=summary.message_id)
    view = await kpu.wait_for(_after(summary.message_id, "Konfirmasi dibaca — pengumuman #1"))
    assert "Sudah dibaca: 4 dari 7 penerima (57,1%)" in view.text
    assert "Bayah: 2/2 (100%)" in view.text and "Malingping: 2/5 (40%)" in view.text

    # Live: Budi reads it, "Perbarui" shows it.
    budi = world.members["Budi"]
    await _press_ack(budi, budi.messages[-1], "Terima kasih, tercatat sudah dibaca.")
    await kpu.press("🔄 Perbarui", message_id=view.message_id)
    view = await kpu.wait_for_edit(view.message_id, lambda m: "Malingping: 3/5 (60%)" in m.text)
    assert "Sudah dibaca: 5 dari 7 penerima" in view.text

    # Per desa, with names.
    await kpu.press("Malingping", message_id=view.message_id)
    detail = await kpu.wait_for_edit(view.message_id, lambda m: "Kecamatan Malingping" in m.text, min_edits=2)
    text = detail.text
    assert "Sudah dibaca: 3 dari 5 (60%)" in text
    assert "Sukamanah — 2/2\n  ✅ Budi, Siti <Aminah>" in text
    assert "Cilangkahan — 0/2\n  ⏳ belum: Cici, Eka" in text
    assert "PPK — 1/1\n  ✅ Dedi PPK" in text
    assert "Asep" not in text

    # /rekap shows the rate of the latest acknowledged announcement, in the coordinator's scope.
    await kpu.send_text("/rekap")
    rate = await kpu.wait_for(_after(detail.message_id, "Konfirmasi dibaca — pengumuman terakhir #1"))
    assert "Sudah dibaca: 5 dari 7 penerima (71,4%)" in rate.text

    ppk = world.ppk
    await ppk.send_text("/rekap")
    own = await ppk.wait_for(lambda m: "pengumuman terakhir #1" in m.text)
    assert "Sudah dibaca: 3 dari 5 penerima (60%)" in own.text  # Malingping only
    await ppk.press("📖 Rincian per kecamatan/desa", message_id=own.message_id)
    ppk_view = await ppk.wait_for(lambda m: "Konfirmasi dibaca — pengumuman #1" in m.text)
    assert "Malingping: 3/5" in ppk_view.text and "Bayah" not in ppk_view.text
    # Another kecamatan's names, asked with a forged button, are refused.
    query = await ppk.press_raw(ppk_view.message_id, f"ab:k:1:{world.bayah_id}")
    answer = await ppk.wait_callback_answered(query)
    assert answer.show_alert and answer.text == "Anda hanya dapat mengelola Kecamatan Malingping."
    # A member is no coordinator.
    await budi.press_raw(budi.messages[-1].message_id, "ab:s:1")
    assert "hanya untuk koordinator" in (await budi.wait_for(lambda m: "koordinator" in m.text)).text


async def test_forged_and_foreign_ack_buttons_are_refused(
    running_bot: BotApplication, session_factory: SessionFactory, world: World
) -> None:
    kpu, ppk = world.kpu, world.ppk
    plain = await _announce(kpu, "Tanpa konfirmasi.", audience="Semua PPS dan PPK", ack=False)
    await kpu.wait_for_edit(plain.message_id, lambda m: "selesai" in m.text, timeout=10)
    asep = world.members["Asep"]
    [first] = asep.messages
    assert first.buttons == []  # no button when it was not asked for

    own = await _announce(ppk, "Khusus Malingping.", audience="Semua PPS", ack=True, reminder="tidak ada")
    await ppk.wait_for_edit(own.message_id, lambda m: "selesai" in m.text, timeout=10)
    assert asep.messages == [first]  # Bayah got nothing

    # Asep (Bayah) forges the Malingping announcement's button: not his.
    answer = await asep.wait_callback_answered(await asep.press_raw(first.message_id, "ak:2"))
    assert answer.show_alert and answer.text is not None and "bukan untuk Anda" in answer.text
    # A broadcast that did not ask for it, and data that does not parse, are stale buttons.
    for data in ("ak:1", "ak:abc", "ak:" + "9" * 20, "ak:2:3", "ak:"):
        answer = await asep.wait_callback_answered(await asep.press_raw(first.message_id, data))
        assert answer.show_alert and answer.text is not None and "sudah tidak berlaku" in answer.text, data
    # A coordinator who is not on the roster did not receive it either.
    answer = await kpu.wait_callback_answered(await kpu.press_raw(plain.message_id, "ak:2"))
    assert answer.show_alert and answer.text is not None and "bukan untuk Anda" in answer.text
    await bot_idle(running_bot)
    assert await _acknowledged(session_factory) == 0

    # The real recipient's press counts.
    budi = world.members["Budi"]
    await _press_ack(budi, budi.messages[-1], "Terima kasih, tercatat sudah dibaca.")
    assert await _acknowledged(session_factory) == 1


async def test_the_reminder_reaches_only_those_who_have_not_read_it_once_also_after_a_restart(
    sandbox: Sandbox,
    database_url: str,
    session_factory: SessionFactory,
    clock: ManualClock,
    world: World,
    delivery_options: dict[str, object],
) -> None:
    kpu = world.kpu
    async with _bot(sandbox, database_url, clock, delivery_options) as bot:
        summary = await _announce(
            kpu, "Baca juknis {nama}.", audience="Semua PPS dan PPK", ack=True, reminder="setelah 1 jam"
        )
        await kpu.wait_for_edit(summary.message_id, lambda m: "selesai" in m.text, timeout=10)
        await bot_idle(bot)
        assert bot.bot_data.scheduler.scheduled_job_names() == ["broadcast:2"]

    # The bot restarts: the reminder is a stored broadcast, so its job is back, and presses still count.
    async with _bot(sandbox, database_url, clock, delivery_options) as bot:
        scheduler = bot.bot_data.scheduler
        assert scheduler.scheduled_job_names() == ["broadcast:2"]
        readers = ("Siti <Aminah>", "Asep")
        for name in readers:
            user = world.members[name]
            await _press_ack(user, user.messages[-1], "Terima kasih, tercatat sudah dibaca.")

        clock.set(datetime(2024, 6, 3, 8, 29, tzinfo=WIB))
        assert await scheduler.fire_due() == []  # not yet
        clock.set(datetime(2024, 6, 3, 8, 30, tzinfo=WIB))
        assert await scheduler.fire_due() == [2]
        await bot.bot_data.outbox.wait_idle(timeout=10)
        assert await scheduler.fire_due() == []  # once
        for name, user in world.members.items():
            reminders = [m for m in user.messages if m.text.startswith("⏰ Pengingat")]
            if name in readers:
                assert reminders == [], name
                continue
            [reminder] = reminders
            assert f"«Baca juknis {name}.»" in reminder.text
            assert [b.text for row in reminder.buttons for b in row] == [ACK]

        # Pressing under the reminder acknowledges the announcement, and both buttons show it.
        budi = world.members["Budi"]
        announcement, reminder = budi.messages[-2], budi.messages[-1]
        await _press_ack(budi, reminder, "Terima kasih, tercatat sudah dibaca.")
        await budi.wait_for_edit(reminder.message_id, lambda m: m.buttons[0][0].text == DONE)
        await budi.wait_for_edit(announcement.message_id, lambda m: m.buttons[0][0].text == DONE)
    assert await _acknowledged(session_factory) == 3
    async with session_factory() as session:
        statuses = list(await session.scalars(select(Broadcast.status).order_by(Broadcast.id)))
    assert statuses == [BroadcastStatus.DONE, BroadcastStatus.DONE]
    assert sum(sandbox.delivered(user.id) for user in world.members.values()) == 7 + 5


async def test_cancelling_a_scheduled_acknowledged_announcement_cancels_its_reminder(
    running_bot: BotApplication, session_factory: SessionFactory, world: World
) -> None:
    kpu = world.kpu
    summary = await _announce(
        kpu,
        "Sore ini.",
        audience="Semua PPS dan PPK",
        ack=True,
        reminder="setelah 24 jam",
        when="hari ini 18:00",
    )
    scheduled = await kpu.wait_for_edit(summary.message_id, lambda m: "dijadwalkan" in m.text)
    assert "Pengingat bagi yang belum membaca: setelah 24 jam" in scheduled.text
    await bot_idle(running_bot)
    scheduler = running_bot.bot_data.scheduler
    assert scheduler.scheduled_job_names() == ["broadcast:1", "broadcast:2"]

    await kpu.send_text("/terjadwal")
    listed = await kpu.wait_for(lambda m: "#1 ·" in m.text and "#2 ·" in m.text)
    assert "⏰ Pengingat" in listed.text
    await kpu.press("Batalkan #1", message_id=listed.message_id)
    await kpu.wait_for_edit(listed.message_id, lambda m: "Batalkan pengumuman #1" in m.text)
    await kpu.press("Ya, batalkan", message_id=listed.message_id)
    await kpu.wait_for_edit(listed.message_id, lambda m: "dibatalkan" in m.text, min_edits=2)
    await bot_idle(running_bot)
    assert scheduler.scheduled_job_names() == []
    async with session_factory() as session:
        statuses = list(await session.scalars(select(Broadcast.status).order_by(Broadcast.id)))
    assert statuses == [BroadcastStatus.CANCELLED, BroadcastStatus.CANCELLED]
