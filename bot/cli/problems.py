"""The one way the command line prints an import's problems (roster, region list, plan): place, message, ending."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TextIO

from babel.numbers import format_decimal

from bot.core.problems import Place, Problem
from bot.texts import normalize_language, render_plain

# Values that point into the file rather than count something: printed as written, like the row itself.
_REFERENCES = frozenset({"first", "first_row"})


class ProblemReport:
    """Catalog lines in one language for the problems of one import.

    A problem's message is the catalog entry `<catalog>.<severity>.<code>`; a spreadsheet row is shown as
    "Baris 7: …", a place in a TOML file as "session #3 (Bayah) kecamatan: …", the file as a whole bare."""

    def __init__(self, language: str, out: TextIO, *, catalog: str) -> None:
        self.language = normalize_language(language)
        self.out = out
        self.catalog = catalog

    def text(self, key: str, /, **values: object) -> str:
        """One catalog entry, filled."""
        return render_plain(self.language, key, **values)

    def line(self, key: str, /, **values: object) -> None:
        """Print one catalog entry."""
        print(self.text(key, **values), file=self.out)

    def number(self, value: int) -> str:
        """A count in the language's format (1.035 in Indonesian)."""
        return format_decimal(value, locale=self.language)

    def place(self, place: Place) -> str:
        """Where in a TOML file, e.g. `session #3 (Bayah) kecamatan`; "" for the file as a whole."""
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

    def message(self, problem: Problem) -> str:
        """The problem's sentence, after its place."""
        values = {
            name: self.number(value) if isinstance(value, int) and name not in _REFERENCES else value
            for name, value in problem.params.items()
        }
        message = self.text(f"{self.catalog}.{problem.severity}.{problem.code}", **values)
        if problem.place.row:
            return self.text("cli.row", row=problem.place.row, message=message)
        where = self.place(problem.place)
        return self.text("plan.issue", place=where, message=message) if where else message

    def warnings(self, warnings: Iterable[Problem]) -> None:
        """Print each warning, marked as one."""
        for warning in warnings:
            self.line(f"{self.catalog}.warning", issue=self.message(warning))

    def rejected(self, errors: Sequence[Problem], warnings: Iterable[Problem] = (), *, closing: str) -> None:
        """Print every error, then the warnings, then the closing line (given the number of errors)."""
        for error in errors:
            print(self.message(error), file=self.out)
        self.warnings(warnings)
        self.line(closing, count=self.number(len(errors)))
