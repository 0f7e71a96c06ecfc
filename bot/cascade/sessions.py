"""A desa's own Bimtek for its next level: created, changed and cancelled by the desa's PPS (DesaScope).

A desa session is an ordinary TrainingSession owned by a desa and a level ("pantarlih" or "kpps"): check-in,
its rotating codes and its QR are the same as for the KPU's kecamatan sessions (bot/checkin).
"""

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from bot.core.scope import DesaScope
from bot.plan.views import SessionView, session_view
from models import AuditLog, CascadeRole, CheckIn, TrainingSession


class HasCheckIns(Exception):
    """The session already has check-ins: cancelling it would lose them."""

    def __init__(self, count: int) -> None:
        super().__init__(count)
        self.count = count


class NoDesaSession(Exception):
    """The desa has no session of that level (cancelled meanwhile, or never made)."""


@dataclass(frozen=True)
class SessionDraft:
    """What a PPS gives for their desa's session (times timezone-aware)."""

    level: CascadeRole
    starts_at: datetime
    ends_at: datetime
    checkin_opens_at: datetime
    checkin_closes_at: datetime
    venue: str
    address: str
    latitude: float | None  # None: a typed address only (no map, no location check)
    longitude: float | None
    radius_m: int | None


async def _row(session: AsyncSession, desa_id: int, level: str) -> TrainingSession | None:
    return await session.scalar(
        select(TrainingSession)
        .options(joinedload(TrainingSession.kecamatan), joinedload(TrainingSession.desa))
        .where(TrainingSession.desa_id == desa_id, TrainingSession.level == level)
    )


async def desa_session(session: AsyncSession, desa_id: int, level: str) -> SessionView | None:
    """The desa's session of that level, if it has one."""
    row = await _row(session, desa_id, level)
    return session_view(row) if row is not None else None


async def desa_sessions(session: AsyncSession, desa_id: int) -> list[SessionView]:
    """Every session of the desa's next level, soonest first."""
    rows = await session.scalars(
        select(TrainingSession)
        .options(joinedload(TrainingSession.kecamatan), joinedload(TrainingSession.desa))
        .where(TrainingSession.desa_id == desa_id)
        .order_by(TrainingSession.starts_at)
    )
    return [session_view(row) for row in rows]


async def save_desa_session(
    session: AsyncSession, scope: DesaScope, draft: SessionDraft, *, by: int
) -> tuple[SessionView, bool]:
    """Create the desa's session of the draft's level, or change it (its secret and check-ins stay).

    Returns the session and whether it was new. The scope is the PPS's own desa: nobody writes another's."""
    row = await _row(session, scope.desa_id, draft.level.value)
    created = row is None
    values = {
        "starts_at": draft.starts_at,
        "ends_at": draft.ends_at,
        "checkin_opens_at": draft.checkin_opens_at,
        "checkin_closes_at": draft.checkin_closes_at,
        "venue": draft.venue,
        "address": draft.address,
        # A typed address has no coordinates; 0/0 with no radius is never used for a location check.
        "latitude": draft.latitude if draft.latitude is not None else 0.0,
        "longitude": draft.longitude if draft.longitude is not None else 0.0,
        "radius_m": draft.radius_m if draft.latitude is not None else None,
    }
    if row is None:
        row = TrainingSession(
            kecamatan_id=scope.kecamatan_id,
            desa_id=scope.desa_id,
            level=draft.level.value,
            secret=secrets.token_hex(32),
            created_by=by,
            **values,
        )
        session.add(row)
    else:
        for name, value in values.items():
            setattr(row, name, value)
    await session.flush()
    session.add(
        AuditLog(
            actor=f"tg:{by}",
            action="cascade.session_create" if created else "cascade.session_update",
            detail={"session_id": row.id, "desa_id": scope.desa_id, "level": draft.level.value},
        )
    )
    loaded = await _row(session, scope.desa_id, draft.level.value)
    assert loaded is not None
    return session_view(loaded), created


async def cancel_desa_session(session: AsyncSession, scope: DesaScope, level: str, *, by: int) -> SessionView:
    """Cancel (delete) the desa's session of that level; refused once anyone has checked in (HasCheckIns)."""
    row = await _row(session, scope.desa_id, level)
    if row is None:
        raise NoDesaSession()
    view = session_view(row)
    count = await session.scalar(
        select(func.count()).select_from(CheckIn).where(CheckIn.session_id == row.id)
    )
    if count:
        raise HasCheckIns(count)
    await session.delete(row)
    session.add(
        AuditLog(
            actor=f"tg:{by}",
            action="cascade.session_cancel",
            detail={"session_id": view.id, "desa_id": scope.desa_id, "level": level},
        )
    )
    await session.flush()
    return view
