"""Reading and checking a plan file (TOML): every problem with its place in the file, before any database."""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core.problems import Place, Problem, Severity
from bot.core.regions import name_key
from bot.plan.document import (
    DEFAULTS_TABLE,
    LATER_TABLES,
    PLAN_TABLE,
    SESSION_TABLE,
    PlanDocument,
    PlanEntry,
    PlanSection,
    SessionSpec,
)
from bot.plan.problems import IssueLog, PlanErrorCode, PlanRejected, PlanWarningCode
from bot.plan.reader import EntryReader, PlanContext, show_coordinate

DEFAULT_ZONE = ZoneInfo("Asia/Jakarta")
TIME_KEYS = ("starts", "ends", "checkin_opens", "checkin_closes")

RADIUS_MAX_M = 5000
NAME_MAX = 200
KECAMATAN_MAX = 100  # Kecamatan.name is String(100)
VENUE_MAX = 200  # TrainingSession.venue is String(200)
ADDRESS_MAX = 400  # TrainingSession.address is String(400)
# Opening check-in hours before the start lets members "attend" from home; a typo more often than a plan.
CHECKIN_EARLY_WARNING = timedelta(hours=3)
LONG_SESSION_WARNING = timedelta(hours=12)


@dataclass(frozen=True)
class Area:
    """A rough latitude/longitude box; a venue outside it is probably mistyped."""

    south: float
    north: float
    west: float
    east: float

    def contains(self, latitude: float, longitude: float) -> bool:
        """True when the point lies in the box."""
        return self.south <= latitude <= self.north and self.west <= longitude <= self.east


# Kabupaten Lebak with a margin: a venue outside is almost always swapped or sign-less coordinates.
LEBAK_AREA = Area(south=-7.1, north=-6.0, west=105.8, east=106.6)

_ABSENT = object()


def _hours(span: timedelta) -> str:
    return f"{span.total_seconds() / 3600:g}"


_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
# `08:00` or `2024-06-03T08:00` after `=`: valid in TOML 1.1, but Python 3.11's tomllib wants the seconds.
_TIME_WITHOUT_SECONDS = re.compile(r"=\s*((?:\d{4}-\d{2}-\d{2}[Tt ])?\d{2}:\d{2})(?![:\d])")


def _syntax_issue(text: str, exc: tomllib.TOMLDecodeError) -> Problem:
    message = str(exc)
    match = _TOML_POSITION.search(message)
    if match is None:
        return Problem(Severity.ERROR, PlanErrorCode.SYNTAX, Place(), {"reason": message})
    line, column = int(match[1]), int(match[2])
    place = Place(line=line, column=column)
    lines = text.splitlines()
    source_line = lines[line - 1] if 0 < line <= len(lines) else ""
    short_time = _TIME_WITHOUT_SECONDS.search(source_line.split("#", 1)[0])
    if short_time:
        return Problem(Severity.ERROR, PlanErrorCode.TIME_WITHOUT_SECONDS, place, {"value": short_time[1]})
    return Problem(Severity.ERROR, PlanErrorCode.SYNTAX, place, {"reason": message[: match.start()]})


def _table(data: Mapping[str, Any], name: str, log: IssueLog, *, required: bool) -> Mapping[str, Any] | None:
    value = data.get(name, _ABSENT)
    if value is _ABSENT:
        if required:
            log.error(PlanErrorCode.MISSING_TABLE, Place(table=name), table=name)
        return None
    if not isinstance(value, dict):
        log.error(PlanErrorCode.NOT_A_TABLE, Place(table=name), table=name)
        return None
    return value


def _label(table: str, values: Mapping[str, Any]) -> str | None:
    # Entries are named by what people search the file for: the kecamatan, or a later table's name/title.
    keys = ("kecamatan",) if table == SESSION_TABLE else ("name", "title")
    for key in keys:
        value = values.get(key)
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
    return None


def _entries(data: Mapping[str, Any], table: str, log: IssueLog) -> tuple[PlanEntry, ...]:
    value = data.get(table, _ABSENT)
    if value is _ABSENT:
        return ()
    if not isinstance(value, list):
        log.error(PlanErrorCode.NOT_AN_ARRAY, Place(table=table), table=table)
        return ()
    entries = []
    for number, values in enumerate(value, start=1):
        if not isinstance(values, dict):
            log.error(PlanErrorCode.ENTRY_NOT_A_TABLE, Place(table=table, number=number))
            continue
        entries.append(PlanEntry(Place(table=table, number=number, label=_label(table, values)), values))
    return tuple(entries)


