"""Coordinator grants: regency-wide or one kecamatan, matched like the roster, changed by granting again."""

from __future__ import annotations

import io

import pytest
from factories import import_lebak_wilayah, import_rows, lebak_roster, link_telegram
from sqlalchemy import select, update

from bot.cli import admin as cli_admin
from bot.core.db import SessionFactory
from bot.core.identity import identify
from bot.core.phones import display
from bot.core.regions import WilayahEmpty
from bot.roster.coordinators import (
    CoordinatorGrant,
    CoordinatorInfo,
    InvalidCoordinatorPhone,
    UnknownKecamatan,
    grant_coordinator,
    list_coordinators,
)
from models import AuditLog, Coordinator


async def _grant(factory: SessionFactory, phone: str, kecamatan: str | None) -> CoordinatorGrant:
    async with factory() as session, session.begin():
        return await grant_coordinator(session, phone_raw=phone, kecamatan_name=kecamatan, actor="test")


async def test_grant_regency_wide_then_narrow_then_again(session_factory: SessionFactory) -> None:
    await import_lebak_wilayah(session_factory)

    first = await _grant(session_factory, "0812-1111-2222", None)
    narrowed = await _grant(session_factory, "+62 812 1111 2222", "kec. curug bitung")
    again = await _grant(session_factory, "6281211112222", "Curugbitung")

    assert first == CoordinatorGrant(
        phone="+6281211112222",
        kecamatan_code=None,
        kecamatan_name=None,
        created=True,
        changed=True,
        previous_kecamatan_name=None,
        telegram_user_id=None,
    )
    assert (
        narrowed.created,
        narrowed.changed,
        narrowed.kecamatan_name,
        narrowed.previous_kecamatan_name,
    ) == (
        False,
        True,
        "Curugbitung",
        None,
    )
    assert (again.changed, again.kecamatan_code, again.previous_kecamatan_name) == (
        False,
        "36.02.23",
        "Curugbitung",
    )
    async with session_factory() as session:
        assert len((await session.scalars(select(Coordinator))).all()) == 1
        audits = (await session.scalars(select(AuditLog).where(AuditLog.action == "coordinator.grant"))).all()
    assert [a.detail["kecamatan_code"] for a in audits] == [None, "36.02.23", "36.02.23"]
    assert {a.actor for a in audits} == {"test"}


async def test_list_shows_regency_wide_first(session_factory: SessionFactory) -> None:
    await import_lebak_wilayah(session_factory)
    await _grant(session_factory, "081300000002", "Rangkasbitung")
    await _grant(session_factory, "081300000003", "Bayah")
    await _grant(session_factory, "081300000001", None)
    await link_telegram(session_factory, "+6281300000001", telegram_user_id=42)
    async with session_factory() as session, session.begin():
        await session.execute(
            update(Coordinator).where(Coordinator.phone == "+6281300000001").values(telegram_user_id=42)
        )

    async with session_factory() as session:
        coordinators = await list_coordinators(session)

    assert coordinators == [
        CoordinatorInfo("+6281300000001", None, None, 42),
        CoordinatorInfo("+6281300000003", "36.02.03", "Bayah", None),
        CoordinatorInfo("+6281300000002", "36.02.14", "Rangkasbitung", None),
    ]


async def test_bad_phone_and_unknown_kecamatan_write_nothing(session_factory: SessionFactory) -> None:
    await import_lebak_wilayah(session_factory)
    with pytest.raises(InvalidCoordinatorPhone):
        await _grant(session_factory, "12-34", None)
    with pytest.raises(UnknownKecamatan) as unknown:
        await _grant(session_factory, "081211112222", "Rangkas Bitungg")
    assert unknown.value.suggestions == ("Rangkasbitung",)
    async with session_factory() as session:
        assert (await session.scalars(select(Coordinator))).all() == []


async def test_kecamatan_scope_needs_the_region_list(session_factory: SessionFactory) -> None:
    with pytest.raises(WilayahEmpty):
        await _grant(session_factory, "081211112222", "Bayah")


async def test_cli_output_and_exit_codes(session_factory: SessionFactory) -> None:
    await import_lebak_wilayah(session_factory)

    async def run(phone: str, kecamatan: str | None) -> tuple[int, list[str]]:
        out = io.StringIO()
        code = await cli_admin.coordinator_add(session_factory, phone, kecamatan, language="id", out=out)
        return code, out.getvalue().splitlines()

    next_step = "Pemilik nomor itu lalu membuka bot dan mengetik /daftar untuk masuk sebagai koordinator."
    assert await run("0812-1111-2222", None) == (
        0,
        ["Koordinator ditambahkan: +62 812-1111-2222, cakupan Kabupaten Lebak.", next_step],
    )
    assert await run("0812-1111-2222", "Curug Bitung") == (
        0,
        ["Cakupan koordinator +62 812-1111-2222 diubah: Kabupaten Lebak → Kecamatan Curugbitung.", next_step],
    )
    assert await run("0812-1111-2222", "curugbitung") == (
        0,
        [
            "+62 812-1111-2222 sudah menjadi koordinator dengan cakupan Kecamatan Curugbitung; "
            "tidak ada yang diubah.",
            next_step,
        ],
    )
    assert await run("bukan nomor", None) == (
        1,
        ["Nomor 'bukan nomor' tidak bisa dibaca sebagai nomor telepon."],
    )
    assert await run("0812-1111-2222", "Cibadakk") == (
        1,
        ["Kecamatan 'Cibadakk' tidak ada di daftar wilayah.", "Mungkin maksud Anda: Cibadak"],
    )


