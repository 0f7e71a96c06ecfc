"""Who claimed a delivery: each process's outbox owns its 'sending' rows while it holds an advisory lock.

On PostgreSQL several processes send from one outbox. A row a process claimed is 'sending' with
``claimed_by`` = the process's key, and the process holds the session-level advisory lock
``(OWNER_LOCK_SPACE, key)`` on a connection of its own for as long as it lives. PostgreSQL releases that lock
when the process dies, however it dies (kill -9 closes its connections), so a live process tells a dead
one's rows from a live one's with ``pg_try_advisory_xact_lock``: it succeeds only for a dead owner. Those
rows go back to pending (counted as ``resent_after_crash``: the dead process may have sent them), so the
others finish the broadcast and duplicates are bounded by what the dead process had in flight. No lease to
tune, no heartbeat to miss: the database's own session tracking decides.
"""

import asyncio
import contextlib
import logging
import secrets
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, create_async_engine
from sqlalchemy.pool import NullPool

from bot.core.clock import Clock
from bot.core.db import SessionFactory
from bot.core.locks import OWNER_LOCK_SPACE, LockLost
from models import Broadcast, BroadcastStatus, Delivery, DeliveryStatus

log = logging.getLogger(__name__)

RESEND_AFTER_SECONDS = 1.0
"""A dead process's rows wait this long before another sends them: it may have sent some a moment before it
died, and Telegram allows about one message a second to one chat (a resend at once would earn a 429)."""
WATCH_SECONDS = 1.0
"""How often a process looks for work other processes queued, and for a dead process's rows."""

_TRY_SESSION_LOCK = text("SELECT pg_try_advisory_lock(:space, :key)")
_TRY_XACT_LOCK = text("SELECT pg_try_advisory_xact_lock(:space, :key)")
_UNLOCK = text("SELECT pg_advisory_unlock(:space, :key)")


class ClaimOwner:
    """This process as the owner of the outbox rows it claims (PostgreSQL only)."""

    def __init__(self, engine: AsyncEngine, factory: SessionFactory, clock: Clock) -> None:
        self._engine = engine
        self._factory = factory
        self._clock = clock
        self._own_engine: AsyncEngine | None = None
        self._connection: AsyncConnection | None = None
        self.key = 0
        self._task: asyncio.Task[None] | None = None
        self.reaped = 0
        """Rows of dead processes this one put back to pending."""

    async def start(self) -> None:
        """Take a free owner key and hold its lock on a connection of our own (never the pool's: a pooled
        connection would keep the lock after we let go of it, and lend it to a session of ours)."""
        self._own_engine = create_async_engine(self._engine.url, poolclass=NullPool)
        connection = await self._own_engine.connect()
        connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
        while True:
            key = secrets.randbelow(2**31 - 1) + 1
            if await connection.scalar(_TRY_SESSION_LOCK, {"space": OWNER_LOCK_SPACE, "key": key}):
                break
        self._connection, self.key = connection, key

    async def stop(self) -> None:
        """Stop watching and release the lock (a planned stop; the outbox has recorded what it could)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._connection is not None:
            connection, self._connection = self._connection, None
            with contextlib.suppress(Exception):
                await connection.scalar(_UNLOCK, {"space": OWNER_LOCK_SPACE, "key": self.key})
            with contextlib.suppress(Exception):
                await connection.close()
        if self._own_engine is not None:
            await self._own_engine.dispose()
            self._own_engine = None

    async def check(self) -> None:
        """Raise LockLost when the connection that holds our lock no longer answers."""
        if self._connection is None:
            raise LockLost("the owner lock is not held")
        try:
            await self._connection.scalar(text("SELECT 1"))
        except Exception as error:
            raise LockLost(
                f"the connection holding the owner lock failed ({type(error).__name__})"
            ) from error

    def watch(self, wake: Callable[[], None], on_lost: Callable[[LockLost], None]) -> None:
        """Every WATCH_SECONDS: check our lock, put back a dead process's rows, and wake the outbox when
        something is due (other processes queue work too: a broadcast started by the update process is found
        by every worker within a second; a wake when nothing is due would cut short the outbox's own wait for
        a retry's moment, for ever with a clock that stands still); on a lost lock call ``on_lost``."""

        async def loop() -> None:
            while True:
                await asyncio.sleep(WATCH_SECONDS)
                try:
                    await self.check()
                except LockLost as error:
                    on_lost(error)
                    return
                try:
                    async with self._factory() as session, session.begin():
                        now = self._clock.now()
                        if await self.reap(session, now) or await _work_due(session, now):
                            wake()
                except Exception as error:  # the database away for a moment: the next round tries again
                    log.warning(
                        "could not look for a stopped process's deliveries (%s)", type(error).__name__
                    )

        self._task = asyncio.create_task(loop(), name="outbox-owner")

    async def reap(self, session: AsyncSession, now: datetime) -> int:
        """Put the rows of dead owners (and unowned 'sending' rows) back to pending; count them as resent.

        Runs in the caller's transaction: the xact locks it takes on dead owners' keys end with it."""
        owners = set(
            await session.scalars(
                select(Delivery.claimed_by).where(Delivery.status == DeliveryStatus.SENDING).distinct()
            )
        )
        dead: list[int] = []
        for key in sorted(k for k in owners if k is not None):
            if key != self.key and await session.scalar(
                _TRY_XACT_LOCK, {"space": OWNER_LOCK_SPACE, "key": key}
            ):
                dead.append(key)
        if not dead and None not in owners:
            return 0
        unowned = Delivery.claimed_by.is_(None)
        whose = unowned | Delivery.claimed_by.in_(bindparam("dead", expanding=True)) if dead else unowned
        rows = (
            await session.execute(
                update(Delivery)
                .where(Delivery.status == DeliveryStatus.SENDING, whose)
                .values(
                    status=DeliveryStatus.PENDING,
                    claimed_by=None,
                    next_attempt_at=now + timedelta(seconds=RESEND_AFTER_SECONDS),
                )
                .returning(Delivery.broadcast_id),
                {"dead": dead} if dead else {},
            )
        ).scalars()
        per_broadcast = Counter(rows)
        for broadcast_id, count in per_broadcast.items():
            await session.execute(
                update(Broadcast)
                .where(Broadcast.id == broadcast_id)
                .values(resent_after_crash=Broadcast.resent_after_crash + count)
            )
        total = sum(per_broadcast.values())
        if total:
            self.reaped += total
            log.warning("recovered %d deliveries left in flight by a stopped process", total)
        return total


async def _work_due(session: AsyncSession, now: datetime) -> bool:
    """Whether a delivery of a sending broadcast is pending and due (an indexed look, one row at most)."""
    due = (
        select(Delivery.id)
        .join(Broadcast, Broadcast.id == Delivery.broadcast_id)
        .where(
            Delivery.status == DeliveryStatus.PENDING,
            Delivery.next_attempt_at <= now,
            Broadcast.status == BroadcastStatus.SENDING,
        )
        .limit(1)
    )
    return await session.scalar(due) is not None