@dataclass(frozen=True)
class _Defaults:
    times: Mapping[str, datetime]
    radius_m: int | None
    broken: frozenset[str]  # keys given but in error: sessions that rely on them say nothing more


def _read_plan(
    values: Mapping[str, Any] | None, default_zone: ZoneInfo, log: IssueLog
) -> tuple[str, PlanContext]:
    if values is None:
        return "", PlanContext(default_zone, None)
    reader = EntryReader(values, Place(table=PLAN_TABLE), PlanContext(default_zone, None), log)
    name = reader.text("name", max_length=NAME_MAX)
    zone = default_zone
    zone_name = reader.text("timezone", required=False)
    if zone_name is not None:
        try:
            zone = ZoneInfo(zone_name)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            reader.error(PlanErrorCode.BAD_TIMEZONE, "timezone", value=zone_name)
    day = reader.date("date")
    reader.finish()
    return name or "", PlanContext(zone, day)


def _read_defaults(values: Mapping[str, Any] | None, context: PlanContext, log: IssueLog) -> _Defaults:
    if values is None:
        return _Defaults({}, None, frozenset())
    reader = EntryReader(values, Place(table=DEFAULTS_TABLE), context, log)
    times: dict[str, datetime] = {}
    broken: set[str] = set()
    for key in TIME_KEYS:
        moment = reader.moment(key, required=False)
        if moment is not None:
            times[key] = moment
        elif key in reader:
            broken.add(key)
    _check_times(reader, times)
    radius = _read_radius(reader)
    reader.finish()
    return _Defaults(times, radius or None, frozenset(broken))


def _read_radius(reader: EntryReader) -> int | None:
    radius = reader.integer("radius_m", required=False)
    if radius is not None and not 0 <= radius <= RADIUS_MAX_M:
        reader.error(PlanErrorCode.RADIUS_RANGE, "radius_m", value=radius, limit=RADIUS_MAX_M)
        return None
    return radius


def _read_coordinates(reader: EntryReader) -> tuple[float, float] | None:
    latitude = reader.number("latitude")
    longitude = reader.number("longitude")
    if latitude is None or longitude is None:
        return None
    if not -90 <= latitude <= 90 and LEBAK_AREA.contains(longitude, latitude):
        reader.error(
            PlanErrorCode.COORDINATES_SWAPPED,
            None,
            latitude=show_coordinate(latitude),
            longitude=show_coordinate(longitude),
        )
        return None
    fine = True
    if not -90 <= latitude <= 90:
        reader.error(PlanErrorCode.LATITUDE_RANGE, "latitude", value=show_coordinate(latitude))
        fine = False
    if not -180 <= longitude <= 180:
        reader.error(PlanErrorCode.LONGITUDE_RANGE, "longitude", value=show_coordinate(longitude))
        fine = False
    if not fine:
        return None
    if not LEBAK_AREA.contains(latitude, longitude):
        shown = {"latitude": show_coordinate(latitude), "longitude": show_coordinate(longitude)}
        if LEBAK_AREA.contains(-latitude, longitude):
            reader.warning(PlanWarningCode.OUTSIDE_AREA_SIGN, None, fixed=show_coordinate(-latitude), **shown)
        else:
            reader.warning(PlanWarningCode.OUTSIDE_AREA, None, **shown)
    return latitude, longitude


