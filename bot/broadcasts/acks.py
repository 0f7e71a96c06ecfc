"""'Sudah dibaca': ask recipients to acknowledge an announcement, record it once, remind, and count who has.

An acknowledgement is the time on the recipient's own delivery row (Delivery.acknowledged_at), so it is
one per member and broadcast by the delivery's unique constraint, and "who received it and has not read it"
is one query. The reminder to those who have not is an ordinary scheduled broadcast (ack_reminder_of points
back, its audience selects `unacknowledged_of`), so the scheduler persists, reconciles and fires it once
like any other, and the outbox sends it at the bulk rate.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, case, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.broadcasts.audience import Audience, AudienceKind
from bot.broadcasts.compose import Buttons, first_line
from bot.core.scope import CoordinatorScope, OutOfScope
from models import AuditLog, Broadcast, BroadcastStatus, Delivery, DeliveryStatus, Desa, Kecamatan, Member

# The delays a coordinator can choose for the reminder, in hours (0: no reminder).
REMINDER_HOURS = (0, 1, 3, 24)
DEFAULT_REMINDER_HOURS = 3
# How far back /rekap looks for the latest announcement that asked for acknowledgement.
LATEST_LOOKBACK = 50


class NotAcknowledgeable(Exception):
    """No such broadcast, or it did not ask for acknowledgement (a forged or outdated button)."""


class NotARecipient(Exception):
    """The person pressing did not receive this broadcast (a forwarded or forged button)."""


@dataclass(frozen=True)
class AckWording:
    """The words of an acknowledged announcement, composed by the Telegram side: the button under it (per
    language) and the reminder's text (the default language's, and every language's)."""

    buttons: Buttons
    reminder_body_html: str
    reminder_bodies: dict[str, str]


# (broadcast id, the announcement's first line) -> its wording; the callback format is the Telegram side's.
AckComposer = Callable[[int, str], AckWording]


@dataclass(frozen=True)
class Acknowledged:
    """A press of "Sudah dibaca": recorded now (or already before), and the announcement's own message."""

    recorded: bool
    message_id: int | None


@dataclass(frozen=True)
class AckTally:
    """Of those who received it, how many have acknowledged."""

    received: int
    acknowledged: int

    @property
    def ratio(self) -> float | None:
        return self.acknowledged / self.received if self.received else None


@dataclass(frozen=True)
class PlaceAcks:
    """One kecamatan's tally."""

    id: int
    name: str
    tally: AckTally


@dataclass(frozen=True)
class AckOverview:
    """A broadcast's acknowledgements within a coordinator's scope, per kecamatan."""

    broadcast_id: int
    first_line: str
    sent_at: datetime
    total: AckTally
    kecamatan: list[PlaceAcks]


@dataclass(frozen=True)
class DesaAcks:
    """One desa's recipients (desa None: the kecamatan's PPK): who has acknowledged, who has not."""

    desa: str | None
    acknowledged: list[str]
    waiting: list[str]

    @property
    def tally(self) -> AckTally:
        return AckTally(len(self.acknowledged) + len(self.waiting), len(self.acknowledged))


@dataclass(frozen=True)
class KecamatanAcks:
    """A broadcast's acknowledgements in one kecamatan, per desa, with names."""

    broadcast_id: int
    first_line: str
    kecamatan_id: int
    kecamatan: str
    desa: list[DesaAcks]

    @property
    def total(self) -> AckTally:
        tallies = [d.tally for d in self.desa]
        return AckTally(sum(t.received for t in tallies), sum(t.acknowledged for t in tallies))


