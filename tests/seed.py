"""Small, explicit test data written straight into a migrated database (for conversation tests)."""

from dataclasses import dataclass

from sqlalchemy import func, select

from bot.db import SessionFactory
from models import Coordinator, Desa, DesaKind, Kecamatan, Member, Position


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


async def seed_coordinator(factory: SessionFactory, phone: str, kecamatan_code: str | None = None) -> None:
    """A coordinator grant for a phone number (regency-wide when no kecamatan code is given)."""
    async with factory() as session, session.begin():
        kecamatan_id = None
        if kecamatan_code is not None:
            kecamatan_id = await session.scalar(select(Kecamatan.id).where(Kecamatan.code == kecamatan_code))
        session.add(Coordinator(phone=phone, kecamatan_id=kecamatan_id))
