"""Send times as coordinators type them: accepted forms, every refusal code with its params, zones, rollover."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.timeparse import (
    EXAMPLES,
    MAX_AHEAD,
    TimeParseError,
    TimeParseErrorCode,
    parse_send_time,
)

WIB = ZoneInfo("Asia/Jakarta")
# Sunday 2 June 2024, 15:00 WIB.
NOW = datetime(2024, 6, 2, 8, 0, tzinfo=UTC)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def parse(text: str, now: datetime = NOW) -> datetime:
    return parse_send_time(text, now=now, zone=WIB)


def refusal(text: str, now: datetime = NOW) -> TimeParseError:
    with pytest.raises(TimeParseError) as caught:
        parse(text, now)
    return caught.value


ACCEPTED = [
    # Time of today (15:00 WIB now).
    ("19:00", utc(2024, 6, 2, 12)),
    ("19.00", utc(2024, 6, 2, 12)),
    ("1930", utc(2024, 6, 2, 12, 30)),
    ("jam 19", utc(2024, 6, 2, 12)),
    ("pukul 19.30", utc(2024, 6, 2, 12, 30)),
    ("Pukul 19.30 WIB", utc(2024, 6, 2, 12, 30)),
    ("19:00:30", utc(2024, 6, 2, 12, 0, 30)),
    ("jam 7 malam", utc(2024, 6, 2, 12)),
    ("jam 4 sore", utc(2024, 6, 2, 9)),
    ("7pm", utc(2024, 6, 2, 12)),
    ("7 p.m.", utc(2024, 6, 2, 12)),
    ("at 7pm", utc(2024, 6, 2, 12)),
    ("@ 19:00", utc(2024, 6, 2, 12)),
    ("19.00WIB", utc(2024, 6, 2, 12)),
    ("jam19", utc(2024, 6, 2, 12)),
    ("pk. 19.00.", utc(2024, 6, 2, 12)),
    # Numeric dates, day first; ISO when the year leads.
    ("3/6 07:00", utc(2024, 6, 3)),
    ("3-6 07.00", utc(2024, 6, 3)),
    ("03/06/2024 07:00", utc(2024, 6, 3)),
    ("03-06-2024 07.00", utc(2024, 6, 3)),
    ("03.06.2024 07.00", utc(2024, 6, 3)),
    ("3/6/24 7:00", utc(2024, 6, 3)),
    ("3/6 2024 07:00", utc(2024, 6, 3)),
    ("3/6 0700", utc(2024, 6, 3)),
    ("2024-06-03 07:00", utc(2024, 6, 3)),
    ("2024-06-03T07:00", utc(2024, 6, 3)),
    ("2024-06-03T07:00:00+07:00", utc(2024, 6, 3)),
    ("2024-06-03T00:00:00Z", utc(2024, 6, 3)),
    ("07:00 3/6", utc(2024, 6, 3)),
    ("tgl 3/6 jam 07.00", utc(2024, 6, 3)),
    # Relative days.
    ("besok 06:30", utc(2024, 6, 2, 23, 30)),
    ("Besok, jam 06.30 WIB", utc(2024, 6, 2, 23, 30)),
    ("esok 06:30", utc(2024, 6, 2, 23, 30)),
    ("06:30 besok", utc(2024, 6, 2, 23, 30)),
    ("lusa 08:00", utc(2024, 6, 4, 1)),
    ("hari ini 18:00", utc(2024, 6, 2, 11)),
    ("nanti 18:00", utc(2024, 6, 2, 11)),
    ("nanti malam 19:00", utc(2024, 6, 2, 12)),
    ("malam ini jam 7", utc(2024, 6, 2, 12)),
    ("nanti sore jam 4", utc(2024, 6, 2, 9)),
    ("besok jam 7 pagi", utc(2024, 6, 3, 0)),
    ("today 18:00", utc(2024, 6, 2, 11)),
    ("tomorrow 06:30", utc(2024, 6, 2, 23, 30)),
    ("tomorrow at 6:30 am", utc(2024, 6, 2, 23, 30)),
    ("day after tomorrow 8:00", utc(2024, 6, 4, 1)),
    ("tonight at 7", utc(2024, 6, 2, 12)),
    # Month names, Indonesian and English; a weekday that agrees.
    ("3 Juni 2024 07:00", utc(2024, 6, 3)),
    ("3 Jun 07.00", utc(2024, 6, 3)),
    ("3 jun. 07.00", utc(2024, 6, 3)),
    ("Senin 3 Juni 07:00", utc(2024, 6, 3)),
    ("Senin, 3 Juni 2024 pukul 07.00 WIB", utc(2024, 6, 3)),
    ("Sen 3 Jun 07:00", utc(2024, 6, 3)),
    ("hari Senin tanggal 3 Juni jam 7", utc(2024, 6, 3)),
    ("3-Jun-2024 07:00", utc(2024, 6, 3)),
    ("17 Agustus 08:00", utc(2024, 8, 17, 1)),
    ("1 Nopember 2024 08:00", utc(2024, 11, 1, 1)),
    ("June 3 2024 7:00 pm", utc(2024, 6, 3, 12)),
    ("Monday, June 3rd 7am", utc(2024, 6, 3)),
    ("3 May 2025 07:00", utc(2025, 5, 3)),
    # A weekday alone is the nearest such day.
    ("Senin 07:00", utc(2024, 6, 3)),
    ("jumat 13:30", utc(2024, 6, 7, 6, 30)),
    ("Jum'at 13:30", utc(2024, 6, 7, 6, 30)),
    ("Minggu 19:00", utc(2024, 6, 2, 12)),
    # Other zones: the wall clock of that zone.
    ("besok 07:00 WITA", utc(2024, 6, 2, 23)),
    ("besok 07:00 WIT", utc(2024, 6, 2, 22)),
    ("besok 07:00 UTC", utc(2024, 6, 3, 7)),
    ("besok 07:00 GMT", utc(2024, 6, 3, 7)),
    ("besok 07:00 +08:00", utc(2024, 6, 2, 23)),
    ("besok 07:00 +0800", utc(2024, 6, 2, 23)),
    ("besok 07:00 +8", utc(2024, 6, 2, 23)),
    ("besok 07:00 UTC+8", utc(2024, 6, 2, 23)),
    ("besok 07:00 utc +8", utc(2024, 6, 2, 23)),
    ("3/6 07:00 WITA", utc(2024, 6, 2, 23)),
    ("besok 07:00 +05:30", utc(2024, 6, 3, 1, 30)),
    # Spacing and case do not matter.
    ("   BESOK    06:30   ", utc(2024, 6, 2, 23, 30)),
]


@pytest.mark.parametrize(("text", "expected"), ACCEPTED, ids=[text for text, _ in ACCEPTED])
def test_accepted_forms(text: str, expected: datetime) -> None:
    result = parse(text)
    assert result == expected
    assert result.utcoffset() == timedelta(0)


@pytest.mark.parametrize("text", ["sekarang", "Sekarang juga", "skrg", "now", "NOW", "sekarang WIB"])
def test_now_words_return_now(text: str) -> None:
    assert parse(text) == NOW


def test_now_is_returned_in_utc_whatever_zone_it_came_in() -> None:
    result = parse("sekarang", NOW.astimezone(WIB))
    assert result == NOW
    assert result.tzinfo is UTC


def test_a_minute_ago_is_still_accepted_as_typed() -> None:
    # 14:59:30 WIB: typing takes time; the caller sends at once.
    assert parse("14:59:30") == utc(2024, 6, 2, 7, 59, 30)


def test_year_rollover_takes_the_next_new_year() -> None:
    new_years_eve = datetime(2024, 12, 31, 13, 0, tzinfo=UTC)  # 20:00 WIB
    assert parse("1/1 07:00", new_years_eve) == utc(2025, 1, 1, 0)
    assert parse("1 Januari 07:00", new_years_eve) == utc(2025, 1, 1, 0)
    assert parse("besok 07:00", new_years_eve) == utc(2025, 1, 1, 0)


def test_year_omitted_on_new_years_day_does_not_jump_back_a_year_for_a_near_date() -> None:
    new_years_day = datetime(2025, 1, 1, 1, 0, tzinfo=UTC)  # 08:00 WIB
    assert parse("2/1 07:00", new_years_day) == utc(2025, 1, 2, 0)
    error = refusal("31/12 20:00", new_years_day)
    assert error.code is TimeParseErrorCode.IN_PAST
    assert error.params["when"] == "2024-12-31 20:00"


def test_leap_day_without_year_is_a_date() -> None:
    early_2028 = datetime(2028, 2, 1, tzinfo=UTC)
    assert parse("29/2 07:00", early_2028) == utc(2028, 2, 29, 0)


def test_the_zone_of_the_text_decides_which_day_tomorrow_is() -> None:
    # 23:30 WIB on 2 June is already 00:30 WITA on 3 June.
    late = datetime(2024, 6, 2, 16, 30, tzinfo=UTC)
    assert parse("besok 07:00", late) == utc(2024, 6, 3, 0)
    assert parse("besok 07:00 WITA", late) == utc(2024, 6, 3, 23)


def test_jakarta_has_no_daylight_saving() -> None:
    # The same wall time maps to the same UTC hour in January and July (no DST shifts to trip over).
    january = datetime(2025, 1, 10, tzinfo=UTC)
    july = datetime(2025, 7, 10, tzinfo=UTC)
    assert parse("15/1 07:00", january) == utc(2025, 1, 15, 0)
    assert parse("15/7 07:00", july) == utc(2025, 7, 15, 0)
    assert parse("15/1 07:00 WIB", january) == parse("15/1 07:00", january)


def test_another_default_zone_is_honoured() -> None:
    makassar = ZoneInfo("Asia/Makassar")
    assert parse_send_time("besok 07:00", now=NOW, zone=makassar) == utc(2024, 6, 2, 23)
    with pytest.raises(TimeParseError) as caught:
        parse_send_time("07:00", now=NOW, zone=makassar)
    assert caught.value.params["zone"] == "WITA"


def test_naive_now_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="aware"):
        parse_send_time("besok 07:00", now=datetime(2024, 6, 2, 8), zone=WIB)


# --- Refusals ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "blah",
        "WIB",
        "jam",
        "besok 7",  # a bare hour needs "jam"/"pukul" or a part of day
        "besok 700",
        "besok 07:00 11:00",
        "3/6 4/6 07:00",
        "besok lusa 07:00",
        "sekarang besok",
        "besok 07:00 WIB WITA",
        "7 am pm",
        "besok 07:00 +15:00",
        "3/6 07:0",
        "Juni 07:00",
        "x" * 500,
    ],
)
def test_unreadable(text: str) -> None:
    error = refusal(text)
    assert error.code is TimeParseErrorCode.UNREADABLE
    assert error.params == {"examples": EXAMPLES}
    assert error.params["examples"] is not EXAMPLES  # the caller may not mutate the module's list


def test_examples_are_themselves_accepted() -> None:
    new_years_eve_2023 = datetime(2023, 12, 31, tzinfo=UTC)
    for example in EXAMPLES:
        parse(example, new_years_eve_2023 if "2024" in example else NOW)


def test_time_already_passed_today_is_refused_with_tomorrow_offered() -> None:
    error = refusal("07:00")
    assert error.code is TimeParseErrorCode.IN_PAST
    assert error.params == {
        "when": "2024-06-02 07:00",
        "now": "2024-06-02 15:00",
        "zone": "WIB",
        "suggestion": "besok 07:00",
    }
    assert parse(str(error.params["suggestion"])) == utc(2024, 6, 3, 0)


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("jam 7", "besok 07:00"),
        ("hari ini 14:58", "besok 14:58"),
        ("07:00 WITA", "besok 07:00 WITA"),
        ("07:00 +05:30", "besok 07:00 UTC+05:30"),
        ("07:00:30", "besok 07:00:30"),
    ],
)
def test_in_past_suggestion_keeps_time_and_zone(text: str, suggestion: str) -> None:
    assert refusal(text).params["suggestion"] == suggestion
    parse(suggestion)  # and it is itself accepted


def test_in_past_with_a_date_offers_no_suggestion() -> None:
    # Yesterday's date is a typo, not next year's broadcast.
    error = refusal("1/6 07:00")
    assert error.code is TimeParseErrorCode.IN_PAST
    assert error.params == {"when": "2024-06-01 07:00", "now": "2024-06-02 15:00", "zone": "WIB"}
    assert refusal("03/06/2023 07:00").code is TimeParseErrorCode.IN_PAST


def test_more_than_a_minute_ago_is_in_the_past() -> None:
    assert refusal("14:58:59").code is TimeParseErrorCode.IN_PAST


def test_too_far() -> None:
    error = refusal("3/6/2026 07:00")
    assert error.code is TimeParseErrorCode.TOO_FAR
    assert error.params == {"when": "2026-06-03 07:00", "zone": "WIB", "max_days": 400}
    # Exactly 400 days ahead is still fine.
    assert parse("7/7/2025 15:00") == NOW + MAX_AHEAD


@pytest.mark.parametrize(
    ("text", "params"),
    [
        ("31/6 07:00", {"day": 31, "month": 6}),
        ("31 Juni 07:00", {"day": 31, "month": 6}),
        ("30/2 07:00", {"day": 30, "month": 2}),
        ("29/2/2025 07:00", {"day": 29, "month": 2, "year": 2025}),
        ("2025-02-29 07:00", {"day": 29, "month": 2, "year": 2025}),
        ("6/13 07:00", {"day": 6, "month": 13}),  # month/day order is not guessed
        ("0/6 07:00", {"day": 0, "month": 6}),
        ("31/6", {"day": 31, "month": 6}),  # a time would not make the date exist
    ],
)
def test_bad_date(text: str, params: dict[str, int]) -> None:
    error = refusal(text)
    assert error.code is TimeParseErrorCode.BAD_DATE
    assert error.params == params


def test_leap_day_without_year_and_no_leap_year_near() -> None:
    error = refusal("29/2 07:00", datetime(2026, 6, 1, tzinfo=UTC))
    assert error.code is TimeParseErrorCode.BAD_DATE
    assert error.params == {"day": 29, "month": 2}


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("25:00", "25:00"),
        ("besok 24:00", "24:00"),
        ("besok 07:60", "07:60"),
        ("jam 25", "25"),
        ("2460", "2460"),
    ],
)
def test_bad_time_out_of_range(text: str, shown: str) -> None:
    error = refusal(text)
    assert error.code is TimeParseErrorCode.BAD_TIME
    assert error.params == {"reason": "out_of_range", "time": shown}


@pytest.mark.parametrize(
    ("text", "shown"), [("besok 19:00 pagi", "19:00 pagi"), ("besok jam 12 malam", "12 malam")]
)
def test_bad_time_part_of_day_mismatch(text: str, shown: str) -> None:
    error = refusal(text)
    assert error.code is TimeParseErrorCode.BAD_TIME
    assert error.params == {"reason": "period_mismatch", "time": shown}


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("besok pagi", "besok 07:00"),
        ("besok", "besok 07:00"),
        ("lusa sore", "lusa 16:00"),
        ("Senin 3 Juni", "senin 3 juni 07:00"),
        ("3/6", "3/6 07:00"),
        ("3/6 2024", "3/6 2024 07:00"),
        ("hari ini", "hari ini 07:00"),
        ("malam ini", "hari ini 19:00"),
        ("besok pagi WITA", "besok 07:00 WITA"),
        ("besok jam", "besok 07:00"),
    ],
)
def test_bad_time_missing_gives_a_hint_that_parses(text: str, hint: str) -> None:
    error = refusal(text)
    assert error.code is TimeParseErrorCode.BAD_TIME
    assert error.params == {"reason": "missing", "hint": hint}
    parse(hint, datetime(2024, 6, 1, tzinfo=UTC))  # the hint is itself an accepted input


@pytest.mark.parametrize(
    ("text", "params"),
    [
        ("Selasa 3 Juni 07:00", {"date": "2024-06-03", "weekday": 0, "given": 1}),
        ("Friday 2024-06-03 07:00", {"date": "2024-06-03", "weekday": 0, "given": 4}),
        ("Rabu besok 07:00", {"date": "2024-06-03", "weekday": 0, "given": 2}),
    ],
)
def test_weekday_mismatch(text: str, params: dict[str, str | int]) -> None:
    error = refusal(text)
    assert error.code is TimeParseErrorCode.WEEKDAY_MISMATCH
    assert error.params == params


def test_error_codes_are_exactly_these() -> None:
    assert {code.value for code in TimeParseErrorCode} == {
        "unreadable",
        "in_past",
        "too_far",
        "bad_date",
        "bad_time",
        "weekday_mismatch",
    }


def test_error_carries_code_and_params_but_no_sentence() -> None:
    error = refusal("31/6 07:00")
    assert isinstance(error, ValueError)
    assert str(error) == "bad_date: {'day': 31, 'month': 6}"
