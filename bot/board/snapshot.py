"""The board's numbers for one coordinator's scope, as the JSON the page reads (bot/board/README-api.md).

A handful of grouped queries whatever the roster's size: the attendance recap (two), the venues, the
check-in times for the timeline, today's broadcasts with their delivery counts (two), and the open
duties (one, plus one per duty). No ORM object is loaded per member.
"""

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.attendance.recap import DesaDistribution, attendance_recap
from bot.broadcasts.audience import Audience
from bot.broadcasts.compose import first_line
from bot.core.scope import CoordinatorScope
from bot.duties.audience import visible_duties
from bot.duties.progress import desa_done
from models import Broadcast, CheckIn, Delivery, DeliveryStatus, Member, TrainingSession

__all__ = ["BUCKET", "Viewer", "board_snapshot"]

BUCKET = timedelta(minutes=5)
# A day has 288 five-minute buckets; a timeline never holds more.
MAX_BUCKETS = 288
_UNREACHABLE = (DeliveryStatus.BLOCKED, DeliveryStatus.FAILED)


@dataclass(frozen=True)
class Viewer:
    """Who looks at the board: a name to greet and the scope their numbers are cut to."""

    name: str
    scope: CoordinatorScope


def _iso(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).isoformat(timespec="seconds")


def _desa(d: DesaDistribution) -> dict[str, int]:
    return {"3": d.present_3, "2": d.present_2, "1": d.present_1, "0": d.present_0}


def _window(opens_at: datetime, closes_at: datetime, now: datetime) -> str:
    if now < opens_at:
        return "not_yet"
    return "open" if now < closes_at else "closed"


async def _venues(
    session: AsyncSession, scope: CoordinatorScope, now: datetime, zone: ZoneInfo
) -> dict[int, Any]:
    query = select(
        TrainingSession.kecamatan_id,
        TrainingSession.venue,
        TrainingSession.latitude,
        TrainingSession.longitude,
        TrainingSession.checkin_opens_at,
        TrainingSession.checkin_closes_at,
    )
    if scope.kecamatan_id is not None:
        query = query.where(TrainingSession.kecamatan_id == scope.kecamatan_id)
    venues = {}
    for row in await session.execute(query):
        venues[row.kecamatan_id] = {
            "place": row.venue,
            "lat": row.latitude,
            "lon": row.longitude,
            "window": _window(row.checkin_opens_at, row.checkin_closes_at, now),
            "opens_at": _iso(row.checkin_opens_at, zone),
            "closes_at": _iso(row.checkin_closes_at, zone),
        }
    return venues


