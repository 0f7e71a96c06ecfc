"""The PPS/PPK roster: read a CSV/XLSX file, check every row, and import it all or nothing, keyed by phone."""

from __future__ import annotations

import csv
import enum
import io
import warnings
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.choices import UnknownChoice, parse_choice
from bot.core.phones import InvalidPhoneNumber, display, to_e164
from bot.core.problems import ImportRejected, Problem, by_row, row_error
from bot.core.regions import (
    KecamatanNotFound,
    KecamatanRef,
    WilayahIndex,
    load_wilayah_index,
    resolve_kecamatan,
)
from models import AuditLog, Member, Position
from models.base import utcnow

ROSTER_COLUMNS = ("kecamatan", "desa", "nama", "jabatan", "telepon")
CSV_SUFFIXES = frozenset({".csv"})
XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})
PPS_PER_DESA = 3
NAME_MAX_LENGTH = 200  # Member.name is String(200)

# What people write in the jabatan column; the long forms are how the bot itself shows positions.
_POSITION_BY_WORDS = {
    "ketua": Position.KETUA,
    "ketua pps": Position.KETUA,
    "anggota": Position.ANGGOTA,
    "anggota pps": Position.ANGGOTA,
    "ppk": Position.PPK,
    "anggota ppk": Position.PPK,
    "ketua ppk": Position.PPK,
}


def parse_position(text: str) -> Position | None:
    """Ketua / Anggota / PPK (any case, also 'Ketua PPS', 'Anggota PPK'); None when not a known jabatan."""
    try:
        return parse_choice(text, _POSITION_BY_WORDS)
    except UnknownChoice:
        return None


# --- Errors ------------------------------------------------------------------------------------------


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


class RowErrorCode(enum.StrEnum):
    """Why a roster row was refused (catalog `cli.roster`)."""

    EMPTY_NAME = "empty_name"
    NAME_TOO_LONG = "name_too_long"
    UNKNOWN_POSITION = "unknown_position"
    MISSING_PHONE = "missing_phone"
    INVALID_PHONE = "invalid_phone"
    DUPLICATE_PHONE = "duplicate_phone"
    MISSING_KECAMATAN = "missing_kecamatan"
    UNKNOWN_KECAMATAN = "unknown_kecamatan"
    UNKNOWN_KECAMATAN_SIMILAR = "unknown_kecamatan_similar"
    AMBIGUOUS_KECAMATAN = "ambiguous_kecamatan"
    MISSING_DESA = "missing_desa"
    PPK_WITH_DESA = "ppk_with_desa"
    UNKNOWN_DESA = "unknown_desa"
    DESA_IN_OTHER_KECAMATAN = "desa_in_other_kecamatan"
    AMBIGUOUS_DESA = "ambiguous_desa"
    SECOND_KETUA = "second_ketua"
    DESA_FULL = "desa_full"


class RosterRejected(ImportRejected):
    """The roster has bad rows; the whole file was refused and nothing was written."""

    def __init__(self, errors: Sequence[Problem]) -> None:
        super().__init__(by_row(errors))


# --- Plain data --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RosterRow:
    """One roster row as written in the file; `row` is the spreadsheet row number."""

    row: int
    kecamatan: str
    desa: str
    name: str
    position: str
    phone: str


@dataclass(frozen=True)
class RosterEntry:
    """A checked roster row: region ids resolved, phone in E.164."""

    row: int
    name: str
    position: Position
    kecamatan_id: int
    desa_id: int | None
    phone: str


@dataclass(frozen=True)
class RosterSummary:
    """What a roster import contained and what it changed."""

    kecamatan: int
    desa: int
    ketua: int
    anggota: int
    ppk: int
    new: int
    updated: int
    unchanged: int
    deactivated: int
    reactivated: int
    # Of the whole region list, not only the desa in the file: worth a warning, not a refusal.
    desa_understaffed: int
    desa_without_ketua: int

    @property
    def members(self) -> int:
        """Members in the file."""
        return self.ketua + self.anggota + self.ppk


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


# --- Checking ----------------------------------------------------------------------------------------


