"""Duty rules: create duties and their reminders, mark done / undo / snooze, recaps, the overdue digest."""

import dataclasses
import html
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.attendance.exports import CellValue, SheetTable
from bot.broadcasts.audience import Audience, AudienceKind
from bot.broadcasts.compose import Buttons
from bot.core.identity import CoordinatorScope
from bot.texts import LANGUAGES, Safe, render, render_plain
from bot.texts.formatting import date_time, zone_label
from models import (
    AuditLog,
    Broadcast,
    BroadcastStatus,
    Coordinator,
    Desa,
    Duty,
    DutyCompletion,
    DutyStatus,
    Kecamatan,
    Member,
    Position,
    TelegramAccount,
)

# "7d" means 7 days before the due day at this time of day: a reminder at the due time of day (often 23:59)
# would wake people at night.
REMINDER_TIME = time(7, 0)
DEFAULT_ZONE = ZoneInfo("Asia/Jakarta")
SNOOZE = timedelta(days=1)
UNDO_WINDOW = timedelta(minutes=10)
# The overdue digest goes to PPK coordinators at this time on the morning after the due time.
DIGEST_TIME = time(7, 0)
TITLE_MAX = 200
DESCRIPTION_MAX = 1000
LINK_MAX = 400
DUTY_KINDS = (AudienceKind.PPS, AudienceKind.KETUA)
_POSITIONS = {
    AudienceKind.PPS: frozenset({Position.KETUA, Position.ANGGOTA}),
    AudienceKind.KETUA: frozenset({Position.KETUA}),
}

# Callback data of the duty buttons (at most 64 bytes; never trusted: every press is checked again).
CALLBACK_PREFIX = "td:"
DONE, SNOOZE_ACTION, UNDO = "d", "s", "u"
FROM_REMINDER, FROM_LIST = "r", "l"


def callback_data(action: str, duty_id: int, origin: str = FROM_REMINDER) -> str:
    """`td:d:12:r`: the action, the duty and where the button was (a reminder or the /tugas list)."""
    return f"{CALLBACK_PREFIX}{action}:{duty_id}:{origin}"


def parse_callback(data: str) -> tuple[str, int, str] | None:
    """(action, duty id, origin) of a duty button, or None when the data is not one of ours."""
    parts = data.removeprefix(CALLBACK_PREFIX).split(":")
    if len(parts) != 3 or parts[0] not in {DONE, SNOOZE_ACTION, UNDO} or not parts[1].isdigit():
        return None
    if parts[2] not in {FROM_REMINDER, FROM_LIST}:
        return None
    return parts[0], int(parts[1]), parts[2]


# --- Errors ----------------------------------------------------------------------------------------------


class DutyError(Exception):
    """A duty action that cannot be done; subclasses say why."""


class NotYourDuty(DutyError):
    """The duty does not exist, was withdrawn, or is not for this member."""


class AlreadyDone(DutyError):
    """The member (or their desa, for a per-desa duty) has already marked the duty done."""

    def __init__(self, mark: "DoneMark") -> None:
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


class OutOfScope(DutyError):
    """A PPK coordinator addressed another kecamatan."""


# --- Reminder specs ("7d", "1d 18:00", "07:00", "3h", "now") ------------------------------------------------

_SPEC = re.compile(r"(?:(?P<days>\d{1,3})d)?\s*(?:(?P<hour>\d{1,2})[:.](?P<minute>\d{2}))?", re.ASCII)
_HOURS = re.compile(r"(?P<hours>\d{1,3})h", re.ASCII)
NOW_SPEC = "now"


@dataclass(frozen=True)
class ReminderSpec:
    """When to remind, relative to the due time: days before the due day at a time of day (07:00 unless
    given), hours before the due time, or at once ("now", for a duty created in Telegram)."""

    days: int = 0
    at: time | None = None
    hours: int | None = None
    now: bool = False

    @property
    def text(self) -> str:
        """The canonical spelling, as stored on the duty."""
        if self.now:
            return NOW_SPEC
        if self.hours is not None:
            return f"{self.hours}h"
        clock = self.at.strftime("%H:%M") if self.at is not None else None
        if self.days == 0:
            return clock or REMINDER_TIME.strftime("%H:%M")
        return f"{self.days}d {clock}" if clock else f"{self.days}d"

    def moment(self, due_at: datetime, zone: ZoneInfo, now: datetime) -> datetime:
        """When this reminder goes for a duty due at `due_at` (UTC)."""
        if self.now:
            return now
        if self.hours is not None:
            return due_at - timedelta(hours=self.hours)
        day = due_at.astimezone(zone).date() - timedelta(days=self.days)
        return datetime.combine(day, self.at or REMINDER_TIME, tzinfo=zone).astimezone(UTC)


