"""Projector links (/papan): a secret that shows its maker's board until the end of the day, or until revoked."""

import hashlib
import secrets
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import BoardLink

__all__ = ["LINK_TOKEN_BYTES", "create_link", "link_owner", "revoke_links"]

# 24 random bytes: 32 URL-safe characters, beyond guessing.
LINK_TOKEN_BYTES = 24


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def end_of_day(now: datetime, zone: ZoneInfo) -> datetime:
    """Midnight after `now` in the bot's zone, in UTC: when a link made now stops working."""
    tomorrow = now.astimezone(zone).date() + timedelta(days=1)
    return datetime.combine(tomorrow, time(0), tzinfo=zone).astimezone(UTC)


async def create_link(
    session: AsyncSession,
    telegram_user_id: int,
    *,
    now: datetime,
    zone: ZoneInfo,
    expires_at: datetime | None = None,
) -> tuple[str, datetime]:
    """A new link's secret (shown once, never stored) and when it expires: the end of today, unless given
    (the rehearsal's link lasts its whole plan time)."""
    token = secrets.token_urlsafe(LINK_TOKEN_BYTES)
    expires_at = expires_at or end_of_day(now, zone)
    session.add(BoardLink(token_hash=_hash(token), telegram_user_id=telegram_user_id, expires_at=expires_at))
    await session.flush()
    return token, expires_at


async def revoke_links(session: AsyncSession, telegram_user_id: int, *, now: datetime) -> int:
    """Revoke every working link this person made; how many there were."""
    result = await session.execute(
        update(BoardLink)
        .where(
            BoardLink.telegram_user_id == telegram_user_id,
            BoardLink.revoked_at.is_(None),
            BoardLink.expires_at > now,
        )
        .values(revoked_at=now)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def link_owner(session: AsyncSession, token: str, *, now: datetime) -> int | None:
    """The Telegram user id of who made this working link; None for an unknown, revoked or expired one."""
    if not token or len(token) > 128:
        return None
    return await session.scalar(
        select(BoardLink.telegram_user_id).where(
            BoardLink.token_hash == _hash(token),
            BoardLink.revoked_at.is_(None),
            BoardLink.expires_at > now,
        )
    )
