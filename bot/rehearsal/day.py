"""`python -m bot rehearse`: the whole training day offline, the bot against the sandbox with simulated members."""

import asyncio
import csv
import functools
import heapq
import random
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select, update

from bot.app import build_application, running
from bot.attendance.chart import attendance_chart_png
from bot.attendance.exports import attendance_xlsx
from bot.attendance.recap import attendance_recap, attendance_rows
from bot.broadcasts.compose import first_line
from bot.broadcasts.reports import delivery_report
from bot.cli.admin import roster_import, wilayah_import
from bot.cli.plan import plan_import
from bot.core.clock import ScaledClock
from bot.core.config import Config, DatabaseConfig, SchedulerConfig, TelegramConfig
from bot.core.db import SessionFactory, make_engine, make_session_factory, upgrade_to_head
from bot.plan.parsing import read_plan_file
from bot.plan.sections import plan_sections
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
from bot.roster.files import read_roster_file
from bot.roster.synthetic import synthetic_roster, write_roster_csv
from bot.roster.wilayah import WilayahRow, read_wilayah_file
from bot.runtime.context import BotApplication
from bot.sandbox import Sandbox
from bot.texts import render_plain
from bot.texts.formatting import number, percent, time_short
from handlers.duties.wording import DUTY_WORDING
from models import (
    Broadcast,
    BroadcastStatus,
    CheckIn,
    Kecamatan,
    Member,
    Position,
    TelegramAccount,
    TrainingSession,
)

DEFAULT_WILAYAH = Path(__file__).resolve().parents[3] / "shared" / "data" / "lebak_wilayah.csv"
REPLY_TIMEOUT = 60.0
TICK_SECONDS = 0.2
# A stretch of plan time with nothing scheduled longer than this is skipped over.
QUIET_GAP = timedelta(minutes=20)


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


class Printer:
    """Operator output from the catalog, with the real time elapsed since the rehearsal began."""

    def __init__(self, out: TextIO, language: str) -> None:
        self.out = out
        self.language = language
        self.started = time.monotonic()

    def say(self, key: str, **values: object) -> None:
        print(render_plain(self.language, key, **values), file=self.out, flush=True)

    def real(self) -> str:
        seconds = int(time.monotonic() - self.started)
        return f"{seconds // 60:02d}:{seconds % 60:02d}"


def _synthetic_wilayah(plan_text: str) -> list[WilayahRow]:
    """Twelve made-up desa for every kecamatan the plan names (when the official list is not at hand)."""
    import tomllib

    from models import DesaKind

    names = [entry["kecamatan"] for entry in tomllib.loads(plan_text).get("session", [])]
    rows: list[WilayahRow] = []
    for k, name in enumerate(names, start=1):
        for d in range(1, 13):
            rows.append(
                WilayahRow(
                    row=len(rows) + 2,
                    kecamatan_code=f"99.01.{k:02d}",
                    kecamatan_name=name,
                    desa_code=f"99.01.{k:02d}.{2000 + d}",
                    desa_name=f"{name} {d:02d}",
                    kind=DesaKind.DESA,
                )
            )
    return rows


def _before_the_day(plan_text: str, zone: ZoneInfo) -> datetime:
    """Midnight two days before the plan's date, in the plan's zone (or now, if the plan has no date)."""
    import tomllib

    try:
        day = tomllib.loads(plan_text)["plan"]["date"]
    except (tomllib.TOMLDecodeError, KeyError, TypeError):
        return datetime.now(zone)
    if not isinstance(day, date):
        return datetime.now(zone)
    return datetime.combine(day - timedelta(days=2), datetime.min.time(), tzinfo=zone)


def _write_wilayah_csv(rows: list[WilayahRow], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["kode_kecamatan", "kecamatan", "kode_desa", "desa", "jenis"])
        for row in rows:
            writer.writerow(
                [row.kecamatan_code, row.kecamatan_name, row.desa_code, row.desa_name, row.kind.value]
            )