# --- coordinator list / remove ------------------------------------------------------------------------


async def _list(factory: SessionFactory, language: str = "id") -> tuple[int, list[str]]:
    out = io.StringIO()
    code = await cli_admin.coordinator_list(factory, language=language, out=out)
    return code, out.getvalue().splitlines()


async def _remove(factory: SessionFactory, phone: str, language: str = "id") -> tuple[int, list[str]]:
    out = io.StringIO()
    code = await cli_admin.coordinator_remove(factory, phone, language=language, out=out)
    return code, out.getvalue().splitlines()


async def test_cli_lists_phone_name_scope_and_whether_registered(session_factory: SessionFactory) -> None:
    await import_lebak_wilayah(session_factory)
    assert await _list(session_factory) == (
        0,
        [
            "Belum ada koordinator. Tambahkan dengan: "
            "python -m bot coordinator add --phone NOMOR [--kecamatan K]"
        ],
    )
    roster = lebak_roster()
    await import_rows(session_factory, roster)
    ppk = next(row for row in roster if row.position == "PPK" and row.kecamatan == "Bayah")
    await _grant(session_factory, ppk.phone, "Bayah")
    await _grant(session_factory, "081300000001", None)
    await link_telegram(session_factory, "+6281300000001", telegram_user_id=42)
    async with session_factory() as session, session.begin():
        await session.execute(
            update(Coordinator).where(Coordinator.phone == "+6281300000001").values(telegram_user_id=42)
        )

    assert await _list(session_factory) == (
        0,
        [
            "Koordinator (2):",
            "  - +62 813-0000-0001 · (tidak ada di roster) · Kabupaten Lebak · sudah masuk ke bot (id Telegram 42)",
            f"  - {display(ppk.phone)} · {ppk.name} · Kecamatan Bayah · belum masuk ke bot (/daftar)",
        ],
    )
    code, lines = await _list(session_factory, "en")
    assert code == 0
    assert lines[1] == (
        "  - +62 813-0000-0001 · (not on the roster) · Lebak Regency · signed in to the bot (Telegram id 42)"
    )


async def test_cli_remove_revokes_the_role_and_audits_it(session_factory: SessionFactory) -> None:
    await import_lebak_wilayah(session_factory)
    await _grant(session_factory, "081300000001", "Bayah")
    await _grant(session_factory, "081300000002", None)

    assert await _remove(session_factory, "0813-0000-0001") == (
        0,
        ["Peran koordinator +62 813-0000-0001 (cakupan Kecamatan Bayah) dicabut."],
    )
    async with session_factory() as session:
        assert [info.phone for info in await list_coordinators(session)] == ["+6281300000002"]
        audit = (await session.scalars(select(AuditLog).where(AuditLog.action == "coordinator.remove"))).one()
    assert (audit.actor, audit.detail) == (
        "cli",
        {"phone": "+6281300000001", "kecamatan_code": "36.02.03", "telegram_user_id": None},
    )

    # Removing again, or a number that never was a coordinator: one clear line, exit 1, nothing written.
    not_found = (
        "Tidak ada koordinator dengan nomor +62 813-0000-0001; tidak ada yang diubah. "
        "Lihat daftarnya: python -m bot coordinator list"
    )
    assert await _remove(session_factory, "+6281300000001") == (1, [not_found])
    assert await _remove(session_factory, "bukan nomor") == (
        1,
        ["Nomor 'bukan nomor' tidak bisa dibaca sebagai nomor telepon."],
    )
    code, lines = await _remove(session_factory, "081300000009", "en")
    assert (code, lines) == (
        1,
        [
            "No coordinator has the number +62 813-0000-0009; nothing changed. "
            "See the list: python -m bot coordinator list"
        ],
    )
    async with session_factory() as session:
        removals = (
            await session.scalars(select(AuditLog).where(AuditLog.action == "coordinator.remove"))
        ).all()
    assert len(removals) == 1


async def test_removed_coordinator_loses_the_role_at_the_next_update(session_factory: SessionFactory) -> None:
    await import_lebak_wilayah(session_factory)
    await _grant(session_factory, "081300000001", None)
    await link_telegram(session_factory, "+6281300000001", telegram_user_id=42)
    async with session_factory() as session, session.begin():
        await session.execute(
            update(Coordinator).where(Coordinator.phone == "+6281300000001").values(telegram_user_id=42)
        )
        assert (
            await identify(session, 42, admins=frozenset(), default_language="id")
        ).coordinator is not None
    assert (await _remove(session_factory, "081300000001"))[0] == 0
    async with session_factory() as session:
        assert (await identify(session, 42, admins=frozenset(), default_language="id")).coordinator is None