def _check_times(reader: EntryReader, times: Mapping[str, datetime], inherited: Iterable[str] = ()) -> None:
    """The rules of a session's day: it has a length; check-in opens before it closes; the check-in window
    is still open when the session starts and closed by the time it ends (so it overlaps the session and
    a check-in always means "was there while it ran"). Odd but possible plans get warnings.

    A rule is checked when all its times are known, except when they all come from [session_defaults]
    (`inherited`): the defaults were checked once, so one bad default is one error, not one per session."""
    skipped = set(inherited)
    show = reader.context.show

    def applies(*keys: str) -> bool:
        return all(key in times for key in keys) and not set(keys) <= skipped

    if applies("starts", "ends") and times["ends"] <= times["starts"]:
        reader.error(
            PlanErrorCode.ENDS_NOT_AFTER_STARTS, None, starts=show(times["starts"]), ends=show(times["ends"])
        )
    if applies("checkin_opens", "checkin_closes") and times["checkin_closes"] <= times["checkin_opens"]:
        reader.error(
            PlanErrorCode.CHECKIN_CLOSES_NOT_AFTER_OPENS,
            None,
            opens=show(times["checkin_opens"]),
            closes=show(times["checkin_closes"]),
        )
    if applies("checkin_closes", "starts") and times["checkin_closes"] < times["starts"]:
        reader.error(
            PlanErrorCode.CHECKIN_CLOSES_BEFORE_STARTS,
            None,
            closes=show(times["checkin_closes"]),
            starts=show(times["starts"]),
        )
    if applies("checkin_closes", "ends") and times["checkin_closes"] > times["ends"]:
        reader.error(
            PlanErrorCode.CHECKIN_CLOSES_AFTER_ENDS,
            None,
            closes=show(times["checkin_closes"]),
            ends=show(times["ends"]),
        )
    if not reader.ok:
        return  # warnings about times that are wrong anyway would only be noise
    if (
        applies("checkin_opens", "starts")
        and times["starts"] - times["checkin_opens"] > CHECKIN_EARLY_WARNING
    ):
        reader.warning(
            PlanWarningCode.CHECKIN_OPENS_EARLY,
            None,
            opens=show(times["checkin_opens"]),
            starts=show(times["starts"]),
            hours=_hours(times["starts"] - times["checkin_opens"]),
        )
    if applies("starts", "ends") and times["ends"] - times["starts"] > LONG_SESSION_WARNING:
        reader.warning(PlanWarningCode.LONG_SESSION, None, hours=_hours(times["ends"] - times["starts"]))
    plan_date = reader.context.date
    if applies("starts") and plan_date is not None:
        day = times["starts"].astimezone(reader.context.zone).date()
        if day != plan_date:
            reader.warning(
                PlanWarningCode.OTHER_DAY, "starts", date=day.isoformat(), plan_date=plan_date.isoformat()
            )


def _read_session(
    entry: PlanEntry, context: PlanContext, defaults: _Defaults, log: IssueLog
) -> SessionSpec | None:
    reader = EntryReader(entry.values, entry.place, context, log)
    kecamatan = reader.text("kecamatan", max_length=KECAMATAN_MAX)
    venue = reader.text("venue", max_length=VENUE_MAX)
    address = reader.text("address", required=False, max_length=ADDRESS_MAX)
    coordinates = _read_coordinates(reader)

    times: dict[str, datetime] = {}
    inherited: list[str] = []
    for key in TIME_KEYS:
        if key in reader:
            moment = reader.moment(key)
        else:
            reader.known(key)
            moment = defaults.times.get(key)
            inherited.append(key)
            if moment is None and key not in defaults.broken:
                reader.error(PlanErrorCode.MISSING_TIME, key)
        if moment is not None:
            times[key] = moment
    if len(times) == len(TIME_KEYS):
        _check_times(reader, times, inherited)

    if "radius_m" in reader:
        radius = _read_radius(reader)
    else:
        reader.known("radius_m")
        radius = defaults.radius_m
    complete = kecamatan is not None and venue is not None and coordinates is not None
    # Times can be missing without an error here: when [plan] date is wrong, that error says it all.
    if not reader.finish() or not complete or len(times) != len(TIME_KEYS):
        return None
    assert kecamatan is not None and venue is not None and coordinates is not None  # for mypy
    return SessionSpec(
        place=entry.place,
        kecamatan=kecamatan,
        venue=venue,
        address=address or "",
        latitude=coordinates[0],
        longitude=coordinates[1],
        radius_m=radius or None,
        starts_at=times["starts"],
        ends_at=times["ends"],
        checkin_opens_at=times["checkin_opens"],
        checkin_closes_at=times["checkin_closes"],
    )