async def request_acknowledgement(
    session: AsyncSession, broadcast_id: int, *, compose: AckComposer, reminder_at: datetime | None
) -> int | None:
    """Put the "Sudah dibaca" button on a broadcast not yet claimed by the outbox (call it in the transaction
    that stores it) and, with `reminder_at`, write its reminder; returns the reminder's id."""
    broadcast = await session.get(Broadcast, broadcast_id)
    assert broadcast is not None
    wording = compose(broadcast_id, first_line(broadcast.body_html))
    broadcast.ack_requested = True
    broadcast.buttons = wording.buttons
    if reminder_at is None:
        await session.flush()
        return None
    audience = Audience.from_json(broadcast.audience)
    reminder = Broadcast(
        created_by=broadcast.created_by,
        creator_chat_id=broadcast.creator_chat_id,
        body_html=wording.reminder_body_html,
        bodies=wording.reminder_bodies,
        buttons=wording.buttons,
        audience=Audience(
            kind=AudienceKind.ALL, kecamatan_ids=audience.kecamatan_ids, unacknowledged_of=broadcast_id
        ).to_json(),
        send_at=reminder_at,
        status=BroadcastStatus.SCHEDULED,
        include_late=False,
        language=broadcast.language,
        ack_reminder_of=broadcast_id,
    )
    session.add(reminder)
    await session.flush()
    session.add(
        AuditLog(
            actor=f"tg:{broadcast.created_by}" if broadcast.created_by else "plan",
            action="broadcast.ack_reminder",
            detail={"broadcast_id": broadcast_id, "reminder_id": reminder.id, "at": reminder_at.isoformat()},
        )
    )
    return reminder.id


async def acknowledge(
    session: AsyncSession, broadcast_id: int, *, member_id: int, chat_id: int, now: datetime
) -> Acknowledged:
    """Record that this member read the broadcast, once: the presser must be its recipient, in that chat."""
    requested = await session.scalar(select(Broadcast.ack_requested).where(Broadcast.id == broadcast_id))
    if not requested:
        raise NotAcknowledgeable()
    row = (
        await session.execute(
            select(Delivery.id, Delivery.chat_id, Delivery.telegram_message_id).where(
                Delivery.broadcast_id == broadcast_id, Delivery.member_id == member_id
            )
        )
    ).first()
    if row is None or row.chat_id != chat_id:
        raise NotARecipient()
    # The condition decides a double press racing itself: only one update finds it still unset.
    result = await session.execute(
        update(Delivery)
        .where(Delivery.id == row.id, Delivery.acknowledged_at.is_(None))
        .values(acknowledged_at=now)
    )
    return Acknowledged(result.rowcount == 1, row.telegram_message_id)  # type: ignore[attr-defined]


async def _visible(session: AsyncSession, broadcast_id: int, scope: CoordinatorScope) -> Broadcast:
    broadcast = await session.get(Broadcast, broadcast_id)
    if broadcast is None or not broadcast.ack_requested:
        raise NotAcknowledgeable()
    if not scope.sees(Audience.from_json(broadcast.audience).kecamatan_ids):
        raise OutOfScope()
    return broadcast


def _members_of(kecamatan_ids: list[int]) -> ColumnElement[bool]:
    # Written as a list of members, so the database looks up their few deliveries by the (broadcast, member)
    # key instead of reading every delivery of a regency-wide broadcast (150,000 rows on a national scale).
    return Delivery.member_id.in_(select(Member.id).where(Member.kecamatan_id.in_(kecamatan_ids)))


async def ack_rate(session: AsyncSession, broadcast_id: int, scope: CoordinatorScope) -> AckOverview:
    """Received and acknowledged in the scope, as one total (no per-kecamatan lines): /rekap's line."""
    broadcast = await _visible(session, broadcast_id, scope)
    query = select(func.count(), func.count(Delivery.acknowledged_at)).where(
        and_(Delivery.broadcast_id == broadcast_id, _received())  # type: ignore[arg-type]
    )
    only = scope.kecamatan_filter()
    if only is not None:
        query = query.where(_members_of(only))
    received, acknowledged = (await session.execute(query)).one()
    sent_at = broadcast.started_at or broadcast.send_at
    return AckOverview(
        broadcast_id, first_line(broadcast.body_html), sent_at, AckTally(received, acknowledged), []
    )