async def _load_world(
    factory: SessionFactory,
) -> tuple[list[tuple[int, str, str, int, bool]], dict[int, VenueFacts]]:
    async with factory() as session:
        members = [
            (member_id, name, phone, kecamatan_id, position is not Position.PPK)
            for member_id, name, phone, kecamatan_id, position in await session.execute(
                select(Member.id, Member.name, Member.phone, Member.kecamatan_id, Member.position)
                .where(Member.active.is_(True))
                .order_by(Member.id)
            )
        ]
        venues = {
            row.kecamatan_id: VenueFacts(
                row.id,
                row.secret,
                row.latitude,
                row.longitude,
                row.radius_m or None,
                row.checkin_opens_at,
                row.checkin_closes_at,
            )
            for row in await session.scalars(select(TrainingSession))
        }
    return members, venues


async def _plan_span(factory: SessionFactory) -> tuple[list[datetime], datetime]:
    """Moments something is scheduled (broadcasts, check-in windows), and when the day is over."""
    async with factory() as session:
        sends = list(
            await session.scalars(
                select(Broadcast.send_at).where(Broadcast.status == BroadcastStatus.SCHEDULED)
            )
        )
        windows = (
            await session.execute(
                select(
                    func.min(TrainingSession.checkin_opens_at),
                    func.max(TrainingSession.checkin_closes_at),
                    func.max(TrainingSession.ends_at),
                )
            )
        ).one()
    moments = sorted([*sends, windows[0], windows[1]])
    end = max([*sends, windows[2]]) + timedelta(minutes=5)
    return moments, end


async def _preregister(factory: SessionFactory, people: list[Person]) -> None:
    """Members who registered before the rehearsal window: linked directly, in two statements."""
    linked = [p for p in people if p.registration in (Registration.BEFORE, Registration.BLOCKED)]
    if not linked:
        return
    async with factory() as session, session.begin():
        await session.execute(
            insert(TelegramAccount),
            [{"id": p.user.id, "first_name": p.name[:256], "reachable": True} for p in linked if p.user],
        )
        for person in linked:
            assert person.user is not None
            await session.execute(
                update(Member)
                .where(Member.id == person.member_id)
                .values(telegram_user_id=person.user.id, registered_at=func.now())
            )


class Timeline:
    """Prints each broadcast as it starts and finishes, and check-in progress during the windows."""

    def __init__(self, factory: SessionFactory, printer: Printer, clock: ScaledClock, zone: ZoneInfo) -> None:
        self._factory = factory
        self._printer = printer
        self._clock = clock
        self._zone = zone
        self._seen: dict[int, BroadcastStatus] = {}
        self._last_bar = -1

    def _plan_time(self, moment: datetime) -> str:
        language = self._printer.language
        return f"{moment.astimezone(self._zone):%d/%m} {time_short(moment, language, self._zone)}"

    async def poll(self, total_pps: int) -> None:
        language = self._printer.language
        async with self._factory() as session:
            rows = (
                await session.execute(
                    select(Broadcast.id, Broadcast.status, Broadcast.send_at, Broadcast.body_html).order_by(
                        Broadcast.id
                    )
                )
            ).all()
            for broadcast_id, status, send_at, body in rows:
                before = self._seen.get(broadcast_id)
                if status == before:
                    continue
                self._seen[broadcast_id] = status
                report = await delivery_report(session, broadcast_id)
                if status is BroadcastStatus.SENDING:
                    self._printer.say(
                        "rh.broadcast_start",
                        plan_time=self._plan_time(send_at),
                        real=self._printer.real(),
                        first_line=first_line(body),
                        recipients=number(report.total, language),
                    )
                elif status in (BroadcastStatus.DONE, BroadcastStatus.FAILED):
                    self._printer.say(
                        "rh.broadcast_done",
                        plan_time=self._plan_time(self._clock.now()),
                        real=self._printer.real(),
                        id=broadcast_id,
                        sent=number(report.sent, language),
                        blocked=number(report.blocked, language),
                        failed=number(report.failed, language),
                    )
            done = await session.scalar(select(func.count()).select_from(CheckIn)) or 0
        tenth = done * 10 // max(total_pps, 1)
        if done and tenth != self._last_bar:
            self._last_bar = tenth
            bar = "[" + "#" * tenth + "-" * (10 - tenth) + "]"
            self._printer.say(
                "rh.progress", bar=bar, done=number(done, language), total=number(total_pps, language)
            )


