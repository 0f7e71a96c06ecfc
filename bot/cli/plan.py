"""`python -m bot plan import FILE [--on DATE | --past] | show`: import the plan all or nothing (re-dated
if asked), and print the day's timeline."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.cli.problems import ProblemReport
from bot.core.db import refresh_statistics
from bot.plan.document import PlanSection, TimelineLine, TimelineSection, sorted_issues
from bot.plan.parsing import parse_plan, read_plan_file
from bot.plan.problems import PlanRejected
from bot.plan.reader import show_coordinate
from bot.plan.sessions import check_kecamatan_names, import_plan
from bot.plan.views import SessionView, active_members_by_kecamatan, list_sessions
from models import TrainingSession

CLI_ACTOR = "cli"
EXIT_OK = 0
EXIT_REFUSED = 1
REJECTED = "plan.rejected"


class _Printer(ProblemReport):
    """The plan's catalog lines: dates and times in the language's locale and the given zone."""

    def __init__(self, language: str, zone: ZoneInfo, out: TextIO) -> None:
        super().__init__(language, out, catalog="plan")
        self.zone = zone

    def day(self, value: date) -> str:
        return format_date(value, self.text("plan.format.date"), locale=self.language)

    def clock(self, moment: datetime) -> str:
        return format_datetime(moment, self.text("plan.format.time"), tzinfo=self.zone, locale=self.language)

    def zone_label(self, moment: datetime) -> str:
        return moment.astimezone(self.zone).tzname() or self.zone.key


async def plan_import(
    factory: async_sessionmaker[AsyncSession],
    path: Path,
    *,
    language: str,
    zone: ZoneInfo,
    out: TextIO,
    sections: Sequence[PlanSection[Any]] = (),
    on: date | None = None,
    past: bool = False,
    now: datetime | None = None,
) -> int:
    """`python -m bot plan import FILE`: the summary and warnings, or every error with its place; all or nothing.

    `on` moves the plan by whole days so that its training day is that date. `now` (the command line passes
    the wall clock; the rehearsal and tests import on their own clock and pass none) refuses a plan whose
    training day is over by then, unless `past` asks to store it as written."""
    printer = _Printer(language, zone, out)
    try:
        text = await asyncio.to_thread(read_plan_file, path)
        document = parse_plan(text, source=path.name, default_zone=zone, sections=sections, on=on)
    except PlanRejected as rejected:
        errors = list(rejected.errors)
        if rejected.kecamatan_names:
            async with factory() as session:
                errors.extend(await check_kecamatan_names(session, rejected.kecamatan_names))
        printer.rejected(sorted_issues(errors), rejected.warnings, closing=REJECTED)
        return EXIT_REFUSED
    if now is not None and not past and document.ends_at <= now:
        # Refused rather than stored with a warning: a coordinator importing last year's file means to reuse
        # it, and a stored past plan looks like success while /jadwal invites members to a day long gone and
        # no announcement is scheduled. `--past` stores it as written (e.g. fixing a venue after the day).
        printer.line(
            "plan.past", date=printer.day(document.date), file=path.name, example=_example_day(now, zone)
        )
        return EXIT_REFUSED
    try:
        async with factory() as session, session.begin():
            summary = await import_plan(session, document, actor=CLI_ACTOR, source_name=path.name)
    except PlanRejected as rejected:
        printer.rejected(sorted_issues(rejected.errors), rejected.warnings, closing=REJECTED)
        return EXIT_REFUSED
    await refresh_statistics(factory, TrainingSession.__tablename__)  # a bulk load: fresh planner statistics
    n = printer.number
    printer.line(
        "plan.imported",
        name=summary.name,
        file=path.name,
        date=printer.day(summary.date),
        sessions=n(summary.sessions),
        new=n(summary.sessions_new),
        updated=n(summary.sessions_updated),
        unchanged=n(summary.sessions_unchanged),
    )
    if document.written_date is not None:
        printer.line(
            "plan.moved",
            written=printer.day(document.written_date),
            date=printer.day(document.date),
            days=n(document.moved_days),
        )
    if summary.sessions_removed:
        printer.line("plan.removed", count=n(summary.sessions_removed))
    for outcome in summary.sections:
        printer.line(outcome.summary_key, **{k: n(v) for k, v in outcome.counts.items()})
    printer.warnings(summary.warnings)
    return EXIT_OK


def _example_day(now: datetime, zone: ZoneInfo) -> str:
    """A date to show in the --on hint: a week from today (the operator picks the real one)."""
    return (now.astimezone(zone).date() + timedelta(days=7)).isoformat()


_EVENTS = ("checkin_opens", "starts", "checkin_closes", "ends")
_NAMES_SHOWN = 5


async def plan_show(
    factory: async_sessionmaker[AsyncSession],
    *,
    language: str,
    zone: ZoneInfo,
    out: TextIO,
    sections: Sequence[PlanSection[Any]] = (),
) -> int:
    """`python -m bot plan show`: the day's timeline (who opens, starts, closes, ends when, with the lines of
    `sections` that are TimelineSections merged in), then each venue."""
    printer = _Printer(language, zone, out)
    async with factory() as session:
        views = await list_sessions(session)
        members = await active_members_by_kecamatan(session)
        extra = [
            line
            for section in sections
            if isinstance(section, TimelineSection)
            for line in await section.timeline(session, zone=zone, language=printer.language)
        ]
    if not views:
        printer.line("plan.show.empty")
        return EXIT_OK
    n = printer.number
    printer.line("plan.show.header", sessions=n(len(views)), zone=printer.zone_label(views[0].starts_at))

    events: dict[tuple[datetime, int], list[SessionView]] = defaultdict(list)
    for view in views:
        for order, kind in enumerate(_EVENTS):
            events[(getattr(view, f"{kind}_at"), order)].append(view)
    # A section's lines come after the sessions' events of the same moment, in the order given.
    timeline: list[tuple[datetime, int, list[SessionView] | TimelineLine]] = [
        (moment, order, group) for (moment, order), group in events.items()
    ]
    timeline.extend((line.at, len(_EVENTS) + i, line) for i, line in enumerate(extra))
    current_day: date | None = None
    for moment, order, group in sorted(timeline, key=lambda event: (event[0], event[1])):
        day = moment.astimezone(zone).date()
        if day != current_day:
            printer.line("plan.show.day", date=printer.day(day))
            current_day = day
        if isinstance(group, TimelineLine):
            filled = {k: n(v) if isinstance(v, int) else v for k, v in group.values.items()}
            printer.line(
                group.text_key, time=printer.clock(moment), zone=printer.zone_label(moment), **filled
            )
            continue
        values = {
            "time": printer.clock(moment),
            "zone": printer.zone_label(moment),
            "event": printer.text(f"plan.event.{_EVENTS[order]}"),
            "sessions": n(len(group)),
            "members": n(sum(members.get(view.kecamatan_id, 0) for view in group)),
        }
        if len(group) == len(views):
            printer.line("plan.show.event", **values)
        else:
            names = [view.kecamatan for view in sorted(group, key=lambda v: v.kecamatan)]
            shown = ", ".join(names[:_NAMES_SHOWN])
            if len(names) > _NAMES_SHOWN:
                shown = printer.text("plan.show.more", names=shown, more=n(len(names) - _NAMES_SHOWN))
            printer.line("plan.show.event_some", names=shown, **values)

    printer.line("plan.show.venues")
    for view in sorted(views, key=lambda v: v.kecamatan):
        place = (
            printer.text("plan.show.venue_address", venue=view.venue, address=view.address)
            if view.address
            else view.venue
        )
        ends = printer.clock(view.ends_at)
        if view.ends_at.astimezone(zone).date() != view.starts_at.astimezone(zone).date():
            ends = f"{printer.day(view.ends_at.astimezone(zone).date())} {ends}"
        check = (
            printer.text("plan.show.radius", radius=n(view.radius_m))
            if view.radius_m
            else printer.text("plan.show.no_radius")
        )
        printer.line(
            "plan.show.session",
            kecamatan=view.kecamatan,
            place=place,
            date=printer.day(view.starts_at.astimezone(zone).date()),
            starts=printer.clock(view.starts_at),
            ends=ends,
            zone=printer.zone_label(view.starts_at),
            opens=printer.clock(view.checkin_opens_at),
            closes=printer.clock(view.checkin_closes_at),
            check=check,
            latitude=show_coordinate(view.latitude),
            longitude=show_coordinate(view.longitude),
            members=n(members.get(view.kecamatan_id, 0)),
        )
    return EXIT_OK
