"""`python -m bot rehearse`: the whole training day offline, the bot against the sandbox with simulated members.

This module drives the day (set-up in order, plan time, the simulated members' actions); the world's
set-up helpers are in world.py and everything printed for the operator is in report.py.
"""

import asyncio
import contextlib
import functools
import heapq
import random
import signal
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.app import build_application, running
from bot.cli.admin import roster_import, wilayah_import
from bot.cli.plan import plan_import
from bot.cli.plan_sections import plan_sections
from bot.core.clock import ScaledClock
from bot.core.config import BoardConfig, Config, DatabaseConfig, SchedulerConfig, TelegramConfig
from bot.core.db import SessionFactory, make_engine, make_session_factory, upgrade_to_head
from bot.plan.parsing import read_plan_file
from bot.rehearsal.board import board_config, board_link
from bot.rehearsal.cascade import rehearse_cascade
from bot.rehearsal.people import (
    Attendance,
    Person,
    Registration,
    VenueFacts,
    cast_people,
    check_in_at_venue,
    register_through_bot,
    run_safely,
)
from bot.rehearsal.report import Printer, Timeline, write_report
from bot.rehearsal.world import (
    DEFAULT_WILAYAH,
    before_the_day,
    load_world,
    plan_span,
    preregister,
    synthetic_wilayah,
    write_wilayah_csv,
)
from bot.roster.files import read_roster_file
from bot.roster.synthetic import synthetic_roster, write_roster_csv
from bot.roster.wilayah import read_wilayah_file
from bot.runtime.context import BotApplication
from bot.sandbox import Sandbox
from bot.texts.formatting import number, time_short
from handlers.duties.wording import DUTY_WORDING
from models import Broadcast, BroadcastStatus

REPLY_TIMEOUT = 60.0
TICK_SECONDS = 0.2
# Whenever nothing is in progress and the next thing to happen is at least MIN_SKIP away, the clock
# skips to it (shorter idle moments run at the rehearsal's speed); a skip of QUIET_GAP or more is also
# shown on the timeline, and the bot's jobs are rescheduled after it.
MIN_SKIP = timedelta(minutes=1)
QUIET_GAP = timedelta(minutes=20)
EXIT_INTERRUPTED = 130


@dataclass(frozen=True)
class RehearsalOptions:
    """What the command line asked for."""

    plan: Path
    roster: Path | None
    wilayah: Path | None
    speed: float
    out: Path | None
    seed: int
    language: str
    zone: ZoneInfo
    with_duties: bool = False
    board: bool = False
    board_port: int = 0


class Rehearsal:
    """Drives plan time: runs the simulated actions when their moment comes, skips quiet stretches.

    The clock runs at the rehearsal's speed while anything is in progress (a member's conversation, a
    broadcast being sent: the bot's rate limits hold in plan time, see build_application); whenever
    nothing is, it skips to the next moment something happens.
    """

    def __init__(
        self,
        application: BotApplication,
        clock: ScaledClock,
        printer: Printer,
        zone: ZoneInfo,
        stop: asyncio.Event | None = None,
    ) -> None:
        self._app = application
        self._clock = clock
        self._printer = printer
        self._zone = zone
        self._queue: list[tuple[datetime, int, Callable[[], Awaitable[None]]]] = []
        self._counter = 0
        self._running: set[asyncio.Task[None]] = set()
        self.stop_requested = stop or asyncio.Event()

    def at(self, moment: datetime, action: Callable[[], Awaitable[None]]) -> None:
        self._counter += 1
        heapq.heappush(self._queue, (moment, self._counter, action))

    async def run_until(
        self, end: datetime, moments: list[datetime], timeline: Timeline, total_pps: int
    ) -> None:
        outbox = self._app.bot_data.outbox
        moments = sorted(m for m in moments if m <= end)
        stopper = asyncio.create_task(self.stop_requested.wait())
        try:
            await self._drive(end, moments, timeline, total_pps, stopper)
        finally:
            stopper.cancel()
        if self.stop_requested.is_set():
            for task in self._running:
                task.cancel()
            await asyncio.gather(*self._running, return_exceptions=True)
        else:
            if self._running:
                await asyncio.wait(self._running, timeout=REPLY_TIMEOUT)
            await outbox.wait_idle(timeout=600)
        await timeline.poll(total_pps)

    async def _drive(
        self,
        end: datetime,
        moments: list[datetime],
        timeline: Timeline,
        total_pps: int,
        stopper: asyncio.Task[bool],
    ) -> None:
        scheduler = self._app.bot_data.scheduler
        last_poll = 0.0
        while self._clock.now() < end and not self.stop_requested.is_set():
            now = self._clock.now()
            while self._queue and self._queue[0][0] <= now:
                _, _, action = heapq.heappop(self._queue)
                task = asyncio.create_task(run_safely(action()))
                self._running.add(task)
                task.add_done_callback(self._running.discard)
            await scheduler.fire_due()
            if time.monotonic() - last_poll >= 0.25:
                await timeline.poll(total_pps)
                last_poll = time.monotonic()
            while moments and moments[0] <= now:
                moments.pop(0)
            upcoming = [end, *moments[:1]]
            if self._queue:
                upcoming.append(self._queue[0][0])
            next_moment = min(upcoming)
            if next_moment - now >= MIN_SKIP and not self._running and not await self._outbox_busy():
                if next_moment - now >= QUIET_GAP:
                    await timeline.poll(total_pps)
                    last_poll = time.monotonic()
                    self._printer.say("rh.jump", time=timeline.plan_time(next_moment))
                    self._clock.jump_to(next_moment)
                    await scheduler.reconcile()
                else:
                    self._clock.jump_to(next_moment)
                continue
            # Busy (or a short pause): plan time runs; wake for the next moment or when an action ends.
            wait = min(TICK_SECONDS, max(0.01, (next_moment - now).total_seconds() / self._clock.speed))
            if self._running or next_moment - now < MIN_SKIP:
                await asyncio.wait(
                    {*self._running, stopper}, timeout=wait, return_when=asyncio.FIRST_COMPLETED
                )
            else:
                await asyncio.sleep(min(wait, 0.05))

    async def _outbox_busy(self) -> bool:
        async with self._app.bot_data.session_factory() as session:
            return bool(
                await session.scalar(
                    select(func.count())
                    .select_from(Broadcast)
                    .where(Broadcast.status == BroadcastStatus.SENDING)
                )
            )


