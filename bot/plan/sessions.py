"""The training plan file (TOML): read and check it, upsert the Bimtek sessions, and `plan import | show`."""

from __future__ import annotations

import asyncio
import dataclasses
import difflib
import enum
import math
import re
import secrets
import tomllib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Protocol, TextIO, TypeVar, runtime_checkable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.regions import KecamatanRef, WilayahEmpty, WilayahIndex, load_wilayah_index, name_key
from bot.texts import normalize_language, render_plain
from models import AuditLog, CheckIn, Kecamatan, Member, TrainingSession

DEFAULT_ZONE = ZoneInfo("Asia/Jakarta")
CLI_ACTOR = "cli"
EXIT_OK = 0
EXIT_REFUSED = 1

PLAN_TABLE = "plan"
DEFAULTS_TABLE = "session_defaults"
SESSION_TABLE = "session"
# Accepted and counted now; interpreted once a PlanSection for them is passed to parse_plan.
LATER_TABLES = ("announcement", "duty")
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


# --- Problems and where they are ----------------------------------------------------------------------


class Severity(enum.StrEnum):
    """An error refuses the whole file; a warning is printed and the import goes on."""

    ERROR = "error"
    WARNING = "warning"


class PlanErrorCode(enum.StrEnum):
    """Why the plan was refused (catalog key `plan.error.<code>`)."""

    UNREADABLE = "unreadable"
    NOT_UTF8 = "not_utf8"
    SYNTAX = "syntax"
    TIME_WITHOUT_SECONDS = "time_without_seconds"
    UNKNOWN_TABLE = "unknown_table"
    UNKNOWN_TABLE_SIMILAR = "unknown_table_similar"
    MISSING_TABLE = "missing_table"
    NOT_A_TABLE = "not_a_table"
    NOT_AN_ARRAY = "not_an_array"
    ENTRY_NOT_A_TABLE = "entry_not_a_table"
    UNKNOWN_KEY = "unknown_key"
    UNKNOWN_KEY_SIMILAR = "unknown_key_similar"
    MISSING_KEY = "missing_key"
    MISSING_TIME = "missing_time"
    NOT_TEXT = "not_text"
    EMPTY_TEXT = "empty_text"
    TOO_LONG = "too_long"
    NOT_NUMBER = "not_number"
    NOT_INTEGER = "not_integer"
    NOT_DATE = "not_date"
    NOT_TIME = "not_time"
    BAD_TIMEZONE = "bad_timezone"
    LATITUDE_RANGE = "latitude_range"
    LONGITUDE_RANGE = "longitude_range"
    COORDINATES_SWAPPED = "coordinates_swapped"
    RADIUS_RANGE = "radius_range"
    ENDS_NOT_AFTER_STARTS = "ends_not_after_starts"
    CHECKIN_CLOSES_NOT_AFTER_OPENS = "checkin_closes_not_after_opens"
    CHECKIN_CLOSES_BEFORE_STARTS = "checkin_closes_before_starts"
    CHECKIN_CLOSES_AFTER_ENDS = "checkin_closes_after_ends"
    DUPLICATE_KECAMATAN = "duplicate_kecamatan"
    NO_SESSIONS = "no_sessions"
    UNKNOWN_KECAMATAN = "unknown_kecamatan"
    UNKNOWN_KECAMATAN_SIMILAR = "unknown_kecamatan_similar"
    AMBIGUOUS_KECAMATAN = "ambiguous_kecamatan"
    WILAYAH_EMPTY = "wilayah_empty"


class PlanWarningCode(enum.StrEnum):
    """What looks wrong but is imported anyway (catalog key `plan.warning.<code>`)."""

    OUTSIDE_AREA = "outside_area"
    OUTSIDE_AREA_SIGN = "outside_area_sign"
    OFFSET_DIFFERS = "offset_differs"
    CHECKIN_OPENS_EARLY = "checkin_opens_early"
    OTHER_DAY = "other_day"
    LONG_SESSION = "long_session"
    NOT_APPLIED = "not_applied"
    MISSING_SESSION = "missing_session"
    MISSING_SESSION_NO_MEMBERS = "missing_session_no_members"
    KEPT_WITH_CHECKINS = "kept_with_checkins"
    CHANGED_WITH_CHECKINS = "changed_with_checkins"