def parse_reminder(text: str) -> ReminderSpec | None:
    """A reminder spec as written in the plan file, or None when it is not one."""
    cleaned = " ".join(text.strip().lower().split())
    if cleaned == NOW_SPEC:
        return ReminderSpec(now=True)
    hours = _HOURS.fullmatch(cleaned)
    if hours:
        value = int(hours["hours"])
        return ReminderSpec(hours=value) if value > 0 else None
    match = _SPEC.fullmatch(cleaned)
    if not cleaned or match is None:
        return None
    at = None
    if match["hour"] is not None:
        hour, minute = int(match["hour"]), int(match["minute"])
        if hour > 23 or minute > 59:
            return None
        at = time(hour, minute)
    return ReminderSpec(days=int(match["days"] or 0), at=at)


DEFAULT_REMINDERS = ("7d", "1d", "07:00")


# --- Plain data ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DutySpec:
    """What a new duty is: from the plan file or the /tugas_baru wizard (times aware, in UTC)."""

    title: str
    due_at: datetime
    kind: AudienceKind = AudienceKind.PPS
    kecamatan_ids: tuple[int, ...] = ()
    completion: DutyCompletion = DutyCompletion.DESA
    reminders: tuple[str, ...] = DEFAULT_REMINDERS
    description: str = ""
    link: str | None = None

    @property
    def audience(self) -> Audience:
        return Audience(kind=self.kind, kecamatan_ids=tuple(sorted(self.kecamatan_ids)))


@dataclass(frozen=True)
class PlannedReminder:
    """One reminder of a duty: its spec, its moment, and whether it will be sent (in the future, before due)."""

    spec: str
    at: datetime
    will_send: bool


@dataclass(frozen=True)
class ScheduledReminder:
    """A reminder broadcast written for the scheduler."""

    broadcast_id: int
    send_at: datetime


@dataclass(frozen=True)
class CreatedDuty:
    """A stored duty and the reminder broadcasts the scheduler must know about."""

    id: int
    title: str
    reminders: tuple[ScheduledReminder, ...]


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


@dataclass(frozen=True)
class KecamatanProgress:
    """Done / total units (desa or members) of one duty in one kecamatan."""

    kecamatan_id: int
    name: str
    done: int
    total: int


@dataclass(frozen=True)
class DutyProgress:
    """One duty's completion within a coordinator's scope, overall and per kecamatan."""

    id: int
    title: str
    due_at: datetime
    completion: DutyCompletion
    kind: AudienceKind
    done: int
    total: int
    kecamatan: tuple[KecamatanProgress, ...]


@dataclass(frozen=True)
class DesaProgress:
    """One desa's state of one duty: members done of members expected, and who has not (per-member)."""

    desa_id: int
    name: str
    done: int
    total: int
    missing: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return self.done >= self.total


@dataclass(frozen=True)
class KecamatanDetail:
    """One duty in one kecamatan: its desa, those not done first."""

    duty: DutyProgress
    kecamatan: KecamatanProgress
    desa: tuple[DesaProgress, ...]

    @property
    def pending(self) -> tuple[DesaProgress, ...]:
        return tuple(d for d in self.desa if not d.complete)


@dataclass(frozen=True)
class DigestDuty:
    """A duty that went overdue, with the desa of one kecamatan that have not done it."""

    title: str
    due_at: datetime
    completion: DutyCompletion
    pending: tuple[DesaProgress, ...]
    total_desa: int


@dataclass(frozen=True)
class Digest:
    """The morning digest for one PPK coordinator: their kecamatan's desa not done, per overdue duty."""

    chat_id: int
    language: str
    kecamatan: str
    duties: tuple[DigestDuty, ...]


# --- Presentation helpers shared by reminders and handlers -----------------------------------------------