class Rehearsal:
    """Drives plan time: runs the simulated actions when their moment comes, skips quiet stretches."""

    def __init__(
        self, application: BotApplication, clock: ScaledClock, printer: Printer, zone: ZoneInfo
    ) -> None:
        self._app = application
        self._clock = clock
        self._printer = printer
        self._zone = zone
        self._queue: list[tuple[datetime, int, Callable[[], Awaitable[None]]]] = []
        self._counter = 0
        self._running: set[asyncio.Task[None]] = set()

    def at(self, moment: datetime, action: Callable[[], Awaitable[None]]) -> None:
        self._counter += 1
        heapq.heappush(self._queue, (moment, self._counter, action))

    async def run_until(
        self, end: datetime, moments: list[datetime], timeline: Timeline, total_pps: int
    ) -> None:
        scheduler = self._app.bot_data.scheduler
        outbox = self._app.bot_data.outbox
        last_poll = 0.0
        while self._clock.now() < end:
            now = self._clock.now()
            while self._queue and self._queue[0][0] <= now:
                _, _, action = heapq.heappop(self._queue)
                task = asyncio.create_task(run_safely(action()))
                self._running.add(task)
                task.add_done_callback(self._running.discard)
            await scheduler.fire_due()
            if time.monotonic() - last_poll >= 0.5:
                await timeline.poll(total_pps)
                last_poll = time.monotonic()
            upcoming = [m for m in moments if m > now]
            if self._queue:
                upcoming.append(self._queue[0][0])
            upcoming.append(end)
            next_moment = min(upcoming)
            busy = bool(self._running) or await self._outbox_busy()
            if not busy and next_moment - now > QUIET_GAP:
                target = next_moment - timedelta(minutes=2)
                self._printer.say("rh.jump", time=timeline._plan_time(target))
                self._clock.jump_to(target)
                await scheduler.reconcile()
                continue
            await asyncio.sleep(TICK_SECONDS)
        if self._running:
            await asyncio.wait(self._running, timeout=REPLY_TIMEOUT)
        await outbox.wait_idle(timeout=600)
        await timeline.poll(total_pps)

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
    """Run the rehearsal; returns the process exit code."""
    printer = Printer(out, options.language)
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
            wilayah_rows = _synthetic_wilayah(plan_text)
            wilayah_path = folder / "wilayah.csv"
            _write_wilayah_csv(wilayah_rows, wilayah_path)
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
        imported_at = _before_the_day(plan_text, options.zone)
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

        members, venues = await _load_world(factory)
        moments, end = await _plan_span(factory)
        async with factory() as session:
            has_program = bool(
                await session.scalar(
                    select(func.count()).select_from(Broadcast).where(Broadcast.duty_id.is_(None))
                )
            )
        if not has_program:
            printer.say("rh.no_program")
        start = min(moments) - timedelta(minutes=3)
        people = cast_people(members, venues, evening_before=start, seed=options.seed)
        return await _simulate(options, printer, folder, url, factory, people, venues, start, moments, end)
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
    attending = {
        kind: sum(p.attendance is kind and p.check_in_at is not None for p in people) for kind in Attendance
    }
    printer.say(
        "rh.checkin_plan",
        qr=number(attending[Attendance.ON_SITE], language),
        far=number(attending[Attendance.TOO_FAR], language),
        expired=number(attending[Attendance.EXPIRED_CODE], language),
        absent=number(
            sum(p.is_pps for p in people)
            - sum(p.check_in_at is not None and p.attendance is not Attendance.ABSENT for p in people),
            language,
        ),
    )
    clock = ScaledClock(start, options.speed)
    printer.say(
        "rh.clock",
        start=f"{start.astimezone(options.zone):%d/%m/%Y} {time_short(start, language, options.zone)}",
        speed=number(options.speed, language),
    )
    rng = random.Random(options.seed)
    async with Sandbox() as sandbox:
        for person in people:
            person.user = sandbox.new_user(
                person.name.split()[0], phone_number=person.phone, language_code="id"
            )
        await _preregister(factory, people)
        for person in people:
            if person.registration is Registration.BLOCKED and person.user is not None:
                person.user.block(notify_bot=False)
        config = Config(
            telegram=TelegramConfig(
                token=sandbox.token, base_url=sandbox.base_url, base_file_url=sandbox.base_file_url
            ),
            database=DatabaseConfig(url=url),
            scheduler=SchedulerConfig(timezone=options.zone),
        )
        application = build_application(config, clock=clock)
        window = config.checkin.code_window_minutes
        async with running(application, poll_timeout=2):
            rehearsal = Rehearsal(application, clock, printer, options.zone)
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
            total_pps = sum(p.is_pps for p in people)
            await rehearsal.run_until(end, moments, timeline, total_pps)
    return await _report(options, printer, folder, factory, people, clock)


