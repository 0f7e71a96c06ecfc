"""Small, explicit test data written straight into a migrated database (for conversation tests)."""

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.core.db import SessionFactory
from models import (
    Coordinator,
    Desa,
    DesaKind,
    Kecamatan,
    Member,
    Position,
    TelegramAccount,
    TrainingSession,
)


@dataclass(frozen=True)
class SeededMember:
    """A roster member the tests can register as."""

    id: int
    name: str
    phone: str


async def seed_members(
    factory: SessionFactory,
    people: list[tuple[str, Position, str]],
    *,
    desa_name: str = "Sukamanah",
    kecamatan_code: str = "36.02.01",
    kecamatan_name: str = "Malingping",
) -> list[SeededMember]:
    """A kecamatan (made if missing) with a new desa, and the given (name, position, phone) members."""
    async with factory() as session, session.begin():
        kecamatan = await session.scalar(select(Kecamatan).where(Kecamatan.code == kecamatan_code))
        if kecamatan is None:
            kecamatan = Kecamatan(code=kecamatan_code, name=kecamatan_name)
            session.add(kecamatan)
            await session.flush()
        existing = await session.scalar(select(func.count()).select_from(Desa))
        desa = Desa(
            code=f"{kecamatan_code}.{2001 + (existing or 0)}",
            name=desa_name,
            kind=DesaKind.DESA,
            kecamatan_id=kecamatan.id,
        )
        session.add(desa)
        await session.flush()
        rows = []
        for name, position, phone in people:
            member = Member(
                name=name,
                position=position,
                kecamatan_id=kecamatan.id,
                desa_id=None if position is Position.PPK else desa.id,
                phone=phone,
            )
            session.add(member)
            rows.append(member)
        await session.flush()
        return [SeededMember(m.id, m.name, m.phone) for m in rows]


async def seed_coordinator(
    factory: SessionFactory,
    phone: str,
    kecamatan_code: str | None = None,
    *,
    telegram_user_id: int | None = None,
) -> None:
    """A coordinator grant for a phone number (regency-wide without a kecamatan), linked when an id is given."""
    async with factory() as session, session.begin():
        if telegram_user_id is not None:
            session.add(TelegramAccount(id=telegram_user_id, first_name="", reachable=True))
            await session.flush()
        kecamatan_id = None
        if kecamatan_code is not None:
            kecamatan_id = await session.scalar(select(Kecamatan.id).where(Kecamatan.code == kecamatan_code))
        session.add(Coordinator(phone=phone, kecamatan_id=kecamatan_id, telegram_user_id=telegram_user_id))


async def link_telegram(factory: SessionFactory, member_id: int, telegram_user_id: int) -> None:
    """Register a member as if they had completed /daftar."""
    async with factory() as session, session.begin():
        session.add(TelegramAccount(id=telegram_user_id, first_name="", reachable=True))
        await session.flush()
        member = await session.get(Member, member_id)
        assert member is not None
        member.telegram_user_id = telegram_user_id
        member.registered_at = datetime(2024, 6, 2, 12, 0, tzinfo=UTC)


async def seed_session(
    factory: SessionFactory,
    kecamatan_code: str = "36.02.01",
    *,
    day: date = date(2024, 6, 3),
    radius_m: int | None = None,
    latitude: float = -6.7700,
    longitude: float = 106.0200,
    venue: str = "Aula Kantor Kecamatan Malingping",
) -> int:
    """A Bimtek session for a kecamatan: 08.00–16.00 WIB, check-in 07.00–09.00 WIB."""
    wib = ZoneInfo("Asia/Jakarta")

    def at(hour: int) -> datetime:
        return datetime.combine(day, time(hour, 0), tzinfo=wib)

    async with factory() as session, session.begin():
        kecamatan_id = await session.scalar(select(Kecamatan.id).where(Kecamatan.code == kecamatan_code))
        assert kecamatan_id is not None, f"seed kecamatan {kecamatan_code} first"
        row = TrainingSession(
            kecamatan_id=kecamatan_id,
            venue=venue,
            address="Jl. Raya Malingping No. 1",
            latitude=latitude,
            longitude=longitude,
            radius_m=radius_m,
            starts_at=at(8),
            ends_at=at(16),
            checkin_opens_at=at(7),
            checkin_closes_at=at(9),
            secret=secrets.token_hex(32),
        )
        session.add(row)
        await session.flush()
        return row.id
