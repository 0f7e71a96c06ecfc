"""Attendance exports: the XLSX workbook, the CSV, the chart, and their labels in both languages."""

import csv
import io
import struct
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from bot.attendance.chart import attendance_chart_png
from bot.attendance.exports import (
    PhoneNumber,
    SheetTable,
    attendance_csv,
    attendance_xlsx,
    format_count,
    format_ratio,
    neutralise,
)
from bot.attendance.recap import (
    AttendanceRecap,
    AttendanceRow,
    DesaDistribution,
    KecamatanAttendance,
    Tally,
    attendance_recap,
    attendance_rows,
)
from bot.core.db import SessionFactory
from bot.data import LEBAK_WILAYAH_CSV as WILAYAH_CSV
from bot.texts import placeholders, report_en, report_id
from models import Position
from tests.test_attendance import build_world

WIB = ZoneInfo("Asia/Jakarta")
GENERATED_AT = datetime(2024, 6, 3, 3, 30, tzinfo=UTC)  # 10.30 WIB
EVIL_NAME = '=HYPERLINK("http://x")'


async def _exports(factory: SessionFactory) -> tuple[AttendanceRecap, list[AttendanceRow]]:
    await build_world(factory, member_name=EVIL_NAME)
    async with factory() as session:
        return await attendance_recap(session, None), await attendance_rows(session, None)


