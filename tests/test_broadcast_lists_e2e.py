"""The coordinator's broadcast lists end to end: /terjadwal as one paged message, and who did not receive one."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from bot.broadcasts.audience import Audience, AudienceKind
from bot.broadcasts.compose import BroadcastSummary, create_broadcast, visible_length
from bot.broadcasts.scheduled import ScheduledItem, ScheduledPage
from bot.core.db import SessionFactory
from bot.runtime.context import BotApplication
from bot.sandbox import BotMessage, Sandbox, SimUser
from handlers.broadcasts.scheduled import render_page
from models import (
    Broadcast,
    BroadcastStatus,
    Delivery,
    DeliveryStatus,
    Kecamatan,
    Position,
    TelegramAccount,
)
from tests.helpers import bot_idle
from tests.seed import link_telegram, seed_coordinator, seed_members

WIB = ZoneInfo("Asia/Jakarta")
SIX_PM = datetime(2024, 6, 3, 18, 0, tzinfo=WIB)
# Stored as Telegram HTML, longer than a first line is shown: the list cuts it with "…" and shows "&" and "<"
# as written.
LONG_TEXT = "Rapat &amp; &lt;koordinasi&gt; persiapan pemungutan suara " * 8


class World:
    """Malingping (4 registered) and Bayah (2 registered), a KPU (regency) and a PPK (Malingping) coordinator."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.kpu = sandbox.new_user("Bu KPU")
        self.ppk = sandbox.new_user("Pak PPK")
        self.member_ids: dict[str, int] = {}