@dataclass(frozen=True)
class PlanPlace:
    """Where in the file: a table, the entry number of a [[table]] (1-based) with its label (the kecamatan),
    a key; or a line and column for problems found before the TOML could be read. All None = the file."""

    table: str | None = None
    number: int | None = None
    label: str | None = None
    key: str | None = None
    line: int | None = None
    column: int | None = None

    def at(self, key: str | None) -> PlanPlace:
        """The same place, narrowed to one key (or widened back to the entry with None)."""
        return dataclasses.replace(self, key=key)


@dataclass(frozen=True)
class PlanIssue:
    """One problem in the plan: its severity, code, place, and the values its message needs."""

    severity: Severity
    code: str
    place: PlanPlace = PlanPlace()
    params: Mapping[str, str | int] = field(default_factory=dict)

    @property
    def text_key(self) -> str:
        """The catalog entry of the message, e.g. `plan.error.latitude_range`."""
        return f"plan.{self.severity}.{self.code}"


class PlanRejected(Exception):
    """The plan has errors; nothing was written. `kecamatan_names` are the names the file gives, so the
    caller can also check them against the region list and list every problem at once."""

    def __init__(
        self,
        errors: Sequence[PlanIssue],
        warnings: Sequence[PlanIssue] = (),
        kecamatan_names: Sequence[tuple[PlanPlace, str]] = (),
    ) -> None:
        super().__init__(f"{len(errors)} error(s) in the plan")
        self.errors = list(errors)
        self.warnings = list(warnings)
        self.kecamatan_names = list(kecamatan_names)


class IssueLog:
    """The errors and warnings found so far, in file order."""

    def __init__(self) -> None:
        self.errors: list[PlanIssue] = []
        self.warnings: list[PlanIssue] = []

    def error(self, code: str, place: PlanPlace, /, **params: str | int) -> None:
        """Record an error at this place."""
        self.errors.append(PlanIssue(Severity.ERROR, code, place, params))

    def warning(self, code: str, place: PlanPlace, /, **params: str | int) -> None:
        """Record a warning at this place."""
        self.warnings.append(PlanIssue(Severity.WARNING, code, place, params))


_TABLE_ORDER: dict[str | None, int] = {None: 0, PLAN_TABLE: 1, DEFAULTS_TABLE: 2, SESSION_TABLE: 3}


def sorted_issues(issues: Iterable[PlanIssue]) -> list[PlanIssue]:
    """Issues in the order of the file's sections and entries (stable within one entry)."""
    return sorted(issues, key=lambda i: (_TABLE_ORDER.get(i.place.table, 4), i.place.number or 0))


# --- Reading values -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanContext:
    """What every time in the file is read against: the plan's zone and day."""

    zone: ZoneInfo
    date: date | None  # None only while [plan] date is itself in error (already reported)

    def show(self, moment: datetime) -> str:
        """A moment as the file would write it: `08:00` on the plan's day, else `2024-06-04 08:00`."""
        local = moment.astimezone(self.zone)
        if local.date() == self.date:
            return local.strftime("%H:%M")
        return local.strftime("%Y-%m-%d %H:%M")


def show_value(value: object) -> str:
    """A TOML value as it was written, short enough for a message (strings keep their quotes)."""
    if isinstance(value, bool):
        shown = "true" if value else "false"
    elif isinstance(value, str):
        shown = f'"{value}"'
    elif isinstance(value, date | time):
        shown = value.isoformat()
    elif isinstance(value, dict):
        shown = "{…}"
    elif isinstance(value, list):
        shown = "[…]"
    else:
        shown = str(value)
    return shown if len(shown) <= 60 else shown[:59] + "…"


def show_coordinate(value: float) -> str:
    """A latitude/longitude with at most 6 decimals (about 10 cm), without trailing zeros."""
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _offset(moment: datetime) -> str:
    offset = moment.utcoffset() or timedelta(0)
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _hours(span: timedelta) -> str:
    return f"{span.total_seconds() / 3600:g}"


_ABSENT = object()


