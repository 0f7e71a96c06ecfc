"""The region list: CSV checks, upsert by code, and matching names the way people write them."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import WILAYAH_CSV
from factories import (
    LEBAK_DESA,
    LEBAK_KECAMATAN,
    LEBAK_KELURAHAN,
    count_rows,
    import_lebak_wilayah,
    import_rows,
    lebak_wilayah,
)
from sqlalchemy import select

from bot.cli import admin as cli_admin
from bot.core.db import SessionFactory
from bot.core.regions import (
    DesaRef,
    KecamatanRef,
    WilayahEmpty,
    WilayahIndex,
    load_wilayah_index,
    name_key,
    normalize_name,
)
from bot.roster.checking import RosterRejected, RowErrorCode
from bot.roster.files import RosterRow
from bot.roster.wilayah import (
    WilayahErrorCode,
    WilayahFileRejected,
    WilayahSummary,
    import_wilayah,
    parse_wilayah_csv,
    read_wilayah_file,
)
from models import AuditLog, Desa, DesaKind, Kecamatan

HEADER = "kode_kecamatan,kecamatan,kode_desa,desa,jenis"


# --- Import ------------------------------------------------------------------------------------------


async def test_the_real_list_imports_and_a_second_import_changes_nothing(
    session_factory: SessionFactory,
) -> None:
    first = await import_lebak_wilayah(session_factory)
    second = await import_lebak_wilayah(session_factory)

    assert first == WilayahSummary(
        kecamatan=LEBAK_KECAMATAN,
        desa=LEBAK_DESA,
        kelurahan=LEBAK_KELURAHAN,
        kecamatan_new=LEBAK_KECAMATAN,
        kecamatan_updated=0,
        kecamatan_unchanged=0,
        desa_new=LEBAK_DESA,
        desa_updated=0,
        desa_unchanged=0,
        kecamatan_not_in_file=0,
        desa_not_in_file=0,
    )
    assert (second.kecamatan_new, second.kecamatan_unchanged, second.desa_new, second.desa_unchanged) == (
        0,
        LEBAK_KECAMATAN,
        0,
        LEBAK_DESA,
    )
    assert await count_rows(session_factory, Desa) == LEBAK_DESA
    async with session_factory() as session:
        audits = (await session.scalars(select(AuditLog).where(AuditLog.action == "wilayah.import"))).all()
        kelurahan = await session.scalars(select(Desa.name).where(Desa.kind == DesaKind.KELURAHAN))
        assert len(audits) == 2
        assert audits[0].detail["file"] == WILAYAH_CSV.name
        assert "Muara Ciujung Timur" in kelurahan.all()


async def test_changed_names_are_updated_in_place_and_missing_regions_are_kept(
    session_factory: SessionFactory,
) -> None:
    await import_lebak_wilayah(session_factory)
    async with session_factory() as session:
        ids_before = dict((await session.execute(select(Desa.code, Desa.id))).tuples().all())
    rows = list(lebak_wilayah())
    rows[0] = replace(rows[0], desa_name="Cilangkahan Baru")
    rows[1] = replace(rows[1], kind=DesaKind.KELURAHAN)
    # Kecamatan Bayah renamed: every one of its rows carries the new name.
    rows = [replace(r, kecamatan_name="Bayah Raya") if r.kecamatan_name == "Bayah" else r for r in rows]
    dropped = rows.pop()

    async with session_factory() as session, session.begin():
        summary = await import_wilayah(session, rows, actor="test", source_name="baru.csv")

    assert (summary.kecamatan_updated, summary.desa_updated, summary.desa_new) == (1, 2, 0)
    assert (summary.kecamatan_not_in_file, summary.desa_not_in_file) == (0, 1)
    async with session_factory() as session:
        desa = {
            code: (desa_id, name)
            for desa_id, code, name in await session.execute(select(Desa.id, Desa.code, Desa.name))
        }
        kecamatan_names = set((await session.scalars(select(Kecamatan.name))).all())
    assert desa[rows[0].desa_code] == (ids_before[rows[0].desa_code], "Cilangkahan Baru")
    assert dropped.desa_code in desa
    assert "Bayah Raya" in kecamatan_names


# --- The file ----------------------------------------------------------------------------------------


def test_every_bad_row_is_reported_with_its_row_number() -> None:
    text = "\n".join(
        [
            HEADER,
            "36.02.01,Malingping,36.02.01.2002,Cilangkahan,desa",
            "36.02.01,Malingping,36.02.01.2003,Pagelaran,kota",
            "36.02.01,Malingping,36.02.02.2004,Sukaraja,desa",
            "",
            "36.02.01,Malingping,36.02.01.2002,Cilangkahan Lagi,desa",
            "36.02.01,Malingpink,36.02.01.2005,Malingping Utara,desa",
            "36.02.01,,36.02.01.2006,Kersaratu,",
        ]
    )
    with pytest.raises(WilayahFileRejected) as rejected:
        parse_wilayah_csv(text)
    assert [(e.row, e.code, e.params) for e in rejected.value.errors] == [
        (3, WilayahErrorCode.BAD_KIND, {"value": "kota"}),
        (
            4,
            WilayahErrorCode.CODE_OUTSIDE_KECAMATAN,
            {"desa_code": "36.02.02.2004", "kecamatan_code": "36.02.01"},
        ),
        (6, WilayahErrorCode.DUPLICATE_DESA_CODE, {"code": "36.02.01.2002", "first_row": 2}),
        (
            7,
            WilayahErrorCode.KECAMATAN_NAME_CONFLICT,
            {"code": "36.02.01", "name": "Malingpink", "first_name": "Malingping", "first_row": 2},
        ),
        (8, WilayahErrorCode.MISSING_VALUE, {"column": "kecamatan"}),
        (8, WilayahErrorCode.MISSING_VALUE, {"column": "jenis"}),
    ]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", WilayahErrorCode.NO_ROWS),
        (HEADER + "\n", WilayahErrorCode.NO_ROWS),
        (
            "kode_kecamatan,kecamatan,kode_desa,desa\n36.02.01,Malingping,36.02.01.2002,Cilangkahan\n",
            WilayahErrorCode.MISSING_COLUMNS,
        ),
    ],
)
def test_a_file_without_regions_is_refused(text: str, code: WilayahErrorCode) -> None:
    with pytest.raises(WilayahFileRejected) as rejected:
        parse_wilayah_csv(text)
    assert [e.code for e in rejected.value.errors] == [code]


def test_semicolons_byte_order_mark_and_header_case_are_accepted(tmp_path: Path) -> None:
    lines = WILAYAH_CSV.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "wilayah.csv"
    path.write_text(
        "\n".join([lines[0].upper().replace(",", " ; ")] + [line.replace(",", ";") for line in lines[1:]]),
        encoding="utf-8-sig",
    )
    assert read_wilayah_file(path) == list(lebak_wilayah())


def test_codes_written_without_dots_are_accepted() -> None:
    rows = parse_wilayah_csv(f"{HEADER}\n360201,Malingping,3602012002,Cilangkahan,Desa\n")
    assert [(r.kecamatan_code, r.desa_code, r.kind) for r in rows] == [
        ("360201", "3602012002", DesaKind.DESA)
    ]
    with pytest.raises(WilayahFileRejected):
        parse_wilayah_csv(f"{HEADER}\n360201,Malingping,3602022002,Cilangkahan,desa\n")


def test_only_csv_files_are_read(tmp_path: Path) -> None:
    path = tmp_path / "wilayah.xlsx"
    path.write_bytes(b"")
    with pytest.raises(WilayahFileRejected) as rejected:
        read_wilayah_file(path)
    assert rejected.value.errors[0].code == WilayahErrorCode.UNSUPPORTED_FILE


# --- Names as people write them ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("Curug Bitung", "curugbitung"),
        ("  CURUGBITUNG ", "curugbitung"),
        ("Kec. Curug  Bitung", "curugbitung"),
        ("kec.curugbitung", "curugbitung"),
        ("Kecamatan Rangkasbitung", "rangkasbitung"),
        ("Desa Cilangkahan", "cilangkahan"),
        ("Kelurahan Muara Ciujung Timur", "muaraciujungtimur"),
        ("Kel. Cijoro Lebak", "cijorolebak"),
        ("Kelapa Dua", "kelapadua"),  # 'Kel' inside a name is not a prefix
        ("Desa", "desa"),  # nothing left after the prefix: keep the word
    ],
)
def test_name_keys(written: str, key: str) -> None:
    assert name_key(written) == key


def test_normalized_names_keep_single_spaces() -> None:
    assert normalize_name("  Kec.   Curug   Bitung ") == "curug bitung"


def _index() -> WilayahIndex:
    kecamatan = [
        KecamatanRef(1, "36.02.23", "Curugbitung"),
        KecamatanRef(2, "36.02.10", "Cileles"),
        KecamatanRef(3, "36.02.11", "Cimarga"),
        KecamatanRef(4, "36.02.18", "Cibadak"),
        KecamatanRef(5, "32.02.19", "Cibadak"),
    ]
    desa = [
        DesaRef(10, "36.02.23.2002", "Curugbitung", DesaKind.DESA, 1),
        DesaRef(11, "36.02.10.2010", "Mekarjaya", DesaKind.DESA, 2),
        DesaRef(12, "36.02.11.2012", "Mekarjaya", DesaKind.DESA, 3),
    ]
    return WilayahIndex(kecamatan, desa)


def test_index_lookups() -> None:
    index = _index()
    assert index.find_kecamatan("Curug Bitung") == KecamatanRef(1, "36.02.23", "Curugbitung")
    assert index.find_kecamatan("Gotham") is None
    # As resolve_kecamatan, which the imports check names with: a code names its kecamatan too.
    assert index.find_kecamatan("36.02.23") == KecamatanRef(1, "36.02.23", "Curugbitung")
    assert [d.id for d in index.desa_matches(1, "Desa Curug Bitung")] == [10]
    assert index.desa_matches(1, "Mekarjaya") == []
    assert [k.name for k in index.kecamatan_having_desa("mekar jaya")] == ["Cileles", "Cimarga"]
    assert [k.name for k in index.similar_kecamatan("Curugbitng")] == ["Curugbitung"]


def test_a_name_shared_by_two_kecamatan_is_not_guessed() -> None:
    index = _index()
    assert len(index.kecamatan_matches("Cibadak")) == 2
    assert index.find_kecamatan("Cibadak") is None


async def test_repeated_names_make_roster_rows_ambiguous(session_factory: SessionFactory) -> None:
    # Nationwide, kecamatan names repeat across regencies, and a kecamatan may hold two desa whose names
    # differ only by a space: the roster then cannot tell which one is meant and says so.
    rows = parse_wilayah_csv(
        "\n".join(
            [
                HEADER,
                "36.02.18,Cibadak,36.02.18.2001,Cibadak,desa",
                "32.02.19,Cibadak,32.02.19.2001,Sekarwangi,desa",
                "36.02.23,Curugbitung,36.02.23.2001,Suka Maju,desa",
                "36.02.23,Curugbitung,36.02.23.2002,Sukamaju,desa",
            ]
        )
    )
    async with session_factory() as session, session.begin():
        await import_wilayah(session, rows, actor="test", source_name="nasional.csv")

    roster = [
        RosterRow(2, "Cibadak", "", "Satu", "PPK", "081234567890"),
        RosterRow(3, "Curugbitung", "Sukamaju", "Dua", "Ketua", "081234567891"),
    ]
    with pytest.raises(RosterRejected) as rejected:
        await import_rows(session_factory, roster)
    assert [(e.row, e.code, e.params["codes"]) for e in rejected.value.errors] == [
        (2, RowErrorCode.AMBIGUOUS_KECAMATAN, "32.02.19, 36.02.18"),
        (3, RowErrorCode.AMBIGUOUS_DESA, "36.02.23.2001, 36.02.23.2002"),
    ]


async def test_index_from_the_database(session_factory: SessionFactory) -> None:
    async with session_factory() as session:
        with pytest.raises(WilayahEmpty):
            await load_wilayah_index(session)
    await import_lebak_wilayah(session_factory)
    async with session_factory() as session:
        index = await load_wilayah_index(session)
        kecamatan_only = await load_wilayah_index(session, with_desa=False)
    assert (len(index.kecamatan_by_id), len(index.desa_by_id)) == (LEBAK_KECAMATAN, LEBAK_DESA)
    assert (len(kecamatan_only.kecamatan_by_id), len(kecamatan_only.desa_by_id)) == (LEBAK_KECAMATAN, 0)
    assert [k.name for k in index.kecamatan_having_desa("Mekar Jaya")] == [
        "Cijaku",
        "Cileles",
        "Cimarga",
        "Panggarangan",
    ]


# --- The command line --------------------------------------------------------------------------------


async def test_cli_prints_the_summary_in_indonesian(session_factory: SessionFactory) -> None:
    out = io.StringIO()
    assert await cli_admin.wilayah_import(session_factory, WILAYAH_CSV, language="id", out=out) == 0
    assert out.getvalue() == (
        "Wilayah diimpor: 28 kecamatan (baru 28, diperbarui 0, tidak berubah 0); 345 desa/kelurahan, "
        "di antaranya 5 kelurahan (baru 345, diperbarui 0, tidak berubah 0).\n"
    )


async def test_cli_lists_the_errors_and_saves_nothing(
    session_factory: SessionFactory, tmp_path: Path
) -> None:
    path = tmp_path / "wilayah.csv"
    path.write_text(
        "\n".join(
            [
                HEADER,
                "36.02.01,Malingping,36.02.01.2002,Cilangkahan,desa",
                "36.02.01,Malingping,36.02.01.2003,Pagelaran,kota",
            ]
        ),
        encoding="utf-8",
    )
    out = io.StringIO()
    assert await cli_admin.wilayah_import(session_factory, path, language="id", out=out) == 1
    assert out.getvalue().splitlines() == [
        "Baris 3: jenis 'kota' tidak dikenal (desa atau kelurahan)",
        "Tidak ada data yang disimpan: perbaiki 1 kesalahan lalu impor ulang.",
    ]
    assert await count_rows(session_factory, Desa) == 0


def test_every_error_code_has_a_text_in_both_languages() -> None:
    from bot.texts import LANGUAGES

    keys = [f"cli.wilayah.error.{code}" for code in WilayahErrorCode]
    for language in ("id", "en"):
        assert [key for key in keys if key not in LANGUAGES[language]] == []