@pytest.fixture
async def world(sandbox: Sandbox, session_factory: SessionFactory) -> World:
    w = World(sandbox)
    malingping = await seed_members(
        session_factory,
        [
            ("Siti", Position.KETUA, "+6281234567801"),
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
    for member in [*malingping, *bayah]:
        await link_telegram(session_factory, member.id, sandbox.new_user(member.name).id)
        w.member_ids[member.name] = member.id
    await seed_coordinator(session_factory, "+6281311110000", telegram_user_id=w.kpu.id)
    await seed_coordinator(session_factory, "+6281311110001", "36.02.01", telegram_user_id=w.ppk.id)
    return w


async def _schedule(
    factory: SessionFactory, text: str, *, minutes_after_six: int = 0, kecamatan_codes: tuple[str, ...] = ()
) -> int:
    """A broadcast to everyone (in these kecamatan; none: the regency) scheduled for 18.00 WIB plus minutes."""
    async with factory() as session, session.begin():
        ids = [await session.scalar(select(Kecamatan.id).where(Kecamatan.code == c)) for c in kecamatan_codes]
        return await create_broadcast(
            session,
            body_html=text,
            media_kind=None,
            media_file_id=None,
            audience=Audience(AudienceKind.ALL, tuple(i for i in ids if i is not None)),
            send_at=SIX_PM + timedelta(minutes=minutes_after_six),
            now=datetime(2024, 6, 3, 7, 30, tzinfo=WIB),
            created_by=None,
            creator_chat_id=None,
            language="id",
            include_late=False,
            progress=None,
        )


def _buttons(message: BotMessage) -> list[str]:
    return [b.text for row in message.buttons for b in row]


def _listed_ids(message: BotMessage, ids: range) -> list[int]:
    return [i for i in ids if f"#{i} ·" in message.text]


async def _statuses(factory: SessionFactory) -> dict[int, BroadcastStatus]:
    async with factory() as session:
        return dict((await session.execute(select(Broadcast.id, Broadcast.status))).tuples().all())


async def test_twelve_scheduled_broadcasts_are_one_message_of_three_pages_and_cancel_works_from_page_two(
    running_bot: BotApplication, session_factory: SessionFactory, world: World
) -> None:
    for i in range(12):
        await _schedule(session_factory, f"{i + 1}. {LONG_TEXT}", minutes_after_six=i)
    kpu = world.kpu
    await kpu.send_text("/terjadwal")
    listed = await kpu.wait_for(lambda m: "Pengumuman terjadwal" in m.text)
    await bot_idle(running_bot)
    assert len(kpu.messages) == 1  # one message, not one per broadcast
    assert "Halaman 1 dari 3 · 12 pengumuman" in listed.text
    assert _listed_ids(listed, range(1, 13)) == [1, 2, 3, 4, 5]
    assert "#1 · Senin, 3 Juni 2024 pukul 18.00 WIB · Semua PPS dan PPK · 6 penerima" in listed.text
    assert (
        "«1. Rapat &amp; &lt;koordinasi&gt;" not in listed.text and "«1. Rapat & <koordinasi>" in listed.text
    )
    assert "…»" in listed.text and len(listed.text) < 4096
    assert _buttons(listed) == [*(f"Batalkan #{i}" for i in range(1, 6)), "Berikutnya ›"]

    # › edits the same message to page 2.
    await kpu.press("Berikutnya ›", message_id=listed.message_id)
    await kpu.wait_for_edit(listed.message_id, lambda m: "Halaman 2 dari 3" in m.text)
    assert _listed_ids(listed, range(1, 13)) == [6, 7, 8, 9, 10]
    assert _buttons(listed) == [*(f"Batalkan #{i}" for i in range(6, 11)), "‹ Sebelumnya", "Berikutnya ›"]

    # Cancel #7 from page 2: asked first, then the list as it now is, still on page 2.
    await kpu.press("Batalkan #7", message_id=listed.message_id)
    await kpu.wait_for_edit(listed.message_id, lambda m: "Batalkan pengumuman #7" in m.text, min_edits=2)
    assert _buttons(listed) == ["Ya, batalkan", "Tidak"]
    await kpu.press("Ya, batalkan", message_id=listed.message_id)
    await kpu.wait_for_edit(listed.message_id, lambda m: "Pengumuman #7 dibatalkan." in m.text, min_edits=3)
    assert "Halaman 2 dari 3 · 11 pengumuman" in listed.text
    assert _listed_ids(listed, range(1, 13)) == [6, 8, 9, 10, 11]
    assert "Batalkan #7" not in _buttons(listed)
    await bot_idle(running_bot)
    statuses = await _statuses(session_factory)
    assert statuses[7] is BroadcastStatus.CANCELLED
    assert [i for i, s in statuses.items() if s is BroadcastStatus.SCHEDULED] == [*range(1, 7), *range(8, 13)]

    # "No" keeps it and shows the list again; ‹ goes back to page 1. Still one message all along.
    await kpu.press("Batalkan #8", message_id=listed.message_id)
    await kpu.wait_for_edit(listed.message_id, lambda m: "Batalkan pengumuman #8" in m.text, min_edits=4)
    await kpu.press("Tidak", message_id=listed.message_id)
    await kpu.wait_for_edit(listed.message_id, lambda m: "Tidak jadi dibatalkan." in m.text, min_edits=5)
    assert _listed_ids(listed, range(1, 13)) == [6, 8, 9, 10, 11]
    await kpu.press("‹ Sebelumnya", message_id=listed.message_id)
    await kpu.wait_for_edit(listed.message_id, lambda m: "Halaman 1 dari 3" in m.text, min_edits=6)
    assert _listed_ids(listed, range(1, 13)) == [1, 2, 3, 4, 5]
    await bot_idle(running_bot)
    assert len(kpu.messages) == 1
    assert (await _statuses(session_factory))[8] is BroadcastStatus.SCHEDULED


async def test_a_forged_page_shows_the_last_page_and_an_unreadable_one_is_a_stale_button(
    running_bot: BotApplication, session_factory: SessionFactory, world: World
) -> None:
    for i in range(12):
        await _schedule(session_factory, f"Pengumuman {i + 1}.", minutes_after_six=i)
    kpu = world.kpu
    await kpu.send_text("/terjadwal")
    listed = await kpu.wait_for(lambda m: "Halaman 1 dari 3" in m.text)
    await kpu.press_raw(listed.message_id, "tj:p:99")
    await kpu.wait_for_edit(listed.message_id, lambda m: "Halaman 3 dari 3" in m.text)
    assert _listed_ids(listed, range(1, 13)) == [11, 12]
    assert _buttons(listed) == ["Batalkan #11", "Batalkan #12", "‹ Sebelumnya"]
    for data in ("tj:p:abc", "tj:p:" + "9" * 20, "tj:p:0", "tj:p:1:2"):
        answer = await kpu.wait_callback_answered(await kpu.press_raw(listed.message_id, data))
        assert answer.text is not None and "sudah tidak berlaku" in answer.text, data
        assert answer.show_alert
    await bot_idle(running_bot)
    assert "Halaman 3 dari 3" in listed.text and listed.edits == 1


async def test_ppk_sees_a_regency_wide_broadcast_with_their_own_count_and_no_cancel_button(
    running_bot: BotApplication, session_factory: SessionFactory, world: World
) -> None:
    regency = await _schedule(session_factory, "Untuk seluruh kabupaten.")
    own = await _schedule(
        session_factory, "Untuk Malingping.", minutes_after_six=1, kecamatan_codes=("36.02.01",)
    )
    other = await _schedule(
        session_factory, "Untuk Bayah.", minutes_after_six=2, kecamatan_codes=("36.02.05",)
    )
    ppk = world.ppk
    await ppk.send_text("/terjadwal")
    listed = await ppk.wait_for(lambda m: "Pengumuman terjadwal" in m.text)
    # Malingping's 4 members, not the regency's 6; one page, so no page buttons and no page line.
    assert f"#{regency} · Senin, 3 Juni 2024 pukul 18.00 WIB · Semua PPS dan PPK · 4 penerima" in listed.text
    assert f"#{own} · Senin, 3 Juni 2024 pukul 18.01 WIB · Semua PPS dan PPK · Malingping · 4 penerima" in (
        listed.text
    )
    assert f"#{other} ·" not in listed.text and "Halaman" not in listed.text
    assert _buttons(listed) == [f"Batalkan #{own}"]

    await world.kpu.send_text("/terjadwal")
    seen_by_kpu = await world.kpu.wait_for(lambda m: "Pengumuman terjadwal" in m.text)
    assert (
        f"#{regency} · Senin, 3 Juni 2024 pukul 18.00 WIB · Semua PPS dan PPK · 6 penerima"
        in seen_by_kpu.text
    )
    assert _buttons(seen_by_kpu) == [f"Batalkan #{regency}", f"Batalkan #{own}", f"Batalkan #{other}"]


def test_a_page_of_the_longest_items_fits_in_one_message() -> None:
    names = {i: f"Kecamatan Yang Namanya Sangat Panjang Sekali {i}" for i in range(1, 29)}
    longest = BroadcastSummary(
        id=10**9,
        status=BroadcastStatus.SCHEDULED,
        send_at=SIX_PM,
        first_line="&<>" * 20,  # as first_line() leaves it: at most 60 characters, every one escaped
        audience=Audience(AudienceKind.NOT_CHECKED_IN, tuple(names)),
        program_key=None,
    )
    page = ScheduledPage([ScheduledItem(longest, 10**6)] * 5, page=1, pages=999, total=4_995)
    for language in ("id", "en"):
        text, markup = render_page(language, page, names, WIB, notice="x" * 120)
        assert visible_length(text) < 4096, language
        assert "…" in text  # the audience naming 28 kecamatan is cut
        assert markup is not None and len(markup.inline_keyboard) == 3  # 5 cancel buttons in 2 rows, then ‹ ›


async def _finished_with_failures(
    factory: SessionFactory, member_ids: dict[str, int], *, extra: int = 0
) -> int:
    """A finished broadcast where Budi blocked the bot, Asep's message failed, Nina's was cancelled and Siti's
    was never sent; `extra` more members of Bayah whose message failed."""
    broadcast_id = await _schedule(factory, "Info penting.")
    statuses = {
        "Budi": DeliveryStatus.BLOCKED,
        "Asep": DeliveryStatus.FAILED,
        "Nina": DeliveryStatus.CANCELLED,
        "Siti": DeliveryStatus.PENDING,
        "Cici": DeliveryStatus.SENT,
    }
    people = {member_ids[name]: status for name, status in statuses.items()}
    if extra:
        more = await seed_members(
            factory,
            [(f"Anggota {i:02d}", Position.ANGGOTA, f"+62812000{i:05d}") for i in range(extra)],
            desa_name="Bayah Barat",
            kecamatan_code="36.02.05",
            kecamatan_name="Bayah",
        )
        people.update({m.id: DeliveryStatus.FAILED for m in more})
    async with factory() as session, session.begin():
        await session.execute(
            update(Broadcast).where(Broadcast.id == broadcast_id).values(status=BroadcastStatus.DONE)
        )
        for member_id, status in people.items():
            session.add(
                Delivery(
                    broadcast_id=broadcast_id,
                    member_id=member_id,
                    chat_id=member_id,
                    status=status,
                    attempts=1,
                    next_attempt_at=SIX_PM,
                )
            )
    return broadcast_id


async def _press_undelivered(user: SimUser, broadcast_id: int) -> None:
    """The report's button, as it sits under the coordinator's report (bu:<id>)."""
    await user.send_text("/terjadwal")
    anchor = await user.wait_for(lambda m: "terjadwal" in m.text.lower() or "scheduled" in m.text.lower())
    await user.press_raw(anchor.message_id, f"bu:{broadcast_id}")


async def test_who_did_not_receive_it_is_said_in_indonesian_and_in_english(
    running_bot: BotApplication, session_factory: SessionFactory, world: World
) -> None:
    broadcast_id = await _finished_with_failures(session_factory, world.member_ids)
    kpu = world.kpu
    await _press_undelivered(kpu, broadcast_id)
    listing = await kpu.wait_for(lambda m: f"Tidak menerima pengumuman #{broadcast_id}" in m.text)
    assert listing.text.splitlines()[1:] == [
        "Bayah — Asep (+6281234567899): gagal",
        "Bayah — Nina (+6281234567898): dibatalkan",
        "Malingping — Budi (+6281234567802): diblokir",
    ]

    async with session_factory() as session, session.begin():
        await session.execute(
            update(TelegramAccount).where(TelegramAccount.id == kpu.id).values(language="en")
        )
    await _press_undelivered(kpu, broadcast_id)
    listing = await kpu.wait_for(lambda m: f"Did not receive announcement #{broadcast_id}" in m.text)
    assert listing.text.splitlines()[1:] == [
        "Bayah — Asep (+6281234567899): failed",
        "Bayah — Nina (+6281234567898): cancelled",
        "Malingping — Budi (+6281234567802): blocked the bot",
    ]


async def test_a_long_list_of_who_did_not_receive_it_is_a_plain_text_file_in_indonesian(
    running_bot: BotApplication, session_factory: SessionFactory, world: World
) -> None:
    broadcast_id = await _finished_with_failures(session_factory, world.member_ids, extra=40)
    kpu = world.kpu
    await _press_undelivered(kpu, broadcast_id)
    sent = await kpu.wait_for(lambda m: m.file is not None)
    assert sent.file is not None and sent.file.filename == f"tidak-menerima-{broadcast_id}.txt"
    lines = sent.file.data.decode("utf-8").splitlines()
    assert lines[0] == f"Tidak menerima pengumuman #{broadcast_id}:"
    assert len(lines) == 1 + 43
    assert "Bayah — Anggota 00 (+6281200000000): gagal" in lines
    assert "Bayah — Nina (+6281234567898): dibatalkan" in lines
    assert "Malingping — Budi (+6281234567802): diblokir" in lines
    assert not any(word in line for line in lines for word in ("blocked", "failed", "cancelled"))
