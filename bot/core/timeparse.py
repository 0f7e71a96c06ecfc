"""Read a broadcast send time as coordinators type it (WIB unless they say otherwise) into a UTC datetime."""

# Accepted forms (case, commas and extra spaces do not matter; "jam", "pukul", "pkl", "at", "@", "tanggal",
# "tgl", "hari", "on" are noise words; a zone word may come anywhere, usually last):
#   time only        07:00  7.00  07:00:30  jam 7  pukul 07.30  jam 7 malam  7pm  0700  1930
#                    -> today in the zone; a time that has already passed is an error (in_past), never rolled
#                    to tomorrow: the caller offers the "besok ..." it gets in the error's params instead.
#   numeric dates    3/6 07:00  3-6 07.00  03/06/2024 07:00  03-06-2024 07.00  3/6/24 7:00  03.06.2024 07:00
#                    (day first, as Indonesians write it); 2024-06-03 07:00  2024-06-03T07:00[:00][+07:00|Z]
#                    (year first when it starts with four digits).
#   month names      3 Juni 2024 07:00  3 Jun 07.00  Senin, 3 Juni 07:00  June 3 2024 7:00 pm  3-jun-2024 07:00
#                    (Indonesian and English names and abbreviations; a year after a month name is 20xx).
#   relative days    hari ini / today / nanti 18:00, besok / esok / tomorrow 06:30, lusa / day after tomorrow
#                    08:00, malam ini 19:00, nanti sore jam 4; a weekday alone ("Senin 07:00") is the nearest
#                    such day, today included.
#   now              sekarang / skrg / now -> `now` itself (the caller sends at once).
#   zones            WIB (+7, also the default through `zone`), WITA (+8), WIT (+9), UTC / GMT / Z (+0),
#                    +07:00 / +0700 / +7 / UTC+8: coordinators travel, and a time typed with its own zone
#                    is read on that zone's wall clock and calendar ("besok" there).
# Decisions:
#   * "0700"/"1930" (four bare digits) are HH:MM, except 20xx right after a month name or a day/month
#     ("3 Juni 2024", "3/6 2024"), which is the year. A bare one- or two-digit hour needs "jam"/"pukul"/"at"
#     or a part of day ("7 malam"), because "besok 7" could as well be a date typo.
#   * Year omitted -> the occurrence nearest to now (last, this or next year). On 31 December "1/1 07:00" is
#     next year; on 2 June "1/6 07:00" is yesterday and so in_past, rather than silently a year away, which
#     is what a typo of the day would otherwise schedule.
#   * Parts of day pick the 24-hour reading: pagi 0-11, siang 10-15, sore 14-18, malam 18-23, am, pm; "jam 12
#     malam" is refused (midnight of which day?).
#   * Up to 60 s in the past is accepted and returned as read (typing takes time; the caller sends at once).

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import Final, TypeVar
from zoneinfo import ZoneInfo

__all__ = [
    "EXAMPLES",
    "MAX_AHEAD",
    "PAST_GRACE",
    "TimeParseError",
    "TimeParseErrorCode",
    "parse_send_time",
]

EXAMPLES: Final[list[str]] = ["3/6 07:00", "03-06-2024 07.00", "besok 06:30", "hari ini 18:00"]
MAX_AHEAD: Final = timedelta(days=400)
PAST_GRACE: Final = timedelta(seconds=60)
# Anything longer is not a time; the cap also keeps the regexes' work trivially bounded.
_MAX_INPUT: Final = 200


class TimeParseErrorCode(enum.StrEnum):
    """Why a typed send time was refused; the caller words the message in the person's language.

    Params by code (times are "YYYY-MM-DD HH:MM" on the wall clock of the zone the text was read in):
      unreadable        examples: list[str] (a copy of EXAMPLES)
      in_past           when, now, zone: str; suggestion: str such as "besok 07:00" (only for a time of today)
      too_far           when, zone: str; max_days: int
      bad_date          day, month: int; year: int (only when typed)
      bad_time          reason: "out_of_range" | "period_mismatch" with time: str (as typed), or
                        reason: "missing" with hint: str (their day words plus a time, e.g. "besok 07:00")
      weekday_mismatch  date: "YYYY-MM-DD"; weekday (the date's real one), given (typed): int, Monday = 0
    """

    UNREADABLE = "unreadable"
    IN_PAST = "in_past"
    TOO_FAR = "too_far"
    BAD_DATE = "bad_date"
    BAD_TIME = "bad_time"
    WEEKDAY_MISMATCH = "weekday_mismatch"