def _bucket_start(moment: datetime, day_start: datetime) -> datetime:
    return day_start + BUCKET * ((moment - day_start) // BUCKET)


async def _timeline(
    session: AsyncSession, scope: CoordinatorScope, day_start: datetime, now: datetime, zone: ZoneInfo
) -> list[dict[str, Any]]:
    """Check-ins of PPS in scope per five minutes today: from the first window's opening (or the first
    check-in) to now, or to the last window's closing once all are closed (or the last check-in, if later)."""
    day_end = day_start + timedelta(days=1)
    times = (
        select(CheckIn.at)
        .join(Member, Member.id == CheckIn.member_id)
        .where(CheckIn.at >= day_start, CheckIn.at < day_end, Member.active.is_(True))
    )
    windows = select(
        func.min(TrainingSession.checkin_opens_at), func.max(TrainingSession.checkin_closes_at)
    ).where(TrainingSession.checkin_opens_at >= day_start, TrainingSession.checkin_opens_at < day_end)
    if scope.kecamatan_id is not None:
        times = times.where(Member.kecamatan_id == scope.kecamatan_id)
        windows = windows.where(TrainingSession.kecamatan_id == scope.kecamatan_id)
    counts = Counter(_bucket_start(at, day_start) for at in (await session.scalars(times)))
    first_open, last_close = (await session.execute(windows)).one()
    starts = [*counts, *([first_open] if first_open is not None else [])]
    if not starts:
        return []
    first = _bucket_start(min(starts), day_start)
    # A window closing at 09.00 ends with the 08.55 bucket.
    until = min(now, last_close - timedelta(microseconds=1)) if last_close is not None else now
    last = _bucket_start(max([*counts, min(max(until, first), day_end - BUCKET)]), day_start)
    if (last - first) // BUCKET >= MAX_BUCKETS:
        first = last - BUCKET * (MAX_BUCKETS - 1)
    steps = (last - first) // BUCKET + 1
    return [
        {"at": _iso(first + BUCKET * i, zone), "check_ins": counts.get(first + BUCKET * i, 0)}
        for i in range(steps)
    ]


async def _program(
    session: AsyncSession, scope: CoordinatorScope, day_start: datetime, zone: ZoneInfo
) -> list[dict[str, Any]]:
    """Today's announcements in scope (duty reminders aside), with their deliveries counted within the scope."""
    rows = await session.execute(
        select(Broadcast.id, Broadcast.send_at, Broadcast.body_html, Broadcast.status, Broadcast.audience)
        .where(
            Broadcast.send_at >= day_start,
            Broadcast.send_at < day_start + timedelta(days=1),
            Broadcast.duty_id.is_(None),
        )
        .order_by(Broadcast.send_at, Broadcast.id)
    )
    items = [r for r in rows if scope.sees(Audience.from_json(r.audience).kecamatan_ids)]
    if not items:
        return []
    counts_query = (
        select(Delivery.broadcast_id, Delivery.status, func.count())
        .where(Delivery.broadcast_id.in_([r.id for r in items]), Delivery.status != DeliveryStatus.CANCELLED)
        .group_by(Delivery.broadcast_id, Delivery.status)
    )
    if scope.kecamatan_id is not None:
        counts_query = counts_query.join(Member, Member.id == Delivery.member_id).where(
            Member.kecamatan_id == scope.kecamatan_id
        )
    counts: dict[int, Counter[DeliveryStatus]] = {}
    for broadcast_id, status, n in await session.execute(counts_query):
        counts.setdefault(broadcast_id, Counter())[status] += n
    program = []
    for r in items:
        c = counts.get(r.id, Counter())
        program.append(
            {
                "id": r.id,
                "at": _iso(r.send_at, zone),
                "title": first_line(r.body_html, 80),
                "status": r.status.value,
                "sent": c[DeliveryStatus.SENT],
                "total": sum(c.values()),
                "unreachable": sum(c[s] for s in _UNREACHABLE),
            }
        )
    return program


async def _duties(session: AsyncSession, scope: CoordinatorScope, zone: ZoneInfo) -> list[dict[str, Any]]:
    """Open duties in scope: how many desa have done them (a per-member duty: every member of the desa)."""
    result = []
    for duty in await visible_duties(session, scope):
        done, total = await desa_done(session, duty, scope.kecamatan_filter())
        result.append(
            {
                "id": duty.id,
                "title": duty.title,
                "due": _iso(duty.due_at, zone) if duty.due_at is not None else None,
                "done_desa": done,
                "total_desa": total,
            }
        )
    return result


def version_of(board: dict[str, Any]) -> str:
    """A short fingerprint of everything but the generation time: equal boards, equal versions."""
    content = {k: v for k, v in board.items() if k not in ("generated_at", "version")}
    return hashlib.sha256(json.dumps(content, sort_keys=True, separators=(",", ":")).encode()).hexdigest()[
        :16
    ]


async def board_snapshot(
    session: AsyncSession, viewer: Viewer, *, now: datetime, zone: ZoneInfo, tile_url: str = ""
) -> dict[str, Any]:
    """The board as the page reads it, cut to the viewer's scope (a PPK sees their kecamatan only)."""
    scope = viewer.scope
    today = now.astimezone(zone).date()
    day_start = datetime.combine(today, time(0), tzinfo=zone).astimezone(UTC)
    recap = await attendance_recap(session, scope.kecamatan_id)
    venues = await _venues(session, scope, now, zone)
    board: dict[str, Any] = {
        "generated_at": _iso(now, zone),
        "date": today.isoformat(),
        "zone": zone.key,
        "viewer": {
            "name": viewer.name,
            "role": "kpu" if scope.regency_wide else "ppk",
            "kecamatan": scope.kecamatan,
        },
        "totals": {
            "present": recap.pps.present,
            "registered": recap.pps.registered,
            "roster": recap.pps.roster,
        },
        "kecamatan": [
            {
                "code": line.code,
                "name": line.name,
                "present": line.pps.present,
                "registered": line.pps.registered,
                "roster": line.pps.roster,
                "desa_present": _desa(line.desa),
                "venue": venues.get(line.kecamatan_id),
            }
            for line in recap.kecamatan
        ],
        "desa_present": _desa(recap.desa),
        "timeline": await _timeline(session, scope, day_start, now, zone),
        "program": await _program(session, scope, day_start, zone),
        "duties": await _duties(session, scope, zone),
        "tile_url": tile_url,
    }
    board["version"] = version_of(board)
    return board