def days_left(due_at: datetime, at: datetime, zone: ZoneInfo) -> int:
    """Calendar days from `at` to the due day in the zone (0 = due today, negative = overdue)."""
    return (due_at.astimezone(zone).date() - at.astimezone(zone).date()).days


def due_phrase(language: str, due_at: datetime, at: datetime, zone: ZoneInfo) -> str:
    """'hari ini', 'besok', '7 hari lagi', 'lewat tenggat' — how far the due time is from `at`."""
    if at >= due_at:
        return render(language, "duty.left.overdue")
    days = days_left(due_at, at, zone)
    if days <= 0:
        return render(language, "duty.left.today")
    if days == 1:
        return render(language, "duty.left.tomorrow")
    return render(language, "duty.left.days", days=days)


def reminder_label(language: str, spec_text: str) -> str:
    """'7 hari sebelum', 'Pagi hari tenggat (07.00)', 'Sekarang' — a reminder spec for people."""
    spec = parse_reminder(spec_text)
    if spec is None:
        return spec_text
    if spec.now:
        return render(language, "duty.reminder_label.now")
    if spec.hours is not None:
        return render(language, "duty.reminder_label.hours", hours=spec.hours)
    clock = (spec.at or REMINDER_TIME).strftime("%H.%M" if language == "id" else "%H:%M")
    if spec.days == 0:
        return render(language, "duty.reminder_label.due_day", time=clock)
    if spec.at is None:
        return render(language, "duty.reminder_label.days", days=spec.days)
    return render(language, "duty.reminder_label.days_at", days=spec.days, time=clock)


def _reminder_body(language: str, duty: Duty, at: datetime, zone: ZoneInfo) -> str:
    description = Safe("\n" + html.escape(duty.description, quote=False)) if duty.description else ""
    link = Safe(render(language, "duty.reminder.link", link=duty.link)) if duty.link else ""
    return render(
        language,
        "duty.reminder",
        title=duty.title,
        description=description,
        due=date_time(duty.due_at, language, zone),
        left=due_phrase(language, duty.due_at, at, zone),
        link=link,
        how=Safe(render(language, f"duty.how.{duty.completion.value}")),
    )


def _reminder_buttons(language: str, duty: Duty, at: datetime) -> list[list[dict[str, str]]]:
    row = [
        {"text": render_plain(language, "duty.button.done"), "callback_data": callback_data(DONE, duty.id)}
    ]
    if at + SNOOZE < duty.due_at:
        row.append(
            {
                "text": render_plain(language, "duty.button.snooze"),
                "callback_data": callback_data(SNOOZE_ACTION, duty.id),
            }
        )
    rows = [row]
    if duty.link:
        rows.append([{"text": render_plain(language, "duty.button.link"), "url": duty.link}])
    return rows


# --- Who a duty is for -------------------------------------------------------------------------------------


def _duty_audience(duty: Duty) -> Audience:
    return Audience.from_json(duty.audience)


def _covers(audience: Audience, position: Position, kecamatan_id: int) -> bool:
    positions = _POSITIONS.get(audience.kind, frozenset())
    return position in positions and (not audience.kecamatan_ids or kecamatan_id in audience.kecamatan_ids)


def _scope_covers(audience: Audience, scope: CoordinatorScope) -> bool:
    return (
        scope.kecamatan_id is None
        or not audience.kecamatan_ids
        or scope.kecamatan_id in audience.kecamatan_ids
    )


