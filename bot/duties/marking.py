"""A member and their duties: the /tugas list, marking done, undoing a mistaken tap, snoozing a reminder."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.broadcasts.audience import Audience
from bot.duties.audience import duty_audience, is_for
from bot.duties.creating import ReminderComposer, ScheduledReminder, write_reminder
from bot.duties.reminder_specs import SNOOZE
from models import Broadcast, BroadcastStatus, Duty, DutyCompletion, DutyStatus, Member

UNDO_WINDOW = timedelta(minutes=10)


@dataclass(frozen=True)
class DoneMark:
    """Who marked a duty done and when (for a per-desa duty, possibly a desa mate)."""

    duty_id: int
    title: str
    completion: DutyCompletion
    at: datetime
    member_id: int
    name: str
    by_me: bool


@dataclass(frozen=True)
class Snoozed:
    """A snoozed reminder: the member's own next reminder, and the older ones it replaced."""

    duty_id: int
    title: str
    until: datetime
    reminder: ScheduledReminder
    cancelled: tuple[int, ...]


@dataclass(frozen=True)
class MemberDuty:
    """A duty as one member sees it in /tugas."""

    id: int
    title: str
    description: str
    link: str | None
    due_at: datetime
    completion: DutyCompletion
    done: DoneMark | None

    def can_undo(self, now: datetime) -> bool:
        """Whether this member may still take back their own done mark."""
        return self.done is not None and self.done.by_me and now - self.done.at <= UNDO_WINDOW


class DutyError(Exception):
    """A duty action that cannot be done; subclasses say why."""


class NotYourDuty(DutyError):
    """The duty does not exist, was withdrawn, or is not for this member."""


class AlreadyDone(DutyError):
    """The member (or their desa, for a per-desa duty) has already marked the duty done."""

    def __init__(self, mark: DoneMark) -> None:
        super().__init__(mark.duty_id)
        self.mark = mark


class SnoozePastDue(DutyError):
    """Tomorrow is at or after the due time: there is nothing to move the reminder to."""

    def __init__(self, due_at: datetime) -> None:
        super().__init__(due_at)
        self.due_at = due_at


class NothingToUndo(DutyError):
    """The member has no done mark on this duty."""


class UndoExpired(DutyError):
    """The done mark is older than UNDO_WINDOW."""


async def _duty_for_member(session: AsyncSession, duty_id: int, member_id: int) -> tuple[Duty, Member]:
    duty = await session.get(Duty, duty_id)
    member = await session.get(Member, member_id)
    if (
        duty is None
        or member is None
        or not duty.active
        or not member.active
        or not is_for(duty_audience(duty), member.position, member.kecamatan_id)
    ):
        raise NotYourDuty()
    return duty, member


async def _done_marks(session: AsyncSession, duties: Sequence[Duty], member: Member) -> dict[int, DoneMark]:
    """The done mark that counts for this member, per duty: their own, or (per-desa) the earliest of the desa."""
    if not duties:
        return {}
    by_id = {d.id: d for d in duties}
    mates = Member.id == member.id
    if member.desa_id is not None:
        mates = (Member.id == member.id) | (Member.desa_id == member.desa_id)
    rows = await session.execute(
        select(DutyStatus.duty_id, DutyStatus.done_at, Member.id, Member.name)
        .join(Member, Member.id == DutyStatus.member_id)
        .where(DutyStatus.duty_id.in_(list(by_id)), DutyStatus.done_at.is_not(None), mates)
        .order_by(DutyStatus.done_at, DutyStatus.id)
    )
    marks: dict[int, DoneMark] = {}
    for duty_id, done_at, mate_id, name in rows:
        duty = by_id[duty_id]
        # Per member only the own mark counts; per desa the earliest mark of the desa.
        if duty_id in marks or (duty.completion is DutyCompletion.MEMBER and mate_id != member.id):
            continue
        marks[duty_id] = DoneMark(
            duty_id, duty.title, duty.completion, done_at, mate_id, name, by_me=mate_id == member.id
        )
    return marks