def _received() -> object:
    # Sent, or acknowledged while its row still waited for a retry's answer (the message had arrived).
    return or_(Delivery.status == DeliveryStatus.SENT, Delivery.acknowledged_at.is_not(None))


async def ack_overview(session: AsyncSession, broadcast_id: int, scope: CoordinatorScope) -> AckOverview:
    """Received and acknowledged per kecamatan, within the scope (a PPK: their own kecamatan only)."""
    broadcast = await _visible(session, broadcast_id, scope)
    query = (
        select(
            Kecamatan.id,
            Kecamatan.name,
            func.count(),
            func.count(case((Delivery.acknowledged_at.is_not(None), 1))),
        )
        .select_from(Delivery)
        .join(Member, Member.id == Delivery.member_id)
        .join(Kecamatan, Kecamatan.id == Member.kecamatan_id)
        .where(and_(Delivery.broadcast_id == broadcast_id, _received()))  # type: ignore[arg-type]
        .group_by(Kecamatan.id, Kecamatan.name)
        .order_by(Kecamatan.name)
    )
    only = scope.kecamatan_filter()
    if only is not None:
        query = query.where(_members_of(only))
    places = [PlaceAcks(k, name, AckTally(n, a)) for k, name, n, a in await session.execute(query)]
    total = AckTally(sum(p.tally.received for p in places), sum(p.tally.acknowledged for p in places))
    sent_at = broadcast.started_at or broadcast.send_at
    return AckOverview(broadcast_id, first_line(broadcast.body_html), sent_at, total, places)


async def kecamatan_acks(
    session: AsyncSession, broadcast_id: int, kecamatan_id: int, scope: CoordinatorScope
) -> KecamatanAcks:
    """Who in one kecamatan has acknowledged and who has not, per desa (the PPK last)."""
    broadcast = await _visible(session, broadcast_id, scope)
    if not scope.covers(kecamatan_id):
        raise OutOfScope()
    kecamatan = await session.get(Kecamatan, kecamatan_id)
    if kecamatan is None:
        raise NotAcknowledgeable()
    rows = await session.execute(
        select(Desa.name, Member.name, Delivery.acknowledged_at)
        .select_from(Delivery)
        .join(Member, Member.id == Delivery.member_id)
        .outerjoin(Desa, Desa.id == Member.desa_id)
        .where(
            and_(Delivery.broadcast_id == broadcast_id, _received()),  # type: ignore[arg-type]
            _members_of([kecamatan_id]),
        )
        .order_by(Desa.name.is_(None), Desa.name, Member.name)
    )
    groups: dict[str | None, tuple[list[str], list[str]]] = {}
    for desa, name, acknowledged_at in rows:
        done, waiting = groups.setdefault(desa, ([], []))
        (done if acknowledged_at is not None else waiting).append(name)
    return KecamatanAcks(
        broadcast_id,
        first_line(broadcast.body_html),
        kecamatan_id,
        kecamatan.name,
        [DesaAcks(desa, done, waiting) for desa, (done, waiting) in groups.items()],
    )


async def latest_acknowledged(session: AsyncSession, scope: CoordinatorScope) -> AckOverview | None:
    """The latest announcement sent with "Sudah dibaca" that the coordinator sees, with its total (ack_rate)."""
    rows = await session.execute(
        select(Broadcast.id, Broadcast.audience)
        .where(
            Broadcast.ack_requested.is_(True),
            Broadcast.status.in_([BroadcastStatus.SENDING, BroadcastStatus.DONE]),
        )
        .order_by(func.coalesce(Broadcast.started_at, Broadcast.send_at).desc(), Broadcast.id.desc())
        .limit(LATEST_LOOKBACK)
    )
    for broadcast_id, audience in rows:
        if scope.sees(Audience.from_json(audience).kecamatan_ids):
            return await ack_rate(session, broadcast_id, scope)
    return None