class EntryReader:
    """Typed, checked access to one table or [[table]] entry; every problem is logged with its place.

    Each getter marks its key as known; `finish()` reports the keys nobody asked for as unknown."""

    def __init__(
        self, values: Mapping[str, Any], place: PlanPlace, context: PlanContext, log: IssueLog
    ) -> None:
        self.values = values
        self.place = place
        self.context = context
        self.log = log
        self._known: dict[str, None] = {}  # a dict keeps the order the keys were asked for
        self._errors_before = len(log.errors)

    def __contains__(self, key: str) -> bool:
        return key in self.values

    @property
    def ok(self) -> bool:
        """True while no error has been logged for this entry."""
        return len(self.log.errors) == self._errors_before

    def error(self, code: str, key: str | None = None, /, **params: str | int) -> None:
        """Log an error on this entry (on one key of it, if given)."""
        self.log.error(code, self.place.at(key), **params)

    def warning(self, code: str, key: str | None = None, /, **params: str | int) -> None:
        """Log a warning on this entry (on one key of it, if given)."""
        self.log.warning(code, self.place.at(key), **params)

    def known(self, *keys: str) -> None:
        """Declare keys as part of this table without reading them (e.g. read from defaults instead)."""
        self._known.update(dict.fromkeys(keys))

    def _get(self, key: str, required: bool) -> Any:
        self.known(key)
        if key not in self.values:
            if required:
                self.error(PlanErrorCode.MISSING_KEY, key)
            return _ABSENT
        return self.values[key]

    def text(self, key: str, *, required: bool = True, max_length: int | None = None) -> str | None:
        """A non-empty string, stripped."""
        value = self._get(key, required)
        if value is _ABSENT:
            return None
        if not isinstance(value, str):
            self.error(PlanErrorCode.NOT_TEXT, key, value=show_value(value))
            return None
        value = value.strip()
        if not value:
            self.error(PlanErrorCode.EMPTY_TEXT, key)
            return None
        if max_length is not None and len(value) > max_length:
            self.error(PlanErrorCode.TOO_LONG, key, length=len(value), limit=max_length)
            return None
        return value

    def number(self, key: str, *, required: bool = True) -> float | None:
        """An integer or a float (not a boolean, not nan/inf); ranges are the caller's."""
        value = self._get(key, required)
        if value is _ABSENT:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            self.error(PlanErrorCode.NOT_NUMBER, key, value=show_value(value))
            return None
        return float(value)

    def integer(self, key: str, *, required: bool = True) -> int | None:
        """A whole number (not a boolean); ranges are the caller's."""
        value = self._get(key, required)
        if value is _ABSENT:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(PlanErrorCode.NOT_INTEGER, key, value=show_value(value))
            return None
        return value

    def date(self, key: str, *, required: bool = True) -> date | None:
        """A TOML local date (2024-06-03)."""
        value = self._get(key, required)
        if value is _ABSENT:
            return None
        if isinstance(value, datetime) or not isinstance(value, date):
            self.error(PlanErrorCode.NOT_DATE, key, value=show_value(value))
            return None
        return value

    def moment(self, key: str, *, required: bool = True) -> datetime | None:
        """A point in time, in UTC: a TOML local time is on the plan's date in its zone, a local datetime is
        in the plan's zone, an offset datetime is taken as written (warning when its offset is not the zone's)."""
        value = self._get(key, required)
        if value is _ABSENT:
            return None
        return self.to_moment(key, value)

    def to_moment(self, key: str, value: object) -> datetime | None:
        """Read a value as moment() does (for values that come from elsewhere, e.g. a defaults table)."""
        zone = self.context.zone
        if isinstance(value, datetime):
            if value.tzinfo is None:
                return value.replace(tzinfo=zone).astimezone(UTC)
            local = value.astimezone(zone)
            if value.utcoffset() != local.utcoffset():
                # "08:00:00Z" or "+08:00" meant as local time is the classic wrong-zone mistake.
                self.warning(
                    PlanWarningCode.OFFSET_DIFFERS,
                    key,
                    value=value.isoformat(),
                    offset=_offset(value),
                    zone=zone.key,
                    zone_offset=_offset(local),
                    local=local.strftime("%Y-%m-%d %H:%M"),
                )
            return value.astimezone(UTC)
        if isinstance(value, time):
            if self.context.date is None:
                return None  # the [plan] date error already says why
            return datetime.combine(self.context.date, value, tzinfo=zone).astimezone(UTC)
        self.error(PlanErrorCode.NOT_TIME, key, value=show_value(value))
        return None

    def finish(self) -> bool:
        """Report every key that was not asked for; True when this entry has no errors."""
        known = list(self._known)
        for key in self.values:
            if key in self._known:
                continue
            similar = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            if similar:
                self.error(PlanErrorCode.UNKNOWN_KEY_SIMILAR, key, suggestion=similar[0])
            else:
                self.error(PlanErrorCode.UNKNOWN_KEY, key, known=", ".join(known))
        return self.ok


