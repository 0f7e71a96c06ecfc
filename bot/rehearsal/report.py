"""What the operator reads during and after a rehearsal: the timeline as it happens, then the summary and files."""

import asyncio
import time
from datetime import datetime
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.attendance.chart import attendance_chart_png
from bot.attendance.exports import attendance_xlsx
from bot.attendance.recap import attendance_recap, attendance_rows
from bot.broadcasts.compose import PLACEHOLDERS, first_line, personalise, recipient_values
from bot.broadcasts.reports import delivery_report
from bot.core.clock import ScaledClock
from bot.core.db import SessionFactory
from bot.rehearsal.people import Person
from bot.texts import render_plain
from bot.texts.formatting import number, percent, time_short
from models import Broadcast, BroadcastStatus, CheckIn, Delivery, Kecamatan, Member, Position


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


async def sample_first_line(
    session: AsyncSession, broadcast_id: int, body_html: str, *, language: str, zone: ZoneInfo
) -> str:
    """The first line as one recipient reads it (placeholders filled, marked as a sample), else as written."""
    first = first_line(body_html)
    if not any(f"{{{name}}}" in first_line(body_html, limit=10_000) for name in PLACEHOLDERS):
        return first  # nothing to fill
    member_id = await session.scalar(
        select(func.min(Delivery.member_id)).where(Delivery.broadcast_id == broadcast_id)
    )
    values = (
        await recipient_values(session, [(member_id, 0)], zone=zone, default_language=language)
        if member_id is not None
        else []
    )
    if not values:  # nobody to fill them for: say that the braces are placeholders
        return f"{first} ({render_plain(language, 'rh.placeholders')})"
    filled = first_line(personalise(body_html, values[0]))
    return f"{filled} ({render_plain(language, 'rh.sample', name=values[0].nama)})"


class Timeline:
    """Prints each broadcast as it starts and finishes, and check-in progress during the windows.

    Times are on the plan clock: a broadcast is done when its last recipient was answered (seen by the
    poll, or the outbox's own finishing time if that is earlier), not when the timeline happens to look.
    """

    def __init__(self, factory: SessionFactory, printer: Printer, clock: ScaledClock, zone: ZoneInfo) -> None:
        self._factory = factory
        self._printer = printer
        self._clock = clock
        self._zone = zone
        self._seen: dict[int, BroadcastStatus] = {}
        self._answered_at: dict[int, datetime] = {}
        self._last_bar = -1

    def plan_time(self, moment: datetime) -> str:
        language = self._printer.language
        return f"{moment.astimezone(self._zone):%d/%m} {time_short(moment, language, self._zone)}"

    async def poll(self, total_pps: int) -> None:
        language = self._printer.language
        now = self._clock.now()
        async with self._factory() as session:
            rows = (
                await session.execute(
                    select(
                        Broadcast.id,
                        Broadcast.status,
                        Broadcast.send_at,
                        Broadcast.body_html,
                        Broadcast.finished_at,
                    )
                    .where(Broadcast.status != BroadcastStatus.SCHEDULED)
                    .order_by(Broadcast.id)
                )
            ).all()
            for broadcast_id, status, send_at, body, finished_at in rows:
                before = self._seen.get(broadcast_id)
                if status is BroadcastStatus.SENDING and broadcast_id not in self._answered_at:
                    report = await delivery_report(session, broadcast_id)
                    if report.sent + report.blocked + report.failed + report.cancelled >= report.total:
                        self._answered_at[broadcast_id] = now
                if status == before:
                    continue
                self._seen[broadcast_id] = status
                report = await delivery_report(session, broadcast_id)
                started = (BroadcastStatus.SENDING, BroadcastStatus.DONE, BroadcastStatus.FAILED)
                if before is None and status in started:  # a small one may start and finish between looks
                    self._printer.say(
                        "rh.broadcast_start",
                        plan_time=self.plan_time(send_at),
                        real=self._printer.real(),
                        first_line=await sample_first_line(
                            session, broadcast_id, body, language=language, zone=self._zone
                        ),
                        recipients=number(report.total, language),
                    )
                if status in (BroadcastStatus.DONE, BroadcastStatus.FAILED):
                    done_at = min(
                        [m for m in (finished_at, self._answered_at.get(broadcast_id)) if m is not None],
                        default=now,
                    )
                    self._printer.say(
                        "rh.broadcast_done",
                        plan_time=self.plan_time(done_at),
                        real=self._printer.real(),
                        id=broadcast_id,
                        sent=number(report.sent, language),
                        blocked=number(report.blocked, language),
                        failed=number(report.failed, language),
                    )
            # Progress of the PPS (the bar's total); PPK check in too and are counted in the recap.
            done = (
                await session.scalar(
                    select(func.count())
                    .select_from(CheckIn)
                    .join(Member, Member.id == CheckIn.member_id)
                    .where(Member.position != Position.PPK)
                )
                or 0
            )
        tenth = done * 10 // max(total_pps, 1)
        if done and tenth != self._last_bar:
            self._last_bar = tenth
            bar = "[" + "#" * tenth + "-" * (10 - tenth) + "]"
            self._printer.say(
                "rh.progress", bar=bar, done=number(done, language), total=number(total_pps, language)
            )


async def write_report(
    printer: Printer,
    folder: Path,
    factory: SessionFactory,
    people: list[Person],
    clock: ScaledClock,
    *,
    language: str,
    zone: ZoneInfo,
) -> int:
    """The attendance recap, the check-in outcomes and the delivery of every broadcast; the export and chart."""
    async with factory() as session:
        recap = await attendance_recap(session, None)
        rows = await attendance_rows(session, None)
        broadcasts = (
            await session.execute(
                select(Broadcast.id, Broadcast.send_at, Broadcast.body_html)
                .where(Broadcast.status != BroadcastStatus.SCHEDULED)
                .order_by(Broadcast.send_at)
            )
        ).all()
        reports = [
            (
                (broadcast_id, send_at, body),
                await sample_first_line(session, broadcast_id, body, language=language, zone=zone),
                await delivery_report(session, broadcast_id),
            )
            for broadcast_id, send_at, body in broadcasts
        ]
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
    for (broadcast_id, send_at, _), line, report in reports:
        printer.say(
            "rh.delivery_line",
            id=broadcast_id,
            plan_time=f"{send_at.astimezone(zone):%d/%m} {time_short(send_at, language, zone)}",
            first_line=line,
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