async def _check_in(
    person: Person, venue: VenueFacts, clock: ScaledClock, window: int, rng: random.Random
) -> None:
    await check_in_at_venue(person, venue, clock.now(), window_minutes=window, timeout=REPLY_TIMEOUT, rng=rng)


async def _report(
    options: RehearsalOptions,
    printer: Printer,
    folder: Path,
    factory: SessionFactory,
    people: list[Person],
    clock: ScaledClock,
) -> int:
    language, zone = options.language, options.zone
    async with factory() as session:
        recap = await attendance_recap(session, None)
        rows = await attendance_rows(session, None)
        broadcasts = (
            await session.execute(
                select(Broadcast.id, Broadcast.send_at, Broadcast.body_html).order_by(Broadcast.send_at)
            )
        ).all()
        reports = [(b, await delivery_report(session, b[0])) for b in broadcasts]
        checked_in = set(await session.scalars(select(CheckIn.member_id)))
        names = dict((await session.execute(select(Kecamatan.id, Kecamatan.name))).tuples().all())
    printer.say("rh.recap_title")
    for kecamatan in recap.kecamatan:
        printer.say(
            "rh.recap_line",
            kecamatan=names.get(kecamatan.kecamatan_id, kecamatan.name),
            present=number(kecamatan.pps.present, language),
            roster=number(kecamatan.pps.roster, language),
            percent=percent(kecamatan.pps.present_ratio or 0.0, language),
        )
    printer.say(
        "rh.recap_total",
        present=number(recap.pps.present, language),
        roster=number(recap.pps.roster, language),
        percent=percent(recap.pps.present_ratio or 0.0, language),
        full=number(recap.desa.present_3, language),
        empty=number(recap.desa.present_0, language),
    )
    printer.say(
        "rh.outcomes",
        ok=number(len(checked_in), language),
        far=number(sum("too_far" in p.outcomes and p.member_id not in checked_in for p in people), language),
        expired=number(sum("expired" in p.outcomes for p in people), language),
        late=number(sum("registered" in p.outcomes for p in people), language),
    )
    printer.say("rh.delivery_title")
    for (broadcast_id, send_at, body), report in reports:
        printer.say(
            "rh.delivery_line",
            id=broadcast_id,
            plan_time=f"{send_at.astimezone(zone):%d/%m} {time_short(send_at, language, zone)}",
            first_line=first_line(body),
            sent=number(report.sent, language),
            total=number(report.total, language),
            blocked=number(report.blocked, language),
            failed=number(report.failed, language),
        )
    xlsx_path = folder / "rekap-presensi.xlsx"
    chart_path = folder / "grafik-presensi.png"
    xlsx_path.write_bytes(
        attendance_xlsx(recap, rows, language=language, zone=zone, generated_at=clock.now())
    )
    chart_path.write_bytes(await asyncio.to_thread(attendance_chart_png, recap, language=language))
    printer.say("rh.files", xlsx=xlsx_path, chart=chart_path)
    return 0
