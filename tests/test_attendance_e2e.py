"""Coordinators watch attendance through Telegram: /rekap numbers and chart, who is absent, /ekspor, scope."""

import io
from dataclasses import dataclass, field
from datetime import datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from bot.checkin.codes import current_code
from bot.core.clock import ManualClock
from bot.core.db import SessionFactory
from bot.runtime.context import BotApplication
from bot.sandbox import Sandbox, SimUser
from models import Position, TelegramAccount, TrainingSession
from tests.helpers import bot_idle
from tests.seed import link_telegram, seed_coordinator, seed_members, seed_session

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
XLSX_SIGNATURE = b"PK\x03\x04"
K, A, P = Position.KETUA, Position.ANGGOTA, Position.PPK


# The chart is drawn in a child process that loads matplotlib: generous on a loaded machine (a deadline, not a wait).
CHART_TIMEOUT = 60.0
# The workbook is written in a child process too (spawned Python, openpyxl): the same kind of deadline.
EXPORT_TIMEOUT = 60.0


@dataclass
class World:
    """Malingping (two desa and a PPK) and Bayah, both with a session; a KPU and a PPK coordinator."""

    kpu: SimUser
    ppk: SimUser
    members: dict[str, SimUser] = field(default_factory=dict)
    sessions: dict[str, int] = field(default_factory=dict)


@pytest.fixture
async def world(sandbox: Sandbox, session_factory: SessionFactory) -> World:
    w = World(kpu=sandbox.new_user("Bu KPU"), ppk=sandbox.new_user("Pak PPK"))
    sukamanah = await seed_members(
        session_factory,
        [("Siti Aminah", K, "+6281234567801"), ("Budi", A, "+6281234567802"), ("Cici", A, "+6281234567803")],
    )
    pagelaran = await seed_members(
        session_factory,
        [
            ("Dedi", K, "+6281234567811"),
            ("Euis", A, "+6281234567812"),
            ("Fajar", A, "+6281234567813"),
            ("Gugun <PPK>", P, "+6281234567821"),
        ],
        desa_name="Pagelaran",
    )
    bayah = await seed_members(
        session_factory,
        [("Asep", K, "+6281234567899"), ("Hana", A, "+6281234567898"), ("Iwan", A, "+6281234567897")],
        desa_name="Bayah Barat",
        kecamatan_code="36.02.05",
        kecamatan_name="Bayah",
    )
    w.sessions["Malingping"] = await seed_session(session_factory)
    w.sessions["Bayah"] = await seed_session(session_factory, "36.02.05", venue="Aula Kecamatan Bayah")
    await seed_coordinator(session_factory, "+6281311110000", telegram_user_id=w.kpu.id)
    await seed_coordinator(session_factory, "+6281311110001", "36.02.01", telegram_user_id=w.ppk.id)
    registered = [sukamanah[0], sukamanah[1], pagelaran[0], bayah[0]]
    for member in registered:
        user = sandbox.new_user(member.name)
        await link_telegram(session_factory, member.id, user.id)
        w.members[member.name] = user
    return w


async def _check_in(factory: SessionFactory, clock: ManualClock, user: SimUser, session_id: int) -> None:
    async with factory() as session:
        secret = await session.scalar(select(TrainingSession.secret).where(TrainingSession.id == session_id))
    assert secret is not None
    await user.send_text(f"/hadir {current_code(secret, 5, clock.now())}")
    assert "Presensi tercatat" in (await user.next_message()).text


async def _morning(factory: SessionFactory, clock: ManualClock, world: World) -> None:
    """Siti, Budi and Dedi check in at Malingping, Asep at Bayah (all at 07.30 WIB)."""
    for name in ("Siti Aminah", "Budi", "Dedi"):
        await _check_in(factory, clock, world.members[name], world.sessions["Malingping"])
    await _check_in(factory, clock, world.members["Asep"], world.sessions["Bayah"])


async def test_regency_recap_counts_per_kecamatan_with_totals_desa_and_a_chart(
    running_bot: BotApplication, session_factory: SessionFactory, clock: ManualClock, world: World
) -> None:
    await _morning(session_factory, clock, world)
    await world.kpu.send_text("/rekap")
    recap = await world.kpu.next_message()
    assert "Rekap kehadiran Bimtek — Kabupaten Lebak" in recap.text
    assert "Data per Senin, 3 Juni 2024 pukul 07.30 WIB" in recap.text
    # present / registered / on the roster (% present)
    assert "• Malingping: 3 / 3 / 6 (50%)" in recap.text
    assert "• Bayah: 1 / 1 / 3 (33,3%)" in recap.text
    assert "Jumlah PPS: 4 / 4 / 9 (44,4%)" in recap.text
    assert "PPK: hadir 0 dari 1 (0%)" in recap.text
    # Sukamanah has 2 present, Pagelaran 1, Bayah Barat 1.
    assert "(dari 3):\n3 hadir: 0 · 2 hadir: 1 · 1 hadir: 2 · 0 hadir: 0" in recap.text

    chart = await world.kpu.next_message(timeout=CHART_TIMEOUT)
    assert chart.method == "sendPhoto"
    assert chart.photo is not None and chart.photo.startswith(PNG_SIGNATURE)
    assert "Grafik kehadiran PPS per kecamatan" in chart.text


