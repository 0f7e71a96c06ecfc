"""Re-importing the roster safely: who is deactivated is listed, more than 5 % needs --yes, --dry-run shows the
whole diff and writes nothing."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

from conftest import WILAYAH_CSV
from factories import (
    LEBAK_MEMBERS,
    count_rows,
    import_lebak_wilayah,
    lebak_roster,
    link_telegram,
    members_by_phone,
)
from helpers import bot_cli
from sqlalchemy import select

from bot.cli import admin as cli_admin
from bot.core.db import SessionFactory
from bot.core.phones import display
from bot.roster.files import RosterRow
from bot.roster.synthetic import write_roster_csv
from models import AuditLog

POSITIONS = {"Ketua": "Ketua PPS", "Anggota": "Anggota PPS", "PPK": "Anggota PPK"}


def shown(row: RosterRow) -> str:
    """A member as the command line lists them."""
    place = f"{row.desa}, Kecamatan {row.kecamatan}" if row.desa else f"Kecamatan {row.kecamatan}"
    return f"{row.name} — {POSITIONS[row.position]}, {place}, {display(row.phone)}"


async def run(
    factory: SessionFactory,
    tmp_path: Path,
    rows: list[RosterRow],
    *,
    dry_run: bool = False,
    confirmed: bool = False,
    language: str = "id",
) -> tuple[int, list[str]]:
    path = tmp_path / "roster.csv"
    write_roster_csv(rows, path)
    out = io.StringIO()
    code = await cli_admin.roster_import(
        factory, path, language=language, out=out, dry_run=dry_run, confirmed=confirmed
    )
    return code, out.getvalue().splitlines()


def dots(number: int) -> str:
    """A count as Indonesian writes it (1.103)."""
    return f"{number:,}".replace(",", ".")


async def active_count(factory: SessionFactory) -> int:
    return sum(state.active for state in (await members_by_phone(factory)).values())


async def test_a_small_deactivation_goes_through_and_names_who(
    session_factory: SessionFactory, tmp_path: Path
) -> None:
    await import_lebak_wilayah(session_factory)
    rows = lebak_roster()
    assert (await run(session_factory, tmp_path, rows))[0] == 0
    gone = [rows[0], rows[10], rows[-1]]  # a PPK, and two PPS
    await link_telegram(session_factory, gone[1].phone, telegram_user_id=4242)

    code, lines = await run(session_factory, tmp_path, [row for row in rows if row not in gone])
    assert code == 0
    assert lines[0].endswith("baru 0, diperbarui 0, tidak berubah 1.172, dinonaktifkan 3.")
    listed = lines[lines.index("Dinonaktifkan karena tidak ada lagi di berkas (3):") + 1 :]
    # By kecamatan, desa, name; whoever already uses the bot is marked.
    expected = {row.phone: f"  - {shown(row)}" for row in gone}
    expected[gone[1].phone] += " (sudah terdaftar di bot)"
    assert sorted(listed) == sorted(expected.values())
    assert len(listed) == 3
    assert await active_count(session_factory) == LEBAK_MEMBERS - 3
    async with session_factory() as session:
        details = (
            await session.scalars(select(AuditLog.detail).where(AuditLog.action == "roster.import"))
        ).all()
    assert len(details[-1]["deactivated_ids"]) == 3


async def test_more_than_five_percent_needs_yes(session_factory: SessionFactory, tmp_path: Path) -> None:
    await import_lebak_wilayah(session_factory)
    rows = lebak_roster()
    assert (await run(session_factory, tmp_path, rows))[0] == 0

    # 5 % of 1,175 is 58.75: 59 members gone is more, and refused; nothing changes.
    code, lines = await run(session_factory, tmp_path, rows[:-59])
    assert code == 1
    assert lines[0] == "Dinonaktifkan karena tidak ada lagi di berkas (59):"
    assert len([line for line in lines if line.startswith("  - ")]) == 20
    assert lines[-2] == "  … dan 39 lainnya (--dry-run menampilkan semuanya)"
    assert lines[-1] == (
        "Impor ini akan menonaktifkan 59 dari 1.175 anggota aktif (lebih dari 5%); tidak ada yang "
        "disimpan. Periksa daftarnya (--dry-run menampilkan semua perubahan); jika memang benar, ulangi "
        "dengan --yes."
    )
    assert await active_count(session_factory) == LEBAK_MEMBERS
    code, lines = await run(session_factory, tmp_path, rows[:-59], language="en")
    assert code == 1
    assert lines[-1].startswith("This import would deactivate 59 of 1,175 active members (more than 5%)")

    code, lines = await run(session_factory, tmp_path, rows[:-59], confirmed=True)
    assert code == 0
    assert lines[0].endswith("dinonaktifkan 59.")
    assert len([line for line in lines if line.startswith("  - ")]) == 59  # all of them, after the summary
    assert await active_count(session_factory) == LEBAK_MEMBERS - 59


async def test_five_percent_or_less_needs_no_yes(session_factory: SessionFactory, tmp_path: Path) -> None:
    await import_lebak_wilayah(session_factory)
    rows = lebak_roster()
    assert (await run(session_factory, tmp_path, rows))[0] == 0
    code, lines = await run(session_factory, tmp_path, rows[:-58])
    assert code == 0, lines
    assert await active_count(session_factory) == LEBAK_MEMBERS - 58


async def test_dry_run_prints_the_whole_diff_and_writes_nothing(
    session_factory: SessionFactory, tmp_path: Path
) -> None:
    await import_lebak_wilayah(session_factory)
    rows = lebak_roster()
    assert (await run(session_factory, tmp_path, rows[:-1]))[0] == 0
    before = await members_by_phone(session_factory)
    audits = await count_rows(session_factory, AuditLog)

    renamed = replace(rows[3], name="Dedi Rusmana Baru")
    edited = list(rows)
    edited[3] = renamed
    added = rows[-1]  # not in the first import
    # 70 members gone: more than 5 %, which the dry run mentions but does not refuse.
    removed = edited[100:170]
    new_rows = [row for row in edited if row not in removed]

    code, lines = await run(session_factory, tmp_path, new_rows, dry_run=True)
    assert code == 0
    assert lines[:2] == ["Ditambahkan (1):", f"  - {shown(added)}"]
    assert lines[2] == "Diubah (1):"
    assert lines[3] == f"  - {shown(renamed)}: nama {rows[3].name} → Dedi Rusmana Baru"
    deactivated_at = lines.index("Dinonaktifkan karena tidak ada lagi di berkas (70):")
    assert sorted(lines[deactivated_at + 1 : deactivated_at + 71]) == sorted(
        f"  - {shown(r)}" for r in removed
    )
    assert lines[-2] == (
        "Uji coba (--dry-run), tidak ada yang disimpan: baru 1, diperbarui 1, diaktifkan kembali 0, "
        f"dinonaktifkan 70, tidak berubah {dots(len(new_rows) - 2)}."
    )
    assert lines[-1] == (
        "Impor sebenarnya perlu --yes: menonaktifkan 70 dari 1.174 anggota aktif (lebih dari 5%)."
    )
    assert await members_by_phone(session_factory) == before
    assert await count_rows(session_factory, AuditLog) == audits


async def test_dry_run_shows_position_place_and_reactivation(
    session_factory: SessionFactory, tmp_path: Path
) -> None:
    await import_lebak_wilayah(session_factory)
    rows = lebak_roster()
    ketua = next(i for i, row in enumerate(rows) if row.position == "Ketua")
    anggota = next(
        i for i, row in enumerate(rows) if row.position == "Anggota" and row.desa == rows[ketua].desa
    )
    assert (await run(session_factory, tmp_path, [r for i, r in enumerate(rows) if i != 0] + [rows[0]]))[
        0
    ] == 0
    assert (await run(session_factory, tmp_path, rows[1:]))[0] == 0  # rows[0] (a PPK) deactivated

    swapped = list(rows)  # rows[0] comes back; the ketua and an anggota of one desa swap jabatan
    swapped[ketua] = replace(rows[ketua], position="Anggota")
    swapped[anggota] = replace(rows[anggota], position="Ketua")
    code, lines = await run(session_factory, tmp_path, swapped, dry_run=True)
    assert code == 0
    assert lines[0] == "Diubah (3):"
    assert f"  - {shown(rows[0])}: diaktifkan kembali" in lines
    assert f"  - {shown(swapped[ketua])}: jabatan Ketua PPS → Anggota PPS" in lines
    assert f"  - {shown(swapped[anggota])}: jabatan Anggota PPS → Ketua PPS" in lines
    assert lines[-1] == (
        "Uji coba (--dry-run), tidak ada yang disimpan: baru 0, diperbarui 2, diaktifkan kembali 1, "
        "dinonaktifkan 0, tidak berubah 1.172."
    )
    code, lines = await run(session_factory, tmp_path, swapped, dry_run=True, language="en")
    assert (
        lines[1] == "  - Ujang Firmansyah — PPK Member, Kecamatan Malingping, +62 857-2730-7999: reactivated"
    )


# --- Through the real command line ---------------------------------------------------------------------


async def test_the_command_line_takes_dry_run_and_yes(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[database]\nurl = "sqlite+aiosqlite:///bot.sqlite3"\n', encoding="utf-8")
    assert (await bot_cli("wilayah", "import", str(WILAYAH_CSV), config=config))[0] == 0
    rows = lebak_roster()
    full, short = tmp_path / "full.csv", tmp_path / "short.csv"
    write_roster_csv(rows, full)
    write_roster_csv(rows[:-100], short)
    assert (await bot_cli("roster", "import", str(full), config=config))[0] == 0

    code, output = await bot_cli("roster", "import", str(short), "--dry-run", config=config)
    assert code == 0, output
    assert "Dinonaktifkan karena tidak ada lagi di berkas (100):" in output
    assert "Uji coba (--dry-run), tidak ada yang disimpan:" in output
    code, output = await bot_cli("roster", "import", str(short), config=config)
    assert code == 1
    assert output.splitlines()[-1].startswith("Impor ini akan menonaktifkan 100 dari 1.175 anggota aktif")
    code, output = await bot_cli("roster", "import", str(short), "--yes", config=config)
    assert code == 0, output
    database_line, summary = output.splitlines()[:2]
    assert database_line.startswith("Basis data: sqlite+aiosqlite:///")
    assert summary.endswith("dinonaktifkan 100.")