ParamValue = str | int | list[str]
_T = TypeVar("_T")


class TimeParseError(ValueError):
    """The text is not a usable send time; `code` and `params` say why."""

    def __init__(self, code: TimeParseErrorCode, **params: ParamValue) -> None:
        super().__init__(f"{code}: {params}")
        self.code = code
        self.params: dict[str, ParamValue] = params


# --- Vocabulary ----------------------------------------------------------------------------------------

_MONTHS: Final[dict[str, int]] = {
    **dict.fromkeys(["januari", "january", "jan"], 1),
    **dict.fromkeys(["februari", "pebruari", "february", "feb", "peb"], 2),
    **dict.fromkeys(["maret", "march", "mar"], 3),
    **dict.fromkeys(["april", "apr"], 4),
    **dict.fromkeys(["mei", "may"], 5),
    **dict.fromkeys(["juni", "june", "jun"], 6),
    **dict.fromkeys(["juli", "july", "jul"], 7),
    **dict.fromkeys(["agustus", "august", "agu", "agt", "ags", "agust", "aug"], 8),
    **dict.fromkeys(["september", "sep", "sept"], 9),
    **dict.fromkeys(["oktober", "october", "okt", "oct"], 10),
    **dict.fromkeys(["november", "nopember", "nov", "nop"], 11),
    **dict.fromkeys(["desember", "december", "des", "dec"], 12),
}
_WEEKDAYS: Final[dict[str, int]] = {
    **dict.fromkeys(["senin", "sen", "monday", "mon"], 0),
    **dict.fromkeys(["selasa", "sel", "tuesday", "tue", "tues"], 1),
    **dict.fromkeys(["rabu", "rab", "wednesday", "wed"], 2),
    **dict.fromkeys(["kamis", "kam", "thursday", "thu", "thur", "thurs"], 3),
    **dict.fromkeys(["jumat", "jum", "friday", "fri"], 4),
    **dict.fromkeys(["sabtu", "sab", "saturday", "sat"], 5),
    **dict.fromkeys(["minggu", "ahad", "min", "mgg", "sunday", "sun"], 6),
}
# Relative days, longest phrase first so "day after tomorrow" is not read as "tomorrow".
_RELATIVE: Final[list[tuple[tuple[str, ...], int]]] = [
    (("day", "after", "tomorrow"), 2),
    (("hari", "ini"), 0),
    (("today",), 0),
    (("nanti",), 0),
    (("besok",), 1),
    (("esok",), 1),
    (("tomorrow",), 1),
    (("lusa",), 2),
]
# Parts of day: the 24-hour range the hour must land in, and the time a "missing time" hint proposes.
_PERIODS: Final[dict[str, tuple[int, int, str]]] = {
    "pagi": (0, 11, "07:00"),
    "siang": (10, 15, "12:00"),
    "sore": (14, 18, "16:00"),
    "malam": (18, 23, "19:00"),
    "am": (0, 11, "07:00"),
    "pm": (12, 23, "19:00"),
}
_NOW_WORDS: Final = frozenset({"sekarang", "skrg", "skr", "now"})
_TIME_MARKERS: Final = frozenset({"jam", "pukul", "pkl", "pk", "at"})
_NOISE: Final = frozenset({"tanggal", "tgl", "hari", "on", "juga"})
_ZONE_WORDS: Final[dict[str, int]] = {"wib": 7, "wita": 8, "wit": 9, "utc": 0, "gmt": 0, "z": 0}
_OFFSET_LABELS: Final[dict[int, str]] = {7: "WIB", 8: "WITA", 9: "WIT", 0: "UTC"}
_ZONE_LABELS: Final[dict[str, str]] = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}

_ISO_DATE: Final = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", re.ASCII)
_DMY: Final = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})", re.ASCII)
# No dot here: "7.30" is a time, and a dotted day/month is only taken with its year (above).
_DM: Final = re.compile(r"(\d{1,2})[-/](\d{1,2})", re.ASCII)
_CLOCK: Final = re.compile(r"(\d{1,2})[:.](\d{2})(?::(\d{2}))?", re.ASCII)
_NUMBER: Final = re.compile(r"\d{1,4}", re.ASCII)
_YEAR_AFTER_MONTH: Final = re.compile(r"20\d\d", re.ASCII)
_OFFSET: Final = re.compile(r"(?:utc|gmt)?([+-])(\d{1,2})(?::?(\d{2}))?", re.ASCII)


