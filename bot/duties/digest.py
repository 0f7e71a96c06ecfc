"""The overdue digest: the morning after a duty's due time, each PPK hears which desa of theirs have not done it."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.duties.progress import DesaProgress, audience_units, progress_of, region_names
from models import Coordinator, Duty, DutyCompletion, TelegramAccount

# The overdue digest goes to PPK coordinators at this time on the morning after the due time.
DIGEST_TIME = time(7, 0)


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
    names = await region_names(session)
    pending: dict[int, list[DigestDuty]] = defaultdict(list)
    for duty in duties:
        progress, details = progress_of(duty, await audience_units(session, duty, None), names)
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
            chat_id, language or "id", names.kecamatan.get(kecamatan_id, "?"), tuple(pending[kecamatan_id])
        )
        for kecamatan_id, chat_id, language in rows
        if kecamatan_id is not None and chat_id is not None
    ]
