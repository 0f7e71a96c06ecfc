"""Who receives a broadcast: the audience filter, resolved to registered, reachable roster members."""

import enum
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from models import (
    ROSTER_POSITIONS,
    CascadeMember,
    CheckIn,
    Delivery,
    DeliveryStatus,
    Duty,
    DutyCompletion,
    DutyStatus,
    Member,
    Position,
    TelegramAccount,
    TrainingSession,
)


class AudienceKind(enum.StrEnum):
    """The audiences a coordinator can choose."""

    ALL = "all"
    PPS = "pps"
    KETUA = "ketua"
    PPK = "ppk"
    NOT_CHECKED_IN = "not_checked_in"
    # A desa's next level (the cascade), addressed by its PPS: its Pantarlih and/or KPPS.
    CASCADE = "cascade"


@dataclass(frozen=True)
class Audience:
    """An audience filter as stored with a broadcast (JSON)."""

    kind: AudienceKind = AudienceKind.ALL
    kecamatan_ids: tuple[int, ...] = field(default_factory=tuple)  # empty: every kecamatan
    # Duty reminders: only members for whom this duty is still open (see duty_open), and, for a snoozed
    # member's own reminder, only these members (empty: everyone the rest selects).
    duty_id: int | None = None
    member_ids: tuple[int, ...] = field(default_factory=tuple)
    # An acknowledgement reminder: only members who received that broadcast and have not acknowledged it.
    unacknowledged_of: int | None = None
    # The cascade: the desa and the roles (CascadeRole values) addressed.
    desa_id: int | None = None
    roles: tuple[str, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {"kind": self.kind.value, "kecamatan_ids": list(self.kecamatan_ids)}
        if self.duty_id is not None:
            data["duty_id"] = self.duty_id
        if self.member_ids:
            data["member_ids"] = list(self.member_ids)
        if self.unacknowledged_of is not None:
            data["unacknowledged_of"] = self.unacknowledged_of
        if self.desa_id is not None:
            data["desa_id"] = self.desa_id
            data["roles"] = list(self.roles)
        return data

    @classmethod
    def from_json(cls, data: dict[str, object]) -> "Audience":
        ids = data.get("kecamatan_ids") or []
        assert isinstance(ids, list)
        duty_id = data.get("duty_id")
        member_ids = data.get("member_ids") or []
        assert isinstance(member_ids, list)
        unacknowledged_of = data.get("unacknowledged_of")
        desa_id = data.get("desa_id")
        roles = data.get("roles") or []
        assert isinstance(roles, list)
        return cls(
            kind=AudienceKind(str(data.get("kind", "all"))),
            kecamatan_ids=tuple(int(i) for i in ids),
            duty_id=int(str(duty_id)) if duty_id is not None else None,
            member_ids=tuple(int(i) for i in member_ids),
            unacknowledged_of=int(str(unacknowledged_of)) if unacknowledged_of is not None else None,
            desa_id=int(str(desa_id)) if desa_id is not None else None,
            roles=tuple(str(r) for r in roles),
        )


@dataclass(frozen=True)
class AudienceCount:
    """How many of the audience will get the message, and why the others won't."""

    recipients: int
    not_registered: int
    unreachable: int


def _members(audience: Audience, *, now: datetime, zone: ZoneInfo) -> Select[tuple[Member]]:
    query = select(Member).where(Member.active.is_(True))
    if audience.kind is AudienceKind.CASCADE:
        # Only the desa's next level; everyone else's audiences are the KPU roster (PPS and PPK) alone.
        query = query.where(
            Member.id.in_(
                select(CascadeMember.member_id).where(
                    CascadeMember.desa_id == audience.desa_id,
                    CascadeMember.role.in_(audience.roles),
                    CascadeMember.active.is_(True),
                )
            )
        )
    else:
        query = query.where(Member.position.in_(ROSTER_POSITIONS))
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
                TrainingSession.desa_id.is_(None),
            )
            sessions = today.subquery()
            query = query.join(sessions, sessions.c.kecamatan_id == Member.kecamatan_id).where(
                ~exists().where(and_(CheckIn.session_id == sessions.c.id, CheckIn.member_id == Member.id))
            )
    if audience.member_ids:
        query = query.where(Member.id.in_(audience.member_ids))
    if audience.duty_id is not None:
        query = query.where(duty_open(audience.duty_id, now))
    if audience.unacknowledged_of is not None:
        query = query.where(not_acknowledged(audience.unacknowledged_of))
    return query


def not_acknowledged(broadcast_id: int) -> ColumnElement[bool]:
    """Members who received this broadcast (their message was sent) and have not pressed "Sudah dibaca"."""
    return exists().where(
        Delivery.broadcast_id == broadcast_id,
        Delivery.member_id == Member.id,
        Delivery.status == DeliveryStatus.SENT,
        Delivery.acknowledged_at.is_(None),
    )


def duty_open(duty_id: int, now: datetime) -> ColumnElement[bool]:
    """Members a duty's reminder still concerns at `now`: the duty is active and not yet due, the member has
    not marked it done (nor has anyone of their desa, for a per-desa duty) and has not snoozed it past now."""
    own = and_(DutyStatus.duty_id == duty_id, DutyStatus.member_id == Member.id)
    mate = aliased(Member)
    desa_done = (
        select(DutyStatus.id)
        .join(mate, mate.id == DutyStatus.member_id)
        .where(DutyStatus.duty_id == duty_id, DutyStatus.done_at.is_not(None), mate.desa_id == Member.desa_id)
        .exists()
    )
    per_desa = select(Duty.id).where(Duty.id == duty_id, Duty.completion == DutyCompletion.DESA).exists()
    return and_(
        select(Duty.id).where(Duty.id == duty_id, Duty.active.is_(True), Duty.due_at > now).exists(),
        ~exists().where(own, DutyStatus.done_at.is_not(None)),
        ~exists().where(own, DutyStatus.snoozed_until > now),
        or_(~per_desa, ~desa_done),
    )


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


@dataclass(frozen=True)
class ResolvedAudience:
    """An audience resolved once: who receives it (member id, chat id) and the count with the others."""

    recipients: list[tuple[int, int]]
    count: AudienceCount


async def resolve_audience(
    session: AsyncSession, audience: Audience, *, now: datetime, zone: ZoneInfo
) -> ResolvedAudience:
    """The recipients and the count (count_audience and recipients in one query), for the preview."""
    members = _members(audience, now=now, zone=zone).subquery()
    rows = await session.execute(
        select(members.c.id, members.c.telegram_user_id, TelegramAccount.reachable)
        .select_from(members)
        .outerjoin(TelegramAccount, TelegramAccount.id == members.c.telegram_user_id)
        .order_by(members.c.id)
    )
    pairs: list[tuple[int, int]] = []
    not_registered = unreachable = 0
    for member_id, chat_id, reachable in rows:
        if chat_id is None:
            not_registered += 1
        elif reachable is False:
            unreachable += 1
        elif reachable:
            pairs.append((member_id, chat_id))
    return ResolvedAudience(pairs, AudienceCount(len(pairs), not_registered, unreachable))


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
