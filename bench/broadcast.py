"""Figures 1 and 2: a broadcast to every registered PPS member through the sandbox with Telegram's limits —
ours vs a loop of send_message vs gather behind AIORateLimiter — and the answers members get meanwhile."""

from __future__ import annotations

import asyncio
import statistics
import tracemalloc
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, ExtBot

from bench.host import Meter, SandboxHost
from bench.people import (
    BROADCAST_MARK,
    Answer,
    Interaction,
    broadcast_counts,
    drive,
    during,
    too_many_requests,
    wait_polling,
)
from bench.report import NAIVE_I, NAIVE_II, OURS, Results, ms, percentile
from bench.settings import Settings
from bench.world import TRAINING_MORNING, DatabaseTemplate, Person, bot_config, build_lebak
from bot.app import build_application, running
from bot.broadcasts.audience import Audience, AudienceKind
from bot.broadcasts.compose import create_broadcast
from bot.core.clock import ManualClock
from bot.runtime.context import BotApplication
from bot.runtime.transport import AiohttpTransport
from bot.sandbox import TelegramLimits, make_bot, sandbox_request

BODY = (
    f"{BROADCAST_MARK} Yth. {{nama}} (PPS {{desa}}): Bimtek PPS di {{venue}}, {{alamat}}, "
    "mulai pukul {jam_mulai}. Mohon hadir 30 menit sebelumnya dan membawa surat tugas."
)
"""Ours: personalised per member, as the outbox sends it."""
NAIVE_TEXT = (
    f"{BROADCAST_MARK} Yth. anggota PPS: Bimtek PPS di aula kantor kecamatan masing-masing, "
    "mulai pukul 08.00 WIB. Mohon hadir 30 menit sebelumnya dan membawa surat tugas."
)
"""The naive ways: one text for everybody (of about the same length)."""
OUR_RATE = 30.0
"""The config's default [delivery] rate_per_second: Telegram's whole budget (the bot paces at 29/s)."""
TELEGRAM_RATE = 30.0
"""Telegram's limit, which the wall time is judged against (N / 30 per s)."""
PACE = 29.0
"""The bot's own pace at the default (one below Telegram's limit): the small broadcast's N / rate."""
SMALL = 40
"""Recipients of the small broadcast (goal: within 1.2 × N / rate + 0.5 s)."""


