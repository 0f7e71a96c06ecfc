"""APScheduler jobs derived from the database: one job per scheduled broadcast, with a stable id."""

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from telegram.ext import CallbackContext, JobQueue

from bot.broadcasts.compose import due_broadcasts, mark_missed, start_broadcast
from bot.core.clock import Clock
from bot.core.db import SessionFactory
from bot.delivery.outbox import Outbox
from models import Broadcast, BroadcastStatus

log = logging.getLogger(__name__)

MissedCallback = Callable[[int], Awaitable[None]]


JOB_PREFIX = "broadcast:"


def job_name(broadcast_id: int) -> str:
    """The stable name of a broadcast's job."""
    return f"{JOB_PREFIX}{broadcast_id}"


class BroadcastScheduler:
    """Keeps one APScheduler job per scheduled broadcast; the database stays the source of truth.

    A job only starts the delivery (writes the delivery rows and wakes the outbox); it never holds
    the sending loop. Every job calls `fire_due`, which starts whatever is due, so a late or doubled
    job cannot send anything twice (the scheduled → sending transition is a conditional update).
    """

    def __init__(
        self,
        job_queue: JobQueue[Any],
        factory: SessionFactory,
        clock: Clock,
        outbox: Outbox,
        *,
        zone: ZoneInfo,
        misfire_grace_seconds: int,
        on_missed: MissedCallback | None = None,
    ) -> None:
        self._jobs = job_queue
        self._factory = factory
        self._clock = clock
        self._outbox = outbox
        self._zone = zone
        self._grace = timedelta(seconds=misfire_grace_seconds)
        self._on_missed = on_missed
        self.missed = 0
        """Broadcasts this process marked missed (their time passed beyond the grace while it was down)."""

    @property
    def running(self) -> bool:
        """True while APScheduler (the job queue's scheduler) is running."""
        return bool(self._jobs.scheduler.running)

    async def reconcile(self) -> None:
        """At start-up: missed beyond the grace → marked missed and reported; due → sent once; later → a job."""
        now = self._clock.now()
        async with self._factory() as session:
            rows = (
                await session.execute(
                    select(Broadcast.id, Broadcast.send_at).where(
                        Broadcast.status == BroadcastStatus.SCHEDULED
                    )
                )
            ).all()
        missed = []
        for broadcast_id, send_at in rows:
            if send_at < now - self._grace:
                async with self._factory() as session, session.begin():
                    if await mark_missed(session, broadcast_id):
                        missed.append(broadcast_id)
            elif send_at > now:
                self.schedule(broadcast_id, send_at)
        self.missed += len(missed)
        for broadcast_id in missed:
            log.warning("broadcast %d missed its time while the bot was down", broadcast_id)
            if self._on_missed is not None:
                await self._on_missed(broadcast_id)
        await self.fire_due()

    def schedule(self, broadcast_id: int, send_at: datetime) -> None:
        """Add (or replace) the job of a broadcast."""
        self.unschedule(broadcast_id)
        # The clock may run faster than real time (rehearsals); the job waits the real-time share.
        speed = getattr(self._clock, "speed", 1.0)
        delay = max(0.0, (send_at - self._clock.now()).total_seconds() / speed)
        self._jobs.run_once(
            self._run_job,
            when=delay,
            name=job_name(broadcast_id),
            data=broadcast_id,
            job_kwargs={"misfire_grace_time": int(self._grace.total_seconds()) or None, "coalesce": True},
        )

    def unschedule(self, broadcast_id: int) -> None:
        """Remove the job of a broadcast (cancelled, or started)."""
        for job in self._jobs.get_jobs_by_name(job_name(broadcast_id)):
            job.schedule_removal()

    def scheduled_job_names(self) -> list[str]:
        """Names of the broadcast jobs APScheduler holds now."""
        return sorted(job.name for job in self._jobs.jobs() if job.name and job.name.startswith("broadcast:"))

    async def _run_job(self, context: CallbackContext[Any, Any, Any, Any]) -> None:
        await self.fire_due()

    async def fire_due(self) -> list[int]:
        """Start every scheduled broadcast whose time has come; returns the ids started."""
        now = self._clock.now()
        async with self._factory() as session:
            due = await due_broadcasts(session, now)
        started = []
        for broadcast_id in due:
            async with self._factory() as session, session.begin():
                count = await start_broadcast(session, broadcast_id, now=now, zone=self._zone)
            if count is not None:
                started.append(broadcast_id)
                self.unschedule(broadcast_id)
                log.info("broadcast %d started for %d recipients", broadcast_id, count)
        if started:
            self._outbox.wake()
        return started

    async def start_now(self, broadcast_id: int) -> int | None:
        """Start this one scheduled broadcast now (no scan of the others) and wake the outbox for it."""
        now = self._clock.now()
        async with self._factory() as session, session.begin():
            count = await start_broadcast(session, broadcast_id, now=now, zone=self._zone)
        if count is None:
            return None
        self.unschedule(broadcast_id)
        log.info("broadcast %d started for %d recipients", broadcast_id, count)
        self._outbox.wake()
        return count

    async def submit(self, broadcast_id: int, send_at: datetime) -> None:
        """A broadcast was just stored as scheduled: start it now if due, otherwise schedule its job."""
        if send_at <= self._clock.now():
            await self.start_now(broadcast_id)
        else:
            self.schedule(broadcast_id, send_at)


# --- Keeping the running bot's jobs in line with the database (plan import runs in another process) ---

RESYNC_JOB = "program:resync"


@dataclass(frozen=True)
class Resync:
    """What resync_jobs changed."""

    added: int
    dropped: int


async def resync_jobs(scheduler: BroadcastScheduler, factory: SessionFactory, clock: Clock) -> Resync:
    """Bring the running bot's jobs in line with the scheduled rows, e.g. after `plan import` in another
    process: a job for each scheduled broadcast still to come, none for a row that is gone or no longer
    scheduled; rows already due go through the scheduler's reconcile (sent within the grace, else missed)."""
    now = clock.now()
    async with factory() as session:
        rows = (
            await session.execute(
                select(Broadcast.id, Broadcast.send_at).where(Broadcast.status == BroadcastStatus.SCHEDULED)
            )
        ).tuples()
        wanted = {job_name(broadcast_id): (broadcast_id, send_at) for broadcast_id, send_at in rows}
    held = set(scheduler.scheduled_job_names())
    added = dropped = 0
    due = False
    for name, (broadcast_id, send_at) in wanted.items():
        if send_at <= now:
            due = True
        elif name not in held:
            scheduler.schedule(broadcast_id, send_at)
            added += 1
    for name in sorted(held - wanted.keys()):
        scheduler.unschedule(int(name.removeprefix(JOB_PREFIX)))
        dropped += 1
    if due:
        await scheduler.reconcile()
    return Resync(added, dropped)


def install_resync(
    job_queue: JobQueue[Any],
    scheduler: BroadcastScheduler,
    factory: SessionFactory,
    clock: Clock,
    *,
    interval_seconds: float = 60,
) -> None:
    """Run resync_jobs every `interval_seconds` in the running bot (call once, e.g. in post_init)."""

    async def resync(context: CallbackContext[Any, Any, Any, Any]) -> None:
        await resync_jobs(scheduler, factory, clock)

    for job in job_queue.get_jobs_by_name(RESYNC_JOB):
        job.schedule_removal()
    job_queue.run_repeating(resync, interval=interval_seconds, first=interval_seconds, name=RESYNC_JOB)
