"""`python -m bot roster import FILE --desa DESA`: a PPK/KPU imports a desa's Pantarlih/KPPS roster."""

from pathlib import Path

from conftest import WILAYAH_CSV
from helpers import bot_cli
from sqlalchemy import func, select

from bot.cascade.roster import import_cascade_roster, read_cascade_file, resolve_desa
from bot.core.db import SessionFactory
from models import CascadeMember, CascadeRole, Desa, Member, Position
from tests.factories import import_lebak_wilayah

GOOD = "nama,jabatan,tps,telepon\nDedi,Pantarlih,1,081234567811\nEuis,KPPS,3,081234567812\n"


async def test_the_command_line_imports_a_desa_roster_all_or_nothing(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[database]\nurl = "sqlite+aiosqlite:///{tmp_path / "bot.sqlite3"}"\n', encoding="utf-8"
    )
    code, output = await bot_cli("wilayah", "import", str(WILAYAH_CSV), config=config)
    assert code == 0, output
    bad = tmp_path / "bad.csv"
    bad.write_text("nama,jabatan,tps,telepon\nDedi,Pantarlih,1,081234567811\nEuis,KPPS,,081234567812\n")
    code, output = await bot_cli("roster", "import", str(bad), "--desa", "36.02.01.2023", config=config)
    assert code == 1
    assert "Baris 3: TPS kosong (wajib untuk KPPS)" in output and "Tidak ada data yang disimpan" in output

    good = tmp_path / "good.csv"
    good.write_text(GOOD)
    code, output = await bot_cli("roster", "import", str(good), "--desa", "Sukamanah", config=config)
    assert code == 1  # two desa share the name: the operator is shown both codes
    assert "36.02.01.2023 (Sukamanah, Malingping)" in output and "36.02.14.2019" in output
    code, output = await bot_cli(
        "roster", "import", str(good), "--desa", "Sukamanah", "--kecamatan", "Malingping", config=config
    )
    assert code == 0, output
    assert "desa Sukamanah tersimpan: 1 Pantarlih, 1 KPPS (2 baru, 0 dihapus)" in output


async def test_a_reimport_replaces_only_the_roles_it_lists_and_keeps_a_pps_role(
    session_factory: SessionFactory, tmp_path: Path
) -> None:
    await import_lebak_wilayah(session_factory)
    good = tmp_path / "good.csv"
    good.write_text(GOOD)
    async with session_factory() as session, session.begin():
        desa_id = await resolve_desa(session, "Sukamanah", "Malingping")
        desa = await session.get(Desa, desa_id)
        assert desa is not None
        session.add(
            Member(
                name="Budi",
                position=Position.ANGGOTA,
                kecamatan_id=desa.kecamatan_id,
                desa_id=desa_id,
                phone="+6281234567813",
            )
        )
    async with session_factory() as session, session.begin():
        await import_cascade_roster(session, read_cascade_file(good), desa_id=desa_id, actor="test")
    only_pantarlih = tmp_path / "pantarlih.csv"
    only_pantarlih.write_text("nama,jabatan,tps,telepon\nBudi Santoso,Pantarlih,2,0812 3456 7813\n")
    async with session_factory() as session, session.begin():
        result = await import_cascade_roster(
            session, read_cascade_file(only_pantarlih), desa_id=desa_id, actor="test"
        )
    assert (result.pantarlih, result.kpps, result.added, result.removed) == (1, 0, 1, 1)
    async with session_factory() as session:
        active = set(
            (
                await session.execute(
                    select(Member.name, CascadeMember.role)
                    .join(CascadeMember, CascadeMember.member_id == Member.id)
                    .where(CascadeMember.active.is_(True))
                )
            ).tuples()
        )
        budi = await session.scalar(select(Member).where(Member.phone == "+6281234567813"))
        dedi_active = await session.scalar(select(Member.active).where(Member.phone == "+6281234567811"))
        members = await session.scalar(select(func.count()).select_from(Member))
    # Dedi (Pantarlih) was replaced; Euis (KPPS) stays, since the file listed no KPPS.
    assert active == {("Euis", CascadeRole.KPPS), ("Budi", CascadeRole.PANTARLIH)}
    assert budi is not None and budi.position is Position.ANGGOTA and budi.active
    assert dedi_active is False and members == 3