def _open(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _values(ws: object, row: int) -> list[object]:
    return [cell.value for cell in ws[row]]  # type: ignore[index]


async def test_workbook_has_a_summary_and_a_sheet_per_kecamatan(session_factory: SessionFactory) -> None:
    recap, rows = await _exports(session_factory)
    workbook = _open(attendance_xlsx(recap, rows, language="id", zone=WIB, generated_at=GENERATED_AT))

    assert workbook.sheetnames == ["Rekap", "Malingping", "Cibeber", "Bayah"]
    summary = workbook["Rekap"]
    assert summary["A1"].value == "Rekap Kehadiran Bimtek PPS dan PPK"
    assert summary["A2"].value == "Dibuat: Senin, 3 Juni 2024 pukul 10.30 WIB"
    assert summary["A3"].value.startswith("BERISI DATA PRIBADI")  # the export says it holds personal data
    assert _values(summary, 4)[:5] == [
        "Kecamatan",
        "Jumlah PPS",
        "PPS terdaftar di bot",
        "PPS hadir",
        "% PPS hadir",
    ]
    assert all(cell.font.bold for cell in summary[4])
    assert summary.freeze_panes == "A5"
    assert summary.auto_filter.ref == "A4:L7"
    malingping = _values(summary, 5)
    assert malingping[:4] == ["Malingping", 11, 5, 6]
    assert malingping[4] == pytest.approx(6 / 11)
    assert summary.cell(row=5, column=5).number_format == "0.0%"
    assert malingping[5:] == [3, 2, 1, 1, 1, 2, None]
    assert _values(summary, 7)[0] == "Bayah"
    assert _values(summary, 7)[-1] == "Belum ada jadwal Bimtek"
    assert _values(summary, 8) == ["Jumlah", 20, 7, 10, 0.5, 5, 2, 2, 1, 2, 3, None]
    assert summary.cell(row=8, column=1).font.bold
    assert summary["A10"].value == "Sebaran desa/kelurahan menurut jumlah PPS yang hadir"
    assert [_values(summary, r)[:2] for r in range(11, 16)] == [
        ["Ketiga PPS hadir", 2],
        ["2 PPS hadir", 1],
        ["1 PPS hadir", 2],
        ["Tidak ada PPS yang hadir", 3],
        ["Jumlah desa/kelurahan", 8],
    ]

    sheet = workbook["Malingping"]
    assert _values(sheet, 1) == [
        "Desa/Kelurahan",
        "Nama",
        "Jabatan",
        "Nomor HP",
        "Terdaftar di bot",
        "Hadir",
        "Waktu check-in (WIB)",
        "Cara check-in",
        "Jarak ke lokasi (m)",
    ]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:I15"
    assert sheet.max_row == 15  # 11 PPS + 3 PPK + header
    first = _values(sheet, 2)
    assert first[2:] == ["Ketua PPS", "+6281200000901", "Ya", "Ya", datetime(2024, 6, 3, 8, 15), "Lokasi", 42]
    assert _values(sheet, 15)[:3] == ["(PPK kecamatan)", "PPK M3", "Anggota PPK"]
    assert _values(sheet, 15)[5:7] == ["Tidak", None]
    assert sheet.column_dimensions["B"].width >= len(EVIL_NAME)
    assert workbook["Bayah"].max_row == 4


async def test_workbook_cells_cannot_become_formulas(session_factory: SessionFactory) -> None:
    recap, rows = await _exports(session_factory)
    duties = SheetTable(
        title="Tugas",
        header=("Tugas", "Batas"),
        rows=(("@SUM(A1:A9)", GENERATED_AT), ("-2+3", None)),
    )
    data = attendance_xlsx(
        recap, rows, language="id", zone=WIB, generated_at=GENERATED_AT, extra_sheets=[duties]
    )
    workbook = _open(data)

    name = workbook["Malingping"]["B2"]
    assert name.value == "'" + EVIL_NAME
    assert name.data_type == "s"
    phone = workbook["Malingping"]["D2"]
    assert phone.value == "+6281200000901"
    assert phone.data_type == "s"
    assert phone.quotePrefix
    assert not any(
        cell.data_type == "f" for ws in workbook.worksheets for row in ws.iter_rows() for cell in row
    )
    # The hook for extra sheets: written last, neutralised too, datetimes in WIB.
    assert workbook.sheetnames[-1] == "Tugas"
    assert _values(workbook["Tugas"], 2) == ["'@SUM(A1:A9)", datetime(2024, 6, 3, 10, 30)]
    assert _values(workbook["Tugas"], 3) == ["'-2+3", None]


def _recap(names: list[str], *, has_session: bool = True) -> AttendanceRecap:
    lines = tuple(
        KecamatanAttendance(
            kecamatan_id=i + 1,
            code=f"36.02.{i + 1:02d}",
            name=name,
            has_session=has_session or i % 2 == 0,
            pps=Tally(roster=36 + i, registered=30, present=(7 * i) % (36 + i)),
            ppk=Tally(roster=5, registered=5, present=i % 6),
            desa=DesaDistribution(present_3=i % 4, present_2=2, present_1=1, present_0=3),
        )
        for i, name in enumerate(names)
    )
    total_pps = sum((line.pps for line in lines), Tally())
    total_ppk = sum((line.ppk for line in lines), Tally())
    total_desa = sum((line.desa for line in lines), DesaDistribution())
    return AttendanceRecap(
        scope_kecamatan_id=None, kecamatan=lines, pps=total_pps, ppk=total_ppk, desa=total_desa
    )


def test_sheet_titles_are_valid_unique_and_short() -> None:
    recap = _recap(["Rekap", "Cipanas", "CIPANAS", "Kec/Baru: [1]*?", "'Ujung'", "A" * 40, "History"])
    data = attendance_xlsx(recap, [], language="id", zone=WIB, generated_at=GENERATED_AT)
    titles = _open(data).sheetnames

    assert titles == [
        "Rekap",
        "Rekap (2)",
        "Cipanas",
        "CIPANAS (2)",
        "Kec Baru 1",
        "Ujung",
        "A" * 31,
        "History 1",
    ]


def test_english_workbook_uses_english_labels() -> None:
    data = attendance_xlsx(_recap(["Bayah"]), [], language="en", zone=WIB, generated_at=GENERATED_AT)
    workbook = _open(data)

    assert workbook.sheetnames == ["Summary", "Bayah"]
    assert workbook["Summary"]["A2"].value == "Generated: Monday, 3 June 2024, 10:30 WIB"
    assert workbook["Bayah"]["B1"].value == "Name"


async def test_csv_has_a_bom_and_one_line_per_member(session_factory: SessionFactory) -> None:
    _, rows = await _exports(session_factory)
    data = attendance_csv(rows, language="id", zone=WIB)

    assert data.startswith(b"\xef\xbb\xbf")
    notice, *lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert notice[0].startswith("BERISI DATA PRIBADI") and "presensi Bimtek" in notice[0]
    assert lines[0][:3] == ["Kecamatan", "Desa/Kelurahan", "Nama"]
    assert lines[0][7] == "Waktu check-in (WIB)"
    assert len(lines) == 1 + 25
    assert lines[1] == [
        "Malingping",
        "A1",
        "'" + EVIL_NAME,
        "Ketua PPS",
        "'+6281200000901",
        "Ya",
        "Ya",
        "2024-06-03 08:15:00",
        "Lokasi",
        "42",
    ]
    absent = next(line for line in lines if line[2] == "PPK M3")
    assert absent[1] == "(PPK kecamatan)"
    assert absent[5:] == ["Tidak", "Tidak", "", "", ""]


def test_english_csv_is_comma_separated() -> None:
    row = AttendanceRow(
        member_id=1,
        kecamatan_id=1,
        kecamatan="Bayah",
        desa="Darmasari",
        name="Siti, S.Pd.",
        position=Position.ANGGOTA,
        phone="+6281299990000",
        registered=False,
        checked_in_at=None,
        method=None,
        distance_m=None,
    )
    data = attendance_csv([row], language="en", zone=WIB)
    notice, *lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))

    assert notice[0].startswith("CONTAINS PERSONAL DATA")
    assert lines[0][2] == "Name"
    assert lines[1][:5] == ["Bayah", "Darmasari", "Siti, S.Pd.", "PPS Member", "'+6281299990000"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+62812", "'+62812"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Siti = ketua", "Siti = ketua"),
        ("", ""),
    ],
)
def test_formula_triggers_are_neutralised(text: str, expected: str) -> None:
    assert neutralise(text) == expected