def check_roster(rows: Sequence[RosterRow], index: WilayahIndex) -> list[RosterEntry]:
    """Resolve every row against the region list; raise RosterRejected listing every bad row."""
    errors: list[Problem] = []
    entries: list[RosterEntry] = []
    first_row_of_phone: dict[str, int] = {}
    pps_rows_by_desa: dict[int, list[int]] = {}
    ketua_row_by_desa: dict[int, int] = {}
    # A roster names the same kecamatan on hundreds of rows: resolve each spelling once.
    resolved: dict[str, KecamatanRef | KecamatanNotFound] = {}

    def kecamatan_of(written: str) -> KecamatanRef | KecamatanNotFound:
        if written not in resolved:
            try:
                resolved[written] = resolve_kecamatan(index, written)
            except KecamatanNotFound as missing:
                resolved[written] = missing
        return resolved[written]

    for row in rows:
        problems: list[Problem] = []
        name = " ".join(row.name.split())
        if not name:
            problems.append(row_error(row.row, RowErrorCode.EMPTY_NAME))
        elif len(name) > NAME_MAX_LENGTH:
            problems.append(row_error(row.row, RowErrorCode.NAME_TOO_LONG, max=NAME_MAX_LENGTH))

        position = parse_position(row.position)
        if position is None:
            problems.append(row_error(row.row, RowErrorCode.UNKNOWN_POSITION, value=row.position))

        phone: str | None = None
        if not row.phone.strip():
            problems.append(row_error(row.row, RowErrorCode.MISSING_PHONE))
        else:
            try:
                phone = to_e164(row.phone)
            except InvalidPhoneNumber:
                problems.append(row_error(row.row, RowErrorCode.INVALID_PHONE, value=row.phone))
        if phone is not None:
            first = first_row_of_phone.setdefault(phone, row.row)
            if first != row.row:
                problems.append(
                    row_error(row.row, RowErrorCode.DUPLICATE_PHONE, phone=display(phone), first_row=first)
                )

        kecamatan_id: int | None = None
        if not row.kecamatan.strip():
            problems.append(row_error(row.row, RowErrorCode.MISSING_KECAMATAN))
        else:
            found = kecamatan_of(row.kecamatan)
            if isinstance(found, KecamatanRef):
                kecamatan_id = found.id
            elif found.candidates:
                codes = ", ".join(k.code for k in found.candidates)
                problems.append(
                    row_error(row.row, RowErrorCode.AMBIGUOUS_KECAMATAN, kecamatan=row.kecamatan, codes=codes)
                )
            elif found.suggestions:
                suggestions = ", ".join(k.name for k in found.suggestions)
                problems.append(
                    row_error(
                        row.row,
                        RowErrorCode.UNKNOWN_KECAMATAN_SIMILAR,
                        kecamatan=row.kecamatan,
                        suggestions=suggestions,
                    )
                )
            else:
                problems.append(row_error(row.row, RowErrorCode.UNKNOWN_KECAMATAN, kecamatan=row.kecamatan))

        desa_id: int | None = None
        has_desa = bool(row.desa.strip())
        if position is Position.PPK:
            if has_desa:
                # A PPK sits at kecamatan level: a desa here most likely means the jabatan is wrong.
                problems.append(row_error(row.row, RowErrorCode.PPK_WITH_DESA, desa=row.desa))
        elif position is not None:
            if not has_desa:
                problems.append(row_error(row.row, RowErrorCode.MISSING_DESA))
            elif kecamatan_id is not None:
                desa_id = _resolve_desa(row, kecamatan_id, index, problems)

        if desa_id is not None:
            pps_rows = pps_rows_by_desa.setdefault(desa_id, [])
            if len(pps_rows) >= PPS_PER_DESA:
                problems.append(
                    row_error(
                        row.row,
                        RowErrorCode.DESA_FULL,
                        desa=index.desa_by_id[desa_id].name,
                        limit=PPS_PER_DESA,
                        rows=", ".join(str(n) for n in pps_rows[:PPS_PER_DESA]),
                    )
                )
            pps_rows.append(row.row)
            if position is Position.KETUA:
                first_ketua = ketua_row_by_desa.setdefault(desa_id, row.row)
                if first_ketua != row.row:
                    problems.append(
                        row_error(
                            row.row,
                            RowErrorCode.SECOND_KETUA,
                            desa=index.desa_by_id[desa_id].name,
                            first_row=first_ketua,
                        )
                    )

        if problems:
            errors.extend(problems)
        elif position is not None and phone is not None and kecamatan_id is not None:
            entries.append(RosterEntry(row.row, name, position, kecamatan_id, desa_id, phone))

    if errors:
        raise RosterRejected(errors)
    return entries


