"""What the cascade looks like: a desa's recap for its PPS, /hadirkan within the desa, and the progress of
every desa for the PPK (their kecamatan) and the KPU (all), with the desa not scheduled by the deadline."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.checkin.manual import record_by_hand
from bot.checkin.rules import CheckedIn, MemberNotFound, NoSession
from bot.core.phones import InvalidPhoneNumber, to_e164
from bot.core.regions import KecamatanNotFound, WilayahEmpty, load_wilayah_index, resolve_kecamatan
from bot.core.scope import CoordinatorScope, DesaScope, OutOfScope
from models import (
    CascadeMember,
    CascadeRole,
    CheckIn,
    Desa,
    Duty,
    Kecamatan,
    Member,
    TrainingSession,
)

# The plan's [[duty]] whose due time is the cascade's deadline: every desa holds its Bimtek by then.
DEADLINE_DUTY_KEY = "bimtek-pantarlih"


@dataclass(frozen=True)
class Person:
    """One person of the desa's next level as their PPS sees them."""

    name: str
    role: CascadeRole
    tps: str | None
    registered: bool
    present: bool


@dataclass(frozen=True)
class LevelRecap:
    """One level of a desa: its session (if any) and its people."""

    level: CascadeRole
    session_id: int | None
    starts_at: datetime | None
    venue: str | None
    people: list[Person]

    @property
    def roster(self) -> int:
        return len(self.people)

    @property
    def registered(self) -> int:
        return sum(1 for p in self.people if p.registered)

    @property
    def present(self) -> int:
        return sum(1 for p in self.people if p.present)


async def desa_recap(session: AsyncSession, scope: DesaScope) -> list[LevelRecap]:
    """The PPS's own desa: per level, the session and who is registered and present (one query each)."""
    sessions = {
        level: (session_id, starts_at, venue)
        for session_id, level, starts_at, venue in await session.execute(
            select(
                TrainingSession.id, TrainingSession.level, TrainingSession.starts_at, TrainingSession.venue
            ).where(TrainingSession.desa_id == scope.desa_id)
        )
    }
    rows = await session.execute(
        select(
            CascadeMember.name,
            CascadeMember.role,
            CascadeMember.tps,
            Member.telegram_user_id,
            CheckIn.id,
        )
        .join(Member, Member.id == CascadeMember.member_id)
        .outerjoin(
            TrainingSession,
            and_(
                TrainingSession.desa_id == CascadeMember.desa_id, TrainingSession.level == CascadeMember.role
            ),
        )
        .outerjoin(CheckIn, and_(CheckIn.session_id == TrainingSession.id, CheckIn.member_id == Member.id))
        .where(CascadeMember.desa_id == scope.desa_id, CascadeMember.active.is_(True))
        .order_by(CascadeMember.role, CascadeMember.tps, CascadeMember.name)
    )
    people: dict[CascadeRole, list[Person]] = {role: [] for role in CascadeRole}
    for name, role, tps, telegram_user_id, check_in_id in rows:
        people[role].append(Person(name, role, tps, telegram_user_id is not None, check_in_id is not None))
    recaps = []
    for role in CascadeRole:
        session_id, starts_at, venue = sessions.get(role.value, (None, None, None))
        if session_id is None and not people[role]:
            continue
        recaps.append(LevelRecap(role, session_id, starts_at, venue, people[role]))
    return recaps


async def check_in_by_hand(
    session: AsyncSession,
    *,
    scope: DesaScope,
    coordinator_user_id: int,
    member_phone: str,
    reason: str,
    now: datetime,
) -> CheckedIn:
    """A PPS checks in someone of their own desa's next level whose phone failed; audit-logged.

    MemberNotFound for a phone not on the desa's next-level roster (another desa's people are not found
    either: the PPS sees nothing outside their desa); NoSession when the desa has no session for them."""
    try:
        phone = to_e164(member_phone)
    except InvalidPhoneNumber:
        raise MemberNotFound() from None
    found = (
        await session.execute(
            select(Member, TrainingSession)
            .join(CascadeMember, CascadeMember.member_id == Member.id)
            .outerjoin(
                TrainingSession,
                and_(
                    TrainingSession.desa_id == CascadeMember.desa_id,
                    TrainingSession.level == CascadeMember.role,
                ),
            )
            .where(
                Member.phone == phone,
                Member.active.is_(True),
                CascadeMember.desa_id == scope.desa_id,
                CascadeMember.active.is_(True),
            )
            .order_by(TrainingSession.starts_at)
        )
    ).all()
    if not found:
        raise MemberNotFound()
    with_session = [(m, t) for m, t in found if t is not None]
    if not with_session:
        raise NoSession()
    today = [(m, t) for m, t in with_session if t.starts_at.date() == now.date()]
    member, training = (today or with_session)[0]
    return await record_by_hand(
        session,
        member,
        training,
        now=now,
        coordinator_user_id=coordinator_user_id,
        reason=reason,
        cascade=True,
    )


