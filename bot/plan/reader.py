"""Reading a plan file's values: the zone and day times are read against, and the checked entry reader."""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.problems import Place
from bot.plan.problems import IssueLog, PlanErrorCode, PlanWarningCode


@dataclass(frozen=True)
class PlanContext:
    """What every time in the file is read against: the plan's zone and day, and how many whole days the
    plan is moved (`plan import --on`): `date` is then already the new day, and every date written in the
    file moves by `moved_days` too, its time of day in the zone unchanged."""

    zone: ZoneInfo
    date: date | None  # None only while [plan] date is itself in error (already reported)
    moved_days: int = 0

    def moved(self, local: datetime) -> datetime:
        """A wall-clock time of the zone (naive) moved by the plan's whole days, as an aware UTC moment."""
        return (local + timedelta(days=self.moved_days)).replace(tzinfo=self.zone).astimezone(UTC)

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


_ABSENT = object()


class EntryReader:
    """Typed, checked access to one table or [[table]] entry; every problem is logged with its place.

    Each getter marks its key as known; `finish()` reports the keys nobody asked for as unknown."""

    def __init__(self, values: Mapping[str, Any], place: Place, context: PlanContext, log: IssueLog) -> None:
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
                return self.context.moved(value)
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
            # Moved on the zone's wall clock, so "08:00 WIB" stays 08:00 WIB on the new day.
            return self.context.moved(local.replace(tzinfo=None))
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
