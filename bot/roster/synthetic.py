"""Synthetic rosters on the real region list: plausible names, unique valid phones, deterministic by seed."""

from __future__ import annotations

import csv
import random
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

from bot.roster.files import ROSTER_COLUMNS, RosterRow
from bot.roster.wilayah import WilayahRow

PPS_PER_DESA = ("Ketua", "Anggota", "Anggota")

# Common given names and family/second names in Banten (Sundanese and Javanese), men and women.
GIVEN_NAMES = (
    "Asep", "Ujang", "Dede", "Aep", "Iwan", "Agus", "Dadan", "Hendra", "Yayan", "Deden", "Rahmat", "Ahmad",
    "Muhamad", "Budi", "Eko", "Joko", "Taufik", "Ridwan", "Jajang", "Cecep", "Ade", "Endang", "Nana",
    "Siti", "Euis", "Iis", "Neneng", "Nurhayati", "Yati", "Ratna", "Dewi", "Eti", "Lilis", "Imas", "Rina",
    "Nining", "Tuti", "Wati", "Sri", "Ani", "Fitri", "Yuyun", "Rohmah", "Ai", "Popon", "Elis",
)  # fmt: skip
FAMILY_NAMES = (
    "Saepudin", "Hidayat", "Sopian", "Supriatna", "Rohendi", "Mulyana", "Kurniawan", "Setiawan",
    "Suryadi", "Hermawan", "Nurjaman", "Rusmana", "Sutisna", "Permana", "Gunawan", "Firmansyah",
    "Maulana", "Hasanudin", "Sulaeman", "Jaelani", "Rosita", "Nurlela", "Komariah", "Rahmawati",
    "Suryani", "Hasanah", "Mulyani", "Fauziah", "Sukmawati", "Lestari", "Wahyuni", "Kartini",
)  # fmt: skip
# Indonesian mobile prefixes (after +62) that the phonenumbers metadata accepts with eight more digits.
MOBILE_PREFIXES = ("811", "812", "813", "821", "822", "823", "852", "853", "857", "858", "878", "896")
_SUBSCRIBER_NUMBERS = 10**8


def synthetic_roster(
    wilayah_rows: Sequence[WilayahRow], *, ppk_per_kecamatan: int = 5, seed: int = 0
) -> list[RosterRow]:
    """Per kecamatan its PPK, then per desa one Ketua and two Anggota; phones in E.164, rows numbered from 2."""
    rng = random.Random(seed)
    kecamatan_names: dict[str, str] = {}
    desa_by_kecamatan: dict[str, list[str]] = {}
    for region in wilayah_rows:
        kecamatan_names.setdefault(region.kecamatan_code, region.kecamatan_name)
        desa_by_kecamatan.setdefault(region.kecamatan_code, []).append(region.desa_name)

    slots: list[tuple[str, str, str]] = []
    for code, kecamatan in kecamatan_names.items():
        slots.extend((kecamatan, "", "PPK") for _ in range(ppk_per_kecamatan))
        for desa in desa_by_kecamatan[code]:
            slots.extend((kecamatan, desa, position) for position in PPS_PER_DESA)

    # Sampling from one range makes every number distinct without a retry loop.
    numbers = rng.sample(range(len(MOBILE_PREFIXES) * _SUBSCRIBER_NUMBERS), len(slots))
    return [
        RosterRow(
            row=row_number,
            kecamatan=kecamatan,
            desa=desa,
            name=f"{rng.choice(GIVEN_NAMES)} {rng.choice(FAMILY_NAMES)}",
            position=position,
            phone=_phone(number),
        )
        for row_number, ((kecamatan, desa, position), number) in enumerate(
            zip(slots, numbers, strict=True), 2
        )
    ]


def _phone(number: int) -> str:
    prefix, subscriber = divmod(number, _SUBSCRIBER_NUMBERS)
    return f"+62{MOBILE_PREFIXES[prefix]}{subscriber:08d}"


def phone_spelling(e164: str, variant: int) -> str:
    """One of the ways people write an Indonesian mobile number: '0812-…', '62812…', '+62 812-…', '0812 …'."""
    national = "0" + e164.removeprefix("+62")
    match variant % 4:
        case 0:
            return f"{national[:4]}-{national[4:8]}-{national[8:]}"
        case 1:
            return e164.removeprefix("+")
        case 2:
            rest = e164.removeprefix("+62")
            return f"+62 {rest[:3]}-{rest[3:7]}-{rest[7:]}"
        case _:
            return f"{national[:4]} {national[4:8]} {national[8:]}"


def _cells(row: RosterRow) -> dict[str, str]:
    return {"kecamatan": row.kecamatan, "desa": row.desa, "nama": row.name, "jabatan": row.position}


def write_roster_csv(
    rows: Sequence[RosterRow],
    path: Path,
    *,
    delimiter: str = ",",
    bom: bool = False,
    vary_phones: bool = True,
) -> None:
    """Write the rows in the roster file format; phones in mixed spellings unless vary_phones is False."""
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(ROSTER_COLUMNS)
        for index, row in enumerate(rows):
            phone = phone_spelling(row.phone, index) if vary_phones else row.phone
            writer.writerow([*_cells(row).values(), phone])


def write_roster_xlsx(rows: Sequence[RosterRow], path: Path, *, vary_phones: bool = True) -> None:
    """Write the rows to an XLSX first sheet; phones as Excel leaves them: numbers and text, mixed."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Roster")
    sheet.append(list(ROSTER_COLUMNS))
    for index, row in enumerate(rows):
        sheet.append([*_cells(row).values(), _xlsx_phone(row.phone, index) if vary_phones else row.phone])
    workbook.save(path)


def _xlsx_phone(e164: str, variant: int) -> str | int | float:
    digits = e164.removeprefix("+")
    match variant % 4:
        case 0:
            return int(digits)  # 6281234567890, a number cell
        case 1:
            return int(digits.removeprefix("62"))  # 81234567890: Excel dropped the leading 0
        case 2:
            return float(digits)  # 6281234567890.0, as some exporters write it
        case _:
            return phone_spelling(e164, 0)  # '0812-3456-7890', a text cell
