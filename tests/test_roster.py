"""The roster import: files as operators make them, all-or-nothing checks, idempotent upserts by phone."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from factories import (
    LEBAK_DESA,
    LEBAK_KECAMATAN,
    LEBAK_MEMBERS,
    LEBAK_PPK,
    count_rows,
    import_lebak_wilayah,
    import_rows,
    lebak_roster,
    lebak_wilayah,
    link_telegram,
    members_by_phone,
    renumbered,
)
from openpyxl import Workbook
from sqlalchemy import select

from bot.cli import admin as cli_admin
from bot.core.db import SessionFactory
from bot.core.phones import to_e164
from bot.core.regions import WilayahEmpty
from bot.roster.checking import RosterRejected, RowErrorCode, parse_position
from bot.roster.files import RosterFileError, RosterFileProblem, RosterRow, read_roster_file
from bot.roster.importer import RosterSummary
from bot.roster.synthetic import synthetic_roster, write_roster_csv, write_roster_xlsx
from bot.texts import LANGUAGES, placeholders
from models import AuditLog, Member, Position

FULL_IMPORT = RosterSummary(
    kecamatan=LEBAK_KECAMATAN,
    desa=LEBAK_DESA,
    ketua=LEBAK_DESA,
    anggota=2 * LEBAK_DESA,
    ppk=LEBAK_PPK,
    new=LEBAK_MEMBERS,
    updated=0,
    unchanged=0,
    deactivated=0,
    reactivated=0,
    desa_understaffed=0,
    desa_without_ketua=0,
)
MALINGPING_ROWS = 5 + 14 * 3  # its PPK, then 14 desa of three PPS each: rows 2..48 of a file


def malingping_roster() -> list[RosterRow]:
    """The first kecamatan of the synthetic roster: small enough for one test per kind of bad row."""
    return lebak_roster()[:MALINGPING_ROWS]


def write_csv_text(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


# --- The whole of Lebak ------------------------------------------------------------------------------


async def test_lebak_roster_from_xlsx_imports_every_member(
    session_factory: SessionFactory, tmp_path: Path
) -> None:
    await import_lebak_wilayah(session_factory)
    path = tmp_path / "roster.xlsx"
    write_roster_xlsx(lebak_roster(), path)

    summary = await import_rows(session_factory, read_roster_file(path), source_name=path.name)

    assert summary == FULL_IMPORT
    assert summary.members == LEBAK_MEMBERS
    members = await members_by_phone(session_factory)
    assert set(members) == {row.phone for row in lebak_roster()}
    assert sum(m.position is Position.PPK and m.desa_id is None for m in members.values()) == LEBAK_PPK
    async with session_factory() as session:
        audit = (await session.scalars(select(AuditLog).where(AuditLog.action == "roster.import"))).one()
    assert audit.actor == "test"
    assert audit.detail["file"] == "roster.xlsx"
    assert audit.detail["new"] == LEBAK_MEMBERS


async def test_cli_imports_lebak_csv_and_a_second_import_changes_nothing(
    session_factory: SessionFactory, tmp_path: Path
) -> None:
    await import_lebak_wilayah(session_factory)
    path = tmp_path / "roster.csv"
    write_roster_csv(lebak_roster(), path)

    out = io.StringIO()
    assert await cli_admin.roster_import(session_factory, path, language="id", out=out) == 0
    assert out.getvalue() == (
        "Roster diimpor: 28 kecamatan, 345 desa/kelurahan; Ketua 345, Anggota 690, PPK 140; "
        "baru 1.175, diperbarui 0, tidak berubah 0, dinonaktifkan 0.\n"
    )

    out = io.StringIO()
    assert await cli_admin.roster_import(session_factory, path, language="en", out=out) == 0
    assert out.getvalue() == (
        "Roster imported: 28 kecamatan, 345 desa/kelurahan; Ketua 345, Anggota 690, PPK 140; "
        "new 0, updated 0, unchanged 1,175, deactivated 0.\n"
    )
    assert await count_rows(session_factory, Member) == LEBAK_MEMBERS


async def test_reimport_keeps_telegram_registrations(session_factory: SessionFactory) -> None:
    await import_lebak_wilayah(session_factory)
    rows = lebak_roster()
    await import_rows(session_factory, rows)
    phone = rows[7].phone
    registered_at = await link_telegram(session_factory, phone, telegram_user_id=5_000_001)

    summary = await import_rows(session_factory, rows)

    assert (summary.new, summary.updated, summary.unchanged, summary.deactivated) == (0, 0, LEBAK_MEMBERS, 0)
    member = (await members_by_phone(session_factory))[phone]
    assert member.telegram_user_id == 5_000_001
    assert member.registered_at == registered_at


async def test_updated_file_updates_in_place_deactivates_the_absent_and_reactivates_the_returning(
    session_factory: SessionFactory,
) -> None:
    await import_lebak_wilayah(session_factory)
    rows = lebak_roster()
    await import_rows(session_factory, rows)
    renamed, promoted, removed = rows[10], rows[6], rows[21]
    await link_telegram(session_factory, renamed.phone, telegram_user_id=7001)
    await link_telegram(session_factory, removed.phone, telegram_user_id=7002)
    before = await members_by_phone(session_factory)
    assert rows[5].position == "Ketua"
    assert promoted.position == "Anggota"

    changed = list(rows)
    changed[10] = replace(renamed, name="Nama Baru Sekali")
    # A Ketua steps down and an Anggota of the same desa takes over: two positions swap.
    changed[5] = replace(rows[5], position="Anggota")
    changed[6] = replace(promoted, position="ketua")
    del changed[21]
    summary = await import_rows(session_factory, renumbered(changed))

    assert (summary.new, summary.updated, summary.unchanged, summary.deactivated, summary.reactivated) == (
        0,
        3,
        LEBAK_MEMBERS - 4,
        1,
        0,
    )
    assert (summary.desa_understaffed, summary.desa_without_ketua) == (1, 0)
    after = await members_by_phone(session_factory)
    assert after[renamed.phone] == replace(before[renamed.phone], name="Nama Baru Sekali")
    assert after[promoted.phone].position is Position.KETUA
    assert after[rows[5].phone].position is Position.ANGGOTA
    assert after[removed.phone] == replace(before[removed.phone], active=False)

    summary = await import_rows(session_factory, rows)

    assert (summary.updated, summary.reactivated, summary.deactivated) == (3, 1, 0)
    returned = (await members_by_phone(session_factory))[removed.phone]
    assert returned.active
    assert returned.telegram_user_id == 7002


async def test_a_member_who_moves_to_another_desa_is_updated(session_factory: SessionFactory) -> None:
    await import_lebak_wilayah(session_factory)
    rows = malingping_roster()
    await import_rows(session_factory, rows)
    before = await members_by_phone(session_factory)
    # Swap two Anggota of different desa: both move, nobody is new.
    rows[6], rows[9] = replace(rows[6], phone=rows[9].phone), replace(rows[9], phone=rows[6].phone)

    summary = await import_rows(session_factory, rows)

    assert (summary.new, summary.updated, summary.deactivated) == (0, 2, 0)
    after = await members_by_phone(session_factory)
    assert after[rows[6].phone].desa_id == before[rows[9].phone].desa_id


async def test_phone_of_a_coordinator_can_be_on_the_roster(session_factory: SessionFactory) -> None:
    from bot.roster.coordinators import grant_coordinator

    await import_lebak_wilayah(session_factory)
    rows = malingping_roster()
    async with session_factory() as session, session.begin():
        await grant_coordinator(session, phone_raw=rows[0].phone, kecamatan_name="Malingping", actor="test")

    summary = await import_rows(session_factory, rows)

    assert summary.new == MALINGPING_ROWS


# --- Bad rows: the whole file is refused and nothing is written --------------------------------------

Edit = Callable[[list[RosterRow]], None]


def _set(index: int, **changes: Any) -> Edit:
    def edit(rows: list[RosterRow]) -> None:
        rows[index] = replace(rows[index], **changes)

    return edit


def _copy_phone(index: int, source: int) -> Edit:
    def edit(rows: list[RosterRow]) -> None:
        rows[index] = replace(rows[index], phone=rows[source].phone)

    return edit


def _append_fourth_pps(rows: list[RosterRow]) -> None:
    rows.append(replace(rows[6], row=len(rows) + 2, name="Orang Keempat", phone="+6281299990000"))


class BadRow(NamedTuple):
    """One kind of bad row: how to make it, and the error expected on which spreadsheet row."""

    case: str
    edit: Edit
    row: int
    code: RowErrorCode
    params: dict[str, object]


# Row numbers: the file's header is row 1, so rows[i] is spreadsheet row i + 2. rows[0..4] are PPK of
# Malingping, rows[5..7] the Ketua and two Anggota of Cilangkahan, rows[8..10] those of Pagelaran. The
# test appends a new PPK (row 49) before the edit, so a row the edit appends is row 50.
BAD_ROWS = [
    BadRow(
        "jabatan", _set(15, position="Sekretaris"), 17, RowErrorCode.UNKNOWN_POSITION, {"value": "Sekretaris"}
    ),
    BadRow("phone", _set(20, phone="0812-345"), 22, RowErrorCode.INVALID_PHONE, {"value": "0812-345"}),
    BadRow("no phone", _set(21, phone=""), 23, RowErrorCode.MISSING_PHONE, {}),
    BadRow("duplicate phone", _copy_phone(30, 10), 32, RowErrorCode.DUPLICATE_PHONE, {"first_row": 12}),
    BadRow("PPS without desa", _set(6, desa=""), 8, RowErrorCode.MISSING_DESA, {}),
    BadRow(
        "desa of another kecamatan",
        _set(5, kecamatan="Bayah", desa="Sukaraja"),
        7,
        RowErrorCode.DESA_IN_OTHER_KECAMATAN,
        {"desa": "Sukaraja", "kecamatan": "Bayah", "actual": "Malingping, Warunggunung"},
    ),
    BadRow(
        "unknown desa",
        _set(9, desa="Atlantis"),
        11,
        RowErrorCode.UNKNOWN_DESA,
        {"desa": "Atlantis", "kecamatan": "Malingping"},
    ),
    BadRow(
        "unknown kecamatan",
        _set(12, kecamatan="Gotham"),
        14,
        RowErrorCode.UNKNOWN_KECAMATAN,
        {"kecamatan": "Gotham"},
    ),
    BadRow(
        "misspelt kecamatan",
        _set(12, kecamatan="Malingpng"),
        14,
        RowErrorCode.UNKNOWN_KECAMATAN_SIMILAR,
        {"kecamatan": "Malingpng", "suggestions": "Malingping"},
    ),
    BadRow("no kecamatan", _set(1, kecamatan=" "), 3, RowErrorCode.MISSING_KECAMATAN, {}),
    BadRow("second Ketua", _set(6, position="Ketua"), 8, RowErrorCode.SECOND_KETUA, {"first_row": 7}),
    BadRow("fourth PPS", _append_fourth_pps, 50, RowErrorCode.DESA_FULL, {"rows": "7, 8, 9", "limit": 3}),
    BadRow("no name", _set(25, name="   "), 27, RowErrorCode.EMPTY_NAME, {}),
    BadRow("long name", _set(26, name="A" * 201), 28, RowErrorCode.NAME_TOO_LONG, {"max": 200}),
    BadRow(
        "PPK with desa", _set(0, desa="Cilangkahan"), 2, RowErrorCode.PPK_WITH_DESA, {"desa": "Cilangkahan"}
    ),
]


def test_every_kind_of_bad_row_is_tested() -> None:
    assert {case.code for case in BAD_ROWS} == set(RowErrorCode) - {
        # Names that repeat only happen in a nationwide region list; covered in test_wilayah.py.
        RowErrorCode.AMBIGUOUS_KECAMATAN,
        RowErrorCode.AMBIGUOUS_DESA,
    }


async def test_each_kind_of_bad_row_rejects_the_whole_file(
    session_factory: SessionFactory, subtests: pytest.Subtests
) -> None:
    await import_lebak_wilayah(session_factory)
    await import_rows(session_factory, malingping_roster())
    before = await members_by_phone(session_factory)
    audits = await count_rows(session_factory, AuditLog)

    for case in BAD_ROWS:
        with subtests.test(case.case):
            rows = malingping_roster()
            # Good changes in the same file must not be applied either.
            rows[40] = replace(rows[40], name="Nama Yang Tidak Boleh Tersimpan")
            rows.append(replace(rows[0], row=len(rows) + 2, phone="+6285700001111", name="Anggota PPK Baru"))
            case.edit(rows)

            with pytest.raises(RosterRejected) as rejected:
                await import_rows(session_factory, rows)

            [error] = rejected.value.errors
            assert (error.row, error.code) == (case.row, case.code)
            assert case.params.items() <= error.params.items()
            assert await members_by_phone(session_factory) == before
            assert await count_rows(session_factory, AuditLog) == audits


async def test_every_error_is_listed_in_row_order(session_factory: SessionFactory) -> None:
    await import_lebak_wilayah(session_factory)
    rows = lebak_roster()
    rows[900] = replace(rows[900], position="Bendahara", phone="12")
    rows[3] = replace(rows[3], kecamatan="Tidak Ada")
    rows[500] = replace(rows[500], phone=rows[499].phone)

    with pytest.raises(RosterRejected) as rejected:
        await import_rows(session_factory, rows)

    assert [(e.row, e.code) for e in rejected.value.errors] == [
        (5, RowErrorCode.UNKNOWN_KECAMATAN),
        (502, RowErrorCode.DUPLICATE_PHONE),
        (902, RowErrorCode.UNKNOWN_POSITION),
        (902, RowErrorCode.INVALID_PHONE),
    ]
    assert await count_rows(session_factory, Member) == 0


async def test_an_empty_region_list_is_one_clear_error(session_factory: SessionFactory) -> None:
    with pytest.raises(WilayahEmpty):
        await import_rows(session_factory, malingping_roster())
    assert await count_rows(session_factory, Member) == 0


# --- Reading files -----------------------------------------------------------------------------------


def test_header_names_ignore_case_spaces_order_and_extra_columns(tmp_path: Path) -> None:
    path = write_csv_text(
        tmp_path / "r.csv",
        [
            "No, TELEPON ,Nama,  Jabatan,Desa,KECAMATAN,Keterangan",
            "1,0812-3456-7890,Asep  Saepudin,Ketua,Cilangkahan,Malingping,-",
        ],
    )
    assert read_roster_file(path) == [
        RosterRow(
            row=2,
            kecamatan="Malingping",
            desa="Cilangkahan",
            name="Asep Saepudin",
            position="Ketua",
            phone="0812-3456-7890",
        )
    ]


def test_semicolon_delimiter_and_byte_order_mark(tmp_path: Path) -> None:
    rows = malingping_roster()
    path = tmp_path / "excel-id.csv"
    write_roster_csv(rows, path, delimiter=";", bom=True)
    assert path.read_bytes().startswith(b"\xef\xbb\xbfkecamatan;desa;nama;jabatan;telepon")

    read = read_roster_file(path)

    assert [replace(r, phone=to_e164(r.phone)) for r in read] == rows


def test_windows_code_page_csv_is_read(tmp_path: Path) -> None:
    path = write_csv_text(
        tmp_path / "r.csv",
        ["kecamatan,desa,nama,jabatan,telepon", "Malingping,,Dédé Rohendi,PPK,081234567890"],
        encoding="cp1252",
    )
    assert read_roster_file(path)[0].name == "Dédé Rohendi"


def test_empty_rows_are_skipped_and_row_numbers_are_the_spreadsheet_s(tmp_path: Path) -> None:
    path = write_csv_text(
        tmp_path / "r.csv",
        [
            "kecamatan,desa,nama,jabatan,telepon",
            "",
            ",,,,",
            'Malingping,,"Asep',
            'Saepudin",PPK,081234567890',
            "Malingping,,Dede,PPK,081234567891",
        ],
    )
    # The quoted name spans two lines of text but is one spreadsheet row (row 4).
    assert [(r.row, r.name) for r in read_roster_file(path)] == [(4, "Asep Saepudin"), (5, "Dede")]


PHONE_SPELLINGS = [
    ("081234567890", "+6281234567890"),
    ("6281234567891", "+6281234567891"),
    ("+62 812-3456-7892", "+6281234567892"),
    ("0812 3456 7893", "+6281234567893"),
    ("(0812) 3456.7894", "+6281234567894"),
    ("+6281234567895", "+6281234567895"),
    ("81234567896", "+6281234567896"),
]


async def test_phone_spellings_are_stored_in_e164(session_factory: SessionFactory, tmp_path: Path) -> None:
    await import_lebak_wilayah(session_factory)
    path = write_csv_text(
        tmp_path / "r.csv",
        ["kecamatan,desa,nama,jabatan,telepon"]
        + [f"Malingping,,PPK {i},PPK,{raw}" for i, (raw, _) in enumerate(PHONE_SPELLINGS)],
    )
    await import_rows(session_factory, read_roster_file(path))
    assert set(await members_by_phone(session_factory)) == {e164 for _, e164 in PHONE_SPELLINGS}


async def test_xlsx_number_cells_and_blank_rows(session_factory: SessionFactory, tmp_path: Path) -> None:
    await import_lebak_wilayah(session_factory)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Kecamatan", "Desa", "Nama", "Jabatan", "Telepon"])
    sheet.append(["Malingping", None, "Satu", "PPK", 6281234567890.0])
    sheet.append([])
    sheet.append(["Malingping", None, "Dua", "PPK", 81234567891])
    sheet.append(["Kec. Malingping", "Desa Cilangkahan", "Tiga", "KETUA", "0812-3456-7892"])
    sheet.append(["Malingping", None, "Empat", "Bendahara", 6281234567893])
    path = tmp_path / "r.xlsx"
    workbook.save(path)

    rows = read_roster_file(path)

    assert [(r.row, r.phone) for r in rows] == [
        (2, "6281234567890"),
        (4, "81234567891"),
        (5, "0812-3456-7892"),
        (6, "6281234567893"),
    ]
    with pytest.raises(RosterRejected) as rejected:
        await import_rows(session_factory, rows)
    assert [(e.row, e.code) for e in rejected.value.errors] == [(6, RowErrorCode.UNKNOWN_POSITION)]

    await import_rows(session_factory, rows[:3])
    assert set(await members_by_phone(session_factory)) == {
        "+6281234567890",
        "+6281234567891",
        "+6281234567892",
    }


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("r.xls", b"whatever", RosterFileProblem.UNSUPPORTED_FILE),
        ("r.xlsx", b"kecamatan,desa,nama,jabatan,telepon\n", RosterFileProblem.INVALID_XLSX),
        ("r.csv", b"", RosterFileProblem.NO_HEADER),
        ("r.csv", b"kecamatan;desa;nama;telepon\nMalingping;;A;0812\n", RosterFileProblem.MISSING_COLUMNS),
        ("r.csv", b"kecamatan,desa,nama,jabatan,telepon,Nama\n", RosterFileProblem.DUPLICATE_COLUMNS),
        ("r.csv", b"kecamatan,desa,nama,jabatan,telepon\n,,,,\n", RosterFileProblem.NO_ROWS),
    ],
)
def test_unreadable_files_are_refused(
    tmp_path: Path, name: str, content: bytes, problem: RosterFileProblem
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(RosterFileError) as error:
        read_roster_file(path)
    assert error.value.code == problem


def test_missing_columns_are_named(tmp_path: Path) -> None:
    path = write_csv_text(tmp_path / "r.csv", ["Kecamatan,Nama,Telepon", "Malingping,A,0812"])
    with pytest.raises(RosterFileError) as error:
        read_roster_file(path)
    assert error.value.params == {"columns": "desa, jabatan"}


@pytest.mark.parametrize(
    ("written", "position"),
    [
        ("Ketua", Position.KETUA),
        ("ANGGOTA", Position.ANGGOTA),
        (" ppk ", Position.PPK),
        ("Ketua  PPS", Position.KETUA),
        ("Anggota PPK", Position.PPK),
        ("Sekretaris", None),
    ],
)
def test_jabatan_spellings(written: str, position: Position | None) -> None:
    assert parse_position(written) is position


# --- The command line --------------------------------------------------------------------------------


async def test_cli_lists_every_error_in_indonesian_and_saves_nothing(
    session_factory: SessionFactory, tmp_path: Path
) -> None:
    await import_lebak_wilayah(session_factory)
    rows = malingping_roster()
    rows[15] = replace(rows[15], position="Sekretaris")
    rows[5] = replace(rows[5], kecamatan="Bayah", desa="Sukaraja")
    path = tmp_path / "roster.csv"
    write_roster_csv(rows, path)

    out = io.StringIO()
    assert await cli_admin.roster_import(session_factory, path, language="id", out=out) == 1

    assert out.getvalue().splitlines() == [
        "Baris 7: desa/kelurahan 'Sukaraja' tidak ada di Kecamatan Bayah, melainkan di Kecamatan Malingping, Warunggunung",
        "Baris 17: jabatan 'Sekretaris' tidak dikenal (Ketua, Anggota atau PPK)",
        "Tidak ada data yang disimpan: perbaiki 2 kesalahan lalu impor ulang.",
    ]
    assert await count_rows(session_factory, Member) == 0


async def test_cli_refuses_before_the_region_list_is_imported(
    session_factory: SessionFactory, tmp_path: Path
) -> None:
    path = tmp_path / "roster.xlsx"
    write_roster_xlsx(malingping_roster(), path)
    out = io.StringIO()
    assert await cli_admin.roster_import(session_factory, path, language="id", out=out) == 1
    assert "python -m bot wilayah import FILE" in out.getvalue()
    assert out.getvalue().endswith("Tidak ada data yang disimpan.\n")


async def test_cli_explains_an_unsupported_file(session_factory: SessionFactory, tmp_path: Path) -> None:
    path = tmp_path / "roster.ods"
    path.write_bytes(b"")
    out = io.StringIO()
    assert await cli_admin.roster_import(session_factory, path, language="id", out=out) == 1
    assert out.getvalue().splitlines() == [
        "Berkas roster.ods tidak didukung: gunakan CSV (.csv) atau Excel (.xlsx).",
        "Tidak ada data yang disimpan.",
    ]


async def test_cli_warns_about_desa_with_fewer_than_three_pps(
    session_factory: SessionFactory, tmp_path: Path
) -> None:
    await import_lebak_wilayah(session_factory)
    path = tmp_path / "roster.csv"
    write_roster_csv(malingping_roster(), path)
    out = io.StringIO()
    assert await cli_admin.roster_import(session_factory, path, language="id", out=out) == 0
    assert out.getvalue().splitlines()[1] == (
        "Perhatian: menurut berkas ini, 331 desa/kelurahan punya kurang dari 3 anggota PPS "
        "dan 331 desa/kelurahan belum punya Ketua."
    )


# --- Synthetic rosters and the catalog ---------------------------------------------------------------


def test_synthetic_lebak_roster_has_the_real_shape() -> None:
    rows = lebak_roster()
    assert len(rows) == LEBAK_MEMBERS
    assert [r.row for r in rows] == list(range(2, LEBAK_MEMBERS + 2))
    assert sum(r.position == "Ketua" for r in rows) == LEBAK_DESA
    assert sum(r.position == "PPK" and r.desa == "" for r in rows) == LEBAK_PPK
    assert len({r.phone for r in rows}) == LEBAK_MEMBERS
    assert all(to_e164(r.phone) == r.phone for r in rows)
    assert lebak_roster(seed=0) == rows
    assert lebak_roster(seed=1) != rows
    assert len(synthetic_roster(lebak_wilayah(), ppk_per_kecamatan=0)) == 3 * LEBAK_DESA


def test_every_error_code_has_a_text_in_both_languages() -> None:
    keys = [f"cli.roster.error.{code}" for code in RowErrorCode]
    keys += [f"cli.roster.error.{code}" for code in RosterFileProblem]
    for language in ("id", "en"):
        assert [key for key in keys if key not in LANGUAGES[language]] == []
    assert placeholders(LANGUAGES["id"]["cli.roster.error.desa_full"]) == {"desa", "limit", "rows"}