# --- Reading -------------------------------------------------------------------------------------------


def _tokens(text: str) -> list[str]:
    """Lower-case words with the glue people type between them undone ("07.00WIB", "3-Jun-2024", "jam7")."""
    s = text.casefold().replace("'", "").replace("\u2019", "")
    s = re.sub(r"\b([ap])\.\s?m\b\.?", r"\1m", s, flags=re.ASCII)  # "7 p.m." before dots become spaces
    s = re.sub(r"(?<=\d)t(?=\d)", " ", s)  # ISO 8601 "2024-06-03T07:00"
    s = re.sub(r"(?<=\d)(?:st|nd|rd|th)\b", "", s, flags=re.ASCII)  # "3rd June"
    s = re.sub(r"(?<=\d)[-/.](?=[a-z])|(?<=[a-z])[-/.](?=\d)", " ", s)  # "3-jun-2024"
    s = re.sub(r"(?<=[a-z])\.", " ", s)  # abbreviations: "pk.", "jun."
    s = re.sub(r"(?<=\d)(?=[a-z])|(?<=[a-z])(?=\d)", " ", s)  # "07.00wib", "jam7", "7pm"
    s = re.sub(r"(?<=\d)(?=\+)", " ", s)  # "07:00+07:00"
    s = s.replace("@", " at ")
    s = re.sub(r"[,;!?()\"]", " ", s)
    s = re.sub(r"\.+(?=\s|$)", " ", s)  # a sentence's full stop: "07.00."
    return s.split()


@dataclass
class _Parts:
    """What the words said, before any calendar arithmetic."""

    day_offset: int | None = None
    ymd: tuple[int | None, int, int] | None = None
    weekday: int | None = None
    clock: tuple[int, int, int] | None = None
    clock_raw: str = ""
    period: str | None = None
    zone: tzinfo | None = None
    zone_label: str = ""
    now_word: bool = False
    day_words: list[str] = field(default_factory=list)  # as typed, to build the "missing time" hint

    def meaningful(self) -> bool:
        return self.now_word or any(
            v is not None for v in (self.day_offset, self.ymd, self.weekday, self.clock, self.period)
        )


def _unreadable() -> TimeParseError:
    return TimeParseError(TimeParseErrorCode.UNREADABLE, examples=list(EXAMPLES))


def _once(current: _T | None, value: _T) -> _T:
    # Two dates, two times or two zones in one answer: guessing which one was meant would be worse than asking.
    if current is not None:
        raise _unreadable()
    return value


def _offset_zone(sign: str, hours: str, minutes: str | None) -> tuple[tzinfo, str]:
    h, m = int(hours), int(minutes or 0)
    if h > 14 or m > 59:
        raise _unreadable()
    delta = timedelta(hours=h, minutes=m) * (-1 if sign == "-" else 1)
    return timezone(delta), _offset_label(delta)


def _offset_label(delta: timedelta) -> str:
    hours = delta / timedelta(hours=1)
    if hours in _OFFSET_LABELS:
        return _OFFSET_LABELS[int(hours)]
    sign = "-" if delta < timedelta(0) else "+"
    minutes = abs(int(delta.total_seconds())) // 60
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _read_zone(tok: str, nxt: str) -> tuple[tzinfo, str, int]:
    """A zone word or offset ("WITA", "+07:00", "UTC+8", "UTC +8"); also returns how many words it took."""
    if tok in ("utc", "gmt") and (m := _OFFSET.fullmatch(nxt)):
        return *_offset_zone(*m.groups()), 2
    if tok in _ZONE_WORDS:
        delta = timedelta(hours=_ZONE_WORDS[tok])
        return timezone(delta), _offset_label(delta), 1
    m = _OFFSET.fullmatch(tok)
    assert m is not None
    return *_offset_zone(*m.groups()), 1


def _hour_number(raw: str) -> tuple[int, int, int]:
    """A bare number read as a time: "7" is 07:00, "0700"/"1930" are HHMM; three digits are too ambiguous."""
    if len(raw) <= 2:
        return int(raw), 0, 0
    if len(raw) == 4:
        return int(raw[:2]), int(raw[2:]), 0
    raise _unreadable()