def _resolve_desa(
    row: RosterRow, kecamatan_id: int, index: WilayahIndex, problems: list[Problem]
) -> int | None:
    matches = index.desa_matches(kecamatan_id, row.desa)
    if len(matches) == 1:
        return matches[0].id
    kecamatan_name = index.kecamatan_by_id[kecamatan_id].name
    if matches:
        codes = ", ".join(sorted(d.code for d in matches))
        problems.append(
            row_error(
                row.row, RowErrorCode.AMBIGUOUS_DESA, desa=row.desa, kecamatan=kecamatan_name, codes=codes
            )
        )
        return None
    elsewhere = index.kecamatan_having_desa(row.desa)
    if elsewhere:
        problems.append(
            row_error(
                row.row,
                RowErrorCode.DESA_IN_OTHER_KECAMATAN,
                desa=row.desa,
                kecamatan=kecamatan_name,
                actual=", ".join(k.name for k in elsewhere),
            )
        )
    else:
        problems.append(
            row_error(row.row, RowErrorCode.UNKNOWN_DESA, desa=row.desa, kecamatan=kecamatan_name)
        )
    return None


# --- Importing ---------------------------------------------------------------------------------------


async def import_roster(
    session: AsyncSession, rows: Sequence[RosterRow], *, actor: str, source_name: str
) -> RosterSummary:
    """Check every row, then upsert members by phone; absent members are deactivated; no commit.

    Raises WilayahEmpty (region list not imported), RosterFileError (no rows) or RosterRejected, always
    before anything is written. Telegram registrations of members who stay on the roster are kept.
    """
    if not rows:
        raise RosterFileError(RosterFileProblem.NO_ROWS)
    index = await load_wilayah_index(session)
    entries = check_roster(rows, index)

    existing = {
        phone: (member_id, name, position, kecamatan_id, desa_id, active)
        for member_id, phone, name, position, kecamatan_id, desa_id, active in await session.execute(
            select(
                Member.id,
                Member.phone,
                Member.name,
                Member.position,
                Member.kecamatan_id,
                Member.desa_id,
                Member.active,
            )
        )
    }
    now = utcnow()
    inserts: list[dict[str, object]] = []
    changes: list[dict[str, object]] = []
    unchanged = reactivated = 0
    for entry in entries:
        wanted = (entry.name, entry.position, entry.kecamatan_id, entry.desa_id)
        current = existing.get(entry.phone)
        if current is None:
            inserts.append(
                {
                    "name": entry.name,
                    "position": entry.position,
                    "kecamatan_id": entry.kecamatan_id,
                    "desa_id": entry.desa_id,
                    "phone": entry.phone,
                    "active": True,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            continue
        member_id, *fields, active = current
        if tuple(fields) == wanted and active:
            unchanged += 1
            continue
        reactivated += not active
        changes.append(
            {
                "id": member_id,
                "name": entry.name,
                "position": entry.position,
                "kecamatan_id": entry.kecamatan_id,
                "desa_id": entry.desa_id,
                "active": True,
                "updated_at": now,
            }
        )
    phones_in_file = {entry.phone for entry in entries}
    # Registrations stay on deactivated members, so someone who comes back is linked again at once.
    deactivations = [
        {"id": member_id, "active": False, "updated_at": now}
        for phone, (member_id, *_, active) in existing.items()
        if active and phone not in phones_in_file
    ]
    if inserts:
        # render_nulls: otherwise rows without a desa (PPK) and with one are sent as separate batches,
        # one statement per run of alike rows (56 for Lebak, thousands nationwide).
        await session.execute(insert(Member).execution_options(render_nulls=True), inserts)
    if changes:
        await session.execute(update(Member), changes)
    if deactivations:
        await session.execute(update(Member), deactivations)

    pps_by_desa: dict[int, int] = {}
    desa_with_ketua: set[int] = set()
    for entry in entries:
        if entry.desa_id is not None:
            pps_by_desa[entry.desa_id] = pps_by_desa.get(entry.desa_id, 0) + 1
            if entry.position is Position.KETUA:
                desa_with_ketua.add(entry.desa_id)
    summary = RosterSummary(
        kecamatan=len({entry.kecamatan_id for entry in entries}),
        desa=len(pps_by_desa),
        ketua=sum(1 for entry in entries if entry.position is Position.KETUA),
        anggota=sum(1 for entry in entries if entry.position is Position.ANGGOTA),
        ppk=sum(1 for entry in entries if entry.position is Position.PPK),
        new=len(inserts),
        updated=len(changes) - reactivated,
        unchanged=unchanged,
        deactivated=len(deactivations),
        reactivated=reactivated,
        desa_understaffed=sum(
            1 for desa_id in index.desa_by_id if pps_by_desa.get(desa_id, 0) < PPS_PER_DESA
        ),
        desa_without_ketua=sum(1 for desa_id in index.desa_by_id if desa_id not in desa_with_ketua),
    )
    session.add(
        AuditLog(actor=actor, action="roster.import", detail={"file": source_name, **asdict(summary)})
    )
    await session.flush()
    return summary
