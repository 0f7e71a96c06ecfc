"""Telegram's send budget, shared by every process on one PostgreSQL: send slots reserved in small batches.

Telegram counts messages per bot, not per process: three processes that each keep 29/s would send 87/s
and collect 429s. So the processes share one row, ``send_budget('telegram').next_slot``, the moment of the
next free send slot. A process reserves ``n`` slots with one conditional UPDATE, serialised by the row lock:

    UPDATE send_budget SET next_slot = greatest(next_slot, clock_timestamp()) + n * interval
    WHERE name = 'telegram' RETURNING next_slot, clock_timestamp()

and owns the slots ``end - n*interval, …, end - interval``, spaced ``interval`` (1 / rate) apart on the
database's clock. Every process converts them to its own monotonic clock with the offset read in the same
statement, so clocks that differ between machines do not matter. A batch is about 0.1 s of sends: few
round trips (10 a second per busy process), and a process that dies wastes at most that much budget.

Interactive replies (the update process) debit one slot each after the fact (:meth:`debit`): they go out at
once, and the bulk senders' next reservations move back by one slot, so replies still come first and the
total stays within the budget but for what was already reserved (≤ one batch per process).
"""

import asyncio
import contextlib
import logging
import time
from collections import deque
from datetime import datetime
from typing import Any

from sqlalchemy import text
from telegram.ext import BaseRateLimiter

from bot.core.db import SessionFactory
from bot.runtime.ratelimit import LIMITED_ENDPOINTS

log = logging.getLogger(__name__)

BUDGET_NAME = "telegram"
BATCH_SECONDS = 0.1
"""How much sending time one reservation covers (at least one slot)."""
LATE_SECONDS = 0.01
"""A slot may be used this late (or one interval, if longer); older ones are dropped, not saved up: a process
that fell behind (a busy CPU) must not send a burst. At most rate × this extra in any second."""
HOLD_SECONDS = 0.5
"""With a shared budget a process holds at most this much of the whole rate in claimed rows, so that the
others get their share of a broadcast (and a kill -9 leaves few rows whose fate is unknown)."""

_ENSURE = text(
    "INSERT INTO send_budget (name, next_slot) VALUES (:name, clock_timestamp()) ON CONFLICT (name) DO NOTHING"
)
_RESERVE = text(
    "UPDATE send_budget SET next_slot = greatest(next_slot, clock_timestamp()) + :span * interval '1 second' "
    "WHERE name = :name RETURNING next_slot, clock_timestamp()"
)


class SharedBudget:
    """Waits for this process's next slot of the budget every process on the database shares."""

    def __init__(self, factory: SessionFactory, *, per_second: float, batch_seconds: float = BATCH_SECONDS):
        if per_second <= 0:
            raise ValueError("per_second must be positive")
        self._factory = factory
        self._interval = 1.0 / per_second
        self._batch = max(1, round(per_second * batch_seconds))
        self._late = max(self._interval, LATE_SECONDS)
        self._slots: deque[float] = deque()
        """Reserved slots not yet used, on time.monotonic()."""
        self._lock = asyncio.Lock()
        self._ready = False
        self.reservations = 0
        """UPDATEs made (benchmarks: round trips per message)."""
        self.debits = 0
        """Interactive sends counted against the budget."""
        self._owed = 0
        self._paying: asyncio.Task[None] | None = None

    @property
    def per_second(self) -> float:
        """The shared rate: all processes together."""
        return 1.0 / self._interval

    @property
    def hold(self) -> int:
        """The most claimed rows this process should hold at once (see HOLD_SECONDS)."""
        return max(4, round(self.per_second * HOLD_SECONDS))

    async def acquire(self) -> None:
        """Wait until this process may make one more bulk send (its next reserved slot has come)."""
        async with self._lock:
            now = time.monotonic()
            while self._slots and self._slots[0] < now - self._late:
                self._slots.popleft()  # slots that passed unused (nothing to send then) are not saved up
            if not self._slots:
                await self._reserve(self._batch)
            slot = self._slots.popleft()
        delay = slot - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)

    async def take(self, wanted: int) -> int:
        """Wait until this process may start at least one more bulk send; return how many may start now
        (1..wanted: the first slot, and every further reserved slot that has come by then)."""
        await self.acquire()
        granted = 1
        async with self._lock:
            now = time.monotonic()
            while granted < wanted and self._slots and self._slots[0] <= now:
                self._slots.popleft()
                granted += 1
        return granted

    def debit(self) -> None:
        """One send that did not wait for a slot (an interactive reply): move everyone's next slot back.

        Paid in the background, many replies in one UPDATE: a reply never waits for the database."""
        self._owed += 1
        if self._paying is None or self._paying.done():
            self._paying = asyncio.create_task(self._pay(), name="budget-debit")

    async def settle(self) -> None:
        """Wait for the debits still being paid (at shutdown)."""
        if self._paying is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._paying, timeout=2.0)

    async def _pay(self) -> None:
        while self._owed:
            count, self._owed = self._owed, 0
            try:
                async with self._lock:
                    await self._reserve(count, keep=False)
            except Exception as error:  # accounting for replies already sent; never worth failing anything
                log.warning(
                    "could not count replies against the shared send budget (%s)", type(error).__name__
                )
                return
            self.debits += count

    async def _reserve(self, count: int, *, keep: bool = True) -> None:
        span = count * self._interval
        async with self._factory() as session, session.begin():
            if not self._ready:
                await session.execute(_ENSURE, {"name": BUDGET_NAME})
                self._ready = True
            asked = time.monotonic()
            row = (await session.execute(_RESERVE, {"name": BUDGET_NAME, "span": span})).one()
            answered = time.monotonic()
        # The database read its clock somewhere within the round trip: its middle halves the error.
        local_now = (asked + answered) / 2
        end: datetime = row[0]
        database_now: datetime = row[1]
        self.reservations += 1
        if not keep:
            return
        first = local_now + (end - database_now).total_seconds() - span
        self._slots.extend(first + k * self._interval for k in range(count))


class CountedAgainstBudget(BaseRateLimiter[dict[str, Any]]):
    """The process's own rate limiter, unchanged, with every interactive send also debited from the shared
    budget once it went out (bulk sends already waited for their slot in the outbox)."""

    def __init__(self, inner: BaseRateLimiter[dict[str, Any]], budget: SharedBudget) -> None:
        self.inner = inner
        self._budget = budget

    async def initialize(self) -> None:
        """Set up the inner limiter."""
        await self.inner.initialize()

    async def shutdown(self) -> None:
        """Let pending debits finish, then shut the inner limiter down."""
        await self._budget.settle()
        await self.inner.shutdown()

    async def process_request(
        self,
        callback: Any,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: dict[str, Any] | None,
    ) -> Any:
        """Send through the inner limiter; an interactive message then moves the shared next slot back."""
        try:
            return await self.inner.process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
        finally:
            if endpoint.lower() in LIMITED_ENDPOINTS and not (
                rate_limit_args and rate_limit_args.get("bulk")
            ):
                self._budget.debit()


def own_limiter(limiter: object) -> object:
    """The process's own limiter under a CountedAgainstBudget (for metrics), else the limiter itself."""
    return limiter.inner if isinstance(limiter, CountedAgainstBudget) else limiter