def _read(tokens: list[str]) -> _Parts:
    p = _Parts()
    marked = False  # the previous word was "jam"/"pukul"/"at": a bare number is then an hour
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        used = 1
        relative = next(
            ((words, days) for words, days in _RELATIVE if tuple(tokens[i : i + len(words)]) == words), None
        )
        if tok in _TIME_MARKERS:
            marked = True
            i += 1
            continue
        if relative is not None:
            words, days = relative
            p.day_offset = _once(p.day_offset, days)
            p.day_words.extend(words)
            used = len(words)
        elif tok in _ZONE_WORDS or _OFFSET.fullmatch(tok):
            zone, label, used = _read_zone(tok, nxt)
            p.zone = _once(p.zone, zone)
            p.zone_label = label
        elif tok in _NOW_WORDS:
            p.now_word = True
        elif tok in _NOISE:
            pass
        elif tok == "tonight":
            p.day_offset = _once(p.day_offset, 0)
            p.period = _once(p.period, "malam")
            p.day_words.append("today")
        elif tok in _PERIODS:
            p.period = _once(p.period, tok)
            if nxt == "ini":  # "malam ini" = tonight
                p.day_offset = _once(p.day_offset, 0)
                p.day_words.append("hari ini")
                used = 2
        elif tok in _WEEKDAYS:
            p.weekday = _once(p.weekday, _WEEKDAYS[tok])
            p.day_words.append(tok)
        elif m := _CLOCK.fullmatch(tok):
            hh, mm, ss = m.groups()
            p.clock = _once(p.clock, (int(hh), int(mm), int(ss or 0)))
            p.clock_raw = tok
        elif m := _ISO_DATE.fullmatch(tok):
            p.ymd = _once(p.ymd, (int(m[1]), int(m[2]), int(m[3])))
            p.day_words.append(tok)
        elif m := _DMY.fullmatch(tok):
            full_year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)  # "24" is 2024, never 1924
            p.ymd = _once(p.ymd, (full_year, int(m[2]), int(m[1])))
            p.day_words.append(tok)
        elif m := _DM.fullmatch(tok):
            # "3/6 2024" is a date with its year, not 3 June at 20:24.
            year = int(nxt) if _YEAR_AFTER_MONTH.fullmatch(nxt) else None
            p.ymd = _once(p.ymd, (year, int(m[2]), int(m[1])))
            used = 1 if year is None else 2
            p.day_words.extend(tokens[i : i + used])
        elif _NUMBER.fullmatch(tok) and (marked or nxt in _PERIODS):
            p.clock = _once(p.clock, _hour_number(tok))
            p.clock_raw = tok
        elif _NUMBER.fullmatch(tok) and len(tok) <= 2 and nxt in _MONTHS:  # "3 Juni [2024]"
            used = _read_month_date(p, tokens, i, day=tok, month=nxt)
        elif tok in _MONTHS and _NUMBER.fullmatch(nxt) and len(nxt) <= 2:  # "June 3 [2024]"
            used = _read_month_date(p, tokens, i, day=nxt, month=tok)
        elif _NUMBER.fullmatch(tok) and len(tok) == 4:
            p.clock = _once(p.clock, _hour_number(tok))
            p.clock_raw = tok
        else:
            raise _unreadable()
        marked = False
        i += used
    return p


def _read_month_date(p: _Parts, tokens: list[str], i: int, *, day: str, month: str) -> int:
    """A date with a month name at tokens[i:i+2], and maybe a 20xx year after it; returns the words used."""
    year_word = tokens[i + 2] if i + 2 < len(tokens) else ""
    year = int(year_word) if _YEAR_AFTER_MONTH.fullmatch(year_word) else None
    p.ymd = _once(p.ymd, (year, _MONTHS[month], int(day)))
    used = 2 if year is None else 3
    p.day_words.extend(tokens[i : i + used])
    return used


# --- Resolving -----------------------------------------------------------------------------------------


def _clock_of(p: _Parts) -> time:
    assert p.clock is not None
    hh, mm, ss = p.clock
    shown = " ".join(w for w in (p.clock_raw, p.period or "") if w)
    if hh > 23 or mm > 59 or ss > 59:
        raise TimeParseError(TimeParseErrorCode.BAD_TIME, reason="out_of_range", time=shown)
    if p.period is not None:
        low, high, _ = _PERIODS[p.period]
        # "7 malam" could be 7 or 19; the part of day keeps exactly one (ranges are < 12 hours wide).
        candidates = (
            {hh} | ({hh + 12} if 1 <= hh <= 11 else set()) | ({0} if hh == 12 and p.period == "am" else set())
        )
        fitting = [h for h in candidates if low <= h <= high]
        if not fitting:
            raise TimeParseError(TimeParseErrorCode.BAD_TIME, reason="period_mismatch", time=shown)
        hh = fitting[0]
    return time(hh, mm, ss)


