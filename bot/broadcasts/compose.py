"""Broadcast rules: compose (placeholders, length), preview, store, start, cancel, and personalise per recipient."""

import html
import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.broadcasts.audience import Audience, AudienceCount, in_audience, recipients, resolve_audience
from bot.core.scope import CoordinatorScope
from bot.core.scope import OutOfScope as OutOfScope  # the one scope rule's refusal, re-exported for callers
from bot.texts.formatting import time_short
from models import (
    AuditLog,
    Broadcast,
    BroadcastStatus,
    Delivery,
    DeliveryStatus,
    Desa,
    Kecamatan,
    Member,
    TelegramAccount,
    TrainingSession,
)

PLACEHOLDERS = ("nama", "desa", "kecamatan", "venue", "alamat", "jam_mulai")
_PLACEHOLDER = re.compile(r"\{([^{}\s]{0,40})\}")
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024


class ComposeError(Exception):
    """The message cannot be sent as written; subclasses say why."""


class UnknownPlaceholders(ComposeError):
    """The text names placeholders the bot does not know."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(names)
        self.names = names


class TooLong(ComposeError):
    """With the longest recipient's values filled in, the text exceeds Telegram's limit."""

    def __init__(self, length: int, limit: int) -> None:
        super().__init__(length)
        self.length = length
        self.limit = limit


class EmptyAudience(ComposeError):
    """Nobody in the audience can receive the message."""


class NotCancellable(Exception):
    """The broadcast is no longer scheduled (already sent, cancelled or missed)."""


# Inline buttons per language, as stored on a broadcast: {"id": [[{"text": …, "callback_data" | "url": …}]]}.
Buttons = dict[str, list[list[dict[str, str]]]]


@dataclass(frozen=True)
class RecipientValues:
    """The values one recipient's placeholders are filled with."""

    member_id: int
    chat_id: int
    language: str
    nama: str
    desa: str
    kecamatan: str
    venue: str
    alamat: str
    jam_mulai: str


@dataclass(frozen=True)
class BroadcastSummary:
    """A broadcast as listed for coordinators."""

    id: int
    status: BroadcastStatus
    send_at: datetime
    first_line: str
    audience: Audience
    program_key: str | None
    # Whether the coordinator it was listed for may cancel it (scope.controls); a PPK sees regency-wide
    # broadcasts but does not control them.
    cancellable: bool = True
    # Cancelling it also cancelled these (its "Sudah dibaca" reminder): their jobs go too.
    also_cancelled: tuple[int, ...] = ()


@dataclass(frozen=True)
class Preview:
    """What the coordinator is shown before sending: the audience cut to their scope, its count, a sample."""

    audience: Audience
    count: AudienceCount
    sample: RecipientValues | None


@dataclass(frozen=True)
class Created:
    """A stored broadcast: its id and its recipients (for one sent now: the delivery rows written)."""

    id: int
    recipients: int


def unknown_placeholders(body_html: str) -> list[str]:
    """Placeholder names in the text that the bot cannot fill."""
    return sorted({name for name in _PLACEHOLDER.findall(body_html) if name not in PLACEHOLDERS})


def personalise(body_html: str, values: RecipientValues) -> str:
    """The message as this recipient reads it: placeholders replaced by their escaped values."""

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in PLACEHOLDERS:
            return match.group(0)
        return html.escape(str(getattr(values, name)), quote=False)

    return _PLACEHOLDER.sub(fill, body_html)


def first_line(body_html: str, limit: int = 60) -> str:
    """The first line of a message without its markup, for lists and timelines."""
    plain = html.unescape(re.sub(r"<[^>]+>", "", body_html)).strip().splitlines()
    line = plain[0] if plain else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def visible_length(text_html: str) -> int:
    """Length Telegram counts: the text after entity parsing (tags removed, entities decoded)."""
    return len(html.unescape(re.sub(r"<[^>]+>", "", text_html)))


async def recipient_values(
    session: AsyncSession, pairs: list[tuple[int, int]], *, zone: ZoneInfo, default_language: str
) -> list[RecipientValues]:
    """Placeholder values for (member id, chat id) pairs, loaded in one query."""
    if not pairs:
        return []
    chat_by_member = dict(pairs)
    desa = aliased(Desa)
    rows = await session.execute(
        select(
            Member.id,
            Member.name,
            desa.name,
            Kecamatan.name,
            TrainingSession.venue,
            TrainingSession.address,
            TrainingSession.starts_at,
            TelegramAccount.language,
        )
        .join(Kecamatan, Kecamatan.id == Member.kecamatan_id)
        .outerjoin(desa, desa.id == Member.desa_id)
        .outerjoin(
            TrainingSession,
            (TrainingSession.kecamatan_id == Member.kecamatan_id) & TrainingSession.desa_id.is_(None),
        )
        .outerjoin(TelegramAccount, TelegramAccount.id == Member.telegram_user_id)
        .where(Member.id.in_(list(chat_by_member)))
    )
    values = []
    # A few sessions serve thousands of members: each start time is formatted once per language (Babel's
    # formatting was 5 % of the CPU per message of a broadcast).
    start_times: dict[tuple[datetime, str], str] = {}
    for member_id, name, desa_name, kecamatan, venue, address, starts_at, language in rows:
        lang = language or default_language
        if starts_at is not None and (starts_at, lang) not in start_times:
            start_times[starts_at, lang] = time_short(starts_at, lang, zone)
        values.append(
            RecipientValues(
                member_id=member_id,
                chat_id=chat_by_member[member_id],
                language=lang,
                nama=name,
                desa=desa_name or "-",
                kecamatan=kecamatan,
                venue=venue or "-",
                alamat=address or "-",
                jam_mulai=start_times[starts_at, lang] if starts_at is not None else "-",
            )
        )
    return values