async def test_recap_of_one_kecamatan_lists_the_absent_by_desa_with_phones(
    running_bot: BotApplication, session_factory: SessionFactory, clock: ManualClock, world: World
) -> None:
    await _morning(session_factory, clock, world)
    await world.kpu.send_text("/rekap kec. MALINGPING")
    absent = await world.kpu.next_message()
    text = absent.text
    assert "Belum presensi — Kecamatan Malingping" in text
    assert "PPS hadir 3 dari 6 (50%). Belum presensi: 4 orang." in text
    lines = text.splitlines()
    # Desa in code order, each with its absentees; the PPK last; nobody who checked in.
    expected = [
        "Sukamanah",
        "• Cici — Anggota PPS, belum terdaftar di bot, +62 812-3456-7803",
        "",
        "Pagelaran",
        "• Euis — Anggota PPS, belum terdaftar di bot, +62 812-3456-7812",
        "• Fajar — Anggota PPS, belum terdaftar di bot, +62 812-3456-7813",
        "",
        "PPK Kecamatan Malingping",
        "• Gugun <PPK> — Anggota PPK, belum terdaftar di bot, +62 812-3456-7821",
    ]
    start = lines.index("Sukamanah")
    assert lines[start : start + len(expected)] == expected
    assert "Siti" not in text and "Budi" not in text and "Dedi" not in text
    assert "Gugun &lt;PPK&gt;" in (absent.html or "")  # the value was escaped for Telegram's HTML


async def test_absentees_show_registration_and_no_chart(
    running_bot: BotApplication, session_factory: SessionFactory, world: World
) -> None:
    await world.kpu.send_text("/rekap Bayah")
    absent = await world.kpu.next_message()
    assert "• Asep — Ketua PPS, terdaftar di bot, +62 812-3456-7899" in absent.text
    assert "Belum presensi: 3 orang." in absent.text
    await bot_idle(running_bot)
    assert world.kpu.unread == []


async def test_unknown_kecamatan_gets_a_suggestion(running_bot: BotApplication, world: World) -> None:
    await world.kpu.send_text("/rekap Malingpng")
    answer = (await world.kpu.next_message()).text
    assert "Kecamatan «Malingpng» tidak ditemukan" in answer
    assert "Mungkin maksud Anda: Malingping" in answer
    await world.kpu.send_text("/rekap <Antah Berantah>")
    answer = (await world.kpu.next_message()).text
    assert "«<Antah Berantah>» tidak ditemukan" in answer and "Mungkin" not in answer


async def test_a_name_two_kecamatan_share_is_asked_by_code(
    running_bot: BotApplication, session_factory: SessionFactory, world: World
) -> None:
    for code, phone in (("36.02.30", "+6281234560001"), ("36.02.31", "+6281234560002")):
        await seed_members(
            session_factory, [(f"Ketua {code}", K, phone)], kecamatan_code=code, kecamatan_name="Sukamaju"
        )
    await world.kpu.send_text("/rekap Sukamaju")
    answer = (await world.kpu.next_message()).text
    assert "lebih dari satu kecamatan bernama «Sukamaju»: Sukamaju (36.02.30), Sukamaju (36.02.31)" in answer
    await world.kpu.send_text("/rekap 36.02.31")
    absent = (await world.kpu.next_message()).text
    assert "Ketua 36.02.31" in absent and "Ketua 36.02.30" not in absent


async def test_a_long_absentee_list_arrives_whole_as_a_file(
    running_bot: BotApplication, session_factory: SessionFactory, world: World
) -> None:
    names = []
    for desa in range(40):
        people = [(f"Warga {desa:02d}-{i} Cibeber", A, f"+628130000{desa:02d}{i:02d}") for i in range(3)]
        await seed_members(
            session_factory,
            people,
            desa_name=f"Desa Nomor {desa:02d}",
            kecamatan_code="36.02.20",
            kecamatan_name="Cibeber",
        )
        names += [name for name, _, _ in people]

    await world.kpu.send_text("/rekap Cibeber")
    sent = await world.kpu.next_message()
    assert sent.method == "sendDocument"
    assert sent.filename == "belum-presensi-cibeber-2024-06-03-0730.txt"
    assert "terlalu panjang untuk satu pesan" in sent.text
    assert sent.document is not None
    content = sent.document.decode("utf-8")
    assert len(content) > 4096
    assert content.startswith("BERISI DATA PRIBADI (UU No. 27 Tahun 2022)")  # a file of phones says so
    assert "Belum presensi — Kecamatan Cibeber" in content and "Belum presensi: 120 orang." in content
    assert all(content.count(f"• {name} — ") == 1 for name in names)
    assert "<b>" not in content  # plain text, not Telegram's HTML


