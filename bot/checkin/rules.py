"""Check-in rules: who may check in to which session, when, with which code, from how far away.

The member's own check-in and every refusal live here; the coordinators' side is in bot/checkin/venue.py
(the session behind /qr) and bot/checkin/manual.py (/hadirkan).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from bot.checkin.codes import code_is_valid
from bot.core.geo import distance_m
from bot.plan.views import SessionView, session_view
from models import ROSTER_POSITIONS, CascadeMember, CheckIn, CheckInMethod, Member, TrainingSession
from models.base import utcnow


@dataclass(frozen=True)
class CheckInView:
    """A recorded check-in."""

    member_name: str
    session: SessionView
    at: datetime
    method: CheckInMethod
    distance_m: float | None


@dataclass(frozen=True)
class CheckedIn:
    """The member is checked in; `already` when this attempt found an earlier check-in."""

    check_in: CheckInView
    already: bool


@dataclass(frozen=True)
class NeedsLocation:
    """The code was right; the session has a radius, so the member must now share their location."""

    session: SessionView
    method: CheckInMethod


# How long after a correct code the member may still send the location that completes the check-in.
LOCATION_STEP_TTL = timedelta(minutes=10)


@dataclass(frozen=True)
class PendingLocation:
    """A correct code waiting for the location that completes it (kept in the member's conversation)."""

    session_id: int
    method: CheckInMethod
    since: datetime

    def method_at(self, now: datetime) -> CheckInMethod | None:
        """How the check-in counts if the location arrives now: the code's method, or None once too late."""
        return self.method if now - self.since <= LOCATION_STEP_TTL else None


class CheckInRefused(Exception):
    """A check-in attempt was refused; subclasses say why."""


class NotRegistered(CheckInRefused):
    """The Telegram account is not linked to a roster member."""


class NoSession(CheckInRefused):
    """The member's kecamatan has no training session."""


class NoSessionToday(CheckInRefused):
    """The member's session is on another day."""

    def __init__(self, session: SessionView) -> None:
        super().__init__(session.id)
        self.session = session


class NotYetOpen(CheckInRefused):
    """Check-in has not opened yet."""

    def __init__(self, session: SessionView) -> None:
        super().__init__(session.id)
        self.session = session


class AlreadyClosed(CheckInRefused):
    """Check-in has closed."""

    def __init__(self, session: SessionView) -> None:
        super().__init__(session.id)
        self.session = session


class WrongCode(CheckInRefused):
    """The code is wrong or expired."""


class OtherKecamatanCode(CheckInRefused):
    """The code or QR belongs to another kecamatan's session."""

    def __init__(self, kecamatan: str) -> None:
        super().__init__(kecamatan)
        self.kecamatan = kecamatan


class OtherDesaCode(CheckInRefused):
    """The code or QR belongs to another desa's own session (the cascade)."""

    def __init__(self, desa: str) -> None:
        super().__init__(desa)
        self.desa = desa


class TooFar(CheckInRefused):
    """The shared location is outside the session's radius."""

    def __init__(self, distance: float, radius: int, session: SessionView) -> None:
        super().__init__(distance)
        self.distance = distance
        self.radius = radius
        self.session = session


class ForwardedLocation(CheckInRefused):
    """The location was forwarded: someone at the venue could forward theirs to a friend at home."""


class MemberNotFound(CheckInRefused):
    """A coordinator named a member who is not on the roster (or not in their scope)."""


class OutOfScope(CheckInRefused):
    """A coordinator acted outside their kecamatan."""


async def _registered_member(session: AsyncSession, telegram_user_id: int) -> Member:
    member = await session.scalar(
        select(Member).where(Member.telegram_user_id == telegram_user_id, Member.active.is_(True))
    )
    if member is None:
        raise NotRegistered()
    return member


async def session_of_kecamatan(session: AsyncSession, kecamatan_id: int) -> TrainingSession | None:
    """The KPU's training session of a kecamatan (with its kecamatan loaded), if it has one."""
    return await session.scalar(
        select(TrainingSession)
        .options(joinedload(TrainingSession.kecamatan))
        .where(TrainingSession.kecamatan_id == kecamatan_id, TrainingSession.desa_id.is_(None))
    )


async def sessions_of_member(session: AsyncSession, member: Member) -> list[TrainingSession]:
    """Every session a member may check in to: their kecamatan's (PPS and PPK) and, for each of their
    next-level roles (the cascade), their desa's session of that level."""
    found: list[TrainingSession] = []
    if member.position in ROSTER_POSITIONS:
        own = await session_of_kecamatan(session, member.kecamatan_id)
        if own is not None:
            found.append(own)
    cascade = await session.scalars(
        select(TrainingSession)
        .options(joinedload(TrainingSession.kecamatan), joinedload(TrainingSession.desa))
        .join(
            CascadeMember,
            (CascadeMember.desa_id == TrainingSession.desa_id)
            & (CascadeMember.role == TrainingSession.level),
        )
        .where(CascadeMember.member_id == member.id, CascadeMember.active.is_(True))
        .order_by(TrainingSession.starts_at)
    )
    found.extend(cascade)
    return found


def _pick(
    trainings: list[TrainingSession], now: datetime, zone: ZoneInfo, wanted: int | None = None
) -> TrainingSession:
    """The session an attempt is about: the one asked for (a QR, a matching code), else today's, else the
    next one, else the latest (whose refusal then says when it was)."""
    by_id = {t.id: t for t in trainings}
    if wanted is not None and wanted in by_id:
        return by_id[wanted]
    today = now.astimezone(zone).date()
    for training in trainings:
        if training.starts_at.astimezone(zone).date() == today:
            return training
    upcoming = [t for t in trainings if t.starts_at >= now]
    if upcoming:
        return min(upcoming, key=lambda t: t.starts_at)
    return max(trainings, key=lambda t: t.starts_at)


async def _existing(session: AsyncSession, session_id: int, member_id: int) -> CheckIn | None:
    return await session.scalar(
        select(CheckIn).where(CheckIn.session_id == session_id, CheckIn.member_id == member_id)
    )


def _view(check_in: CheckIn, member: Member, training: TrainingSession) -> CheckInView:
    return CheckInView(
        member_name=member.name,
        session=session_view(training),
        at=check_in.at,
        method=check_in.method,
        distance_m=check_in.distance_m,
    )


async def my_session(
    session: AsyncSession, telegram_user_id: int, *, now: datetime | None = None, zone: ZoneInfo | None = None
) -> tuple[SessionView | None, CheckInView | None]:
    """The registered member's session (today's, else the next) and their check-in to it (for /jadwal)."""
    member = await _registered_member(session, telegram_user_id)
    trainings = await sessions_of_member(session, member)
    if not trainings:
        return None, None
    training = _pick(trainings, now or utcnow(), zone or ZoneInfo("UTC"))
    existing = await _existing(session, training.id, member.id)
    return session_view(training), _view(existing, member, training) if existing is not None else None


def _check_window(training: TrainingSession, now: datetime, zone: ZoneInfo) -> None:
    view = session_view(training)
    if training.starts_at.astimezone(zone).date() != now.astimezone(zone).date():
        raise NoSessionToday(view)
    if now < training.checkin_opens_at:
        raise NotYetOpen(view)
    if now > training.checkin_closes_at:
        raise AlreadyClosed(view)


async def record_check_in(
    session: AsyncSession,
    member: Member,
    training: TrainingSession,
    *,
    now: datetime,
    method: CheckInMethod,
    distance: float | None = None,
    within_radius: bool | None = None,
    recorded_by: int | None = None,
    reason: str | None = None,
) -> CheckedIn:
    row = CheckIn(
        session_id=training.id,
        member_id=member.id,
        at=now,
        method=method,
        distance_m=distance,
        within_radius=within_radius,
        recorded_by=recorded_by,
        reason=reason,
    )
    try:
        # A savepoint, so that losing a race (the same update delivered twice) leaves the
        # caller's transaction usable; the unique constraint is what decides.
        async with session.begin_nested():
            session.add(row)
    except IntegrityError:
        existing = await _existing(session, training.id, member.id)
        assert existing is not None
        return CheckedIn(_view(existing, member, training), already=True)
    return CheckedIn(_view(row, member, training), already=False)


async def _guard(
    session: AsyncSession,
    telegram_user_id: int,
    now: datetime,
    zone: ZoneInfo,
    wanted: Callable[[list[TrainingSession]], int | None] | None = None,
) -> tuple[Member, TrainingSession, CheckedIn | None]:
    member = await _registered_member(session, telegram_user_id)
    trainings = await sessions_of_member(session, member)
    if not trainings:
        raise NoSession()
    training = _pick(trainings, now, zone, wanted(trainings) if wanted is not None else None)
    existing = await _existing(session, training.id, member.id)
    if existing is not None:
        return member, training, CheckedIn(_view(existing, member, training), already=True)
    _check_window(training, now, zone)
    return member, training, None


async def _owner_of_code(
    session: AsyncSession, code: str, *, exclude: int, window_minutes: int, now: datetime
) -> str | None:
    rows = await session.execute(
        select(TrainingSession.secret, TrainingSession.kecamatan_id).where(TrainingSession.id != exclude)
    )
    for secret, kecamatan_id in rows:
        if code_is_valid(secret, window_minutes, now, code):
            training = await session_of_kecamatan(session, kecamatan_id)
            return training.kecamatan.name if training is not None else None
    return None


async def check_in_with_code(
    session: AsyncSession,
    telegram_user_id: int,
    *,
    code: str,
    qr_session_id: int | None,
    now: datetime,
    zone: ZoneInfo,
    window_minutes: int,
) -> CheckedIn | NeedsLocation:
    """Check a member in with the venue's rotating code (typed, or from the QR deep link)."""

    def wanted(trainings: list[TrainingSession]) -> int | None:
        # Someone with two sessions (a PPS who is also a Pantarlih): the QR names one, a typed code fits one.
        if qr_session_id is not None:
            return qr_session_id
        return next((t.id for t in trainings if code_is_valid(t.secret, window_minutes, now, code)), None)

    member, training, already = await _guard(session, telegram_user_id, now, zone, wanted)
    if already is not None:
        return already
    method = CheckInMethod.CODE if qr_session_id is None else CheckInMethod.QR
    if qr_session_id is not None and qr_session_id != training.id:
        other = await session.get(
            TrainingSession,
            qr_session_id,
            options=[joinedload(TrainingSession.kecamatan), joinedload(TrainingSession.desa)],
        )
        if other is None:
            raise WrongCode()
        if other.desa is not None:
            raise OtherDesaCode(other.desa.name)
        raise OtherKecamatanCode(other.kecamatan.name)
    if not code_is_valid(training.secret, window_minutes, now, code):
        owner = await _owner_of_code(
            session, code, exclude=training.id, window_minutes=window_minutes, now=now
        )
        if owner is not None:
            raise OtherKecamatanCode(owner)
        raise WrongCode()
    if training.radius_m:
        return NeedsLocation(session_view(training), method)
    return await record_check_in(session, member, training, now=now, method=method)


async def check_in_with_location(
    session: AsyncSession,
    telegram_user_id: int,
    *,
    latitude: float,
    longitude: float,
    forwarded: bool,
    pending: PendingLocation | None,
    now: datetime,
    zone: ZoneInfo,
) -> CheckedIn | NeedsLocation:
    """Finish a check-in with the member's location (after a code, or on its own when the session has a radius).

    Only a location the member sent themselves counts (ForwardedLocation otherwise). Within
    LOCATION_STEP_TTL of a correct code the check-in counts as that code's (CODE or QR); after that, or
    without a code, as LOCATION. A session without a radius cannot be checked into by location alone: the
    caller asks for the code.
    """
    if forwarded:
        raise ForwardedLocation()
    method = (pending.method_at(now) if pending is not None else None) or CheckInMethod.LOCATION
    member, training, already = await _guard(
        session, telegram_user_id, now, zone, lambda _: pending.session_id if pending is not None else None
    )
    if already is not None:
        return already
    if not training.radius_m:
        return NeedsLocation(session_view(training), CheckInMethod.CODE)
    distance = distance_m(latitude, longitude, training.latitude, training.longitude)
    if distance > training.radius_m:
        raise TooFar(distance, training.radius_m, session_view(training))
    # Only the distance is kept (data minimisation); the member's coordinates are dropped here.
    return await record_check_in(
        session, member, training, now=now, method=method, distance=distance, within_radius=True
    )


async def session_for_location(
    session: AsyncSession, telegram_user_id: int, *, now: datetime | None = None, zone: ZoneInfo | None = None
) -> SessionView | None:
    """The member's session, when it can be checked into by location (it has a radius)."""
    member = await _registered_member(session, telegram_user_id)
    trainings = await sessions_of_member(session, member)
    if not trainings:
        return None
    training = _pick(trainings, now or utcnow(), zone or ZoneInfo("UTC"))
    if not training.radius_m:
        return None
    return session_view(training)
