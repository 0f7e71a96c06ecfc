"""Attendance exports coordinators download: the XLSX workbook and the CSV, safe against formula injection."""

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from babel.numbers import format_decimal, format_percent, get_decimal_symbol
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from bot.attendance.recap import AttendanceRecap, AttendanceRow, DesaDistribution, KecamatanAttendance, Tally
from bot.texts import normalize_language, report_en, report_id

# Until the lead joins these modules into bot.texts.LANGUAGES, the report labels are read from here.
_CATALOG: Mapping[str, Mapping[str, str]] = {"id": report_id.TEXTS, "en": report_en.TEXTS}

# OWASP "CSV injection": a cell starting with one of these may be run as a formula by a spreadsheet.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_E164 = re.compile(r"\+[1-9]\d{1,14}")
# Characters Excel refuses in a sheet name (and the apostrophe it refuses at either end).
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
SHEET_TITLE_MAX = 31
_DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
_PERCENT_FORMAT = "0.0%"
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_MIN_WIDTH, _MAX_WIDTH = 6, 50


def report_text(language: str, key: str, /, **values: object) -> str:
    """A report label in the language, values inserted as they are (files and images are not HTML)."""
    return _CATALOG[normalize_language(language)][key].format(**values)


def format_count(value: int, language: str) -> str:
    """A count in the language's locale: 1.035 (id), 1,035 (en)."""
    return format_decimal(value, locale=normalize_language(language))


def format_ratio(ratio: float | None, language: str) -> str:
    """A share as a percentage with one decimal in the language's locale (87,5%); a dash when undefined."""
    if ratio is None:
        return "–"
    return format_percent(ratio, "#,##0.0%", locale=normalize_language(language))


def neutralise(text: str) -> str:
    """Text that a spreadsheet shows as text, never runs as a formula (OWASP: prefix a single quote)."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


@dataclass(frozen=True)
class PhoneNumber:
    """A phone number cell: in XLSX kept readable as '+62…' but typed as text (quote-prefixed), not a number."""

    e164: str


CellValue = str | PhoneNumber | int | float | datetime | None


@dataclass(frozen=True)
class SheetTable:
    """A worksheet of one table: header row (bold, frozen, with autofilter) and rows.

    Extra sheets, such as the duties sheet, are passed to `attendance_xlsx` in this shape. Strings are
    neutralised against formula injection and aware datetimes are written in the report's time zone;
    `number_formats` optionally gives an Excel number format per column.
    """

    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[CellValue, ...], ...]
    number_formats: tuple[str | None, ...] = ()


def _zone_label(zone: ZoneInfo, moment: datetime) -> str:
    return moment.astimezone(zone).tzname() or zone.key


@dataclass(frozen=True)
class _Styled:
    """A cell value that needs a style of its own (a text-typed phone, a date format, bold)."""

    value: object
    number_format: str | None = None
    quote_prefix: bool = False
    font: Font | None = None


def _convert(value: CellValue, zone: ZoneInfo, number_format: str | None) -> object:
    """What goes into the sheet: strings neutralised, phones typed as text, datetimes as the zone's wall time."""
    result: object
    if isinstance(value, PhoneNumber):
        text = ILLEGAL_CHARACTERS_RE.sub("", value.e164)
        # The quote prefix keeps Excel from turning '+62…' into a number or formula when edited.
        result = _Styled(text, quote_prefix=True) if _E164.fullmatch(text) else neutralise(text)
    elif isinstance(value, str):
        result = neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    elif isinstance(value, datetime):
        # Excel has no time zones: write the wall-clock time of the report's zone, named in the header.
        wall = value.astimezone(zone).replace(tzinfo=None) if value.tzinfo else value
        result = _Styled(wall, number_format=_DATETIME_FORMAT)
    else:
        result = value
    if number_format and value is not None:
        inner = result.value if isinstance(result, _Styled) else result
        result = _Styled(inner, number_format=number_format)
    return result


def _converted_row(
    values: Sequence[CellValue], zone: ZoneInfo, formats: Sequence[str | None], font: Font | None = None
) -> list[object]:
    row = [_convert(value, zone, formats[i] if i < len(formats) else None) for i, value in enumerate(values)]
    if font is not None:
        row = [
            _Styled(c.value, c.number_format, c.quote_prefix, font)
            if isinstance(c, _Styled)
            else _Styled(c, font=font)
            for c in row
        ]
    return row


def _width(value: object) -> int:
    if isinstance(value, _Styled):
        value = value.value
    if value is None:
        return 0
    if isinstance(value, datetime):
        return len(_DATETIME_FORMAT)
    return max((len(line) for line in str(value).splitlines()), default=0)