async def rehearse(options: RehearsalOptions, out: TextIO) -> int:
    """Run the rehearsal; returns the process exit code.

    Ctrl-C (SIGINT) ends the day early: the summary so far and the files are still written (exit 130).
    """
    printer = Printer(out, options.language)
    stop = asyncio.Event()
    with _stop_on_interrupt(stop, printer):
        code = await _rehearse(options, printer, out, stop)
    return EXIT_INTERRUPTED if stop.is_set() else code


@contextlib.contextmanager
def _stop_on_interrupt(stop: asyncio.Event, printer: Printer) -> Iterator[None]:
    """The first Ctrl-C sets `stop` (the day ends at the next tick); the handler is removed afterwards."""
    loop = asyncio.get_running_loop()

    def interrupted() -> None:
        if not stop.is_set():
            printer.say("rh.interrupted")
            stop.set()

    try:
        loop.add_signal_handler(signal.SIGINT, interrupted)
    except (NotImplementedError, RuntimeError, ValueError):  # not the main thread, or no signals here
        yield
        return
    try:
        yield
    finally:
        loop.remove_signal_handler(signal.SIGINT)


async def _rehearse(options: RehearsalOptions, printer: Printer, out: TextIO, stop: asyncio.Event) -> int:
    language = options.language
    folder = options.out or Path(tempfile.mkdtemp(prefix="ppsbot-gladi-"))
    folder.mkdir(parents=True, exist_ok=True)
    printer.say("rh.title")
    printer.say("rh.folder", path=folder)
    database = folder / "gladi.sqlite3"
    database.unlink(missing_ok=True)
    url = f"sqlite+aiosqlite:///{database}"
    engine = make_engine(url)
    try:
        await upgrade_to_head(engine)
        factory = make_session_factory(engine)
        plan_text = read_plan_file(options.plan)

        wilayah_path = options.wilayah or DEFAULT_WILAYAH
        if wilayah_path.exists():
            wilayah_rows = read_wilayah_file(wilayah_path)
        else:
            printer.say("rh.wilayah_fallback", path=wilayah_path)
            wilayah_rows = synthetic_wilayah(plan_text)
            wilayah_path = folder / "wilayah.csv"
            write_wilayah_csv(wilayah_rows, wilayah_path)
        if await wilayah_import(factory, wilayah_path, language=language, out=out):
            return 1

        roster_path = options.roster
        if roster_path is None:
            roster_path = folder / "roster.csv"
            write_roster_csv(synthetic_roster(wilayah_rows, seed=options.seed), roster_path)
        else:
            read_roster_file(roster_path)  # fail early, with the importer's own message below
        if await roster_import(factory, roster_path, language=language, out=out):
            return 1
        # The rehearsal imports the plan as if it were two days before the training day, so that every
        # announcement of the program is still ahead and gets scheduled (the plan is shifted to "now").
        imported_at = before_the_day(plan_text, options.zone)
        if await plan_import(
            factory,
            options.plan,
            language=language,
            zone=options.zone,
            out=out,
            sections=plan_sections(lambda: imported_at, duty_wording=DUTY_WORDING),
        ):
            printer.say("rh.plan_failed")
            return 1

        members, venues = await load_world(factory)
        span = await plan_span(factory)
        end = span.end(with_duties=options.with_duties)
        async with factory() as session:
            has_program = bool(
                await session.scalar(
                    select(func.count()).select_from(Broadcast).where(Broadcast.duty_id.is_(None))
                )
            )
        if not has_program:
            printer.say("rh.no_program")
        if span.later_reminders and not options.with_duties:
            printer.say("rh.duties_skipped", count=number(span.later_reminders, language))
        if stop.is_set():
            return EXIT_INTERRUPTED
        start = min(span.moments) - timedelta(minutes=3)
        people = cast_people(members, venues, evening_before=start, seed=options.seed)
        return await _simulate(
            options, printer, folder, url, factory, people, venues, start, span.moments, end, stop
        )
    finally:
        await engine.dispose()


