"""`python -m bot report attendance --out FILE`: the CSV and the XLSX of the whole regency, and bad file names."""

import csv
import io
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import WILAYAH_CSV
from helpers import bot_cli
from openpyxl import load_workbook
from sqlalchemy import select

from bot.cli.reports import report_attendance
from bot.core.db import SessionFactory
from models import CheckIn, CheckInMethod, Kecamatan, Member
from tests.factories import (
    LEBAK_KECAMATAN,
    LEBAK_MEMBERS,
    import_lebak_wilayah,
    import_rows,
    lebak_roster,
    link_telegram,
)
from tests.seed import seed_session

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2024, 6, 3, 9, 15, tzinfo=WIB)
CHECKED_IN_AT = datetime(2024, 6, 3, 0, 42, tzinfo=UTC)  # 07.42 WIB


async def _lebak_with_one_check_in(factory: SessionFactory) -> str:
    """The Lebak roster, Malingping's session, and one PPS member checked in at 07.42 WIB; returns the phone."""
    await import_lebak_wilayah(factory)
    await import_rows(factory, lebak_roster())
    session_id = await seed_session(factory, "36.02.01")
    async with factory() as session:
        member = (
            await session.execute(
                select(Member.id, Member.name, Member.phone)
                .join(Kecamatan, Kecamatan.id == Member.kecamatan_id)
                .where(Kecamatan.code == "36.02.01", Member.desa_id.is_not(None))
                .order_by(Member.id)
                .limit(1)
            )
        ).one()
    await link_telegram(factory, member.phone, 900_000_001)
    async with factory() as session, session.begin():
        session.add(
            CheckIn(session_id=session_id, member_id=member.id, at=CHECKED_IN_AT, method=CheckInMethod.CODE)
        )
    return str(member.phone)


async def test_csv_has_every_member_and_the_check_in_time_in_wib(
    session_factory: SessionFactory, tmp_path: Path
) -> None:
    phone = await _lebak_with_one_check_in(session_factory)
    out = tmp_path / "hadir.csv"
    stdout = io.StringIO()
    code = await report_attendance(session_factory, out, language="id", zone=WIB, now=NOW, stdout=stdout)
    assert code == 0
    assert stdout.getvalue() == (
        f"Rekap kehadiran ditulis ke {out}: 1.175 anggota; PPS hadir 1 dari 1.035 (0,1%), "
        "PPK hadir 0 dari 140.\n"
    )
    data = out.read_bytes()
    assert data.startswith("\ufeff".encode())  # Excel reads the encoding from the BOM
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0].startswith("BERISI DATA PRIBADI")  # the export says it holds personal data
    header, body = rows[1], rows[2:]
    assert len(body) == LEBAK_MEMBERS
    # The phone keeps its quote: a spreadsheet must not read '+62…' as a number or a formula.
    [present] = [row for row in body if row[header.index("Nomor HP")] == f"'{phone}"]
    assert present[header.index("Waktu check-in (WIB)")] == "2024-06-03 07:42:00"
    assert present[header.index("Hadir")] == "Ya"
    assert sum(row[header.index("Hadir")] == "Ya" for row in body) == 1


async def test_xlsx_has_the_summary_and_a_sheet_per_kecamatan(
    session_factory: SessionFactory, tmp_path: Path
) -> None:
    phone = await _lebak_with_one_check_in(session_factory)
    out = tmp_path / "Rekap.XLSX"
    stdout = io.StringIO()
    code = await report_attendance(session_factory, out, language="en", zone=WIB, now=NOW, stdout=stdout)
    assert code == 0
    assert "Attendance written to" in stdout.getvalue() and "PPS present 1 of 1,035" in stdout.getvalue()
    workbook = load_workbook(out)
    assert len(workbook.sheetnames) == 1 + LEBAK_KECAMATAN
    assert workbook.sheetnames[:2] == ["Summary", "Malingping"]
    sheet = workbook["Malingping"]
    header = [cell.value for cell in sheet[1]]
    rows = {row[header.index("Phone")]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows[phone][header.index("Check-in time (WIB)")] == datetime(2024, 6, 3, 7, 42)


@pytest.mark.parametrize("filename", ["hadir.pdf", "hadir", "hadir.csv.txt"])
async def test_other_extensions_are_refused_with_one_line(
    session_factory: SessionFactory, tmp_path: Path, filename: str
) -> None:
    out = tmp_path / filename
    stdout = io.StringIO()
    code = await report_attendance(session_factory, out, language="id", zone=WIB, now=NOW, stdout=stdout)
    assert code == 2
    assert stdout.getvalue() == (
        f"Berkas {filename} tidak didukung: nama berkas harus berakhiran .csv atau .xlsx.\n"
    )
    assert not out.exists()


async def test_an_unwritable_file_is_a_clear_error(session_factory: SessionFactory, tmp_path: Path) -> None:
    out = tmp_path / "no-such-folder" / "hadir.csv"
    stdout = io.StringIO()
    code = await report_attendance(session_factory, out, language="id", zone=WIB, now=NOW, stdout=stdout)
    assert code == 1
    assert stdout.getvalue().startswith(f"Berkas {out} tidak bisa ditulis: ")


async def test_the_command_line_writes_the_file_by_its_extension(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[database]\nurl = "sqlite+aiosqlite:///{tmp_path / "bot.sqlite3"}"\n', encoding="utf-8"
    )
    code, output = await bot_cli("wilayah", "import", str(WILAYAH_CSV), config=config)
    assert code == 0, output

    for name in ("hadir.csv", "hadir.xlsx"):
        code, output = await bot_cli("report", "attendance", "--out", str(tmp_path / name), config=config)
        assert code == 0, output
        database_line, report_line = output.strip().splitlines()
        assert database_line == f"Basis data: sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"
        assert report_line.startswith(f"Rekap kehadiran ditulis ke {tmp_path / name}: 0 anggota")
    assert (tmp_path / "hadir.csv").read_bytes().startswith("\ufeff".encode())
    assert load_workbook(tmp_path / "hadir.xlsx").sheetnames[0] == "Rekap"

    code, output = await bot_cli("report", "attendance", "--out", str(tmp_path / "hadir.pdf"), config=config)
    assert code == 2
    assert output.strip().splitlines() == [
        f"Basis data: sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}",
        "Berkas hadir.pdf tidak didukung: nama berkas harus berakhiran .csv atau .xlsx.",
    ]