# --- The parsed plan -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanEntry:
    """One [[table]] entry as written (checked to be a table, its keys not interpreted), with its place."""

    place: PlanPlace
    values: Mapping[str, Any]


@dataclass(frozen=True)
class SessionSpec:
    """One [[session]] of the file, checked, with defaults applied and times in UTC."""

    place: PlanPlace
    kecamatan: str
    venue: str
    address: str
    latitude: float
    longitude: float
    radius_m: int | None  # None = no location check
    starts_at: datetime
    ends_at: datetime
    checkin_opens_at: datetime
    checkin_closes_at: datetime


@dataclass(frozen=True)
class SectionOutcome:
    """What a plugged-in section changed: counts for the audit row, the catalog line the CLI prints with
    those counts as {placeholders}, and its warnings."""

    table: str
    counts: Mapping[str, int]
    summary_key: str
    warnings: tuple[PlanIssue, ...] = ()


ItemT = TypeVar("ItemT")


class PlanSection(Protocol[ItemT]):
    """A later part of the plan file ([[announcement]], [[duty]]), plugged into parse_plan and import_plan.

    parse_entry reads one entry through the reader (problems logged there; unknown keys are reported by the
    frame afterwards) and returns its plain value; apply writes all of them in the caller's transaction
    (no commit; raise PlanRejected to refuse, which rolls the sessions back too)."""

    @property
    def table(self) -> str: ...

    def parse_entry(self, reader: EntryReader) -> ItemT | None: ...

    async def apply(
        self, session: AsyncSession, document: PlanDocument, items: Sequence[ItemT], *, actor: str
    ) -> SectionOutcome: ...


@dataclass(frozen=True)
class TimelineLine:
    """A line a plugged-in section adds to `plan show`'s timeline: its moment and catalog entry. The frame
    fills `{time}` and `{zone}`; int values are printed as numbers of the language (1.035)."""

    at: datetime
    text_key: str
    values: Mapping[str, str | int]


@runtime_checkable
class TimelineSection(Protocol):
    """Optional for a PlanSection: what it stored, as lines of `plan show`'s timeline (read only)."""

    async def timeline(
        self, session: AsyncSession, *, zone: ZoneInfo, language: str
    ) -> Sequence[TimelineLine]: ...


@dataclass(frozen=True)
class PlanDocument:
    """A checked plan file: the sessions, the raw entries of the other tables, what plugged-in sections
    parsed from them, and the warnings found so far."""

    source: str
    name: str
    zone: ZoneInfo
    date: date
    sessions: tuple[SessionSpec, ...]
    entries: Mapping[str, tuple[PlanEntry, ...]]
    items: Mapping[str, tuple[Any, ...]]
    sections: tuple[PlanSection[Any], ...]
    warnings: tuple[PlanIssue, ...]

    @property
    def context(self) -> PlanContext:
        """The zone and day times are read against (for later parsers)."""
        return PlanContext(self.zone, self.date)


# --- Parsing -------------------------------------------------------------------------------------------

_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
# `08:00` or `2024-06-03T08:00` after `=`: valid in TOML 1.1, but Python 3.11's tomllib wants the seconds.
_TIME_WITHOUT_SECONDS = re.compile(r"=\s*((?:\d{4}-\d{2}-\d{2}[Tt ])?\d{2}:\d{2})(?![:\d])")


