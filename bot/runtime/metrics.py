"""The running bot's Prometheus metrics: one registry per application, read by the operators' /metrics.

Two kinds of figures, each where it is true:

* **Kept by this process** (counters since it started): updates handled by kind, reply latency, the
  outbox's sends by outcome and its loop restarts, Telegram's 429s, APScheduler's jobs, jobs marked missed.
  Prometheus wants counters for flows (``rate()`` survives restarts); they are read from the objects that
  already count them (`OutboxStats`, `RateLimiterStats`, the scheduler) at scrape time.
* **Read from the database on each scrape** (gauges): deliveries and broadcasts by status, and the current
  broadcast's progress. The database is the truth: several processes may share one PostgreSQL and a restart
  resets a process's counters, while "how many are pending now" is a level, not a flow. The cost is a few
  aggregate queries per scrape (the delivery count uses the (broadcast_id, status) index).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import Select, func, select
from telegram import Update

from models import Broadcast, BroadcastStatus, Delivery, DeliveryStatus

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession
    from telegram.ext import JobQueue

    from bot.delivery.outbox import Outbox
    from bot.delivery.scheduling import BroadcastScheduler
    from bot.runtime.ratelimit import PriorityRateLimiter

log = logging.getLogger(__name__)

# Reply latency: the design's targets are p95 ≤ 150 ms and p99 ≤ 300 ms for check-ins, 1 s while a
# broadcast runs; buckets around those make the quantiles readable.
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.3, 0.5, 1.0, 2.5, 5.0, 10.0)


def update_kind(update: object) -> str:
    """The kind of an update as the Bot API names its field ("message", "callback_query" …)."""
    if isinstance(update, Update):
        for kind in Update.ALL_TYPES:
            if getattr(update, kind, None) is not None:
                return kind
    return "other"


class BotMetrics:
    """The metrics of one application, in a registry of its own (never prometheus-client's global one,
    so two bots in one process, as in tests, do not collide)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self._updates = Counter(
            "ppsbot_updates_handled", "Updates handled, by kind", ["kind"], registry=self.registry
        )
        self._latency = Histogram(
            "ppsbot_reply_latency_seconds",
            "Time from an update reaching the bot to its handlers having finished (replies sent)",
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self._deliveries = Gauge(
            "ppsbot_outbox_deliveries",
            "Deliveries in the database, by status (read on scrape)",
            ["status"],
            registry=self.registry,
        )
        self._broadcasts = Gauge(
            "ppsbot_broadcasts",
            "Broadcasts in the database, by status (read on scrape)",
            ["status"],
            registry=self.registry,
        )
        self._current = Gauge(
            "ppsbot_current_broadcast",
            "The current broadcast (the one sending, else the last finished): its id, recipients, "
            "deliveries sent, and whether it is still sending (1/0)",
            ["figure"],
            registry=self.registry,
        )
        self._database_up = Gauge(
            "ppsbot_metrics_database_up",
            "1 when the last scrape could read the database figures, else 0",
            registry=self.registry,
        )

    def observe_update(self, update: object, seconds: float) -> None:
        """Count one handled update (the update processor's `on_handled`)."""
        self._updates.labels(update_kind(update)).inc()
        self._latency.observe(seconds)

    def watch(
        self,
        outbox: Outbox,
        scheduler: BroadcastScheduler,
        limiter: PriorityRateLimiter,
        job_queue: JobQueue[Any],
    ) -> None:
        """Expose the counters these objects keep, read at each scrape."""
        self.registry.register(_ProcessFigures(outbox, scheduler, limiter, job_queue))

    async def refresh(self, session: AsyncSession) -> None:
        """Read the database gauges; on failure they are dropped (not left stale) and the error raised."""
        try:
            await self._read(session)
        except BaseException:  # a timeout cancels the read too
            for gauge in (self._deliveries, self._broadcasts, self._current):
                gauge.clear()
            self._database_up.set(0)
            raise
        self._database_up.set(1)

    def exposition(self) -> bytes:
        """The registry in Prometheus' text format."""
        return generate_latest(self.registry)

    async def _read(self, session: AsyncSession) -> None:
        deliveries = await _count_by_status(session, select(Delivery.status, func.count()))
        broadcasts = await _count_by_status(session, select(Broadcast.status, func.count()))
        current = await session.scalar(
            select(Broadcast.id)
            .where(Broadcast.status == BroadcastStatus.SENDING)
            .order_by(Broadcast.id)  # the outbox works through sending broadcasts in id order
            .limit(1)
        )
        sending = current is not None
        if current is None:
            current = await session.scalar(
                select(Broadcast.id)
                .where(Broadcast.finished_at.is_not(None))
                .order_by(Broadcast.finished_at.desc(), Broadcast.id.desc())
                .limit(1)
            )
        progress: dict[str, int] = {}
        if current is not None:
            progress = await _count_by_status(
                session, select(Delivery.status, func.count()).where(Delivery.broadcast_id == current)
            )
        for delivery_status in DeliveryStatus:
            self._deliveries.labels(delivery_status.value).set(deliveries.get(delivery_status, 0))
        for broadcast_status in BroadcastStatus:
            self._broadcasts.labels(broadcast_status.value).set(broadcasts.get(broadcast_status, 0))
        self._current.clear()
        if current is not None:
            self._current.labels("id").set(current)
            self._current.labels("recipients").set(sum(progress.values()))
            self._current.labels("sent").set(progress.get(DeliveryStatus.SENT, 0))
            self._current.labels("sending").set(1 if sending else 0)


async def _count_by_status(session: AsyncSession, query: Select[tuple[Any, int]]) -> dict[str, int]:
    """Rows per status value for a ``select(X.status, func.count())``."""
    rows = await session.execute(query.group_by(query.selected_columns[0]))
    return {str(status): count for status, count in rows}


class _ProcessFigures(Collector):
    """Counters and gauges this process keeps elsewhere, turned into metrics at scrape time."""

    def __init__(
        self,
        outbox: Outbox,
        scheduler: BroadcastScheduler,
        limiter: PriorityRateLimiter,
        job_queue: JobQueue[Any],
    ) -> None:
        self._outbox = outbox
        self._scheduler = scheduler
        self._limiter = limiter
        self._jobs = job_queue

    def collect(self) -> Iterable[Metric]:
        stats = self._outbox.stats
        sends = CounterMetricFamily(
            "ppsbot_outbox_sends",
            "Outbox sends finished by this process, by outcome (retried and rate_limited go back to pending)",
            labels=["outcome"],
        )
        for outcome, value in (
            ("sent", stats.sent),
            ("blocked", stats.blocked),
            ("failed", stats.failed),
            ("retried", stats.retried),
            ("rate_limited", stats.rate_limited),
        ):
            sends.add_metric([outcome], value)
        yield sends
        yield CounterMetricFamily(
            "ppsbot_outbox_restarts",
            "Times the outbox's sending loop failed unexpectedly and was restarted",
            value=stats.restarts,
        )
        yield CounterMetricFamily(
            "ppsbot_telegram_429",
            "429 Too Many Requests answers from Telegram to this process's sends",
            value=self._limiter.stats.retry_after,
        )
        jobs = GaugeMetricFamily(
            "ppsbot_scheduled_jobs",
            "Jobs APScheduler holds now, by kind (the job name's prefix)",
            labels=["kind"],
        )
        kinds: dict[str, int] = {}
        for job in self._jobs.jobs():
            kind = (job.name or "unnamed").split(":", 1)[0]
            kinds[kind] = kinds.get(kind, 0) + 1
        for kind, count in sorted(kinds.items()):
            jobs.add_metric([kind], count)
        yield jobs
        yield CounterMetricFamily(
            "ppsbot_missed_jobs",
            "Scheduled broadcasts this process marked missed (their time passed beyond the grace)",
            value=self._scheduler.missed,
        )