async def _status(session: AsyncSession, duty_id: int, member_id: int) -> DutyStatus:
    status = await session.scalar(
        select(DutyStatus).where(DutyStatus.duty_id == duty_id, DutyStatus.member_id == member_id)
    )
    if status is None:
        status = DutyStatus(duty_id=duty_id, member_id=member_id)
        session.add(status)
    return status


async def mark_done(session: AsyncSession, duty_id: int, member_id: int, *, now: datetime) -> DoneMark:
    """Mark the duty done for this member (and so for their desa, per-desa); raise AlreadyDone with the mark
    that already counts, or NotYourDuty."""
    duty, member = await _duty_for_member(session, duty_id, member_id)
    existing = (await _done_marks(session, [duty], member)).get(duty.id)
    if existing is not None:
        raise AlreadyDone(existing)
    status = await _status(session, duty.id, member.id)
    status.done_at = now
    status.snoozed_until = None
    await session.flush()
    return DoneMark(duty.id, duty.title, duty.completion, now, member.id, member.name, by_me=True)


async def undo_done(session: AsyncSession, duty_id: int, member_id: int, *, now: datetime) -> str:
    """Take back this member's own done mark within UNDO_WINDOW; returns the duty's title."""
    duty, member = await _duty_for_member(session, duty_id, member_id)
    status = await session.scalar(
        select(DutyStatus).where(
            DutyStatus.duty_id == duty.id, DutyStatus.member_id == member.id, DutyStatus.done_at.is_not(None)
        )
    )
    if status is None or status.done_at is None:
        raise NothingToUndo()
    if now - status.done_at > UNDO_WINDOW:
        raise UndoExpired()
    status.done_at = None
    await session.flush()
    return duty.title


async def snooze(
    session: AsyncSession,
    duty_id: int,
    member_id: int,
    *,
    now: datetime,
    zone: ZoneInfo,
    language: str,
    compose: ReminderComposer,
) -> Snoozed:
    """Move this member's next reminder to this time tomorrow (their regular reminders skip them until then)."""
    duty, member = await _duty_for_member(session, duty_id, member_id)
    existing = (await _done_marks(session, [duty], member)).get(duty.id)
    if existing is not None:
        raise AlreadyDone(existing)
    until = now + SNOOZE
    if until >= duty.due_at:
        raise SnoozePastDue(duty.due_at)
    status = await _status(session, duty.id, member.id)
    status.snoozed_until = until
    # An earlier snooze of the same member is replaced, not added to.
    replaced = []
    for broadcast in await session.scalars(
        select(Broadcast).where(Broadcast.duty_id == duty.id, Broadcast.status == BroadcastStatus.SCHEDULED)
    ):
        if Audience.from_json(broadcast.audience).member_ids == (member.id,):
            broadcast.status = BroadcastStatus.CANCELLED
            replaced.append(broadcast.id)
    reminder = await write_reminder(
        session, duty, until, compose=compose, zone=zone, language=language, member_ids=(member.id,)
    )
    return Snoozed(duty.id, duty.title, until, reminder, tuple(replaced))


async def member_duties(session: AsyncSession, member_id: int) -> list[MemberDuty]:
    """The active duties for this member, soonest due first, each with the done mark that counts."""
    member = await session.get(Member, member_id)
    if member is None or not member.active:
        return []
    duties = [
        d
        for d in await session.scalars(
            select(Duty).where(Duty.active.is_(True)).order_by(Duty.due_at, Duty.id)
        )
        if is_for(duty_audience(d), member.position, member.kecamatan_id)
    ]
    marks = await _done_marks(session, duties, member)
    return [
        MemberDuty(d.id, d.title, d.description, d.link, d.due_at, d.completion, marks.get(d.id))
        for d in duties
    ]


async def duty_title(session: AsyncSession, duty_id: int) -> str | None:
    """The title of a duty (for messages about it), or None."""
    duty = await session.get(Duty, duty_id)
    return duty.title if duty is not None else None