async def _duty_for_member(session: AsyncSession, duty_id: int, member_id: int) -> tuple[Duty, Member]:
    duty = await session.get(Duty, duty_id)
    member = await session.get(Member, member_id)
    if (
        duty is None
        or member is None
        or not duty.active
        or not member.active
        or not _covers(_duty_audience(duty), member.position, member.kecamatan_id)
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


# --- Creating duties and their reminders -------------------------------------------------------------------


def planned_reminders(
    reminders: Iterable[str], due_at: datetime, *, now: datetime, zone: ZoneInfo
) -> list[PlannedReminder]:
    """Each reminder's moment, in time order; only those after now (or 'now') and before due are sent."""
    planned = []
    for text in reminders:
        spec = parse_reminder(text)
        if spec is None:
            continue
        at = spec.moment(due_at, zone, now)
        planned.append(PlannedReminder(spec.text, at, will_send=(spec.now or at > now) and at < due_at))
    return sorted(planned, key=lambda r: r.at)


def scoped_spec(spec: DutySpec, scope: CoordinatorScope) -> DutySpec:
    """The spec limited to a PPK coordinator's kecamatan (raise OutOfScope for another one)."""
    if scope.kecamatan_id is None:
        return spec
    if spec.kecamatan_ids and set(spec.kecamatan_ids) != {scope.kecamatan_id}:
        raise OutOfScope()
    return dataclasses.replace(spec, kecamatan_ids=(scope.kecamatan_id,))


async def _write_reminder(
    session: AsyncSession,
    duty: Duty,
    send_at: datetime,
    *,
    zone: ZoneInfo,
    language: str,
    member_ids: tuple[int, ...] = (),
) -> ScheduledReminder:
    """A reminder broadcast: rendered now in every language, its audience (who still has the duty open)
    evaluated by the outbox when it fires."""
    audience = _duty_audience(duty)
    bodies = {lang: _reminder_body(lang, duty, send_at, zone) for lang in LANGUAGES}
    buttons: Buttons = {lang: _reminder_buttons(lang, duty, send_at) for lang in LANGUAGES}
    broadcast = Broadcast(
        created_by=duty.created_by,
        creator_chat_id=duty.creator_chat_id,
        body_html=bodies["id"],
        audience=Audience(
            kind=audience.kind, kecamatan_ids=audience.kecamatan_ids, duty_id=duty.id, member_ids=member_ids
        ).to_json(),
        send_at=send_at,
        status=BroadcastStatus.SCHEDULED,
        include_late=False,
        language=language,
        duty_id=duty.id,
        bodies=bodies,
        buttons=buttons,
    )
    session.add(broadcast)
    await session.flush()
    return ScheduledReminder(broadcast.id, send_at)


async def schedule_reminders(
    session: AsyncSession, duty: Duty, *, now: datetime, zone: ZoneInfo, language: str = "id"
) -> list[ScheduledReminder]:
    """Write the duty's reminder broadcasts that are still to come (one per distinct moment)."""
    written: list[ScheduledReminder] = []
    seen: set[datetime] = set()
    for planned in planned_reminders(duty.reminders, duty.due_at, now=now, zone=zone):
        if planned.will_send and planned.at not in seen:
            seen.add(planned.at)
            written.append(await _write_reminder(session, duty, planned.at, zone=zone, language=language))
    return written


async def cancel_reminders(session: AsyncSession, duty_id: int) -> list[int]:
    """Cancel the duty's reminders still waiting (also snoozed members' own); returns their ids."""
    ids = list(
        await session.scalars(
            select(Broadcast.id).where(
                Broadcast.duty_id == duty_id, Broadcast.status == BroadcastStatus.SCHEDULED
            )
        )
    )
    if ids:
        await session.execute(
            update(Broadcast)
            .where(Broadcast.id.in_(ids), Broadcast.status == BroadcastStatus.SCHEDULED)
            .values(status=BroadcastStatus.CANCELLED)
        )
    return ids


async def create_duty(
    session: AsyncSession,
    spec: DutySpec,
    *,
    scope: CoordinatorScope,
    created_by: int | None,
    creator_chat_id: int | None,
    now: datetime,
    zone: ZoneInfo,
    language: str = "id",
    plan_key: str | None = None,
    actor: str | None = None,
) -> CreatedDuty:
    """Store a duty (limited to a PPK coordinator's kecamatan) and write its reminders; no commit."""
    spec = scoped_spec(spec, scope)
    duty = Duty(
        plan_key=plan_key,
        title=spec.title,
        description=spec.description,
        link=spec.link,
        due_at=spec.due_at,
        audience=spec.audience.to_json(),
        completion=spec.completion,
        reminders=list(spec.reminders),
        active=True,
        created_by=created_by,
        creator_chat_id=creator_chat_id,
    )
    session.add(duty)
    await session.flush()
    reminders = await schedule_reminders(session, duty, now=now, zone=zone, language=language)
    session.add(
        AuditLog(
            actor=actor or (f"tg:{created_by}" if created_by else "plan"),
            action="duty.create",
            detail={
                "duty_id": duty.id,
                "title": duty.title,
                "due_at": duty.due_at.isoformat(),
                "audience": duty.audience,
                "completion": duty.completion.value,
                "reminders": [r.broadcast_id for r in reminders],
            },
        )
    )
    return CreatedDuty(duty.id, duty.title, tuple(reminders))


# --- Members: mark done, undo, snooze, list ----------------------------------------------------------------


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
    session: AsyncSession, duty_id: int, member_id: int, *, now: datetime, zone: ZoneInfo, language: str
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
    reminder = await _write_reminder(
        session, duty, until, zone=zone, language=language, member_ids=(member.id,)
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
        if _covers(_duty_audience(d), member.position, member.kecamatan_id)
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


# --- Coordinators: completion per kecamatan and desa ------------------------------------------------------


@dataclass(frozen=True)
class _Unit:
    kecamatan_id: int
    desa_id: int
    member_id: int
    name: str
    done_at: datetime | None


async def _audience_rows(
    session: AsyncSession, duty: Duty, kecamatan_ids: Sequence[int] | None
) -> list[_Unit]:
    """Every active member the duty is for (within the kecamatan given), with their own done time."""
    audience = _duty_audience(duty)
    query = (
        select(Member.kecamatan_id, Member.desa_id, Member.id, Member.name, DutyStatus.done_at)
        .outerjoin(DutyStatus, (DutyStatus.member_id == Member.id) & (DutyStatus.duty_id == duty.id))
        .where(
            Member.active.is_(True),
            Member.desa_id.is_not(None),
            Member.position.in_(list(_POSITIONS.get(audience.kind, frozenset()))),
        )
    )
    if audience.kecamatan_ids:
        query = query.where(Member.kecamatan_id.in_(audience.kecamatan_ids))
    if kecamatan_ids is not None:
        query = query.where(Member.kecamatan_id.in_(list(kecamatan_ids)))
    rows = await session.execute(query)
    return [_Unit(k, d, m, n, done_at) for k, d, m, n, done_at in rows if d is not None]


def _desa_progress(duty: Duty, units: Sequence[_Unit], desa_names: dict[int, str]) -> dict[int, DesaProgress]:
    by_desa: dict[int, list[_Unit]] = defaultdict(list)
    for unit in units:
        by_desa[unit.desa_id].append(unit)
    progress = {}
    for desa_id, members in by_desa.items():
        if duty.completion is DutyCompletion.DESA:
            done = 1 if any(m.done_at for m in members) else 0
            total = 1
            missing: tuple[str, ...] = ()
        else:
            done = sum(1 for m in members if m.done_at)
            total = len(members)
            missing = tuple(sorted(m.name for m in members if not m.done_at))
        progress[desa_id] = DesaProgress(desa_id, desa_names.get(desa_id, str(desa_id)), done, total, missing)
    return progress


async def _names(session: AsyncSession) -> tuple[dict[int, str], dict[int, str]]:
    kecamatan = dict((await session.execute(select(Kecamatan.id, Kecamatan.name))).tuples().all())
    desa = dict((await session.execute(select(Desa.id, Desa.name))).tuples().all())
    return kecamatan, desa


def _progress(
    duty: Duty, units: Sequence[_Unit], kecamatan_names: dict[int, str], desa_names: dict[int, str]
) -> tuple[DutyProgress, dict[int, dict[int, DesaProgress]]]:
    per_kecamatan: dict[int, list[_Unit]] = defaultdict(list)
    for unit in units:
        per_kecamatan[unit.kecamatan_id].append(unit)
    lines = []
    details = {}
    for kecamatan_id, members in per_kecamatan.items():
        desa = _desa_progress(duty, members, desa_names)
        details[kecamatan_id] = desa
        if duty.completion is DutyCompletion.DESA:
            done, total = sum(d.done for d in desa.values()), len(desa)
        else:
            done, total = sum(d.done for d in desa.values()), sum(d.total for d in desa.values())
        lines.append(KecamatanProgress(kecamatan_id, kecamatan_names.get(kecamatan_id, "?"), done, total))
    lines.sort(key=lambda line: line.name)
    audience = _duty_audience(duty)
    progress = DutyProgress(
        duty.id,
        duty.title,
        duty.due_at,
        duty.completion,
        audience.kind,
        sum(line.done for line in lines),
        sum(line.total for line in lines),
        tuple(lines),
    )
    return progress, details


async def _scope_duties(session: AsyncSession, scope: CoordinatorScope) -> list[Duty]:
    duties = await session.scalars(select(Duty).where(Duty.active.is_(True)).order_by(Duty.due_at, Duty.id))
    return [d for d in duties if _scope_covers(_duty_audience(d), scope)]


def _scope_ids(scope: CoordinatorScope) -> list[int] | None:
    return None if scope.kecamatan_id is None else [scope.kecamatan_id]


async def duty_recap(session: AsyncSession, scope: CoordinatorScope) -> list[DutyProgress]:
    """Per active duty within the scope: done / total (desa or members) overall and per kecamatan."""
    kecamatan_names, desa_names = await _names(session)
    recap = []
    for duty in await _scope_duties(session, scope):
        units = await _audience_rows(session, duty, _scope_ids(scope))
        recap.append(_progress(duty, units, kecamatan_names, desa_names)[0])
    return recap


async def kecamatan_detail(
    session: AsyncSession, duty_id: int, kecamatan_id: int, scope: CoordinatorScope
) -> KecamatanDetail | None:
    """One duty in one kecamatan (checked against the scope): each desa, not done first. None if unknown."""
    if not scope.covers(kecamatan_id):
        raise OutOfScope()
    duty = await session.get(Duty, duty_id)
    if duty is None or not duty.active or not _scope_covers(_duty_audience(duty), scope):
        return None
    kecamatan_names, desa_names = await _names(session)
    units = await _audience_rows(session, duty, [kecamatan_id])
    progress, details = _progress(duty, units, kecamatan_names, desa_names)
    if not progress.kecamatan:
        return None
    desa = sorted(details[kecamatan_id].values(), key=lambda d: (d.complete, d.name))
    return KecamatanDetail(progress, progress.kecamatan[0], tuple(desa))


async def duty_progress(session: AsyncSession, duty_id: int, scope: CoordinatorScope) -> DutyProgress | None:
    """One duty's completion within the scope, or None when it is unknown, withdrawn or out of scope."""
    duty = await session.get(Duty, duty_id)
    if duty is None or not duty.active or not _scope_covers(_duty_audience(duty), scope):
        return None
    kecamatan_names, desa_names = await _names(session)
    units = await _audience_rows(session, duty, _scope_ids(scope))
    return _progress(duty, units, kecamatan_names, desa_names)[0]


# --- The overdue digest -----------------------------------------------------------------------------------


def digest_cutoff(now: datetime, zone: ZoneInfo) -> datetime:
    """The latest digest time (07:00 in the zone) at or before now."""
    local = now.astimezone(zone)
    today = datetime.combine(local.date(), DIGEST_TIME, tzinfo=zone)
    return (today if local >= today else today - timedelta(days=1)).astimezone(UTC)


async def claim_overdue_digests(session: AsyncSession, *, now: datetime, zone: ZoneInfo) -> list[Digest]:
    """Duties that went overdue before this morning's digest time (and after yesterday's) are marked
    digested, once; returns for every PPK coordinator of their kecamatan the desa not done."""
    cutoff = digest_cutoff(now, zone)
    duties = list(
        await session.scalars(
            select(Duty)
            .where(
                Duty.active.is_(True),
                Duty.digest_sent_at.is_(None),
                Duty.due_at <= cutoff,
                Duty.due_at > cutoff - timedelta(days=1),
            )
            .order_by(Duty.due_at, Duty.id)
        )
    )
    if not duties:
        return []
    claimed = await session.execute(
        update(Duty)
        .where(Duty.id.in_([d.id for d in duties]), Duty.digest_sent_at.is_(None))
        .values(digest_sent_at=now)
    )
    if claimed.rowcount != len(duties):  # type: ignore[attr-defined]
        return []  # another process is sending this digest
    kecamatan_names, desa_names = await _names(session)
    pending: dict[int, list[DigestDuty]] = defaultdict(list)
    for duty in duties:
        progress, details = _progress(
            duty, await _audience_rows(session, duty, None), kecamatan_names, desa_names
        )
        for line in progress.kecamatan:
            desa = details[line.kecamatan_id]
            open_desa = tuple(sorted((d for d in desa.values() if not d.complete), key=lambda d: d.name))
            if open_desa:
                pending[line.kecamatan_id].append(
                    DigestDuty(duty.title, duty.due_at, duty.completion, open_desa, len(desa))
                )
    if not pending:
        return []
    rows = await session.execute(
        select(Coordinator.kecamatan_id, Coordinator.telegram_user_id, TelegramAccount.language)
        .join(TelegramAccount, TelegramAccount.id == Coordinator.telegram_user_id)
        .where(Coordinator.kecamatan_id.in_(list(pending)), TelegramAccount.reachable.is_(True))
        .order_by(Coordinator.kecamatan_id, Coordinator.id)
    )
    return [
        Digest(
            chat_id, language or "id", kecamatan_names.get(kecamatan_id, "?"), tuple(pending[kecamatan_id])
        )
        for kecamatan_id, chat_id, language in rows
        if kecamatan_id is not None and chat_id is not None
    ]


# --- The duties sheet of the XLSX export ------------------------------------------------------------------


async def duties_sheet(
    session: AsyncSession,
    scope: CoordinatorScope,
    *,
    language: str = "id",
    zone: ZoneInfo = DEFAULT_ZONE,
) -> SheetTable:
    """The duties sheet for /ekspor: per duty, one row per desa (per-desa duties) or per member (per-member
    duties) within the scope, with who marked it done and when."""
    kecamatan_names, desa_names = await _names(session)
    label = zone_label(zone, datetime.now(UTC))
    header = (
        render_plain(language, "duty.col.duty"),
        render_plain(language, "duty.col.due", zone=label),
        render_plain(language, "duty.col.kecamatan"),
        render_plain(language, "duty.col.desa"),
        render_plain(language, "duty.col.member"),
        render_plain(language, "duty.col.status"),
        render_plain(language, "duty.col.by"),
        render_plain(language, "duty.col.at", zone=label),
    )
    done_text = render_plain(language, "duty.status.done")
    open_text = render_plain(language, "duty.status.open")
    rows: list[tuple[CellValue, ...]] = []
    for duty in await _scope_duties(session, scope):
        units = await _audience_rows(session, duty, _scope_ids(scope))
        ordered = sorted(
            units,
            key=lambda u: (kecamatan_names.get(u.kecamatan_id, ""), desa_names.get(u.desa_id, ""), u.name),
        )
        if duty.completion is DutyCompletion.DESA:
            first_mark: dict[int, _Unit] = {}
            for unit in sorted((u for u in units if u.done_at), key=lambda u: u.done_at or duty.due_at):
                first_mark.setdefault(unit.desa_id, unit)
            seen: set[int] = set()
            for unit in ordered:
                if unit.desa_id in seen:
                    continue
                seen.add(unit.desa_id)
                mark = first_mark.get(unit.desa_id)
                rows.append(
                    (
                        duty.title,
                        duty.due_at,
                        kecamatan_names.get(unit.kecamatan_id, ""),
                        desa_names.get(unit.desa_id, ""),
                        None,
                        done_text if mark else open_text,
                        mark.name if mark else None,
                        mark.done_at if mark else None,
                    )
                )
        else:
            for unit in ordered:
                rows.append(
                    (
                        duty.title,
                        duty.due_at,
                        kecamatan_names.get(unit.kecamatan_id, ""),
                        desa_names.get(unit.desa_id, ""),
                        unit.name,
                        done_text if unit.done_at else open_text,
                        unit.name if unit.done_at else None,
                        unit.done_at,
                    )
                )
    return SheetTable(title=render_plain(language, "duty.sheet.title"), header=header, rows=tuple(rows))


async def audience_size(session: AsyncSession, kind: AudienceKind, kecamatan_ids: Sequence[int]) -> int:
    """How many active members a duty for this audience concerns (registered or not)."""
    query = (
        select(func.count())
        .select_from(Member)
        .where(Member.active.is_(True), Member.position.in_(list(_POSITIONS.get(kind, frozenset()))))
    )
    if kecamatan_ids:
        query = query.where(Member.kecamatan_id.in_(list(kecamatan_ids)))
    return await session.scalar(query) or 0