def test_a_malformed_phone_is_neutralised_in_the_workbook() -> None:
    duties = SheetTable(title="X", header=("HP",), rows=((PhoneNumber("=1+1"),),))
    data = attendance_xlsx(
        _recap([]), [], language="id", zone=WIB, generated_at=GENERATED_AT, extra_sheets=[duties]
    )
    cell = _open(data)["X"]["A2"]
    assert (cell.value, cell.data_type) == ("'=1+1", "s")


def test_numbers_are_formatted_in_the_locale() -> None:
    assert format_count(1035, "id") == "1.035"
    assert format_count(1035, "en") == "1,035"
    assert format_ratio(0.875, "id") == "87,5%"
    assert format_ratio(0.875, "en") == "87.5%"
    assert format_ratio(None, "id") == "–"


def _png_size(data: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize("language", ["id", "en"])
def test_chart_of_28_kecamatan_is_a_phone_sized_png(language: str) -> None:
    names = sorted({line.split(",")[1] for line in WILAYAH_CSV.read_text(encoding="utf-8").splitlines()[1:]})
    assert len(names) == 28
    png = attendance_chart_png(_recap(names, has_session=False), language=language)

    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert _png_size(png) == (1000, 1400)


def test_chart_of_an_empty_scope_still_renders() -> None:
    png = attendance_chart_png(_recap([]), language="id")
    assert png.startswith(b"\x89PNG")


def test_report_texts_match_in_both_languages() -> None:
    assert set(report_id.TEXTS) == set(report_en.TEXTS)
    assert all(key.startswith("report.") for key in report_id.TEXTS)
    for key, text in report_id.TEXTS.items():
        assert placeholders(text) == placeholders(report_en.TEXTS[key]), key
        assert text.strip() and report_en.TEXTS[key].strip()


def test_rows_outside_the_recap_are_refused() -> None:
    row = AttendanceRow(
        member_id=9,
        kecamatan_id=99,
        kecamatan="Elsewhere",
        desa=None,
        name="X",
        position=Position.PPK,
        phone="+6281299990001",
        registered=False,
        checked_in_at=None,
        method=None,
        distance_m=None,
    )
    with pytest.raises(ValueError, match="outside the recap"):
        attendance_xlsx(_recap(["Bayah"]), [row], language="id", zone=WIB, generated_at=GENERATED_AT)
