"""Retention: personal details older than `[privacy] retain_days` are purged once the plan is that long over.

What goes: delivery records (who received which message), the texts of finished announcements, audit entries
and refused registration attempts, older than the cutoff; and the delivery records a deleted account left in
flight. What stays: the roster and the attendance (KPU's official record), duties and their marks. Locations
are never stored (a check-in keeps only its distance), so there are none to purge.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Delete, Update, delete, func, null, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.db import SessionFactory
from models import (
    AuditLog,
    Broadcast,
    BroadcastStatus,
    Delivery,
    DeliveryStatus,
    Duty,
    Member,
    RegistrationAttempt,
    TrainingSession,
)

# What a purged announcement's text becomes (its row stays: counts, times and the plan's keys need it).
PURGED_TEXT = ""
_FINISHED = (BroadcastStatus.DONE, BroadcastStatus.CANCELLED, BroadcastStatus.MISSED, BroadcastStatus.FAILED)
_OPEN_DELIVERY = (DeliveryStatus.PENDING, DeliveryStatus.SENDING)


@dataclass(frozen=True)
class PurgeReport:
    """What a purge deleted (or, with dry_run, would delete), per kind; `cutoff` None = nothing is due yet."""

    plan_end: datetime | None
    cutoff: datetime | None
    kept_until: datetime | None
    deliveries: int = 0
    deleted_account_deliveries: int = 0
    messages: int = 0
    audit_entries: int = 0
    registration_attempts: int = 0
    dry_run: bool = False

    @property
    def total(self) -> int:
        return (
            self.deliveries
            + self.deleted_account_deliveries
            + self.messages
            + self.audit_entries
            + self.registration_attempts
        )


async def plan_last_date(session: AsyncSession) -> datetime | None:
    """The plan's last date: the latest session end, active duty due date or program message."""
    candidates = [
        await session.scalar(select(func.max(TrainingSession.ends_at))),
        await session.scalar(select(func.max(Duty.due_at)).where(Duty.active.is_(True))),
        await session.scalar(select(func.max(Broadcast.send_at)).where(Broadcast.program_key.is_not(None))),
    ]
    found = [moment for moment in candidates if moment is not None]
    return max(found) if found else None


def retention_cutoff(
    now: datetime, retain_days: int, plan_end: datetime | None
) -> tuple[datetime | None, datetime | None]:
    """(cutoff, kept_until): records older than cutoff go; before plan_end + retain_days nothing goes."""
    keep = timedelta(days=retain_days)
    if plan_end is not None and now < plan_end + keep:
        return None, plan_end + keep
    return now - keep, None


async def _apply(
    session: AsyncSession,
    model: type,
    where: list[ColumnElement[bool]],
    change: Delete | Update,
    dry_run: bool,
) -> int:
    count = await session.scalar(select(func.count()).select_from(model).where(*where)) or 0
    if count and not dry_run:
        await session.execute(change.where(*where))
    return int(count)


async def purge(session: AsyncSession, *, now: datetime, retain_days: int, dry_run: bool) -> PurgeReport:
    """Delete what the retention allows (nothing with dry_run) and say how much of each kind; no commit."""
    plan_end = await plan_last_date(session)
    cutoff, kept_until = retention_cutoff(now, retain_days, plan_end)
    # Whatever the retention, a deleted account's last deliveries (in flight during /hapus) go now.
    deleted_account = select(Member.id).where(
        Member.account_deleted_at.is_not(None), Member.telegram_user_id.is_(None)
    )
    leftovers = await _apply(
        session,
        Delivery,
        [Delivery.member_id.in_(deleted_account), Delivery.status.not_in(_OPEN_DELIVERY)],
        delete(Delivery),
        dry_run,
    )
    if cutoff is None:
        return PurgeReport(
            plan_end=plan_end,
            cutoff=None,
            kept_until=kept_until,
            deleted_account_deliveries=leftovers,
            dry_run=dry_run,
        )
    deliveries = await _apply(
        session,
        Delivery,
        [
            Delivery.updated_at < cutoff,
            Delivery.status.not_in(_OPEN_DELIVERY),
            Delivery.member_id.not_in(deleted_account),
        ],
        delete(Delivery),
        dry_run,
    )
    messages = await _apply(
        session,
        Broadcast,
        [
            Broadcast.status.in_(_FINISHED),
            func.coalesce(Broadcast.finished_at, Broadcast.send_at) < cutoff,
            Broadcast.body_html != PURGED_TEXT,
        ],
        update(Broadcast).values(
            body_html=PURGED_TEXT,
            bodies=null(),
            buttons=null(),
            media_kind=None,
            media_file_id=None,
            error=None,
        ),
        dry_run,
    )
    audit = await _apply(session, AuditLog, [AuditLog.at < cutoff], delete(AuditLog), dry_run)
    attempts = await _apply(
        session,
        RegistrationAttempt,
        [RegistrationAttempt.created_at < cutoff],
        delete(RegistrationAttempt),
        dry_run,
    )
    await session.flush()
    return PurgeReport(
        plan_end=plan_end,
        cutoff=cutoff,
        kept_until=None,
        deliveries=deliveries,
        deleted_account_deliveries=leftovers,
        messages=messages,
        audit_entries=audit,
        registration_attempts=attempts,
        dry_run=dry_run,
    )


async def run_purge(
    factory: SessionFactory, *, retain_days: int, dry_run: bool, now: datetime
) -> PurgeReport:
    """One purge in its own transaction (the command line, start-up); a dry run rolls back, changing nothing."""
    async with factory() as session:
        transaction = await session.begin()
        try:
            report = await purge(session, now=now, retain_days=retain_days, dry_run=dry_run)
        except BaseException:
            await transaction.rollback()
            raise
        if dry_run:
            await transaction.rollback()
        else:
            await transaction.commit()
    return report