def narrowed(audience: Audience, scope: CoordinatorScope) -> Audience:
    """The audience cut to the coordinator's scope (scope.narrow); raises OutOfScope for others' kecamatan."""
    return Audience(kind=audience.kind, kecamatan_ids=scope.narrow(audience.kecamatan_ids))


async def preview(
    session: AsyncSession,
    *,
    body_html: str,
    media_kind: str | None,
    audience: Audience,
    now: datetime,
    zone: ZoneInfo,
    default_language: str,
) -> Preview:
    """Refuse a message too long for its longest recipient; return the count and a sample recipient.

    The audience is resolved once and the recipients' values loaded once; placeholders were checked when
    the text arrived (unknown_placeholders) and the scope by `narrowed`."""
    resolved = await resolve_audience(session, audience, now=now, zone=zone)
    limit = CAPTION_LIMIT if media_kind else TEXT_LIMIT
    all_values = await recipient_values(
        session, resolved.recipients, zone=zone, default_language=default_language
    )
    longest = max(
        (visible_length(personalise(body_html, v)) for v in all_values), default=visible_length(body_html)
    )
    if longest > limit:
        raise TooLong(longest, limit)
    return Preview(audience, resolved.count, all_values[0] if all_values else None)


async def create_broadcast(
    session: AsyncSession,
    *,
    body_html: str,
    media_kind: str | None,
    media_file_id: str | None,
    audience: Audience,
    send_at: datetime,
    now: datetime,
    created_by: int | None,
    creator_chat_id: int | None,
    language: str,
    include_late: bool,
    progress: tuple[int, int] | None,
    program_key: str | None = None,
) -> int:
    """Store a scheduled broadcast (its job, or the scheduler's start-up, starts it at send_at)."""
    broadcast = Broadcast(
        created_by=created_by,
        creator_chat_id=creator_chat_id,
        body_html=body_html,
        media_kind=media_kind,
        media_file_id=media_file_id,
        audience=audience.to_json(),
        send_at=send_at,
        status=BroadcastStatus.SCHEDULED,
        include_late=include_late,
        program_key=program_key,
        progress_chat_id=progress[0] if progress else None,
        progress_message_id=progress[1] if progress else None,
        language=language,
    )
    session.add(broadcast)
    await session.flush()
    session.add(
        AuditLog(
            actor=f"tg:{created_by}" if created_by else "plan",
            action="broadcast.create",
            detail={
                "broadcast_id": broadcast.id,
                "send_at": send_at.isoformat(),
                "audience": audience.to_json(),
            },
        )
    )
    return broadcast.id


async def create_sending_broadcast(
    session: AsyncSession,
    *,
    body_html: str,
    media_kind: str | None,
    media_file_id: str | None,
    audience: Audience,
    now: datetime,
    zone: ZoneInfo,
    created_by: int | None,
    creator_chat_id: int | None,
    language: str,
    include_late: bool,
    progress: tuple[int, int] | None,
) -> Created:
    """Store a broadcast sent now: created as sending with its delivery rows, ready for the outbox (no job)."""
    broadcast_id = await create_broadcast(
        session,
        body_html=body_html,
        media_kind=media_kind,
        media_file_id=media_file_id,
        audience=audience,
        send_at=now,
        now=now,
        created_by=created_by,
        creator_chat_id=creator_chat_id,
        language=language,
        include_late=include_late,
        progress=progress,
    )
    count = await start_broadcast(session, broadcast_id, now=now, zone=zone)
    assert count is not None  # created scheduled in this transaction, so it starts
    return Created(broadcast_id, count)