def _session_kecamatan_names(entries: Sequence[PlanEntry], log: IssueLog) -> list[tuple[Place, str]]:
    """The kecamatan named by each entry, in order; the second entry for the same kecamatan is an error."""
    names: list[tuple[Place, str]] = []
    first_entry: dict[str, int] = {}
    for entry in entries:
        name = entry.values.get("kecamatan")
        if not isinstance(name, str) or not name.strip():
            continue  # reported by the entry's own reader
        place = entry.place.at("kecamatan")
        first = first_entry.setdefault(name_key(name), entry.place.number or 0)
        if first != entry.place.number:
            log.error(PlanErrorCode.DUPLICATE_KECAMATAN, place, name=name.strip(), first=first)
        names.append((place, name.strip()))
    return names


def parse_plan(
    text: str,
    *,
    source: str,
    default_zone: ZoneInfo = DEFAULT_ZONE,
    sections: Sequence[PlanSection[Any]] = (),
    on: date | None = None,
) -> PlanDocument:
    """Read and check a plan file's text; raise PlanRejected listing every problem found without a database.

    `default_zone` is the config's scheduler zone, used when [plan] names none. Each of `sections` parses
    the entries of its [[table]]; tables of LATER_TABLES without a section are only counted (warning).
    `on` re-dates the plan (`plan import --on`): every time in it moves by the whole days from [plan] date
    to `on`, its time of day in the plan's zone unchanged (relative times follow the sessions they name)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PlanRejected([_syntax_issue(text, exc)]) from None

    log = IssueLog()
    later_tables = list(dict.fromkeys([*LATER_TABLES, *(section.table for section in sections)]))
    known_tables = [PLAN_TABLE, DEFAULTS_TABLE, SESSION_TABLE, *later_tables]
    for table in data:
        if table in known_tables:
            continue
        similar = difflib.get_close_matches(table, known_tables, n=1, cutoff=0.6)
        if similar:
            log.error(
                PlanErrorCode.UNKNOWN_TABLE_SIMILAR,
                Place(table=table),
                table=table,
                suggestion=similar[0],
            )
        else:
            log.error(
                PlanErrorCode.UNKNOWN_TABLE,
                Place(table=table),
                table=table,
                known=", ".join(known_tables),
            )

    name, context = _read_plan(_table(data, PLAN_TABLE, log, required=True), default_zone, log)
    written_date = context.date
    if on is not None and written_date is not None:
        context = PlanContext(context.zone, on, (on - written_date).days)
    defaults = _read_defaults(_table(data, DEFAULTS_TABLE, log, required=False), context, log)
    session_entries = _entries(data, SESSION_TABLE, log)
    if data.get(SESSION_TABLE) in (None, []):
        # Importing no sessions would delete every session; that is never what the operator meant.
        log.error(PlanErrorCode.NO_SESSIONS, Place())
    kecamatan_names = _session_kecamatan_names(session_entries, log)
    sessions = [
        spec
        for entry in session_entries
        if (spec := _read_session(entry, context, defaults, log)) is not None
    ]

    entries = {table: _entries(data, table, log) for table in later_tables}
    items: dict[str, tuple[Any, ...]] = {}
    for section in sections:
        parsed = []
        for entry in entries[section.table]:
            reader = EntryReader(entry.values, entry.place, context, log)
            item = section.parse_entry(reader)
            if reader.finish() and item is not None:
                parsed.append(item)
        items[section.table] = tuple(parsed)
    handled = {section.table for section in sections}
    for table in later_tables:
        if table not in handled and entries[table]:
            log.warning(PlanWarningCode.NOT_APPLIED, Place(), table=table, count=len(entries[table]))

    if log.errors or context.date is None:
        raise PlanRejected(log.errors, log.warnings, kecamatan_names)
    return PlanDocument(
        source=source,
        name=name,
        zone=context.zone,
        date=context.date,
        sessions=tuple(sessions),
        entries=entries,
        items=items,
        sections=tuple(sections),
        warnings=tuple(log.warnings),
        written_date=written_date if on is not None else None,
    )


def read_plan_file(path: Path) -> str:
    """The text of a plan file (UTF-8, a BOM tolerated); raise PlanRejected when it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        issue = Problem(
            Severity.ERROR,
            PlanErrorCode.UNREADABLE,
            Place(),
            {"file": str(path), "reason": exc.strerror or str(exc)},
        )
        raise PlanRejected([issue]) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PlanRejected([Problem(Severity.ERROR, PlanErrorCode.NOT_UTF8, Place(line=line))]) from None