def _fit_columns(ws: WriteOnlyWorksheet, rows: Iterable[Sequence[object]]) -> None:
    """Column widths from the rows' contents (set before any row is written, as write-only sheets require)."""
    widths: dict[int, int] = {}
    for row in rows:
        for column, value in enumerate(row, start=1):
            widths[column] = max(widths.get(column, 0), _width(value))
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = min(max(width + 2, _MIN_WIDTH), _MAX_WIDTH)


def _append(ws: WriteOnlyWorksheet, row: Sequence[object]) -> None:
    cells: list[object] = []
    for value in row:
        if not isinstance(value, _Styled):
            cells.append(value)
            continue
        cell = WriteOnlyCell(ws, value=value.value)
        if value.quote_prefix:
            cell.data_type = "s"
            cell.quotePrefix = True
        if value.number_format:
            cell.number_format = value.number_format
        if value.font is not None:
            cell.font = value.font
        cells.append(cell)
    ws.append(cells)


def _table_rows(table: SheetTable, zone: ZoneInfo) -> list[list[object]]:
    """The header (bold) and the rows of a table, converted."""
    header: list[object] = [_Styled(neutralise(label), font=_BOLD) for label in table.header]
    return [header, *(_converted_row(values, zone, table.number_formats) for values in table.rows)]


def _write_table(ws: WriteOnlyWorksheet, table: SheetTable, zone: ZoneInfo) -> None:
    """A sheet of one table: header on row 1 (bold, frozen, with autofilter), columns fitted."""
    rows = _table_rows(table, zone)
    _fit_columns(ws, rows)
    ws.freeze_panes = "A2"
    if table.header:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(table.header))}{max(len(rows), 2)}"
    for row in rows:
        _append(ws, row)


def _sheet_title(name: str, taken: set[str]) -> str:
    base = " ".join(_SHEET_FORBIDDEN.sub(" ", name).split()).strip("'").strip() or "Sheet"
    # "History" is reserved by Excel.
    if base.casefold() == "history":
        base += " 1"
    base = base[:SHEET_TITLE_MAX].rstrip()
    title, number = base, 2
    while title.casefold() in taken:
        suffix = f" ({number})"
        title = base[: SHEET_TITLE_MAX - len(suffix)].rstrip() + suffix
        number += 1
    taken.add(title.casefold())
    return title


def _yes_no(value: bool, language: str) -> str:
    return report_text(language, "report.yes" if value else "report.no")


def _member_header(language: str, zone_label: str) -> tuple[str, ...]:
    return tuple(
        report_text(language, f"report.col.{key}", zone=zone_label)
        for key in (
            "desa",
            "name",
            "position",
            "phone",
            "registered",
            "present",
            "checked_in_at",
            "method",
            "distance",
        )
    )


def _member_cells(row: AttendanceRow, language: str) -> tuple[CellValue, ...]:
    return (
        row.desa if row.desa is not None else report_text(language, "report.ppk_place"),
        row.name,
        report_text(language, f"report.position.{row.position.value}"),
        PhoneNumber(row.phone),
        report_text(language, "report.account_deleted")
        if row.account_deleted
        else _yes_no(row.registered, language),
        _yes_no(row.present, language),
        row.checked_in_at,
        report_text(language, f"report.method.{row.method.value}") if row.method is not None else None,
        round(row.distance_m) if row.distance_m is not None else None,
    )


_SUMMARY_KEYS = (
    "kecamatan",
    "pps_roster",
    "pps_registered",
    "pps_present",
    "pps_percent",
    "ppk_roster",
    "ppk_present",
    "desa_3",
    "desa_2",
    "desa_1",
    "desa_0",
    "note",
)
_SUMMARY_FORMATS: tuple[str | None, ...] = (None, None, None, None, _PERCENT_FORMAT)


def _summary_cells(
    label: str, pps: Tally, ppk: Tally, desa: DesaDistribution, note: str | None
) -> tuple[CellValue, ...]:
    return (
        label,
        pps.roster,
        pps.registered,
        pps.present,
        pps.present_ratio,
        ppk.roster,
        ppk.present,
        desa.present_3,
        desa.present_2,
        desa.present_1,
        desa.present_0,
        note,
    )


def _kecamatan_cells(line: KecamatanAttendance, language: str) -> tuple[CellValue, ...]:
    note = None if line.has_session else report_text(language, "report.no_session")
    return _summary_cells(line.name, line.pps, line.ppk, line.desa, note)


