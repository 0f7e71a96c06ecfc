"""The outbox: rate-limited, persistent, resumable fan-out of broadcast deliveries."""

import asyncio
import contextlib
import logging
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from telegram.ext import ExtBot

from bot.broadcasts.compose import Buttons, recipient_values
from bot.core.clock import Clock, SystemClock
from bot.core.db import SessionFactory
from bot.delivery.budget import SharedBudget
from bot.delivery.owner import ClaimOwner
from bot.delivery.sending import SendJob, SendResult, send_one
from models import Broadcast, BroadcastStatus, Delivery, DeliveryStatus, TelegramAccount

log = logging.getLogger(__name__)

# After an unexpected failure of the loop (a database error while claiming or recording): wait, then
# restart; the wait doubles with each failure in a row, up to the maximum, so a database that stays down
# costs one log line per restart, not a flood.
RESTART_BACKOFF_SECONDS = 0.5
MAX_RESTART_BACKOFF_SECONDS = 30.0
# Outcomes are written back in batches of this many rows, or after this long, whichever comes first.
FLUSH_ROWS = 50
FLUSH_SECONDS = 0.5
# A planned stop waits this long for the sends under way (their answers decide what is recorded as sent).
STOP_GRACE_SECONDS = 1.0


@dataclass
class OutboxStats:
    """Counters for benchmarks and logs."""

    sent: int = 0
    blocked: int = 0
    failed: int = 0
    retried: int = 0
    rate_limited: int = 0
    progress_edits: int = 0
    restarts: int = 0
    """Times the sending loop failed unexpectedly and was restarted by its supervisor."""
    finished_broadcasts: list[int] = field(default_factory=list)


ProgressCallback = Callable[[int, bool], Awaitable[None]]
ClaimHook = Callable[[AsyncSession], Awaitable[None]]


