"""Who receives a broadcast: the audience filter, resolved to registered, reachable roster members."""

import enum
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import CheckIn, Member, Position, TelegramAccount, TrainingSession


class AudienceKind(enum.StrEnum):
    """The audiences a coordinator can choose."""

    ALL = "all"
    PPS = "pps"
    KETUA = "ketua"
    PPK = "ppk"
    NOT_CHECKED_IN = "not_checked_in"


@dataclass(frozen=True)
class Audience:
    """An audience filter as stored with a broadcast (JSON)."""

    kind: AudienceKind = AudienceKind.ALL
    kecamatan_ids: tuple[int, ...] = field(default_factory=tuple)  # empty: every kecamatan

    def to_json(self) -> dict[str, object]:
        return {"kind": self.kind.value, "kecamatan_ids": list(self.kecamatan_ids)}

    @classmethod
    def from_json(cls, data: dict[str, object]) -> "Audience":
        ids = data.get("kecamatan_ids") or []
        assert isinstance(ids, list)
        return cls(kind=AudienceKind(str(data.get("kind", "all"))), kecamatan_ids=tuple(int(i) for i in ids))


@dataclass(frozen=True)
class AudienceCount:
    """How many of the audience will get the message, and why the others won't."""

    recipients: int
    not_registered: int
    unreachable: int


def _members(audience: Audience, *, now: datetime, zone: ZoneInfo) -> Select[tuple[Member]]:
    query = select(Member).where(Member.active.is_(True))
    if audience.kecamatan_ids:
        query = query.where(Member.kecamatan_id.in_(audience.kecamatan_ids))
    match audience.kind:
        case AudienceKind.PPS:
            query = query.where(Member.position.in_([Position.KETUA, Position.ANGGOTA]))
        case AudienceKind.KETUA:
            query = query.where(Member.position == Position.KETUA)
        case AudienceKind.PPK:
            query = query.where(Member.position == Position.PPK)
        case AudienceKind.NOT_CHECKED_IN:
            # Members whose kecamatan holds its session today and who have not checked in to it.
            local = now.astimezone(zone)
            day_start = local.replace(hour=0, minute=0, second=0, microsecond=0)
            today = select(TrainingSession.id, TrainingSession.kecamatan_id).where(
                TrainingSession.starts_at >= day_start,
                TrainingSession.starts_at < day_start + timedelta(days=1),
            )
            sessions = today.subquery()
            query = query.join(sessions, sessions.c.kecamatan_id == Member.kecamatan_id).where(
                ~exists().where(and_(CheckIn.session_id == sessions.c.id, CheckIn.member_id == Member.id))
            )
    return query


async def count_audience(
    session: AsyncSession, audience: Audience, *, now: datetime, zone: ZoneInfo
) -> AudienceCount:
    """Recipients now, and the members of the audience who cannot be reached (not registered, blocked)."""
    members = _members(audience, now=now, zone=zone).subquery()
    row = (
        await session.execute(
            select(
                func.count().filter(members.c.telegram_user_id.is_(None)),
                func.count().filter(TelegramAccount.reachable.is_(False)),
                func.count().filter(TelegramAccount.reachable.is_(True)),
            )
            .select_from(members)
            .outerjoin(TelegramAccount, TelegramAccount.id == members.c.telegram_user_id)
        )
    ).one()
    return AudienceCount(recipients=row[2], not_registered=row[0], unreachable=row[1])


async def recipients(
    session: AsyncSession, audience: Audience, *, now: datetime, zone: ZoneInfo
) -> list[tuple[int, int]]:
    """(member id, chat id) of every registered, reachable member of the audience."""
    members = _members(audience, now=now, zone=zone).subquery()
    rows = await session.execute(
        select(members.c.id, members.c.telegram_user_id)
        .join(TelegramAccount, TelegramAccount.id == members.c.telegram_user_id)
        .where(TelegramAccount.reachable.is_(True))
        .order_by(members.c.id)
    )
    return [(member_id, chat_id) for member_id, chat_id in rows]


async def in_audience(
    session: AsyncSession, audience: Audience, member_id: int, *, now: datetime, zone: ZoneInfo
) -> bool:
    """Whether one member belongs to the audience (for late registrants)."""
    members = _members(audience, now=now, zone=zone).subquery()
    return bool(
        await session.scalar(select(func.count()).select_from(members).where(members.c.id == member_id))
    )
