"""Problems found in an imported file (roster, region list, plan): one shape, one exception, for every import."""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field


class Severity(enum.StrEnum):
    """An error refuses the whole file; a warning is printed and the import goes on."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Place:
    """Where in the file: a spreadsheet row (header = row 1); or a TOML table, the entry number of a
    [[table]] (1-based) with its label, a key; or a line and column for text that could not be parsed.
    All None = the file as a whole."""

    table: str | None = None
    number: int | None = None
    label: str | None = None
    key: str | None = None
    line: int | None = None
    column: int | None = None
    row: int | None = None

    def at(self, key: str | None) -> Place:
        """The same place, narrowed to one key (or widened back to the entry with None)."""
        return dataclasses.replace(self, key=key)


@dataclass(frozen=True)
class Problem:
    """One problem in an imported file: its severity, code, place, and the values its message needs.

    The message is the catalog entry `<catalog>.<severity>.<code>`, where the catalog names the import
    (`plan`, `cli.roster`, `cli.wilayah`)."""

    severity: Severity
    code: str
    place: Place = Place()
    params: Mapping[str, str | int] = field(default_factory=dict)

    @property
    def row(self) -> int:
        """The spreadsheet row of the problem, 0 for the whole file."""
        return self.place.row or 0


def error(code: str, place: Place = Place(), /, **params: str | int) -> Problem:
    """An error at this place."""
    return Problem(Severity.ERROR, code, place, params)


def row_error(row: int, code: str, /, **params: str | int) -> Problem:
    """An error on one spreadsheet row (0 = the file as a whole)."""
    return Problem(Severity.ERROR, code, Place(row=row or None), params)


class ImportRejected(Exception):
    """The file has errors; nothing was written. `errors` in file order, `warnings` found on the way."""

    def __init__(self, errors: Sequence[Problem], warnings: Iterable[Problem] = ()) -> None:
        super().__init__(f"{len(errors)} error(s) in the file")
        self.errors = list(errors)
        self.warnings = list(warnings)


def by_row(problems: Iterable[Problem]) -> list[Problem]:
    """Problems in the order of the file's rows (stable within a row)."""
    return sorted(problems, key=lambda problem: problem.row)
