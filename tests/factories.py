"""Test data for the region, roster and coordinator tests: the real Lebak region list and synthetic rosters."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from conftest import WILAYAH_CSV
from sqlalchemy import func, select, update

from bot.core.db import SessionFactory
from bot.roster.files import RosterRow
from bot.roster.importer import RosterSummary, import_roster
from bot.roster.synthetic import synthetic_roster
from bot.roster.wilayah import WilayahRow, WilayahSummary, import_wilayah, read_wilayah_file
from models import Base, Member, Position, TelegramAccount
from models.base import utcnow

LEBAK_KECAMATAN = 28
LEBAK_DESA = 345
LEBAK_KELURAHAN = 5
LEBAK_PPS = LEBAK_DESA * 3
LEBAK_PPK = LEBAK_KECAMATAN * 5
LEBAK_MEMBERS = LEBAK_PPS + LEBAK_PPK


@functools.cache
def lebak_wilayah() -> tuple[WilayahRow, ...]:
    """The real region list of Lebak, parsed once per test run."""
    return tuple(read_wilayah_file(WILAYAH_CSV))


def lebak_roster(seed: int = 0) -> list[RosterRow]:
    """1,035 PPS (3 per desa) and 140 PPK (5 per kecamatan) on the real region list."""
    return synthetic_roster(lebak_wilayah(), seed=seed)


def renumbered(rows: Sequence[RosterRow]) -> list[RosterRow]:
    """The rows numbered as a file written from them would be (header = row 1)."""
    return [replace(row, row=number) for number, row in enumerate(rows, start=2)]


def first_row(rows: Sequence[RosterRow], position: str, *, kecamatan: str | None = None) -> int:
    """Index in `rows` of the first row with this jabatan (and kecamatan, if given)."""
    return next(
        i
        for i, row in enumerate(rows)
        if row.position == position and (kecamatan is None or row.kecamatan == kecamatan)
    )


async def import_lebak_wilayah(factory: SessionFactory) -> WilayahSummary:
    """Import the real region list in its own transaction."""
    async with factory() as session, session.begin():
        return await import_wilayah(session, lebak_wilayah(), actor="test", source_name=WILAYAH_CSV.name)


async def import_rows(
    factory: SessionFactory, rows: Sequence[RosterRow], *, source_name: str = "roster.csv"
) -> RosterSummary:
    """Import roster rows in their own transaction, as the command line does."""
    async with factory() as session, session.begin():
        return await import_roster(session, rows, actor="test", source_name=source_name)


@dataclass(frozen=True)
class MemberState:
    """What the tests check of a member."""

    name: str
    position: Position
    kecamatan_id: int
    desa_id: int | None
    active: bool
    telegram_user_id: int | None
    registered_at: datetime | None


async def members_by_phone(factory: SessionFactory) -> dict[str, MemberState]:
    """Every member, keyed by E.164 phone."""
    async with factory() as session:
        result = await session.execute(
            select(
                Member.phone,
                Member.name,
                Member.position,
                Member.kecamatan_id,
                Member.desa_id,
                Member.active,
                Member.telegram_user_id,
                Member.registered_at,
            )
        )
        return {phone: MemberState(*rest) for phone, *rest in result}


async def count_rows(factory: SessionFactory, model: type[Base]) -> int:
    """How many rows a table holds."""
    async with factory() as session:
        return await session.scalar(select(func.count()).select_from(model)) or 0


async def link_telegram(factory: SessionFactory, phone: str, telegram_user_id: int) -> datetime:
    """Register the member with this phone to a Telegram account, as /daftar would; returns registered_at."""
    registered_at = utcnow()
    async with factory() as session, session.begin():
        session.add(TelegramAccount(id=telegram_user_id, first_name="Tester", verified_phone=phone))
        await session.flush()
        await session.execute(
            update(Member)
            .where(Member.phone == phone)
            .values(telegram_user_id=telegram_user_id, registered_at=registered_at)
        )
    return registered_at
