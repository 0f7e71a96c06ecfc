"""What can be wrong in a plan file: its error and warning codes, the log a parse fills, and PlanRejected."""

from __future__ import annotations

import enum
from collections.abc import Sequence

from bot.core.problems import ImportRejected, Place, Problem, Severity


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


class PlanRejected(ImportRejected):
    """The plan has errors; nothing was written. `kecamatan_names` are the names the file gives, so the
    caller can also check them against the region list and list every problem at once."""

    def __init__(
        self,
        errors: Sequence[Problem],
        warnings: Sequence[Problem] = (),
        kecamatan_names: Sequence[tuple[Place, str]] = (),
    ) -> None:
        super().__init__(errors, warnings)
        self.kecamatan_names = list(kecamatan_names)


class IssueLog:
    """The errors and warnings found so far, in file order."""

    def __init__(self) -> None:
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []

    def error(self, code: str, place: Place, /, **params: str | int) -> None:
        """Record an error at this place."""
        self.errors.append(Problem(Severity.ERROR, code, place, params))

    def warning(self, code: str, place: Place, /, **params: str | int) -> None:
        """Record a warning at this place."""
        self.warnings.append(Problem(Severity.WARNING, code, place, params))
