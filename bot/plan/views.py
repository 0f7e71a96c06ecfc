"""A kecamatan's Bimtek session as plain data: the one SessionView that check-in, the program and `plan show` read."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import ROSTER_POSITIONS, Kecamatan, Member, TrainingSession


@dataclass(frozen=True)
class SessionView:
    """A training session with its kecamatan (times timezone-aware, in UTC); the secret stays out."""

    id: int
    kecamatan_id: int
    kecamatan_code: str
    kecamatan: str  # the kecamatan's name
    venue: str
    address: str
    latitude: float
    longitude: float
    radius_m: int | None  # None = no location check
    starts_at: datetime
    ends_at: datetime
    checkin_opens_at: datetime
    checkin_closes_at: datetime
    # A desa's session for its next level (the cascade): the desa and the level ("pantarlih", "kpps").
    desa_id: int | None = None
    desa: str | None = None
    level: str = "pps"


def session_view(row: TrainingSession) -> SessionView:
    """Plain data of a session row loaded with its kecamatan."""
    return SessionView(
        id=row.id,
        kecamatan_id=row.kecamatan_id,
        kecamatan_code=row.kecamatan.code,
        kecamatan=row.kecamatan.name,
        venue=row.venue,
        address=row.address,
        latitude=row.latitude,
        longitude=row.longitude,
        radius_m=row.radius_m or None,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        checkin_opens_at=row.checkin_opens_at,
        checkin_closes_at=row.checkin_closes_at,
        desa_id=row.desa_id,
        desa=row.desa.name if row.desa_id is not None and row.desa is not None else None,
        level=row.level,
    )


async def list_sessions(session: AsyncSession) -> list[SessionView]:
    """Every session with its kecamatan, by start time and then kecamatan name."""
    rows = await session.execute(
        select(
            TrainingSession.id,
            TrainingSession.kecamatan_id,
            Kecamatan.code,
            Kecamatan.name,
            TrainingSession.venue,
            TrainingSession.address,
            TrainingSession.latitude,
            TrainingSession.longitude,
            TrainingSession.radius_m,
            TrainingSession.starts_at,
            TrainingSession.ends_at,
            TrainingSession.checkin_opens_at,
            TrainingSession.checkin_closes_at,
        )
        .join(Kecamatan, TrainingSession.kecamatan_id == Kecamatan.id)
        .where(TrainingSession.desa_id.is_(None))  # the KPU's sessions; a desa's are the cascade's
        .order_by(TrainingSession.starts_at, Kecamatan.name)
    )
    views = [SessionView(*row) for row in rows.tuples()]
    # As session_view: a radius of 0 also means "no location check".
    return [replace(view, radius_m=view.radius_m or None) for view in views]


async def active_members_by_kecamatan(session: AsyncSession) -> dict[int, int]:
    """How many active roster members each kecamatan has (kecamatan without members are absent)."""
    rows = await session.execute(
        select(Member.kecamatan_id, func.count())
        .where(Member.active, Member.position.in_(ROSTER_POSITIONS))
        .group_by(Member.kecamatan_id)
    )
    return {kecamatan_id: count for kecamatan_id, count in rows.tuples()}