@dataclass
class Run:
    """One way of broadcasting, measured."""

    method: str
    recipients: int
    wall: float = 0.0
    cpu: float = 0.0
    peak_mb: float | None = None
    too_many: int = 0
    missing: int = 0
    duplicates: int = 0
    failed_sends: int = 0
    answers: list[Answer] = field(default_factory=list)

    @property
    def delivered(self) -> int:
        return self.recipients - self.missing

    def summary(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("answers")
        data["unanswered"] = sum(1 for a in self.answers if a.latency is None)
        data["problems"] = sorted({a.problem for a in self.answers if a.problem})[:5]
        return data


def _check_people(host: SandboxHost, people: Sequence[Person]) -> None:
    expected = [p.telegram_id for p in people]
    if host.people != expected:
        raise RuntimeError("the sandbox's people do not have the ids the database was registered with")


async def _store_broadcast(application: BotApplication, clock: ManualClock) -> int:
    """A broadcast to every PPS member, stored as the /umumkan wizard stores one for 'now'."""
    async with application.bot_data.session_factory() as session, session.begin():
        return await create_broadcast(
            session,
            body_html=BODY,
            media_kind=None,
            media_file_id=None,
            audience=Audience(kind=AudienceKind.PPS),
            send_at=clock.now(),
            now=clock.now(),
            created_by=None,
            creator_chat_id=None,
            language="id",
            include_late=False,
            progress=None,
        )


async def ours(
    template: DatabaseTemplate,
    people: Sequence[Person],
    *,
    latency: float,
    limits: TelegramLimits | None,
    interactions: Sequence[Interaction] = (),
    answer_timeout: float = 60.0,
    rate: float = OUR_RATE,
    paid: bool = False,
) -> Run:
    """The real bot: the broadcast is stored, fired through the scheduler, and sent by the outbox."""
    url = await template.copy()
    run = Run(OURS, len(people))
    async with SandboxHost(latency=latency, limits=limits, people=len(people)) as host:
        _check_people(host, people)
        clock = ManualClock(TRAINING_MORNING)
        application = build_application(bot_config(host, url, rate=rate, paid=paid), clock=clock)
        async with running(application):
            await host.call(wait_polling)
            broadcast_id = await _store_broadcast(application, clock)
            await host.reset()
            meter = Meter(host)
            await meter.start()
            playing = (
                asyncio.ensure_future(host.call(drive(interactions, answer_timeout)))
                if interactions
                else None
            )
            await application.bot_data.scheduler.submit(broadcast_id, clock.now())
            await application.bot_data.outbox.wait_idle(timeout=len(people) / min(rate, 30) * 3 + 60)
            await meter.stop()
            if playing is not None:
                run.answers = await playing
            stats = application.bot_data.outbox.stats
            run.failed_sends = stats.failed + stats.blocked
        run.too_many = await host.call(too_many_requests)
        run.missing, run.duplicates = await host.call(broadcast_counts(host.people))
    run.wall, run.cpu, run.peak_mb = meter.wall, meter.cpu, meter.peak_mb
    return run


async def send_loop(
    people: Sequence[Person],
    *,
    latency: float,
    limits: TelegramLimits | None,
    pace: float | None = None,
    our_transport: bool = False,
) -> Run:
    """Naive (i): ``for chat in chats: await bot.send_message(chat, text)`` on a plain telegram.Bot.

    ``pace``: at most that many sends per second, on a schedule (the pace our bot keeps), to compare CPU
    per message like with like. ``our_transport``: the Bot sends through the bot's own HTTP transport
    (bot.runtime.transport) instead of python-telegram-bot's default httpx one."""
    run = Run(NAIVE_I, len(people))
    async with SandboxHost(latency=latency, limits=limits, people=len(people)) as host:
        if our_transport:
            bot = make_bot(
                host.sandbox, request=AiohttpTransport(), get_updates_request=AiohttpTransport(pool_size=1)
            )
        else:
            bot = make_bot(host.sandbox)
        async with bot:
            await host.reset()
            meter = Meter(host)
            await meter.start()
            loop = asyncio.get_running_loop()
            slot = loop.time()
            for person in people:
                if pace is not None:
                    await asyncio.sleep(max(0.0, slot - loop.time()))
                    slot += 1 / pace
                try:
                    await bot.send_message(person.telegram_id, NAIVE_TEXT)
                except TelegramError:
                    run.failed_sends += 1
            await meter.stop()
        run.too_many = await host.call(too_many_requests)
        run.missing, run.duplicates = await host.call(broadcast_counts(host.people))
    run.wall, run.cpu, run.peak_mb = meter.wall, meter.cpu, meter.peak_mb
    return run


async def _gather(bot: ExtBot[Any], people: Sequence[Person]) -> int:
    results = await asyncio.gather(
        *(bot.send_message(person.telegram_id, NAIVE_TEXT) for person in people), return_exceptions=True
    )
    return sum(1 for result in results if isinstance(result, BaseException))


async def gather_behind_aio(
    people: Sequence[Person], *, latency: float, limits: TelegramLimits | None
) -> Run:
    """Naive (ii): ``asyncio.gather`` of every send_message on an ExtBot with ``AIORateLimiter()``."""
    run = Run(NAIVE_II, len(people))
    async with SandboxHost(latency=latency, limits=limits, people=len(people)) as host:
        sandbox = host.sandbox
        bot = ExtBot(
            sandbox.token,
            base_url=sandbox.base_url,
            base_file_url=sandbox.base_file_url,
            request=sandbox_request(),
            get_updates_request=sandbox_request(),
            rate_limiter=AIORateLimiter(),
        )
        async with bot:
            await host.reset()
            meter = Meter(host)
            await meter.start()
            run.failed_sends = await _gather(bot, people)
            await meter.stop()
        run.too_many = await host.call(too_many_requests)
        run.missing, run.duplicates = await host.call(broadcast_counts(host.people))
    run.wall, run.cpu, run.peak_mb = meter.wall, meter.cpu, meter.peak_mb
    return run


def _with_aio_rate_limiter(application: BotApplication) -> None:
    # The naive bot is our bot in every respect but the rate limiter, so the difference is the limiter
    # (and gather instead of the outbox). The builder call that sets the limiter sits inside
    # build_application and ExtBot has no public setter, hence the attribute; it is set before the bot
    # is initialised, which is when ExtBot first uses it.
    application.bot._rate_limiter = AIORateLimiter()


async def gather_bot(
    template: DatabaseTemplate,
    people: Sequence[Person],
    *,
    latency: float,
    limits: TelegramLimits | None,
    interactions: Sequence[Interaction],
    answer_timeout: float,
) -> Run:
    """Naive (ii) with members talking meanwhile: the bot with AIORateLimiter, the broadcast a gather."""
    url = await template.copy()
    run = Run(NAIVE_II, len(people))
    async with SandboxHost(latency=latency, limits=limits, people=len(people)) as host:
        _check_people(host, people)
        application = build_application(bot_config(host, url), clock=ManualClock(TRAINING_MORNING))
        _with_aio_rate_limiter(application)
        async with running(application):
            await host.call(wait_polling)
            await host.reset()
            meter = Meter(host)
            await meter.start()
            playing = asyncio.ensure_future(host.call(drive(interactions, answer_timeout)))
            run.failed_sends = await _gather(application.bot, people)
            await meter.stop()
            run.answers = await playing
        run.too_many = await host.call(too_many_requests)
        run.missing, run.duplicates = await host.call(broadcast_counts(host.people))
    run.wall, run.cpu, run.peak_mb = meter.wall, meter.cpu, meter.peak_mb
    return run


# --- the figures -------------------------------------------------------------------------------------


def _median(runs: Sequence[Run], value: str) -> float:
    return float(statistics.median(float(getattr(run, value)) for run in runs))


def _worst(runs: Sequence[Run], value: str) -> float:
    return float(max(getattr(run, value) for run in runs))


async def _three_ways(
    settings: Settings, template: DatabaseTemplate, people: Sequence[Person], label: str
) -> dict[str, Run]:
    limits = TelegramLimits()
    settings.progress(f"figure 1, {label}: ours")
    mine = await ours(template, people, latency=settings.latency, limits=limits)
    settings.progress(f"figure 1, {label}: naive (i), a send_message loop")
    loop = await send_loop(people, latency=settings.latency, limits=limits)
    settings.progress(f"figure 1, {label}: naive (ii), gather + AIORateLimiter")
    gathered = await gather_behind_aio(people, latency=settings.latency, limits=limits)
    return {OURS: mine, NAIVE_I: loop, NAIVE_II: gathered}


async def figure_broadcast(
    results: Results, settings: Settings, template: DatabaseTemplate, people: Sequence[Person]
) -> None:
    """Figure 1: ours vs (i) vs (ii), alternating when repeated; then the same three runs again with
    tracemalloc on for their peak memory (tracing slows Python down, so it stays out of the timed runs)."""
    runs: dict[str, list[Run]] = {OURS: [], NAIVE_I: [], NAIVE_II: []}
    for repetition in range(settings.repeat):
        for column, run in (await _three_ways(settings, template, people, f"run {repetition + 1}")).items():
            runs[column].append(run)
    tracemalloc.start()
    try:
        traced = await _three_ways(settings, template, people, "memory (tracemalloc on)")
    finally:
        tracemalloc.stop()
    small = await _small_broadcasts(settings, template.kind)
    n = len(people)
    ideal = n / TELEGRAM_RATE

    def row(key: str, per_run: str, scale: float = 1.0, worst: bool = False, **kwargs: Any) -> None:
        pick = _worst if worst else _median
        values = {column: pick(column_runs, per_run) * scale for column, column_runs in runs.items()}
        results.set(key, ours=values[OURS], naive_i=values[NAIVE_I], naive_ii=values[NAIVE_II], **kwargs)

    row(
        "broadcast.wall",
        "wall",
        details={
            "timed_runs": {c: [r.summary() for r in rs] for c, rs in runs.items()},
            "memory_runs": {c: r.summary() for c, r in traced.items()},
        },
    )
    row(
        "broadcast.ratio",
        "wall",
        1 / ideal,
        note=f"N = {n:,} registered PPS members; N / 30 per s (Telegram's limit) = {ideal:.2f} s, the goal "
        f"{1.05 * ideal:.2f} s; ours at the default [delivery] rate (the whole budget: paced at 29/s); median "
        f"of {settings.repeat} run(s) each, 429s the worst run",
    )
    small_goal = 1.2 * SMALL / PACE + 0.5
    results.set(
        "broadcast.small",
        ours=max(run.wall for run in small),
        note=f"{SMALL} recipients (the first {SMALL} PPS registered), the worst of {len(small)} run(s); goal "
        f"1.2 × {SMALL} / {PACE:.0f} + 0.5 = {small_goal:.2f} s; 429s {max(r.too_many for r in small)}, missing "
        f"{max(r.missing for r in small)}, twice {max(r.duplicates for r in small)}",
        details={"runs": [r.summary() for r in small]},
    )
    rates = {c: statistics.median(r.delivered / r.wall for r in rs) for c, rs in runs.items()}
    results.set("broadcast.rate", ours=rates[OURS], naive_i=rates[NAIVE_I], naive_ii=rates[NAIVE_II])
    row("broadcast.429", "too_many", worst=True)
    row("broadcast.missing", "missing", worst=True)
    row("broadcast.duplicates", "duplicates", worst=True)
    row(
        "broadcast.cpu",
        "cpu",
        1000 / n,
        note="CPU time of the process minus the sandbox thread's, per recipient",
    )
    results.set(
        "broadcast.memory",
        ours=traced[OURS].peak_mb,
        naive_i=traced[NAIVE_I].peak_mb,
        naive_ii=traced[NAIVE_II].peak_mb,
        note="a second set of the three runs with tracemalloc on: the peak of Python allocations above the "
        "start of the run, the in-process sandbox's records of the messages included (about the same for all "
        "three)",
    )


async def _small_broadcasts(settings: Settings, kind: str) -> list[Run]:
    """The same broadcast to a world where only the first SMALL PPS are registered, once per repetition."""
    template = await DatabaseTemplate.create(
        kind, "small", workdir=settings.workdir, postgres_url=settings.postgres_url
    )
    try:
        people = await build_lebak(template.url, min(SMALL, settings.broadcast_members))
        runs = []
        for repetition in range(settings.repeat):
            settings.progress(f"figure 1, a {len(people)}-recipient broadcast, run {repetition + 1}")
            runs.append(await ours(template, people, latency=settings.latency, limits=TelegramLimits()))
        return runs
    finally:
        await template.drop()


async def figure_interactive(
    results: Results, settings: Settings, template: DatabaseTemplate, people: Sequence[Person]
) -> None:
    """Figure 2: members send /jadwal or check in at random moments during the broadcast; ours vs (ii)."""
    limits = TelegramLimits()
    # Both broadcasts last at least N / 30 s; the members act within the first 80 % of that.
    span = 0.8 * len(people) / 30
    interactions = during(people, settings.interactive, span, settings.seed)
    settings.progress(f"figure 2: ours, {len(interactions)} members talk during the broadcast")
    timeout = settings.answer_timeout(len(people), OUR_RATE)
    mine = await ours(
        template,
        people,
        latency=settings.latency,
        limits=limits,
        interactions=interactions,
        answer_timeout=timeout,
    )
    settings.progress(f"figure 2: naive (ii), {len(interactions)} members talk during the broadcast")
    naive = await gather_bot(
        template,
        people,
        latency=settings.latency,
        limits=limits,
        interactions=interactions,
        answer_timeout=timeout,
    )

    def latencies(run: Run) -> list[float | None]:
        return [a.latency for a in run.answers]

    for p in (50, 95, 99):
        results.set(
            f"interactive.p{p}",
            ours=ms(percentile(latencies(mine), p)),
            naive_ii=ms(percentile(latencies(naive), p)),
        )
    results.set(
        "interactive.failed",
        ours=sum(1 for a in mine.answers if a.latency is None),
        naive_ii=sum(1 for a in naive.answers if a.latency is None),
        note=f"{len(interactions)} members, /jadwal or a location check-in at random moments in the first "
        f"{span:.0f} s; time from their message to the first message of the answer arriving at the sandbox "
        "(the venue for /jadwal); a missing or wrong answer (none within "
        f"{timeout:.0f} s) counts as infinitely late",
        details={OURS: mine.summary(), NAIVE_II: naive.summary()},
    )
    results.set("interactive.broadcast_wall", ours=mine.wall, naive_ii=naive.wall)