@dataclass(frozen=True)
class DesaProgress:
    """One desa's cascade: its session (the first of its levels), roster and presence."""

    kecamatan: str
    desa: str
    starts_at: datetime | None
    roster: int
    present: int

    @property
    def scheduled(self) -> bool:
        return self.starts_at is not None


@dataclass(frozen=True)
class CascadeProgress:
    """The cascade within a coordinator's scope, at `now`, against the deadline (if the plan set one)."""

    desa: list[DesaProgress]
    now: datetime
    deadline: datetime | None

    @property
    def scheduled(self) -> int:
        return sum(1 for d in self.desa if d.scheduled)

    @property
    def held(self) -> int:
        return sum(1 for d in self.desa if d.starts_at is not None and d.starts_at <= self.now)

    @property
    def late(self) -> list[DesaProgress]:
        """Desa without a session by the deadline (none scheduled, or scheduled after it)."""
        if self.deadline is None:
            return [d for d in self.desa if not d.scheduled]
        deadline = self.deadline
        return [d for d in self.desa if d.starts_at is None or d.starts_at > deadline]


async def cascade_deadline(session: AsyncSession) -> datetime | None:
    """The due time of the plan's cascade duty (DEADLINE_DUTY_KEY), if it is active."""
    return await session.scalar(
        select(Duty.due_at).where(Duty.plan_key == DEADLINE_DUTY_KEY, Duty.active.is_(True))
    )


async def kecamatan_in_scope(
    session: AsyncSession, scope: CoordinatorScope, written: str
) -> CoordinatorScope:
    """The kecamatan a coordinator names (code or name), as a scope to list; KecamatanNotFound for a name no
    single kecamatan has, OutOfScope for a kecamatan outside theirs (a PPK names only their own)."""
    try:
        index = await load_wilayah_index(session, with_desa=False)
    except WilayahEmpty:
        raise KecamatanNotFound(written.strip()) from None
    found = resolve_kecamatan(index, written)
    if not scope.covers(found.id):
        raise OutOfScope()
    return CoordinatorScope(kecamatan_id=found.id, kecamatan=found.name)


async def cascade_progress(
    session: AsyncSession, scope: CoordinatorScope, *, level: CascadeRole, now: datetime
) -> CascadeProgress:
    """Every desa in the coordinator's scope: its session of that level, its roster and who came."""
    roster = (
        select(CascadeMember.desa_id, func.count(CascadeMember.id).label("n"))
        .where(CascadeMember.active.is_(True), CascadeMember.role == level)
        .group_by(CascadeMember.desa_id)
        .subquery()
    )
    present = (
        select(TrainingSession.desa_id, func.count(CheckIn.id).label("n"))
        .join(CheckIn, CheckIn.session_id == TrainingSession.id)
        .where(TrainingSession.level == level.value)
        .group_by(TrainingSession.desa_id)
        .subquery()
    )
    statement = (
        select(Kecamatan.name, Desa.name, TrainingSession.starts_at, roster.c.n, present.c.n)
        .select_from(Desa)
        .join(Kecamatan, Kecamatan.id == Desa.kecamatan_id)
        .outerjoin(
            TrainingSession, and_(TrainingSession.desa_id == Desa.id, TrainingSession.level == level.value)
        )
        .outerjoin(roster, roster.c.desa_id == Desa.id)
        .outerjoin(present, present.c.desa_id == Desa.id)
        .order_by(Kecamatan.code, Desa.code)
    )
    if scope.kecamatan_id is not None:
        statement = statement.where(Desa.kecamatan_id == scope.kecamatan_id)
    lines = [
        DesaProgress(kecamatan, desa, starts_at, roster_n or 0, present_n or 0)
        for kecamatan, desa, starts_at, roster_n, present_n in await session.execute(statement)
    ]
    return CascadeProgress(lines, now, await cascade_deadline(session))
