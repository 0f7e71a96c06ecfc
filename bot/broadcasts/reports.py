"""Broadcast reports: delivery counts, who did not receive it, where progress is shown, whom to tell of a miss."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.broadcasts.compose import first_line
from bot.core.scope import CoordinatorScope
from models import Broadcast, BroadcastStatus, Delivery, DeliveryStatus, Kecamatan, Member


@dataclass(frozen=True)
class DeliveryReport:
    """Counts of a broadcast's deliveries."""

    broadcast_id: int
    total: int
    sent: int
    blocked: int
    failed: int
    pending: int
    cancelled: int
    resent_after_crash: int
    # "Sudah dibaca": whether it asked for acknowledgement, and how many of those it reached have.
    ack_requested: bool = False
    acknowledged: int = 0


async def delivery_report(session: AsyncSession, broadcast_id: int) -> DeliveryReport:
    """Counts per delivery status."""
    rows = await session.execute(
        select(Delivery.status, func.count())
        .where(Delivery.broadcast_id == broadcast_id)
        .group_by(Delivery.status)
    )
    counts = {status: n for status, n in rows}
    broadcast = await session.get(Broadcast, broadcast_id)
    acknowledged = 0
    if broadcast is not None and broadcast.ack_requested:
        acknowledged = (
            await session.scalar(
                select(func.count()).where(
                    Delivery.broadcast_id == broadcast_id, Delivery.acknowledged_at.is_not(None)
                )
            )
        ) or 0
    return DeliveryReport(
        broadcast_id=broadcast_id,
        total=sum(counts.values()),
        sent=counts.get(DeliveryStatus.SENT, 0),
        blocked=counts.get(DeliveryStatus.BLOCKED, 0),
        failed=counts.get(DeliveryStatus.FAILED, 0),
        pending=counts.get(DeliveryStatus.PENDING, 0) + counts.get(DeliveryStatus.SENDING, 0),
        cancelled=counts.get(DeliveryStatus.CANCELLED, 0),
        resent_after_crash=broadcast.resent_after_crash if broadcast is not None else 0,
        ack_requested=broadcast is not None and broadcast.ack_requested,
        acknowledged=acknowledged,
    )


async def undelivered(
    session: AsyncSession, broadcast_id: int, *, scope: CoordinatorScope
) -> list[tuple[str, str, str, DeliveryStatus]]:
    """(kecamatan, name, phone, delivery status) of recipients who did not get the message, within the scope: a PPK
    sees a regency-wide broadcast's list for their own kecamatan only (scope.kecamatan_filter)."""
    query = (
        select(Kecamatan.name, Member.name, Member.phone, Delivery.status)
        .join(Member, Member.id == Delivery.member_id)
        .join(Kecamatan, Kecamatan.id == Member.kecamatan_id)
        .where(
            Delivery.broadcast_id == broadcast_id,
            Delivery.status.in_([DeliveryStatus.BLOCKED, DeliveryStatus.FAILED, DeliveryStatus.CANCELLED]),
        )
        .order_by(Kecamatan.name, Member.name)
    )
    only = scope.kecamatan_filter()
    if only is not None:
        query = query.where(Member.kecamatan_id.in_(only))
    rows = await session.execute(query)
    return [(k, n, p, s) for k, n, p, s in rows]


async def progress_target(
    session: AsyncSession, broadcast_id: int
) -> tuple[int, int, str, BroadcastStatus, str | None] | None:
    """Where a broadcast's progress is shown: (chat, message, language, status, error), if anywhere."""
    row = await session.get(Broadcast, broadcast_id)
    if row is None or row.progress_chat_id is None or row.progress_message_id is None:
        return None
    return row.progress_chat_id, row.progress_message_id, row.language, row.status, row.error


async def missed_notice(
    session: AsyncSession, broadcast_id: int
) -> tuple[int | None, str, datetime, str] | None:
    """Whom to tell about a missed broadcast: (chat or None for the admins, language, time, first line)."""
    row = await session.get(Broadcast, broadcast_id)
    if row is None:
        return None
    return row.creator_chat_id, row.language, row.send_at, first_line(row.body_html)
