"""Who a duty is for: its kind of member (all PPS or Ketua only) and kecamatan, and what a coordinator sees."""

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.broadcasts.audience import Audience, AudienceKind
from bot.core.scope import CoordinatorScope
from models import Duty, Member, Position

DUTY_KINDS = (AudienceKind.PPS, AudienceKind.KETUA)
POSITIONS = {
    AudienceKind.PPS: frozenset({Position.KETUA, Position.ANGGOTA}),
    AudienceKind.KETUA: frozenset({Position.KETUA}),
}


def duty_audience(duty: Duty) -> Audience:
    """The audience stored on the duty."""
    return Audience.from_json(duty.audience)


def positions_of(kind: AudienceKind) -> list[Position]:
    """The member positions a duty of this kind is for."""
    return list(POSITIONS.get(kind, frozenset()))


def is_for(audience: Audience, position: Position, kecamatan_id: int) -> bool:
    """Whether a member of this position and kecamatan is in the duty's audience."""
    positions = POSITIONS.get(audience.kind, frozenset())
    return position in positions and (not audience.kecamatan_ids or kecamatan_id in audience.kecamatan_ids)


async def visible_duties(session: AsyncSession, scope: CoordinatorScope) -> list[Duty]:
    """The active duties this coordinator sees (a PPK sees regency-wide ones too), soonest due first."""
    duties = await session.scalars(select(Duty).where(Duty.active.is_(True)).order_by(Duty.due_at, Duty.id))
    return [d for d in duties if scope.sees(duty_audience(d).kecamatan_ids)]


async def audience_size(session: AsyncSession, kind: AudienceKind, kecamatan_ids: Sequence[int]) -> int:
    """How many active members a duty for this audience concerns (registered or not)."""
    query = (
        select(func.count())
        .select_from(Member)
        .where(Member.active.is_(True), Member.position.in_(positions_of(kind)))
    )
    if kecamatan_ids:
        query = query.where(Member.kecamatan_id.in_(list(kecamatan_ids)))
    return await session.scalar(query) or 0