class Outbox:
    """Works through pending deliveries of every broadcast that is sending, until none is left.

    Rows are claimed (pending → sending) a little ahead of the rate, sent through the bot's rate limiter
    as bulk traffic, and their outcome is written back in small batches. A crash leaves at most the
    claimed-but-unrecorded rows in 'sending'; `recover()` puts them back, so nobody misses a message and
    duplicates are bounded by that number (which is counted on the broadcast).

    The loop is supervised: an unexpected error (say the database refuses one claim) records what can be
    recorded, puts this loop's unanswered rows back to pending, and restarts the loop after a backoff
    (`stats.restarts` counts the restarts), so later broadcasts are still sent without a process restart.
    """

    before_claim: ClaimHook | None = None
    """A seam for fault injection (tests): awaited inside each claim's transaction before it claims."""

    # -- several processes on one PostgreSQL (set by the composition root; None: the only process) --------
    owner: ClaimOwner | None = None
    """This process as the owner of its claims: recover() then puts back only dead processes' rows."""
    budget: SharedBudget | None = None
    """Telegram's budget shared with the other processes, asked before each claim: a claim takes only the
    slots that have come (None: this process's limiter alone)."""

    def __init__(
        self,
        factory: SessionFactory,
        bot: ExtBot[Any],
        *,
        zone: ZoneInfo,
        default_language: str,
        rate_per_second: float,
        max_attempts: int,
        paid_broadcast: bool = False,
        on_progress: ProgressCallback | None = None,
        progress_interval: float = 3.0,
        clock: Clock | None = None,
    ) -> None:
        self._factory = factory
        # One clock: the bot's (injected) clock decides what is due, as in the scheduler. A clock that runs
        # faster than real time (rehearsals) has a `speed`: waits last the real-time share of clock time.
        self._clock: Clock = clock or SystemClock()
        self._speed = float(getattr(self._clock, "speed", 1.0))
        # A wait that ran its full length has reached its moment, even when the clock stands still (a
        # test's ManualClock): the outbox's now never falls behind it, so a retry's backoff ends.
        self._reached = datetime.min.replace(tzinfo=UTC)
        self._bot = bot
        self._zone = zone
        self._default_language = default_language
        self._max_attempts = max_attempts
        # Paid broadcasts (Telegram Stars) lift the overall limit; Telegram needs the flag on each send.
        self._paid: bool | None = True if paid_broadcast else None
        # Claim about two seconds' worth ahead: enough to keep the limiter busy through round trips,
        # small enough that a crash leaves few rows whose fate is unknown.
        self._high_water = max(4, int(rate_per_second * 2))
        self._low_water = max(2, self._high_water // 2)
        # Sends started at once: enough for the rate through a slow round trip (half a second's worth,
        # at least 32); the bot's rate limiter decides when each goes and caps what is on the wire.
        self._senders = min(self._high_water, max(32, math.ceil(rate_per_second / 2)))
        self._on_progress = on_progress
        self._progress_interval = progress_interval
        self._last_progress: dict[int, float] = {}
        self._wake = asyncio.Event()
        self._idle = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        # Rows this loop claimed ('sending') and has not recorded yet, by delivery id -> broadcast id;
        # the outcomes of a loop that failed wait in _orphans, the rows whose send was cut off in _in_doubt.
        self._claimed: dict[int, int] = {}
        self._orphans: list[SendResult] = []
        self._in_doubt: set[int] = set()
        self._bodies: dict[int, tuple[str, str | None, str | None]] = {}
        self._localized: dict[int, tuple[dict[str, str] | None, Buttons | None]] = {}
        self.stats = OutboxStats()
        self._failures_in_a_row = 0

    @property
    def running(self) -> bool:
        """True while the supervised sending loop is alive (started and not stopped)."""
        return self._task is not None and not self._task.done()

    @property
    def failures_in_a_row(self) -> int:
        """Unexpected failures of the loop since it last ran cleanly (0 when healthy; >0 while backing off)."""
        return self._failures_in_a_row

    def _now(self) -> datetime:
        return max(self._clock.now(), self._reached)

    # -- life cycle ---------------------------------------------------------------------------------

    async def start(self) -> None:
        """Recover from a crash, then start the sending loop."""
        # recover() puts back every row left 'sending', including any this instance claimed before a stop.
        self._claimed.clear()
        self._in_doubt.clear()
        self._orphans = []
        await self.recover()
        self._task = asyncio.create_task(self._supervise(), name="outbox")

    async def stop(self) -> None:
        """Stop sending; rows claimed but not sent stay 'sending' and are recovered at the next start."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def wake(self) -> None:
        """New deliveries were queued: look for work now."""
        self._idle.clear()
        self._wake.set()

    async def wait_idle(self, timeout: float = 60.0) -> None:
        """Return once nothing is left to send now (used by rehearsals and tests)."""
        await asyncio.wait_for(self._idle.wait(), timeout)

    async def recover(self) -> int:
        """Put rows left 'sending' by a crash back to pending and count them on their broadcasts."""
        if self.owner is not None:  # other processes' rows are theirs while they live
            async with self._factory() as session, session.begin():
                return await self.owner.reap(session, self._now())
        async with self._factory() as session, session.begin():
            rows = (
                await session.execute(
                    select(Delivery.broadcast_id, Delivery.id).where(
                        Delivery.status == DeliveryStatus.SENDING
                    )
                )
            ).all()
            per_broadcast: dict[int, int] = {}
            for broadcast_id, _ in rows:
                per_broadcast[broadcast_id] = per_broadcast.get(broadcast_id, 0) + 1
            for broadcast_id, count in per_broadcast.items():
                broadcast = await session.get(Broadcast, broadcast_id)
                if broadcast is not None:
                    broadcast.resent_after_crash += count
            if rows:
                await session.execute(
                    update(Delivery)
                    .where(Delivery.status == DeliveryStatus.SENDING)
                    .values(status=DeliveryStatus.PENDING, next_attempt_at=self._now())
                )
        if rows:
            log.warning("recovered %d deliveries left in flight by a crash", len(rows))
        return len(rows)

    # -- the loop -----------------------------------------------------------------------------------

    async def _supervise(self) -> None:
        """Run the loop; after an unexpected failure settle what it left, back off, and run it again."""
        self._failures_in_a_row = 0
        while True:
            try:
                await self._settle()
                self._failures_in_a_row = 0
                await self._run()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                self._failures_in_a_row += 1
                self.stats.restarts += 1
                delay = min(
                    MAX_RESTART_BACKOFF_SECONDS, RESTART_BACKOFF_SECONDS * 2 ** (self._failures_in_a_row - 1)
                )
                log.error(
                    "the outbox loop failed (%s: %s); restart %d in %.1f s",
                    type(error).__name__,
                    (str(error).splitlines() or [""])[0],
                    self.stats.restarts,
                    delay,
                )
                log.debug("the outbox loop's failure", exc_info=True)
                await asyncio.sleep(delay)

    async def _settle(self) -> None:
        """Before a (re)start: record the outcomes a failed loop left, and put its unanswered rows back."""
        if self._orphans:
            await self._flush(self._orphans)
            self._orphans = []
        if not self._claimed:
            return
        now = self._now()
        unanswered = dict(self._claimed)
        in_doubt: dict[int, int] = {}
        for delivery_id in self._in_doubt & unanswered.keys():
            in_doubt[unanswered[delivery_id]] = in_doubt.get(unanswered[delivery_id], 0) + 1
        async with self._factory() as session, session.begin():
            await session.execute(
                update(Delivery)
                .where(Delivery.id.in_(list(unanswered)), Delivery.status == DeliveryStatus.SENDING)
                .values(status=DeliveryStatus.PENDING, next_attempt_at=now)
            )
            # A send cut off mid-request may have arrived: counted like the sends a crash interrupts.
            for broadcast_id, count in in_doubt.items():
                await session.execute(
                    update(Broadcast)
                    .where(Broadcast.id == broadcast_id)
                    .values(resent_after_crash=Broadcast.resent_after_crash + count)
                )
        self._claimed.clear()
        self._in_doubt.clear()
        log.warning("put %d deliveries back to pending after the outbox loop failed", len(unanswered))

    async def _run(self) -> None:
        ready: deque[SendJob] = deque()  # claimed, not started
        sending: dict[asyncio.Task[None], SendJob | None] = {}  # sender task -> the job it is sending
        results: list[SendResult] = []
        attention = asyncio.Event()  # a batch to record, the claim window to refill, or a sender done
        last_flush = time.monotonic()

        def unrecorded() -> int:
            return len(ready) + len(results) + sum(1 for job in sending.values() if job is not None)

        async def sender() -> None:
            # One of a few long-lived senders: a task per send would cost a task, a wait-set entry and a
            # callback per message, and let thousands of requests pile into the HTTP pool at once.
            me = asyncio.current_task()
            assert me is not None
            try:
                while ready:
                    job = sending[me] = ready.popleft()
                    result = await self._send(job)
                    results.append(result)  # not results.append(await ...): the loop swaps the list meanwhile
                    sending[me] = None
                    # Only what the loop acts on wakes it (a wake per send costs CPU at a slow pace).
                    if len(results) >= FLUSH_ROWS or unrecorded() < self._low_water:
                        attention.set()
            finally:
                if sending.get(me) is None:  # a cut-off send stays listed for the in-doubt count
                    sending.pop(me, None)
                attention.set()

        try:
            while True:
                # Claimed but not yet recorded rows are still 'sending': they count against the claim window,
                # so a crash never leaves more than the window in 'sending' (the resent/duplicate bound).
                waiting = unrecorded()
                if waiting < self._low_water:
                    wanted = self._high_water - waiting
                    if self.budget is not None:
                        wanted = await self.budget.take(wanted)  # waits for at least one
                    ready.extend(await self._claim(wanted))
                while ready and len(sending) < self._senders:
                    sending[asyncio.create_task(sender(), name="outbox-sender")] = None
                if not sending:
                    await self._flush(results)
                    results = []
                    await self._finish_broadcasts()
                    await self._wait_for_work()
                    continue
                attention.clear()
                wait = FLUSH_SECONDS - (time.monotonic() - last_flush) if results else FLUSH_SECONDS
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(max(0.0, wait)):  # no task per wait, unlike wait_for
                        await attention.wait()
                if results and (len(results) >= FLUSH_ROWS or time.monotonic() - last_flush >= FLUSH_SECONDS):
                    batch, results = results, []
                    await self._flush(batch)
                    last_flush = time.monotonic()
        except asyncio.CancelledError:
            # A planned stop: start nothing new, give the sends under way a moment to be answered, and
            # record every answered one, so the next start does not repeat them.
            ready.clear()
            if sending:
                await asyncio.wait(list(sending), timeout=STOP_GRACE_SECONDS)
            await self._stop_senders(sending)
            try:
                await self._flush(results)
            except Exception:
                log.warning("could not record %d sends while stopping", len(results), exc_info=True)
            raise
        except Exception:
            # The supervisor restarts the loop: it records the answered sends; the cut-off ones are in doubt.
            cut_off = [job.delivery_id for job in sending.values() if job is not None]
            await self._stop_senders(sending)
            self._in_doubt.update(cut_off)
            self._orphans.extend(results)
            raise

    @staticmethod
    async def _stop_senders(sending: dict[asyncio.Task[None], SendJob | None]) -> None:
        tasks = list(sending)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _wait_for_work(self) -> None:
        # Cleared before looking: a wake() that arrives while the query runs is kept, not lost.
        self._wake.clear()
        async with self._factory() as session:
            next_due = await session.scalar(
                select(Delivery.next_attempt_at)
                .join(Broadcast, Broadcast.id == Delivery.broadcast_id)
                .where(Delivery.status == DeliveryStatus.PENDING, Broadcast.status == BroadcastStatus.SENDING)
                .order_by(Delivery.next_attempt_at)
                .limit(1)
            )
        if next_due is None and not self._wake.is_set():
            self._idle.set()
            timeout: float | None = None
        elif next_due is None:
            timeout = 0.0
        else:
            timeout = max(0.0, (next_due - self._now()).total_seconds()) / self._speed
        try:
            await asyncio.wait_for(self._wake.wait(), timeout)
        except TimeoutError:
            if next_due is not None:
                self._reached = max(self._reached, next_due)

    async def _claim(self, limit: int) -> list[SendJob]:
        """Claim up to `limit` due rows (pending → sending) in one statement, safe across processes.

        On PostgreSQL the inner SELECT locks the rows it picks `FOR UPDATE … SKIP LOCKED`: two processes
        claiming at once get different rows and never wait for each other, and a row another process
        claimed since our snapshot is re-checked and dropped. `claimed_by` names the process that owns the
        row while it is 'sending' (bot/delivery/owner.py). SQLite has one writer at a time (BEGIN
        IMMEDIATE) and no FOR UPDATE: the same statement, without the lock clause. Core statements only:
        no ORM object per row.
        """
        if self.budget is not None:  # share a broadcast with the other processes (SharedBudget.hold)
            limit = min(limit, self.budget.hold - len(self._claimed))
            if limit <= 0:
                return []
        now = self._now()
        due = (
            select(Delivery.id)
            .join(Broadcast, Broadcast.id == Delivery.broadcast_id)
            .where(
                Delivery.status == DeliveryStatus.PENDING,
                Delivery.next_attempt_at <= now,
                Broadcast.status == BroadcastStatus.SENDING,
            )
            .order_by(Delivery.broadcast_id, Delivery.id)
            .limit(limit)
            .with_for_update(skip_locked=True, of=Delivery)
        )
        async with self._factory() as session, session.begin():
            if self.before_claim is not None:
                await self.before_claim(session)
            claimed = (
                await session.execute(
                    update(Delivery)
                    .where(Delivery.id.in_(due.scalar_subquery()), Delivery.status == DeliveryStatus.PENDING)
                    .values(
                        status=DeliveryStatus.SENDING,
                        updated_at=now,
                        claimed_by=self.owner.key if self.owner is not None else None,
                    )
                    .returning(
                        Delivery.id,
                        Delivery.broadcast_id,
                        Delivery.member_id,
                        Delivery.chat_id,
                        Delivery.attempts,
                    )
                )
            ).all()
            if not claimed:
                return []
            # RETURNING keeps no order: send in the order the rows were queued.
            rows = sorted(claimed, key=lambda r: (r.broadcast_id, r.id))
            values = {
                v.member_id: v
                for v in await recipient_values(
                    session,
                    [(r.member_id, r.chat_id) for r in rows],
                    zone=self._zone,
                    default_language=self._default_language,
                )
            }
            for broadcast_id in {r.broadcast_id for r in rows} - set(self._bodies):
                b = await session.get(Broadcast, broadcast_id)
                assert b is not None
                self._bodies[broadcast_id] = (b.body_html, b.media_kind, b.media_file_id)
                self._localized[broadcast_id] = (b.bodies, b.buttons)
        self._claimed.update((r.id, r.broadcast_id) for r in rows)
        jobs = []
        for r in rows:
            body, media_kind, media_file_id = self._bodies[r.broadcast_id]
            bodies, buttons = self._localized.get(r.broadcast_id, (None, None))
            jobs.append(
                SendJob(
                    r.id,
                    r.broadcast_id,
                    r.attempts,
                    values[r.member_id],
                    body,
                    media_kind,
                    media_file_id,
                    bodies,
                    buttons,
                )
            )
        return jobs

    async def _send(self, job: SendJob) -> SendResult:
        return await send_one(self._bot, job, paid=self._paid, max_attempts=self._max_attempts)

    async def _flush(self, results: list[SendResult]) -> None:
        if not results:
            return
        now = self._now()
        stopped: dict[int, str] = {}
        blocked_chats: list[int] = []
        async with self._factory() as session, session.begin():
            rows = []
            for result in results:
                job = result.job
                rows.append(
                    {
                        "id": job.delivery_id,
                        "status": result.status,
                        "updated_at": now,
                        "last_error": result.error,
                        "attempts": job.attempts + 1 if result.counts_as_attempt else job.attempts,
                        "telegram_message_id": result.message_id,
                        # retry_in is real seconds (Telegram's, or our backoff): on the clock, times speed.
                        "next_attempt_at": now + timedelta(seconds=(result.retry_in or 0.0) * self._speed),
                    }
                )
                if result.status is DeliveryStatus.BLOCKED:
                    blocked_chats.append(job.recipient.chat_id)
                if result.stops_broadcast:
                    stopped[job.broadcast_id] = result.error or ""
            # One executemany by primary key instead of a statement per delivery (CPU per message).
            await session.execute(update(Delivery), rows)
            if blocked_chats:
                await session.execute(
                    update(TelegramAccount)
                    .where(TelegramAccount.id.in_(blocked_chats))
                    .values(reachable=False)
                )
            for broadcast_id, error in stopped.items():
                await session.execute(
                    update(Broadcast)
                    .where(Broadcast.id == broadcast_id, Broadcast.status == BroadcastStatus.SENDING)
                    .values(status=BroadcastStatus.FAILED, error=error, finished_at=now)
                )
                await session.execute(
                    update(Delivery)
                    .where(Delivery.broadcast_id == broadcast_id, Delivery.status == DeliveryStatus.PENDING)
                    .values(status=DeliveryStatus.CANCELLED, last_error=error)
                )
        for result in results:
            self._count(result)
            self._claimed.pop(result.job.delivery_id, None)
        for broadcast_id in stopped:
            await self._report(broadcast_id, final=True)
        for broadcast_id in {r.job.broadcast_id for r in results} - set(stopped):
            await self._report(broadcast_id, final=False)

    def _count(self, result: SendResult) -> None:
        match result.status:
            case DeliveryStatus.SENT:
                self.stats.sent += 1
            case DeliveryStatus.BLOCKED:
                self.stats.blocked += 1
            case DeliveryStatus.FAILED:
                self.stats.failed += 1
            case DeliveryStatus.PENDING if not result.counts_as_attempt:
                self.stats.rate_limited += 1
            case DeliveryStatus.PENDING:
                self.stats.retried += 1
            case _:
                pass

    async def _finish_broadcasts(self) -> None:
        """Sending broadcasts with nothing pending or in flight are done."""
        now = self._now()
        async with self._factory() as session, session.begin():
            open_rows = (
                select(Delivery.id)
                .where(
                    Delivery.broadcast_id == Broadcast.id,
                    Delivery.status.in_([DeliveryStatus.PENDING, DeliveryStatus.SENDING]),
                )
                .exists()
            )
            finished = list(
                await session.scalars(
                    select(Broadcast.id).where(Broadcast.status == BroadcastStatus.SENDING, ~open_rows)
                )
            )
            if finished:
                await session.execute(
                    update(Broadcast)
                    .where(Broadcast.id.in_(finished), Broadcast.status == BroadcastStatus.SENDING)
                    .values(status=BroadcastStatus.DONE, finished_at=now)
                )
        for broadcast_id in finished:
            self._bodies.pop(broadcast_id, None)
            self._localized.pop(broadcast_id, None)
            self.stats.finished_broadcasts.append(broadcast_id)
            await self._report(broadcast_id, final=True)

    async def _report(self, broadcast_id: int, *, final: bool) -> None:
        if self._on_progress is None:
            return
        moment = time.monotonic()
        if not final and moment - self._last_progress.get(broadcast_id, 0.0) < self._progress_interval:
            return
        self._last_progress[broadcast_id] = moment
        if final:
            self._last_progress.pop(broadcast_id, None)
        try:
            await self._on_progress(broadcast_id, final)
            self.stats.progress_edits += 1
        except Exception:  # progress is a courtesy; sending goes on
            log.warning("could not update the progress of broadcast %d", broadcast_id, exc_info=True)
