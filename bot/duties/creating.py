"""Creating duties and writing their reminder broadcasts (the words and buttons come from an injected composer)."""

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.broadcasts.audience import Audience, AudienceKind
from bot.broadcasts.compose import Buttons
from bot.core.scope import CoordinatorScope
from bot.duties.audience import duty_audience
from bot.duties.reminder_specs import DEFAULT_REMINDERS, planned_reminders
from models import AuditLog, Broadcast, BroadcastStatus, Duty, DutyCompletion

TITLE_MAX = 200
DESCRIPTION_MAX = 1000
LINK_MAX = 400


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
class ReminderFacts:
    """What a reminder of a duty says, as plain values for the composer."""

    duty_id: int
    title: str
    description: str
    link: str | None
    due_at: datetime
    completion: DutyCompletion


@dataclass(frozen=True)
class ReminderMessage:
    """A reminder as stored for the outbox: the body in the default language, every language's body and
    inline buttons (plain data)."""

    body_html: str
    bodies: dict[str, str]
    buttons: Buttons


# Words and buttons of a reminder sent at `send_at` (the Telegram side owns texts and the callback format).
ReminderComposer = Callable[[ReminderFacts, datetime, ZoneInfo], ReminderMessage]


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


def scoped_spec(spec: DutySpec, scope: CoordinatorScope) -> DutySpec:
    """The spec limited to a PPK coordinator's kecamatan (raise OutOfScope for another one)."""
    return dataclasses.replace(spec, kecamatan_ids=scope.narrow(spec.kecamatan_ids))


def reminder_facts(duty: Duty) -> ReminderFacts:
    """The plain values a reminder of this duty is composed from."""
    return ReminderFacts(duty.id, duty.title, duty.description, duty.link, duty.due_at, duty.completion)


async def write_reminder(
    session: AsyncSession,
    duty: Duty,
    send_at: datetime,
    *,
    compose: ReminderComposer,
    zone: ZoneInfo,
    language: str,
    member_ids: tuple[int, ...] = (),
) -> ScheduledReminder:
    """A reminder broadcast: composed now in every language, its audience (who still has the duty open)
    evaluated by the outbox when it fires."""
    audience = duty_audience(duty)
    message = compose(reminder_facts(duty), send_at, zone)
    broadcast = Broadcast(
        created_by=duty.created_by,
        creator_chat_id=duty.creator_chat_id,
        body_html=message.body_html,
        audience=Audience(
            kind=audience.kind, kecamatan_ids=audience.kecamatan_ids, duty_id=duty.id, member_ids=member_ids
        ).to_json(),
        send_at=send_at,
        status=BroadcastStatus.SCHEDULED,
        include_late=False,
        language=language,
        duty_id=duty.id,
        bodies=message.bodies,
        buttons=message.buttons,
    )
    session.add(broadcast)
    await session.flush()
    return ScheduledReminder(broadcast.id, send_at)


async def schedule_reminders(
    session: AsyncSession,
    duty: Duty,
    *,
    compose: ReminderComposer,
    now: datetime,
    zone: ZoneInfo,
    language: str = "id",
) -> list[ScheduledReminder]:
    """Write the duty's reminder broadcasts that are still to come (one per distinct moment)."""
    written: list[ScheduledReminder] = []
    seen: set[datetime] = set()
    for planned in planned_reminders(duty.reminders, duty.due_at, now=now, zone=zone):
        if planned.will_send and planned.at not in seen:
            seen.add(planned.at)
            written.append(
                await write_reminder(session, duty, planned.at, compose=compose, zone=zone, language=language)
            )
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
    compose: ReminderComposer,
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
    reminders = await schedule_reminders(
        session, duty, compose=compose, now=now, zone=zone, language=language
    )
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