def _syntax_issue(text: str, exc: tomllib.TOMLDecodeError) -> PlanIssue:
    message = str(exc)
    match = _TOML_POSITION.search(message)
    if match is None:
        return PlanIssue(Severity.ERROR, PlanErrorCode.SYNTAX, PlanPlace(), {"reason": message})
    line, column = int(match[1]), int(match[2])
    place = PlanPlace(line=line, column=column)
    lines = text.splitlines()
    source_line = lines[line - 1] if 0 < line <= len(lines) else ""
    short_time = _TIME_WITHOUT_SECONDS.search(source_line.split("#", 1)[0])
    if short_time:
        return PlanIssue(Severity.ERROR, PlanErrorCode.TIME_WITHOUT_SECONDS, place, {"value": short_time[1]})
    return PlanIssue(Severity.ERROR, PlanErrorCode.SYNTAX, place, {"reason": message[: match.start()]})


def _table(data: Mapping[str, Any], name: str, log: IssueLog, *, required: bool) -> Mapping[str, Any] | None:
    value = data.get(name, _ABSENT)
    if value is _ABSENT:
        if required:
            log.error(PlanErrorCode.MISSING_TABLE, PlanPlace(table=name), table=name)
        return None
    if not isinstance(value, dict):
        log.error(PlanErrorCode.NOT_A_TABLE, PlanPlace(table=name), table=name)
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
        log.error(PlanErrorCode.NOT_AN_ARRAY, PlanPlace(table=table), table=table)
        return ()
    entries = []
    for number, values in enumerate(value, start=1):
        if not isinstance(values, dict):
            log.error(PlanErrorCode.ENTRY_NOT_A_TABLE, PlanPlace(table=table, number=number))
            continue
        entries.append(PlanEntry(PlanPlace(table=table, number=number, label=_label(table, values)), values))
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
    reader = EntryReader(values, PlanPlace(table=PLAN_TABLE), PlanContext(default_zone, None), log)
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
    reader = EntryReader(values, PlanPlace(table=DEFAULTS_TABLE), context, log)
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


def _session_kecamatan_names(entries: Sequence[PlanEntry], log: IssueLog) -> list[tuple[PlanPlace, str]]:
    """The kecamatan named by each entry, in order; the second entry for the same kecamatan is an error."""
    names: list[tuple[PlanPlace, str]] = []
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
) -> PlanDocument:
    """Read and check a plan file's text; raise PlanRejected listing every problem found without a database.

    `default_zone` is the config's scheduler zone, used when [plan] names none. Each of `sections` parses
    the entries of its [[table]]; tables of LATER_TABLES without a section are only counted (warning)."""
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
                PlanPlace(table=table),
                table=table,
                suggestion=similar[0],
            )
        else:
            log.error(
                PlanErrorCode.UNKNOWN_TABLE,
                PlanPlace(table=table),
                table=table,
                known=", ".join(known_tables),
            )

    name, context = _read_plan(_table(data, PLAN_TABLE, log, required=True), default_zone, log)
    defaults = _read_defaults(_table(data, DEFAULTS_TABLE, log, required=False), context, log)
    session_entries = _entries(data, SESSION_TABLE, log)
    if data.get(SESSION_TABLE) in (None, []):
        # Importing no sessions would delete every session; that is never what the operator meant.
        log.error(PlanErrorCode.NO_SESSIONS, PlanPlace())
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
            log.warning(PlanWarningCode.NOT_APPLIED, PlanPlace(), table=table, count=len(entries[table]))

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
    )


