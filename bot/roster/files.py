"""Reading a roster file (CSV in any Excel flavour, or XLSX) into rows as written, numbered as in the sheet."""

from __future__ import annotations

import csv
import enum
import io
import warnings
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from bot.core.problems import ImportRejected, row_error

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


@dataclass(frozen=True)
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
    if suffix in CSV_SUFFIXES:
        table = _read_csv(path)
    elif suffix in XLSX_SUFFIXES:
        table = _read_xlsx(path)
    else:
        raise RosterFileError(RosterFileProblem.UNSUPPORTED_FILE, file=path.name)
    return rows_from_table(table)


def rows_from_table(table: Iterable[NumberedCells]) -> list[RosterRow]:
    """Roster rows from numbered spreadsheet rows; the first non-empty row is the header."""
    numbered = [(number, cells) for number, cells in table if any(cell for cell in cells)]
    if not numbered:
        raise RosterFileError(RosterFileProblem.NO_HEADER)
    _, header = numbered[0]
    positions: dict[str, int] = {}
    duplicated: list[str] = []
    for index, title in enumerate(header):
        name = " ".join(title.casefold().split())
        if name in ROSTER_COLUMNS:
            if name in positions:
                duplicated.append(name)
            positions.setdefault(name, index)
    missing = [name for name in ROSTER_COLUMNS if name not in positions]
    if missing:
        raise RosterFileError(RosterFileProblem.MISSING_COLUMNS, columns=", ".join(missing))
    if duplicated:
        raise RosterFileError(RosterFileProblem.DUPLICATE_COLUMNS, columns=", ".join(duplicated))

    def cell(cells: list[str], column: str) -> str:
        index = positions[column]
        return cells[index] if index < len(cells) else ""

    rows = [
        RosterRow(
            row=number,
            kecamatan=cell(cells, "kecamatan"),
            desa=cell(cells, "desa"),
            name=cell(cells, "nama"),
            position=cell(cells, "jabatan"),
            phone=cell(cells, "telepon"),
        )
        for number, cells in numbered[1:]
    ]
    if not rows:
        raise RosterFileError(RosterFileProblem.NO_ROWS)
    return rows


def _clean(value: object) -> str:
    """A cell as text: spaces collapsed; whole numbers without '.0' (phones typed into number cells)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


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
            (number, [_clean(cell) for cell in cells])
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