async def test_export_is_an_xlsx_with_a_sheet_per_kecamatan_and_times_in_wib(
    running_bot: BotApplication, session_factory: SessionFactory, clock: ManualClock, world: World
) -> None:
    await _morning(session_factory, clock, world)
    await world.kpu.send_text("/ekspor")
    assert "Menyiapkan berkas rekap presensi (10 orang)" in (await world.kpu.next_message()).text
    sent = await world.kpu.next_message(timeout=EXPORT_TIMEOUT)
    assert sent.method == "sendDocument"
    assert sent.filename == "rekap-presensi-2024-06-03-0730.xlsx"
    assert "PPS hadir 4 dari 9 (44,4%)" in sent.text
    assert sent.document is not None and sent.document.startswith(XLSX_SIGNATURE)
    workbook = load_workbook(io.BytesIO(sent.document))
    assert workbook.sheetnames == ["Rekap", "Malingping", "Bayah", "Tugas"]  # duties sheet last
    sheet = workbook["Malingping"]
    header = [cell.value for cell in sheet[1]]
    rows = {row[header.index("Nama")]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    time_column = header.index("Waktu check-in (WIB)")
    assert rows["Siti Aminah"][time_column] == datetime(2024, 6, 3, 7, 30)
    assert rows["Cici"][time_column] is None
    assert rows["Siti Aminah"][header.index("Hadir")] == "Ya"


async def test_ppk_coordinator_sees_only_their_kecamatan(
    running_bot: BotApplication, session_factory: SessionFactory, clock: ManualClock, world: World
) -> None:
    await _morning(session_factory, clock, world)
    await world.ppk.send_text("/rekap")
    recap = await world.ppk.next_message()
    assert "Rekap kehadiran Bimtek — Kecamatan Malingping" in recap.text
    assert "• Malingping: 3 / 3 / 6 (50%)" in recap.text
    assert "Bayah" not in recap.text
    await bot_idle(running_bot)
    assert world.ppk.unread == []  # no regency chart

    await world.ppk.send_text("/rekap Malingping")
    assert "Belum presensi: 4 orang." in (await world.ppk.next_message()).text
    await world.ppk.send_text("/rekap Bayah")
    refused = await world.ppk.next_message()
    assert "hanya dapat mengelola Kecamatan Malingping" in refused.text
    assert "Hana" not in refused.text

    await world.ppk.send_text("/ekspor")
    assert "Menyiapkan" in (await world.ppk.next_message()).text
    sent = await world.ppk.next_message(timeout=EXPORT_TIMEOUT)
    assert sent.filename == "rekap-presensi-malingping-2024-06-03-0730.xlsx"
    assert sent.document is not None
    assert load_workbook(io.BytesIO(sent.document)).sheetnames == ["Rekap", "Malingping", "Tugas"]


async def test_members_get_no_recap_and_no_export(running_bot: BotApplication, world: World) -> None:
    siti = world.members["Siti Aminah"]
    for command in ("/rekap Malingping", "/ekspor"):
        await siti.send_text(command)
        answer = await siti.next_message()
        assert answer.method == "sendMessage"
        assert "hanya untuk koordinator" in answer.text
    # A PPS's own /rekap is their desa's cascade (issue 14), never the kecamatan's attendance.
    await siti.send_text("/rekap")
    answer = await siti.next_message()
    assert "Desa Sukamanah belum punya Bimtek" in answer.text and "Malingping" not in answer.text
    await bot_idle(running_bot)
    assert siti.unread == []


async def test_recap_in_english(
    running_bot: BotApplication, session_factory: SessionFactory, clock: ManualClock, world: World
) -> None:
    async with session_factory() as session, session.begin():
        await session.execute(
            update(TelegramAccount).where(TelegramAccount.id == world.kpu.id).values(language="en")
        )
    await _morning(session_factory, clock, world)
    await world.kpu.send_text("/rekap")
    recap = await world.kpu.next_message()
    assert "As of Monday, 3 June 2024 at 07:30 WIB" in recap.text
    assert "• Bayah: 1 / 1 / 3 (33.3%)" in recap.text
    assert "3 present: 0 · 2 present: 1 · 1 present: 2 · 0 present: 0" in recap.text