def _write_summary(
    ws: WriteOnlyWorksheet, recap: AttendanceRecap, language: str, zone: ZoneInfo, generated_at: datetime
) -> None:
    when = format_datetime(
        generated_at,
        report_text(language, "report.datetime_pattern"),
        tzinfo=zone,
        locale=normalize_language(language),
    )
    table = SheetTable(
        title=ws.title,
        header=tuple(report_text(language, f"report.col.{key}") for key in _SUMMARY_KEYS),
        rows=tuple(_kecamatan_cells(line, language) for line in recap.kecamatan),
        number_formats=_SUMMARY_FORMATS,
    )
    header_row = 4
    body = _table_rows(table, zone)
    total = _summary_cells(report_text(language, "report.total"), recap.pps, recap.ppk, recap.desa, None)
    body.append(_converted_row(total, zone, _SUMMARY_FORMATS, font=_BOLD))
    body.append([])
    body.append([_Styled(report_text(language, "report.desa.heading"), font=_BOLD)])
    distribution = (
        ("report.desa.present_3", recap.desa.present_3),
        ("report.desa.present_2", recap.desa.present_2),
        ("report.desa.present_1", recap.desa.present_1),
        ("report.desa.present_0", recap.desa.present_0),
    )
    body += [_converted_row((report_text(language, key), count), zone, ()) for key, count in distribution]
    body.append(
        _converted_row((report_text(language, "report.desa.total"), recap.desa.total), zone, (), font=_BOLD)
    )
    # The title lines are left out of the widths: they may spill over the empty cells to their right.
    _fit_columns(ws, body)
    ws.freeze_panes = f"A{header_row + 1}"
    last = header_row + len(table.rows)
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(table.header))}{max(last, header_row + 1)}"
    _append(ws, [_Styled(report_text(language, "report.title"), font=_TITLE)])
    generated = report_text(language, "report.generated_at", when=f"{when} {_zone_label(zone, generated_at)}")
    _append(ws, [generated])
    _append(ws, [_Styled(report_text(language, "report.personal_data"), font=_BOLD)])
    for row in body:
        _append(ws, row)


def attendance_xlsx(
    recap: AttendanceRecap,
    rows: Sequence[AttendanceRow],
    *,
    language: str,
    zone: ZoneInfo,
    generated_at: datetime,
    extra_sheets: Sequence[SheetTable] = (),
) -> bytes:
    """The attendance workbook: a summary sheet, one sheet per kecamatan of the recap, then `extra_sheets`.

    `rows` must belong to the recap's kecamatan (the same scope); times are shown in `zone`.
    """
    if generated_at.tzinfo is None:
        raise ValueError("generated_at must be timezone-aware")
    by_kecamatan: dict[int, list[AttendanceRow]] = {line.kecamatan_id: [] for line in recap.kecamatan}
    for row in rows:
        if row.kecamatan_id not in by_kecamatan:
            raise ValueError(f"row of member {row.member_id} is outside the recap's kecamatan")
        by_kecamatan[row.kecamatan_id].append(row)

    # Write-only: rows stream into the file instead of living as cell objects (150,000 members would
    # take a minute and hundreds of MB the ordinary way).
    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    summary = workbook.create_sheet(_sheet_title(report_text(language, "report.sheet.summary"), taken))
    _write_summary(summary, recap, language, zone, generated_at)

    header = _member_header(language, _zone_label(zone, generated_at))
    tables = [
        SheetTable(
            title=line.name,
            header=header,
            rows=tuple(_member_cells(row, language) for row in by_kecamatan[line.kecamatan_id]),
        )
        for line in recap.kecamatan
    ]
    for table in [*tables, *extra_sheets]:
        _write_table(workbook.create_sheet(_sheet_title(table.title, taken)), table, zone)

    workbook.properties.description = report_text(language, "report.personal_data")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_delimiter(language: str) -> str:
    """';' where the locale writes decimals with a comma (id), else ','.

    Excel opens a double-clicked CSV with the list separator of the computer's regional settings, and
    that is ';' wherever the decimal separator is ',' (Indonesian) — so the file follows the language.
    """
    return ";" if get_decimal_symbol(normalize_language(language)) == "," else ","


def _csv_cell(value: CellValue, zone: ZoneInfo) -> str:
    if value is None:
        return ""
    if isinstance(value, PhoneNumber):
        # A CSV has no text type: '+62…' would become a number (or a formula), so it gets the quote too.
        return neutralise(value.e164)
    if isinstance(value, datetime):
        return value.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, str):
        return neutralise(value)
    return str(value)


def attendance_csv(rows: Sequence[AttendanceRow], *, language: str, zone: ZoneInfo) -> bytes:
    """The personal-data line, the header, then one line per member; UTF-8 with a BOM (so Excel reads the
    encoding), delimiter per `csv_delimiter`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=csv_delimiter(language), lineterminator="\r\n")
    writer.writerow([report_text(language, "report.personal_data")])
    writer.writerow(
        [
            report_text(language, "report.col.kecamatan"),
            *_member_header(language, _zone_label(zone, datetime.now(UTC))),
        ]
    )
    for row in rows:
        writer.writerow(
            [_csv_cell(row.kecamatan, zone), *(_csv_cell(v, zone) for v in _member_cells(row, language))]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