def _valid_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _check_date_exists(p: _Parts) -> None:
    """Refuse 31/6 before asking for a time: a time would not make that date exist."""
    if p.ymd is None:
        return
    year, month, day = p.ymd
    # Without a year, 29/2 is possible (2000 was a leap year); the nearest-year choice handles the rest.
    if _valid_date(2000 if year is None else year, month, day) is None:
        params: dict[str, ParamValue] = {"day": day, "month": month}
        if year is not None:
            params["year"] = year
        raise TimeParseError(TimeParseErrorCode.BAD_DATE, **params)


def _missing_time_hint(p: _Parts) -> str:
    default = _PERIODS[p.period][2] if p.period is not None else "07:00"
    return " ".join([*p.day_words, default, *([p.zone_label] if p.zone is not None else [])])


def _day_of(p: _Parts, clock: time, local_now: datetime) -> date:
    tz = local_now.tzinfo
    today = local_now.date()
    if p.ymd is not None:
        year, month, day = p.ymd
        if year is not None:
            found = _valid_date(year, month, day)
            assert found is not None  # _check_date_exists ran first
            return found
        candidates = [
            d for y in (today.year - 1, today.year, today.year + 1) if (d := _valid_date(y, month, day))
        ]
        if not candidates:  # 29/2 with no leap year around
            raise TimeParseError(TimeParseErrorCode.BAD_DATE, day=day, month=month)
        return min(candidates, key=lambda d: abs(datetime.combine(d, clock, tzinfo=tz) - local_now))
    if p.day_offset is not None:
        return today + timedelta(days=p.day_offset)
    if p.weekday is not None:
        return today + timedelta(days=(p.weekday - today.weekday()) % 7)
    return today


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def parse_send_time(text: str, *, now: datetime, zone: ZoneInfo) -> datetime:
    """The moment `text` names, as an aware UTC datetime; `now` itself for "sekarang"/"now".

    Raises TimeParseError (see TimeParseErrorCode for the params of each code).
    """
    if now.tzinfo is None:
        raise ValueError("parse_send_time needs an aware `now`")
    now = now.astimezone(UTC)
    if len(text) > _MAX_INPUT:
        raise _unreadable()
    p = _read(_tokens(text))
    if not p.meaningful():
        raise _unreadable()
    if p.now_word:
        if p.day_offset is not None or p.ymd or p.weekday is not None or p.clock or p.period:
            raise _unreadable()
        return now

    tz: tzinfo = p.zone if p.zone is not None else zone
    label = p.zone_label if p.zone is not None else _ZONE_LABELS.get(zone.key, zone.key)
    local_now = now.astimezone(tz)
    _check_date_exists(p)
    if p.clock is None:
        raise TimeParseError(TimeParseErrorCode.BAD_TIME, reason="missing", hint=_missing_time_hint(p))
    clock = _clock_of(p)
    day = _day_of(p, clock, local_now)
    if p.weekday is not None and day.weekday() != p.weekday:
        raise TimeParseError(
            TimeParseErrorCode.WEEKDAY_MISMATCH,
            date=day.isoformat(),
            weekday=day.weekday(),
            given=p.weekday,
        )

    local = datetime.combine(day, clock, tzinfo=tz)
    result = local.astimezone(UTC)
    if result < now - PAST_GRACE:
        params: dict[str, ParamValue] = {"when": _stamp(local), "now": _stamp(local_now), "zone": label}
        if p.ymd is None and p.weekday is None and p.day_offset in (None, 0):
            # Only a time of today can sensibly become "the same time tomorrow".
            fmt = "%H:%M:%S" if clock.second else "%H:%M"
            zone_word = f" {label}" if p.zone is not None else ""
            params["suggestion"] = f"besok {clock.strftime(fmt)}{zone_word}"
        raise TimeParseError(TimeParseErrorCode.IN_PAST, **params)
    if result - now > MAX_AHEAD:
        raise TimeParseError(
            TimeParseErrorCode.TOO_FAR, when=_stamp(local), zone=label, max_days=MAX_AHEAD.days
        )
    return result
