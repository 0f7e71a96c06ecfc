"""`python -m bot rehearse`: a whole (small) training day offline, from the command line's own function."""

import csv
import io
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from conftest import WILAYAH_CSV
from openpyxl import load_workbook

from bot.plans import EXAMPLE_PLAN
from bot.rehearsal.day import RehearsalOptions, rehearse


def _small_roster(path: Path) -> None:
    """Three desa of Malingping with their three PPS each, and one PPK."""
    with WILAYAH_CSV.open(encoding="utf-8") as handle:
        desa = [row["desa"] for row in csv.DictReader(handle) if row["kecamatan"] == "Malingping"][:3]
    rows = [["kecamatan", "desa", "nama", "jabatan", "telepon"]]
    number = 81300000000
    for name in desa:
        for jabatan in ("Ketua", "Anggota", "Anggota"):
            number += 1
            rows.append(["Malingping", name, f"Peserta {number % 100:02d}", jabatan, f"0{number}"])
    rows.append(["Malingping", "", "Petugas PPK", "PPK", "081399999999"])
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)


async def test_rehearsal_runs_the_day_and_writes_the_export_and_chart(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    _small_roster(roster)
    out = io.StringIO()
    options = RehearsalOptions(
        plan=EXAMPLE_PLAN,
        roster=roster,
        wilayah=WILAYAH_CSV,
        speed=240,
        out=tmp_path / "gladi",
        seed=3,
        language="id",
        zone=ZoneInfo("Asia/Jakarta"),
    )
    assert await rehearse(options, out) == 0
    text = out.getvalue()
    # The plan is checked before anyone is messaged: the 27 kecamatan without members are pointed out.
    assert text.index("Rencana") < text.index("Peserta simulasi")
    assert "Rekap kehadiran" in text
    assert "Malingping: hadir" in text
    # Seed 3 casts the nine PPS as seven who check in on site and two who never register (the PPK is
    # not counted): no one too far, no expired code, so exactly those seven are recorded.
    assert (
        "Rencana presensi: 7 lewat QR/kode, 0 dari lokasi yang terlalu jauh, 0 dengan kode kedaluwarsa, 2 tidak hadir."
        in text
    )
    total = next(line for line in text.splitlines() if line.startswith("Total: hadir"))
    assert total.startswith("Total: hadir 7 dari 9 PPS")
    assert "Malingping: hadir 7/9" in text
    # The cascade after the day: the first [[desa_bimtek]] desa's PPS runs its Pantarlih Bimtek through the
    # bot (and the Pantarlih present do not count as PPS above).
    assert "Kaskade: Bimtek Pantarlih desa Cilangkahan" in text
    assert "3 Pantarlih mendaftar lewat /daftar" in text
    assert "/qr: 2 dari 3 Pantarlih presensi" in text and "hadir: 2" in text
    xlsx = tmp_path / "gladi" / "rekap-presensi.xlsx"
    chart = tmp_path / "gladi" / "grafik-presensi.png"
    assert xlsx.read_bytes()[:2] == b"PK"
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def _plan_minutes(line: str) -> int:
    """Minutes since the start of June of the "dd/mm HH.MM" plan time that a timeline line starts with."""
    match = re.search(r"(\d\d)/06 (\d\d)\.(\d\d)", line)
    assert match, line
    day, hour, minute = (int(part) for part in match.groups())
    return (day * 24 + hour) * 60 + minute


async def test_the_timeline_is_on_the_plan_clock_and_the_duty_period_is_opt_in(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    _small_roster(roster)
    out = io.StringIO()
    options = RehearsalOptions(
        plan=EXAMPLE_PLAN,
        roster=roster,
        wilayah=WILAYAH_CSV,
        speed=240,
        out=tmp_path / "gladi",
        seed=3,
        language="id",
        zone=ZoneInfo("Asia/Jakarta"),
    )
    assert await rehearse(options, out) == 0
    text = out.getvalue()
    lines = text.splitlines()
    # The duty period is not rehearsed unless asked for; the report lists the day's five announcements only.
    assert "19 pengingat tugas setelah hari Bimtek tidak digladikan (tambahkan --with-duties" in text
    report = lines[lines.index("Laporan pengiriman") + 1 :]
    assert len([line for line in report if line.startswith("#")]) == 5
    # Each announcement is done within minutes of its start on the plan clock (not hours later, at the end of
    # the day). At 240 × a plan minute is a quarter of a real second, so the bound leaves room for a busy
    # machine (CI runs this beside three other test processes) without blurring minutes into hours.
    starts = [line for line in lines if line.startswith("▶")]
    dones = [line for line in lines if line.startswith("✔")]
    assert len(starts) == len(dones) == 5
    for start, done in zip(starts, dones, strict=True):
        assert 0 <= _plan_minutes(done) - _plan_minutes(start) <= 15, (start, done)
    # First lines are shown as a member reads them, marked as a sample: no raw placeholder is printed.
    assert all("(tempat isian, tanpa penerima)" in line for line in lines if "{nama}" in line)
    assert "(contoh: Peserta" in starts[0]
    # The PPK checks in too.
    assert "PPK: 1 dari 1 juga melakukan presensi" in text
    # The export is stamped with plan time (the training day in 2024), not the wall clock.
    workbook = load_workbook(tmp_path / "gladi" / "rekap-presensi.xlsx")
    stamp = str(workbook.worksheets[0].cell(row=2, column=1).value)
    assert "2024" in stamp and str(datetime.now().year) not in stamp
    cells = [
        str(cell)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
    ]
    assert not any(str(datetime.now().year) in cell for cell in cells if cell and cell[:2] == "20")