async def _simulate(
    options: RehearsalOptions,
    printer: Printer,
    folder: Path,
    url: str,
    factory: SessionFactory,
    people: list[Person],
    venues: dict[int, VenueFacts],
    start: datetime,
    moments: list[datetime],
    end: datetime,
    stop: asyncio.Event,
) -> int:
    language = options.language
    count = {kind: sum(p.registration is kind for p in people) for kind in Registration}
    printer.say(
        "rh.people",
        registered=number(count[Registration.BEFORE], language),
        late=number(count[Registration.LATE], language),
        never=number(count[Registration.NEVER], language),
        blocked=number(count[Registration.BLOCKED], language),
    )
    pps = [p for p in people if p.is_pps]
    attending = {
        kind: sum(p.attendance is kind and p.check_in_at is not None for p in pps) for kind in Attendance
    }
    printer.say(
        "rh.checkin_plan",
        qr=number(attending[Attendance.ON_SITE], language),
        far=number(attending[Attendance.TOO_FAR], language),
        expired=number(attending[Attendance.EXPIRED_CODE], language),
        absent=number(
            len(pps) - sum(p.check_in_at is not None and p.attendance is not Attendance.ABSENT for p in pps),
            language,
        ),
    )
    ppk = [p for p in people if not p.is_pps]
    if ppk:
        printer.say(
            "rh.checkin_plan_ppk",
            coming=number(
                sum(p.check_in_at is not None and p.attendance is not Attendance.ABSENT for p in ppk),
                language,
            ),
            total=number(len(ppk), language),
        )
    clock = ScaledClock(start, options.speed)
    printer.say(
        "rh.clock",
        start=f"{start.astimezone(options.zone):%d/%m/%Y} {time_short(start, language, options.zone)}",
        speed=number(options.speed, language),
    )
    printer.say("rh.limits")
    printer.say("rh.sample_note")
    rng = random.Random(options.seed)
    async with Sandbox() as sandbox:
        for person in people:
            person.user = sandbox.new_user(
                person.name.split()[0], phone_number=person.phone, language_code="id"
            )
        await preregister(factory, people, start)
        for person in people:
            if person.registration is Registration.BLOCKED and person.user is not None:
                person.user.block(notify_bot=False)
        config = Config(
            telegram=TelegramConfig(
                token=sandbox.token, base_url=sandbox.base_url, base_file_url=sandbox.base_file_url
            ),
            database=DatabaseConfig(url=url),
            scheduler=SchedulerConfig(timezone=options.zone),
            board=board_config(options.board_port) if options.board else BoardConfig(),
        )
        application = build_application(config, clock=clock)
        window = config.checkin.code_window_minutes
        async with running(application, poll_timeout=2):
            if options.board:
                link = await board_link(
                    factory, sandbox, config.board, now=clock.now(), until=end, zone=options.zone
                )
                printer.say("rh.board", url=link)
            rehearsal = Rehearsal(application, clock, printer, options.zone, stop)
            for person in people:
                if person.registration is Registration.LATE and person.register_at is not None:
                    rehearsal.at(
                        person.register_at, functools.partial(register_through_bot, person, REPLY_TIMEOUT)
                    )
                venue = venues.get(person.kecamatan_id)
                if (
                    person.check_in_at is not None
                    and venue is not None
                    and person.attendance is not Attendance.ABSENT
                ):
                    rehearsal.at(
                        person.check_in_at, functools.partial(_check_in, person, venue, clock, window, rng)
                    )
            timeline = Timeline(factory, printer, clock, options.zone)
            await rehearsal.run_until(end, moments, timeline, len(pps))
            if not stop.is_set():
                # The cascade: one desa's Pantarlih Bimtek, end to end, after the day (bot/rehearsal/cascade.py).
                await run_safely(
                    rehearse_cascade(sandbox, factory, people, clock, printer, options.zone, REPLY_TIMEOUT)
                )
    return await write_report(
        printer, folder, factory, people, clock, language=options.language, zone=options.zone
    )


async def _check_in(
    person: Person, venue: VenueFacts, clock: ScaledClock, window: int, rng: random.Random
) -> None:
    await check_in_at_venue(person, venue, clock.now(), window_minutes=window, timeout=REPLY_TIMEOUT, rng=rng)
