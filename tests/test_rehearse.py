"""`python -m bot rehearse`: a whole (small) training day offline, from the command line's own function."""

import csv
import io
from pathlib import Path
from zoneinfo import ZoneInfo

from conftest import WILAYAH_CSV

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
    xlsx = tmp_path / "gladi" / "rekap-presensi.xlsx"
    chart = tmp_path / "gladi" / "grafik-presensi.png"
    assert xlsx.read_bytes()[:2] == b"PK"
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