def read_plan_file(path: Path) -> str:
    """The text of a plan file (UTF-8, a BOM tolerated); raise PlanRejected when it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        issue = PlanIssue(
            Severity.ERROR,
            PlanErrorCode.UNREADABLE,
            PlanPlace(),
            {"file": str(path), "reason": exc.strerror or str(exc)},
        )
        raise PlanRejected([issue]) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PlanRejected(
            [PlanIssue(Severity.ERROR, PlanErrorCode.NOT_UTF8, PlanPlace(line=line))]
        ) from None


# --- Matching kecamatan and writing --------------------------------------------------------------------


def _match_kecamatan(
    index: WilayahIndex, names: Sequence[tuple[PlanPlace, str]]
) -> tuple[list[KecamatanRef], list[PlanIssue]]:
    """The kecamatan of each name (complete only when there are no issues), and the issues."""
    refs: list[KecamatanRef] = []
    issues: list[PlanIssue] = []
    by_key = {name_key(k.name): k.name for k in index.kecamatan_by_id.values()}
    for place, name in names:
        matches = index.kecamatan_matches(name)
        if len(matches) == 1:
            refs.append(matches[0])
        elif matches:
            candidates = ", ".join(f"{k.name} ({k.code})" for k in sorted(matches, key=lambda k: k.code))
            issues.append(
                PlanIssue(
                    Severity.ERROR,
                    PlanErrorCode.AMBIGUOUS_KECAMATAN,
                    place,
                    {"name": name, "candidates": candidates},
                )
            )
        else:
            similar = difflib.get_close_matches(name_key(name), list(by_key), n=3, cutoff=0.6)
            if similar:
                suggestions = ", ".join(by_key[key] for key in similar)
                issues.append(
                    PlanIssue(
                        Severity.ERROR,
                        PlanErrorCode.UNKNOWN_KECAMATAN_SIMILAR,
                        place,
                        {"name": name, "suggestions": suggestions},
                    )
                )
            else:
                issues.append(
                    PlanIssue(Severity.ERROR, PlanErrorCode.UNKNOWN_KECAMATAN, place, {"name": name})
                )
    return refs, issues


_WILAYAH_EMPTY = PlanIssue(Severity.ERROR, PlanErrorCode.WILAYAH_EMPTY)


async def check_kecamatan_names(
    session: AsyncSession, names: Sequence[tuple[PlanPlace, str]]
) -> list[PlanIssue]:
    """The errors of these kecamatan names against the region list (read only), e.g. for a file that was
    refused for other reasons, so the operator sees every problem at once."""
    try:
        index = await load_wilayah_index(session, with_desa=False)
    except WilayahEmpty:
        return [_WILAYAH_EMPTY]
    return _match_kecamatan(index, names)[1]


@dataclass(frozen=True)
class PlanSummary:
    """What a plan import found and changed."""

    name: str
    date: date
    sessions: int
    sessions_new: int
    sessions_updated: int
    sessions_unchanged: int
    sessions_removed: int
    # Sessions whose kecamatan the file no longer lists but members already checked in to: kept.
    sessions_kept: int
    entries: Mapping[str, int]  # entries of each later table ([[announcement]], [[duty]]) in the file
    sections: tuple[SectionOutcome, ...]
    warnings: tuple[PlanIssue, ...]


_SESSION_FIELDS = (
    "venue",
    "address",
    "latitude",
    "longitude",
    "radius_m",
    "starts_at",
    "ends_at",
    "checkin_opens_at",
    "checkin_closes_at",
)


async def _active_members_by_kecamatan(session: AsyncSession) -> dict[int, int]:
    rows = await session.execute(
        select(Member.kecamatan_id, func.count()).where(Member.active).group_by(Member.kecamatan_id)
    )
    return {kecamatan_id: count for kecamatan_id, count in rows.tuples()}


async def import_plan(
    session: AsyncSession, document: PlanDocument, *, actor: str, source_name: str
) -> PlanSummary:
    """Upsert one session per kecamatan (re-import updates in place and keeps each session's secret), remove
    sessions the plan no longer lists unless members checked in there, apply plugged-in sections, and write
    one audit row. Raise PlanRejected when a kecamatan is unknown or the region list is empty; no commit."""
    try:
        index = await load_wilayah_index(session, with_desa=False)
    except WilayahEmpty:
        raise PlanRejected([_WILAYAH_EMPTY], document.warnings) from None
    refs, errors = _match_kecamatan(
        index, [(spec.place.at("kecamatan"), spec.kecamatan) for spec in document.sessions]
    )
    if errors:
        raise PlanRejected(errors, document.warnings)
    log = IssueLog()

    existing = {row.kecamatan_id: row for row in await session.scalars(select(TrainingSession))}
    checkins: dict[int, int] = {
        session_id: count
        for session_id, count in (
            await session.execute(select(CheckIn.session_id, func.count()).group_by(CheckIn.session_id))
        ).tuples()
    }
    new = updated = unchanged = 0
    for spec, ref in zip(document.sessions, refs, strict=True):
        wanted = {name: getattr(spec, name) for name in _SESSION_FIELDS}
        row = existing.pop(ref.id, None)
        if row is None:
            # The secret seeds the rotating check-in codes: made once here, never changed by a re-import.
            session.add(TrainingSession(kecamatan_id=ref.id, secret=secrets.token_hex(32), **wanted))
            new += 1
            continue
        changed = [name for name, value in wanted.items() if getattr(row, name) != value]
        if not changed:
            unchanged += 1
            continue
        if checkins.get(row.id):
            log.warning(
                PlanWarningCode.CHANGED_WITH_CHECKINS,
                spec.place,
                kecamatan=ref.name,
                checkins=checkins[row.id],
            )
        for name in changed:
            setattr(row, name, wanted[name])
        updated += 1

    removed = 0
    kept: set[int] = set()
    for kecamatan_id, row in sorted(existing.items(), key=lambda item: index.kecamatan_by_id[item[0]].name):
        name = index.kecamatan_by_id[kecamatan_id].name
        if checkins.get(row.id):
            # Deleting would take the attendance record with it.
            log.warning(
                PlanWarningCode.KEPT_WITH_CHECKINS, PlanPlace(), kecamatan=name, checkins=checkins[row.id]
            )
            kept.add(kecamatan_id)
        else:
            await session.delete(row)
            removed += 1

    members = await _active_members_by_kecamatan(session)
    planned = {ref.id for ref in refs}
    for kecamatan in sorted(index.kecamatan_by_id.values(), key=lambda k: k.name):
        if kecamatan.id in planned or kecamatan.id in kept:
            continue
        if members.get(kecamatan.id):
            log.warning(
                PlanWarningCode.MISSING_SESSION,
                PlanPlace(),
                kecamatan=kecamatan.name,
                members=members[kecamatan.id],
            )
        else:
            log.warning(PlanWarningCode.MISSING_SESSION_NO_MEMBERS, PlanPlace(), kecamatan=kecamatan.name)
    await session.flush()

    outcomes = []
    for section in document.sections:
        outcome = await section.apply(session, document, document.items.get(section.table, ()), actor=actor)
        outcomes.append(outcome)
        log.warnings.extend(outcome.warnings)

    summary = PlanSummary(
        name=document.name,
        date=document.date,
        sessions=len(document.sessions),
        sessions_new=new,
        sessions_updated=updated,
        sessions_unchanged=unchanged,
        sessions_removed=removed,
        sessions_kept=len(kept),
        entries={table: len(entries) for table, entries in document.entries.items()},
        sections=tuple(outcomes),
        warnings=(*document.warnings, *log.warnings),
    )
    session.add(
        AuditLog(
            actor=actor,
            action="plan.import",
            detail={
                "file": source_name,
                "plan": document.name,
                "date": document.date.isoformat(),
                "timezone": document.zone.key,
                "sessions": summary.sessions,
                "sessions_new": new,
                "sessions_updated": updated,
                "sessions_unchanged": unchanged,
                "sessions_removed": removed,
                "sessions_kept": len(kept),
                "entries": dict(summary.entries),
                "sections": {outcome.table: dict(outcome.counts) for outcome in outcomes},
                "warnings": len(summary.warnings),
            },
        )
    )
    await session.flush()
    return summary


# --- Reading the sessions back -------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionView:
    """A kecamatan's Bimtek session as plain data (times timezone-aware, in UTC); the secret stays out."""

    id: int
    kecamatan_id: int
    kecamatan_code: str
    kecamatan_name: str
    venue: str
    address: str
    latitude: float
    longitude: float
    radius_m: int | None
    starts_at: datetime
    ends_at: datetime
    checkin_opens_at: datetime
    checkin_closes_at: datetime


async def list_sessions(session: AsyncSession) -> list[SessionView]:
    """Every session with its kecamatan, by start time and then kecamatan name."""
    rows = await session.execute(
        select(
            TrainingSession.id,
            TrainingSession.kecamatan_id,
            Kecamatan.code,
            Kecamatan.name,
            TrainingSession.venue,
            TrainingSession.address,
            TrainingSession.latitude,
            TrainingSession.longitude,
            TrainingSession.radius_m,
            TrainingSession.starts_at,
            TrainingSession.ends_at,
            TrainingSession.checkin_opens_at,
            TrainingSession.checkin_closes_at,
        )
        .join(Kecamatan, TrainingSession.kecamatan_id == Kecamatan.id)
        .order_by(TrainingSession.starts_at, Kecamatan.name)
    )
    return [SessionView(*row) for row in rows.tuples()]


# --- The command line ----------------------------------------------------------------------------------


class _Printer:
    """Catalog lines in one language; counts, dates and times in its locale and the given zone."""

    def __init__(self, language: str, zone: ZoneInfo, out: TextIO) -> None:
        self.language = normalize_language(language)
        self.zone = zone
        self.out = out

    def text(self, key: str, /, **values: object) -> str:
        return render_plain(self.language, key, **values)

    def line(self, key: str, /, **values: object) -> None:
        print(self.text(key, **values), file=self.out)

    def number(self, value: int) -> str:
        return format_decimal(value, locale=self.language)

    def day(self, value: date) -> str:
        return format_date(value, self.text("plan.format.date"), locale=self.language)

    def clock(self, moment: datetime) -> str:
        return format_datetime(moment, self.text("plan.format.time"), tzinfo=self.zone, locale=self.language)

    def zone_label(self, moment: datetime) -> str:
        return moment.astimezone(self.zone).tzname() or self.zone.key

    def place(self, place: PlanPlace) -> str:
        if place.line is not None:
            if place.column is not None:
                return self.text("plan.place.line_column", line=place.line, column=place.column)
            return self.text("plan.place.line", line=place.line)
        if place.table is None:
            return ""
        if place.number is None:
            where = self.text("plan.place.table", table=place.table)
        elif place.label:
            where = self.text(
                "plan.place.entry_named", table=place.table, number=place.number, name=place.label
            )
        else:
            where = self.text("plan.place.entry", table=place.table, number=place.number)
        return self.text("plan.place.key", place=where, key=place.key) if place.key else where

    def issue(self, issue: PlanIssue) -> str:
        values = {k: self.number(v) if isinstance(v, int) else v for k, v in issue.params.items()}
        message = self.text(issue.text_key, **values)
        where = self.place(issue.place)
        return self.text("plan.issue", place=where, message=message) if where else message

    def warnings(self, warnings: Iterable[PlanIssue]) -> None:
        for warning in warnings:
            self.line("plan.warning", issue=self.issue(warning))

    def rejected(self, errors: Sequence[PlanIssue], warnings: Sequence[PlanIssue]) -> None:
        for error in errors:
            print(self.issue(error), file=self.out)
        self.warnings(warnings)
        self.line("plan.rejected", count=self.number(len(errors)))


async def plan_import(
    factory: async_sessionmaker[AsyncSession],
    path: Path,
    *,
    language: str,
    zone: ZoneInfo,
    out: TextIO,
    sections: Sequence[PlanSection[Any]] = (),
) -> int:
    """`python -m bot plan import FILE`: the summary and warnings, or every error with its place; all or nothing."""
    printer = _Printer(language, zone, out)
    try:
        text = await asyncio.to_thread(read_plan_file, path)
        document = parse_plan(text, source=path.name, default_zone=zone, sections=sections)
    except PlanRejected as rejected:
        errors = list(rejected.errors)
        if rejected.kecamatan_names:
            async with factory() as session:
                errors.extend(await check_kecamatan_names(session, rejected.kecamatan_names))
        printer.rejected(sorted_issues(errors), rejected.warnings)
        return EXIT_REFUSED
    try:
        async with factory() as session, session.begin():
            summary = await import_plan(session, document, actor=CLI_ACTOR, source_name=path.name)
    except PlanRejected as rejected:
        printer.rejected(sorted_issues(rejected.errors), rejected.warnings)
        return EXIT_REFUSED
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
    if summary.sessions_removed:
        printer.line("plan.removed", count=n(summary.sessions_removed))
    for outcome in summary.sections:
        printer.line(outcome.summary_key, **{k: n(v) for k, v in outcome.counts.items()})
    printer.warnings(summary.warnings)
    return EXIT_OK


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
        members = await _active_members_by_kecamatan(session)
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
            names = [view.kecamatan_name for view in sorted(group, key=lambda v: v.kecamatan_name)]
            shown = ", ".join(names[:_NAMES_SHOWN])
            if len(names) > _NAMES_SHOWN:
                shown = printer.text("plan.show.more", names=shown, more=n(len(names) - _NAMES_SHOWN))
            printer.line("plan.show.event_some", names=shown, **values)

    printer.line("plan.show.venues")
    for view in sorted(views, key=lambda v: v.kecamatan_name):
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
            kecamatan=view.kecamatan_name,
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
