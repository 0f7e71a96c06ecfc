"""Dates, times, numbers and distances in the person's locale (Babel): 'Senin, 3 Juni 2024', '08.00 WIB', '1.035'."""

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from babel.numbers import format_decimal, format_percent

# Indonesians name their zones by these abbreviations in every language.
_ZONE_ABBREVIATIONS = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


def zone_label(zone: ZoneInfo, moment: datetime) -> str:
    """'WIB' for Asia/Jakarta; otherwise the zone's own abbreviation."""
    return _ZONE_ABBREVIATIONS.get(zone.key) or moment.astimezone(zone).tzname() or zone.key


def date_long(moment: datetime, language: str, zone: ZoneInfo) -> str:
    """'Senin, 3 Juni 2024' / 'Monday, 3 June 2024'."""
    return format_datetime(moment, "EEEE, d MMMM y", tzinfo=zone, locale=language)


def time_short(moment: datetime, language: str, zone: ZoneInfo, *, with_zone: bool = True) -> str:
    """'08.00 WIB' in Indonesian, '08:00 WIB' in English."""
    pattern = "HH.mm" if language == "id" else "HH:mm"
    text = format_datetime(moment, pattern, tzinfo=zone, locale=language)
    return f"{text} {zone_label(zone, moment)}" if with_zone else text


def date_time(moment: datetime, language: str, zone: ZoneInfo) -> str:
    """'Senin, 3 Juni 2024 pukul 08.00 WIB' / 'Monday, 3 June 2024 at 08:00 WIB'."""
    joiner = "pukul" if language == "id" else "at"
    return f"{date_long(moment, language, zone)} {joiner} {time_short(moment, language, zone)}"


def time_range(start: datetime, end: datetime, language: str, zone: ZoneInfo) -> str:
    """'08.00–16.00 WIB'."""
    return f"{time_short(start, language, zone, with_zone=False)}–{time_short(end, language, zone)}"


def number(value: float, language: str) -> str:
    """'1.035' / '1,035'."""
    return format_decimal(value, format="#,##0.##", locale=language)


def percent(fraction: float, language: str) -> str:
    """'87,5%' / '87.5%'."""
    return format_percent(fraction, format="#,##0.#%", locale=language)


def distance(metres: float, language: str) -> str:
    """'350 m' or '2,4 km'."""
    if metres < 1000:
        return f"{format_decimal(round(metres), locale=language)} m"
    return f"{format_decimal(round(metres / 1000, 1), format='#,##0.#', locale=language)} km"