async def start_broadcast(
    session: AsyncSession, broadcast_id: int, *, now: datetime, zone: ZoneInfo
) -> int | None:
    """Scheduled → sending: write one delivery row per recipient, in this transaction. None if not scheduled."""
    claimed = await session.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast_id, Broadcast.status == BroadcastStatus.SCHEDULED)
        .values(status=BroadcastStatus.SENDING, started_at=now)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return None
    broadcast = await session.get(Broadcast, broadcast_id)
    assert broadcast is not None
    pairs = await recipients(session, Audience.from_json(broadcast.audience), now=now, zone=zone)
    if pairs:
        await session.execute(
            insert(Delivery),
            [
                {
                    "broadcast_id": broadcast_id,
                    "member_id": member_id,
                    "chat_id": chat_id,
                    "status": DeliveryStatus.PENDING,
                    "attempts": 0,
                    "next_attempt_at": now,
                    "updated_at": now,
                }
                for member_id, chat_id in pairs
            ],
        )
    return len(pairs)


async def due_broadcasts(session: AsyncSession, now: datetime) -> list[int]:
    """Scheduled broadcasts whose time has come (jobs, start-up; a broadcast sent now never waits here)."""
    rows = await session.scalars(
        select(Broadcast.id)
        .where(Broadcast.status == BroadcastStatus.SCHEDULED, Broadcast.send_at <= now)
        .order_by(Broadcast.send_at, Broadcast.id)
    )
    return list(rows)


async def scheduled_broadcasts(
    session: AsyncSession, scope: CoordinatorScope | None = None
) -> list[BroadcastSummary]:
    """Broadcasts still waiting for their time, soonest first: those the coordinator sees (scope.sees), each
    marked cancellable when they control it (scope.controls). Without a scope: all, cancellable."""
    rows = (
        await session.scalars(
            select(Broadcast)
            .where(Broadcast.status == BroadcastStatus.SCHEDULED)
            .order_by(Broadcast.send_at, Broadcast.id)
        )
    ).all()
    summaries = []
    for row in rows:
        audience = Audience.from_json(row.audience)
        if scope is not None and not scope.sees(audience.kecamatan_ids):
            continue
        summaries.append(
            BroadcastSummary(
                row.id,
                row.status,
                row.send_at,
                first_line(row.body_html),
                audience,
                row.program_key,
                cancellable=scope is None or scope.controls(audience.kecamatan_ids),
            )
        )
    return summaries


async def cancel_broadcast(
    session: AsyncSession, broadcast_id: int, *, scope: CoordinatorScope, actor: int
) -> BroadcastSummary:
    """Cancel a scheduled broadcast the coordinator controls (scope.controls; else OutOfScope)."""
    row = await session.get(Broadcast, broadcast_id)
    if row is None or row.status is not BroadcastStatus.SCHEDULED:
        raise NotCancellable()
    audience = Audience.from_json(row.audience)
    if not scope.controls(audience.kecamatan_ids):
        raise OutOfScope()
    result = await session.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast_id, Broadcast.status == BroadcastStatus.SCHEDULED)
        .values(status=BroadcastStatus.CANCELLED)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise NotCancellable()
    # Its acknowledgement reminder has nothing to remind of any more.
    reminders = tuple(
        await session.scalars(
            select(Broadcast.id).where(
                Broadcast.ack_reminder_of == broadcast_id, Broadcast.status == BroadcastStatus.SCHEDULED
            )
        )
    )
    if reminders:
        await session.execute(
            update(Broadcast).where(Broadcast.id.in_(reminders)).values(status=BroadcastStatus.CANCELLED)
        )
    session.add(
        AuditLog(actor=f"tg:{actor}", action="broadcast.cancel", detail={"broadcast_id": broadcast_id})
    )
    return BroadcastSummary(
        row.id,
        BroadcastStatus.CANCELLED,
        row.send_at,
        first_line(row.body_html),
        audience,
        None,
        also_cancelled=reminders,
    )


async def mark_missed(session: AsyncSession, broadcast_id: int) -> bool:
    """Scheduled → missed (its time passed while the bot was down, beyond the grace period)."""
    result = await session.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast_id, Broadcast.status == BroadcastStatus.SCHEDULED)
        .values(status=BroadcastStatus.MISSED)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


async def deliver_to_late_registrant(
    session: AsyncSession, member_id: int, chat_id: int, *, now: datetime, zone: ZoneInfo
) -> list[int]:
    """Queue the announcements marked 'also for late registrants' that a newly registered member missed."""
    rows = (
        await session.scalars(
            select(Broadcast).where(
                Broadcast.include_late.is_(True),
                Broadcast.status.in_([BroadcastStatus.SENDING, BroadcastStatus.DONE]),
                ~select(Delivery.id)
                .where(Delivery.broadcast_id == Broadcast.id, Delivery.member_id == member_id)
                .exists(),
            )
        )
    ).all()
    queued = []
    for broadcast in rows:
        if await in_audience(session, Audience.from_json(broadcast.audience), member_id, now=now, zone=zone):
            session.add(
                Delivery(
                    broadcast_id=broadcast.id,
                    member_id=member_id,
                    chat_id=chat_id,
                    status=DeliveryStatus.PENDING,
                    attempts=0,
                    next_attempt_at=now,
                )
            )
            broadcast.status = BroadcastStatus.SENDING
            queued.append(broadcast.id)
    await session.flush()
    return queued
