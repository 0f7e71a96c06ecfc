"""Reading a roster file (CSV in any Excel flavour, or XLSX) into rows as written, numbered as in the sheet."""

from __future__ import annotations

import csv
import enum
import io
import warnings
import zipfile
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from bot.core.problems import ImportRejected, row_error
from bot.roster.bulk import gc_paused

ROSTER_COLUMNS = ("kecamatan", "desa", "nama", "jabatan", "telepon")
CSV_SUFFIXES = frozenset({".csv"})
XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})


class RosterFileProblem(enum.StrEnum):
    """Why a roster file could not be read at all (catalog `cli.roster`)."""

    UNSUPPORTED_FILE = "unsupported_file"
    UNREADABLE = "unreadable"
    INVALID_XLSX = "invalid_xlsx"
    NO_HEADER = "no_header"
    MISSING_COLUMNS = "missing_columns"
    DUPLICATE_COLUMNS = "duplicate_columns"
    NO_ROWS = "no_rows"


class RosterFileError(ImportRejected):
    """The roster file cannot be read as a roster; nothing was written. One problem, of the file as a whole."""

    def __init__(self, code: RosterFileProblem, **params: str | int) -> None:
        super().__init__([row_error(0, code, **params)])

    @property
    def code(self) -> str:
        """Why the file could not be read."""
        return self.errors[0].code

    @property
    def params(self) -> Mapping[str, str | int]:
        """The values its message needs."""
        return self.errors[0].params


@dataclass(frozen=True, slots=True)
class RosterRow:
    """One roster row as written in the file; `row` is the spreadsheet row number."""

    row: int
    kecamatan: str
    desa: str
    name: str
    position: str
    phone: str


# --- Reading files -----------------------------------------------------------------------------------

NumberedCells = tuple[int, list[str]]


def read_roster_file(path: Path) -> list[RosterRow]:
    """Read a roster CSV (',' or ';', UTF-8 with/without BOM) or XLSX (first sheet); raise RosterFileError."""
    suffix = path.suffix.lower()
    if suffix not in CSV_SUFFIXES | XLSX_SUFFIXES:
        raise RosterFileError(RosterFileProblem.UNSUPPORTED_FILE, file=path.name)
    with gc_paused():
        table = _read_csv(path) if suffix in CSV_SUFFIXES else _read_xlsx(path)
        return rows_from_table(table)


def read_table(path: Path) -> list[NumberedCells]:
    """The cells of a CSV or XLSX file, numbered as spreadsheet rows (other rosters pick their own columns)."""
    suffix = path.suffix.lower()
    if suffix not in CSV_SUFFIXES | XLSX_SUFFIXES:
        raise RosterFileError(RosterFileProblem.UNSUPPORTED_FILE, file=path.name)
    return _read_csv(path) if suffix in CSV_SUFFIXES else _read_xlsx(path)


def sheet_columns(
    table: Iterable[NumberedCells], known: Collection[str], required: Iterable[str]
) -> tuple[dict[str, int], list[NumberedCells]]:
    """A roster sheet's columns by name (the first non-empty row is the header; titles in any case and
    spacing) and the numbered non-empty rows below it; RosterFileError for a missing or repeated column."""
    numbered = [(number, cells) for number, cells in table if any(cells)]
    if not numbered:
        raise RosterFileError(RosterFileProblem.NO_HEADER)
    _, header = numbered[0]
    positions: dict[str, int] = {}
    duplicated: list[str] = []
    for index, title in enumerate(header):
        name = " ".join(title.casefold().split())
        if name in known:
            if name in positions:
                duplicated.append(name)
            positions.setdefault(name, index)
    missing = [name for name in required if name not in positions]
    if missing:
        raise RosterFileError(RosterFileProblem.MISSING_COLUMNS, columns=", ".join(missing))
    if duplicated:
        raise RosterFileError(RosterFileProblem.DUPLICATE_COLUMNS, columns=", ".join(duplicated))
    return positions, numbered[1:]


def rows_from_table(table: Iterable[NumberedCells]) -> list[RosterRow]:
    """Roster rows from numbered spreadsheet rows; the first non-empty row is the header."""
    positions, body = sheet_columns(table, ROSTER_COLUMNS, ROSTER_COLUMNS)
    kecamatan_at, desa_at, name_at, position_at, phone_at = (positions[column] for column in ROSTER_COLUMNS)
    width = max(positions.values()) + 1
    rows = []
    for number, cells in body:
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        rows.append(
            RosterRow(
                number,
                cells[kecamatan_at],
                cells[desa_at],
                cells[name_at],
                cells[position_at],
                cells[phone_at],
            )
        )
    if not rows:
        raise RosterFileError(RosterFileProblem.NO_ROWS)
    return rows


def _clean(value: object) -> str:
    """A cell as text: spaces collapsed; whole numbers without '.0' (phones typed into number cells)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _clean_text(str(value))


def _clean_text(text: str) -> str:
    """Spaces collapsed, like ' '.join(text.split()), which leaves text unchanged exactly when it has no
    whitespace but single inner ASCII spaces (all other whitespace is unprintable): most cells, so a
    150,000-row roster skips 750,000 split-and-joins."""
    if text.isprintable() and "  " not in text and not text.startswith(" ") and not text.endswith(" "):
        return text
    return " ".join(text.split())


def _read_csv(path: Path) -> list[NumberedCells]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RosterFileError(
            RosterFileProblem.UNREADABLE, file=path.name, reason=exc.strerror or ""
        ) from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's plain "CSV" (not "CSV UTF-8") is written in the Windows code page.
        text = data.decode("cp1252", errors="replace")
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    # Indonesian-locale Excel separates with ';' because ',' is its decimal separator.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        # A record's number is the spreadsheet row, even when a quoted cell spans several lines.
        return [
            (number, [_clean_text(cell) for cell in cells])
            for number, cells in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1)
        ]
    except csv.Error as exc:
        raise RosterFileError(RosterFileProblem.UNREADABLE, file=path.name, reason=str(exc)) from exc


def _read_xlsx(path: Path) -> list[NumberedCells]:
    try:
        with warnings.catch_warnings():
            # Files saved by other tools make openpyxl warn about styles it ignores anyway.
            warnings.simplefilter("ignore", UserWarning)
            workbook = load_workbook(path, read_only=True, data_only=True)
    except OSError as exc:
        raise RosterFileError(
            RosterFileProblem.UNREADABLE, file=path.name, reason=exc.strerror or ""
        ) from exc
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError) as exc:
        raise RosterFileError(RosterFileProblem.INVALID_XLSX, file=path.name) from exc
    try:
        if not workbook.worksheets:
            raise RosterFileError(RosterFileProblem.INVALID_XLSX, file=path.name)
        sheet = workbook.worksheets[0]
        # Some writers record a wrong sheet size; read what is really there.
        sheet.reset_dimensions()
        return [
            (number, [_clean(value) for value in values])
            for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), 1)
        ]
    finally:
        workbook.close()
