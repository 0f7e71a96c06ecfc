"""Coordinator grants: regency-wide or one kecamatan, matched like the roster, changed by granting again."""

from __future__ import annotations

import io

import pytest
from factories import import_lebak_wilayah, link_telegram
from sqlalchemy import select, update

from bot.cli import admin as cli_admin
from bot.core.db import SessionFactory
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
