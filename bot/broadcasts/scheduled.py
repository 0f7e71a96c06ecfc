"""One page of the scheduled broadcasts a coordinator sees (/terjadwal), with each one's recipient count.

The list is the one of compose.scheduled_broadcasts (soonest first, seen and controlled by the one scope
rule); this module cuts it into pages and counts the recipients of the page's broadcasts only, so paging
through 26 broadcasts runs 5 counts, not 26. A PPK's count of a regency-wide broadcast is the count in their
own kecamatan (scope.py: a PPK sees regency-wide items with their own kecamatan's numbers).
"""

from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.broadcasts.audience import count_audience
from bot.broadcasts.compose import BroadcastSummary, scheduled_broadcasts
from bot.core.scope import CoordinatorScope

PAGE_SIZE = 5


@dataclass(frozen=True)
class ScheduledItem:
    """A listed broadcast and how many it reaches (as of now, within the coordinator's scope)."""

    broadcast: BroadcastSummary
    recipients: int


@dataclass(frozen=True)
class ScheduledPage:
    """One page of /terjadwal: its items, its number (from 0), how many pages and broadcasts there are."""

    items: list[ScheduledItem]
    page: int
    pages: int
    total: int


def clamp_page(page: int, total: int, size: int = PAGE_SIZE) -> tuple[int, int]:
    """(page, pages): a page past the end (a forged or outdated button) shows the last one."""
    pages = max(1, -(-total // size))
    return min(max(page, 0), pages - 1), pages


def page_of(broadcast: BroadcastSummary, listed: list[BroadcastSummary], size: int = PAGE_SIZE) -> int:
    """The page where a broadcast is (or, once cancelled, was) listed: its place among the listed ones."""
    before = sum(1 for row in listed if (row.send_at, row.id) < (broadcast.send_at, broadcast.id))
    return before // size


async def scheduled_page(
    session: AsyncSession,
    scope: CoordinatorScope,
    page: int = 0,
    *,
    now: datetime,
    zone: ZoneInfo,
    near: BroadcastSummary | int | None = None,
    size: int = PAGE_SIZE,
) -> ScheduledPage:
    """Page `page` (clamped to the last one) of the scheduled broadcasts the coordinator sees; with `near`
    (a broadcast or its id), the page where that broadcast is or was listed, back where the coordinator was."""
    listed = await scheduled_broadcasts(session, scope)
    if isinstance(near, int):
        near = next((row for row in listed if row.id == near), None)
    if near is not None:
        page = page_of(near, listed, size)
    page, pages = clamp_page(page, len(listed), size)
    items = []
    for row in listed[page * size : (page + 1) * size]:
        audience = row.audience
        if scope.kecamatan_id is not None and not audience.kecamatan_ids:
            audience = replace(audience, kecamatan_ids=(scope.kecamatan_id,))
        count = await count_audience(session, audience, now=now, zone=zone)
        items.append(ScheduledItem(row, count.recipients))
    return ScheduledPage(items, page, pages, len(listed))
