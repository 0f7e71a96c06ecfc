"""The official region list (kecamatan and desa/kelurahan): CSV import, upsert by code, and name lookup."""

from __future__ import annotations

import csv
import difflib
import enum
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import AuditLog, Desa, DesaKind, Kecamatan

WILAYAH_COLUMNS = ("kode_kecamatan", "kecamatan", "kode_desa", "desa", "jenis")
_KIND_BY_WORD = {"desa": DesaKind.DESA, "kelurahan": DesaKind.KELURAHAN}


class WilayahErrorCode(enum.StrEnum):
    """Why a row of the region file was refused (catalog key `cli.wilayah.error.<code>`)."""

    UNREADABLE = "unreadable"
    UNSUPPORTED_FILE = "unsupported_file"
    NO_ROWS = "no_rows"
    MISSING_COLUMNS = "missing_columns"
    MISSING_VALUE = "missing_value"
    BAD_KIND = "bad_kind"
    CODE_OUTSIDE_KECAMATAN = "code_outside_kecamatan"
    DUPLICATE_DESA_CODE = "duplicate_desa_code"
    KECAMATAN_NAME_CONFLICT = "kecamatan_name_conflict"


@dataclass(frozen=True)
class WilayahRowError:
    """One problem in the region file; row is the spreadsheet row (header = 1, 0 for the whole file)."""

    row: int
    code: WilayahErrorCode
    params: dict[str, str | int] = field(default_factory=dict)


class WilayahFileRejected(Exception):
    """The region file has errors; nothing was read into the database."""

    def __init__(self, errors: Sequence[WilayahRowError]) -> None:
        super().__init__(f"{len(errors)} error(s) in the region file")
        self.errors = list(errors)


class WilayahEmpty(Exception):
    """The region list has not been imported yet, so names cannot be matched."""


@dataclass(frozen=True)
class WilayahRow:
    """One desa/kelurahan of the official list, with its kecamatan."""

    row: int
    kecamatan_code: str
    kecamatan_name: str
    desa_code: str
    desa_name: str
    kind: DesaKind


@dataclass(frozen=True)
class WilayahSummary:
    """What a region import found and changed."""

    kecamatan: int
    desa: int
    kelurahan: int
    kecamatan_new: int
    kecamatan_updated: int
    kecamatan_unchanged: int
    desa_new: int
    desa_updated: int
    desa_unchanged: int
    # Regions already in the database that the file no longer lists; kept, because members refer to them.
    kecamatan_not_in_file: int
    desa_not_in_file: int


# --- Reading the CSV ---------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    # Excel's "CSV UTF-8" writes a BOM; its plain "CSV" writes the Windows code page.
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _delimiter(text: str) -> str:
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    # Indonesian-locale Excel uses ';' because ',' is the decimal separator there.
    return ";" if first_line.count(";") > first_line.count(",") else ","


def _is_under(desa_code: str, kecamatan_code: str) -> bool:
    """'36.02.01.2002' is under '36.02.01'; so is '3602012002' under '360201' (codes written without dots)."""
    if "." in kecamatan_code:
        return desa_code.startswith(kecamatan_code + ".")
    return desa_code.startswith(kecamatan_code) and len(desa_code) > len(kecamatan_code)


def read_wilayah_file(path: Path) -> list[WilayahRow]:
    """Read and check the region CSV; raise WilayahFileRejected listing every problem."""
    if path.suffix.lower() != ".csv":
        raise WilayahFileRejected(
            [WilayahRowError(0, WilayahErrorCode.UNSUPPORTED_FILE, {"file": path.name})]
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise WilayahFileRejected(
            [
                WilayahRowError(
                    0, WilayahErrorCode.UNREADABLE, {"file": str(path), "reason": exc.strerror or ""}
                )
            ]
        ) from exc
    return parse_wilayah_csv(_decode(data))


def parse_wilayah_csv(text: str) -> list[WilayahRow]:
    """Parse the region CSV text (header `kode_kecamatan,kecamatan,kode_desa,desa,jenis`), all or nothing."""
    records = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    numbered = [
        (number, cells) for number, cells in enumerate(records, start=1) if any(c.strip() for c in cells)
    ]
    if not numbered:
        raise WilayahFileRejected([WilayahRowError(0, WilayahErrorCode.NO_ROWS)])
    header_row, header = numbered[0]
    positions = {name.strip().casefold(): index for index, name in enumerate(header)}
    missing = [name for name in WILAYAH_COLUMNS if name not in positions]
    if missing:
        raise WilayahFileRejected(
            [WilayahRowError(header_row, WilayahErrorCode.MISSING_COLUMNS, {"columns": ", ".join(missing)})]
        )
    if len(numbered) == 1:
        raise WilayahFileRejected([WilayahRowError(0, WilayahErrorCode.NO_ROWS)])

    errors: list[WilayahRowError] = []
    rows: list[WilayahRow] = []
    kecamatan_first: dict[str, tuple[str, int]] = {}
    desa_first_row: dict[str, int] = {}
    for number, cells in numbered[1:]:
        values = {
            name: " ".join(cells[positions[name]].split()) if positions[name] < len(cells) else ""
            for name in WILAYAH_COLUMNS
        }
        row_errors = [
            WilayahRowError(number, WilayahErrorCode.MISSING_VALUE, {"column": name})
            for name in WILAYAH_COLUMNS
            if not values[name]
        ]
        if row_errors:
            errors.extend(row_errors)
            continue
        kecamatan_code, kecamatan_name = values["kode_kecamatan"], values["kecamatan"]
        desa_code = values["kode_desa"]
        kind = _KIND_BY_WORD.get(values["jenis"].casefold())
        if kind is None:
            errors.append(WilayahRowError(number, WilayahErrorCode.BAD_KIND, {"value": values["jenis"]}))
        if not _is_under(desa_code, kecamatan_code):
            errors.append(
                WilayahRowError(
                    number,
                    WilayahErrorCode.CODE_OUTSIDE_KECAMATAN,
                    {"desa_code": desa_code, "kecamatan_code": kecamatan_code},
                )
            )
        if desa_code in desa_first_row:
            errors.append(
                WilayahRowError(
                    number,
                    WilayahErrorCode.DUPLICATE_DESA_CODE,
                    {"code": desa_code, "first_row": desa_first_row[desa_code]},
                )
            )
        else:
            desa_first_row[desa_code] = number
        first = kecamatan_first.setdefault(kecamatan_code, (kecamatan_name, number))
        if first[0] != kecamatan_name:
            errors.append(
                WilayahRowError(
                    number,
                    WilayahErrorCode.KECAMATAN_NAME_CONFLICT,
                    {
                        "code": kecamatan_code,
                        "name": kecamatan_name,
                        "first_name": first[0],
                        "first_row": first[1],
                    },
                )
            )
        if kind is not None:
            rows.append(WilayahRow(number, kecamatan_code, kecamatan_name, desa_code, values["desa"], kind))
    if errors:
        raise WilayahFileRejected(errors)
    return rows


# --- Writing to the database -------------------------------------------------------------------------


async def import_wilayah(
    session: AsyncSession, rows: Sequence[WilayahRow], *, actor: str, source_name: str
) -> WilayahSummary:
    """Upsert kecamatan and desa by code (names and kinds updated in place); never deletes; no commit."""
    kecamatan_in_file: dict[str, str] = {}
    for row in rows:
        kecamatan_in_file.setdefault(row.kecamatan_code, row.kecamatan_name)

    existing_kecamatan = {
        code: (kecamatan_id, name)
        for kecamatan_id, code, name in (
            await session.execute(select(Kecamatan.id, Kecamatan.code, Kecamatan.name))
        )
    }
    new_kecamatan = [
        {"code": code, "name": name}
        for code, name in kecamatan_in_file.items()
        if code not in existing_kecamatan
    ]
    renamed_kecamatan = [
        {"id": existing_kecamatan[code][0], "name": name}
        for code, name in kecamatan_in_file.items()
        if code in existing_kecamatan and existing_kecamatan[code][1] != name
    ]
    kecamatan_id_by_code = {code: kecamatan_id for code, (kecamatan_id, _) in existing_kecamatan.items()}
    if new_kecamatan:
        inserted = await session.execute(
            insert(Kecamatan).returning(Kecamatan.code, Kecamatan.id), new_kecamatan
        )
        kecamatan_id_by_code.update({code: kecamatan_id for code, kecamatan_id in inserted})
    if renamed_kecamatan:
        await session.execute(update(Kecamatan), renamed_kecamatan)

    existing_desa = {
        code: (desa_id, name, kind, kecamatan_id)
        for desa_id, code, name, kind, kecamatan_id in await session.execute(
            select(Desa.id, Desa.code, Desa.name, Desa.kind, Desa.kecamatan_id)
        )
    }
    new_desa: list[dict[str, object]] = []
    changed_desa: list[dict[str, object]] = []
    for row in rows:
        wanted = (row.desa_name, row.kind, kecamatan_id_by_code[row.kecamatan_code])
        current = existing_desa.get(row.desa_code)
        if current is None:
            new_desa.append(
                {"code": row.desa_code, "name": wanted[0], "kind": wanted[1], "kecamatan_id": wanted[2]}
            )
        elif current[1:] != wanted:
            changed_desa.append(
                {"id": current[0], "name": wanted[0], "kind": wanted[1], "kecamatan_id": wanted[2]}
            )
    if new_desa:
        await session.execute(insert(Desa), new_desa)
    if changed_desa:
        await session.execute(update(Desa), changed_desa)

    desa_codes_in_file = {row.desa_code for row in rows}
    summary = WilayahSummary(
        kecamatan=len(kecamatan_in_file),
        desa=len(rows),
        kelurahan=sum(1 for row in rows if row.kind is DesaKind.KELURAHAN),
        kecamatan_new=len(new_kecamatan),
        kecamatan_updated=len(renamed_kecamatan),
        kecamatan_unchanged=len(kecamatan_in_file) - len(new_kecamatan) - len(renamed_kecamatan),
        desa_new=len(new_desa),
        desa_updated=len(changed_desa),
        desa_unchanged=len(rows) - len(new_desa) - len(changed_desa),
        kecamatan_not_in_file=sum(1 for code in existing_kecamatan if code not in kecamatan_in_file),
        desa_not_in_file=sum(1 for code in existing_desa if code not in desa_codes_in_file),
    )
    session.add(
        AuditLog(
            actor=actor,
            action="wilayah.import",
            detail={"file": source_name, **asdict(summary)},
        )
    )
    await session.flush()
    return summary


# --- Matching names as people write them -------------------------------------------------------------

# A leading "Desa ", "Kel. ", "Kec. " ... is how people label a name, not part of it.
_PREFIX = re.compile(
    r"^(?:kecamatan|kelurahan|desa|kec\.|kel\.|ds\.|kec|kel|ds)(?:\s+|(?<=\.))", re.IGNORECASE
)


def normalize_name(name: str) -> str:
    """A region name as compared: casefolded, spaces collapsed, a leading 'Desa '/'Kec. '... dropped."""
    collapsed = " ".join(name.casefold().split())
    stripped = _PREFIX.sub("", collapsed, count=1).strip()
    return stripped or collapsed


def name_key(name: str) -> str:
    """The key names are matched on: normalize_name without any spaces ('Curug Bitung' == 'Curugbitung')."""
    return normalize_name(name).replace(" ", "")


@dataclass(frozen=True)
class KecamatanRef:
    """A kecamatan as plain data."""

    id: int
    code: str
    name: str


@dataclass(frozen=True)
class DesaRef:
    """A desa/kelurahan as plain data."""

    id: int
    code: str
    name: str
    kind: DesaKind
    kecamatan_id: int


class WilayahIndex:
    """The whole region list in memory, looked up by name the way people write names."""

    def __init__(self, kecamatan: Iterable[KecamatanRef], desa: Iterable[DesaRef]) -> None:
        self.kecamatan_by_id: dict[int, KecamatanRef] = {k.id: k for k in kecamatan}
        self.desa_by_id: dict[int, DesaRef] = {d.id: d for d in desa}
        self._kecamatan_by_key: dict[str, list[KecamatanRef]] = {}
        for k in self.kecamatan_by_id.values():
            self._kecamatan_by_key.setdefault(name_key(k.name), []).append(k)
        self._desa_by_key: dict[str, list[DesaRef]] = {}
        for d in self.desa_by_id.values():
            self._desa_by_key.setdefault(name_key(d.name), []).append(d)

        # A roster names the same kecamatan on hundreds of rows: normalise each spelling once.
        self._keys: dict[str, str] = {}

    def _key(self, name: str) -> str:
        key = self._keys.get(name)
        if key is None:
            key = self._keys[name] = name_key(name)
        return key

    def kecamatan_matches(self, name: str) -> list[KecamatanRef]:
        """Every kecamatan with this name (more than one only when names repeat, e.g. nationwide)."""
        return list(self._kecamatan_by_key.get(self._key(name), ()))

    def find_kecamatan(self, name: str) -> KecamatanRef | None:
        """The one kecamatan with this name, or None when there is none or more than one."""
        matches = self.kecamatan_matches(name)
        return matches[0] if len(matches) == 1 else None

    def desa_matches(self, kecamatan_id: int, name: str) -> list[DesaRef]:
        """Every desa/kelurahan of this name in the given kecamatan."""
        return [d for d in self._desa_by_key.get(self._key(name), ()) if d.kecamatan_id == kecamatan_id]

    def kecamatan_having_desa(self, name: str) -> list[KecamatanRef]:
        """The kecamatan that do have a desa/kelurahan of this name, sorted by name."""
        ids = {d.kecamatan_id for d in self._desa_by_key.get(self._key(name), ())}
        return sorted((self.kecamatan_by_id[i] for i in ids), key=lambda k: k.name)

    def similar_kecamatan(self, name: str, limit: int = 3) -> list[KecamatanRef]:
        """Kecamatan whose names look like `name` (for "did you mean" hints)."""
        keys = difflib.get_close_matches(self._key(name), list(self._kecamatan_by_key), n=limit, cutoff=0.75)
        return [k for key in keys for k in self._kecamatan_by_key[key]]


async def load_wilayah_index(session: AsyncSession, *, with_desa: bool = True) -> WilayahIndex:
    """Read the region list (kecamatan only, if asked) in two queries; raise WilayahEmpty when empty."""
    kecamatan = [
        KecamatanRef(kecamatan_id, code, name)
        for kecamatan_id, code, name in await session.execute(
            select(Kecamatan.id, Kecamatan.code, Kecamatan.name)
        )
    ]
    if not kecamatan:
        raise WilayahEmpty
    if not with_desa:
        return WilayahIndex(kecamatan, ())
    desa = [
        DesaRef(desa_id, code, name, kind, kecamatan_id)
        for desa_id, code, name, kind, kecamatan_id in await session.execute(
            select(Desa.id, Desa.code, Desa.name, Desa.kind, Desa.kecamatan_id)
        )
    ]
    return WilayahIndex(kecamatan, desa)


# Not frozen: Python sets __traceback__ on an exception as it propagates (through `async with` too).
@dataclass(eq=False)
class KecamatanNotFound(Exception):
    """No single kecamatan answers to what was written: the near names, or the several it could mean."""

    written: str
    suggestions: tuple[KecamatanRef, ...] = ()
    candidates: tuple[KecamatanRef, ...] = ()


def resolve_kecamatan(index: WilayahIndex, written: str) -> KecamatanRef:
    """The one kecamatan meant by a code ('36.02.01') or a name as people write it ('kec. malingping').

    Every command, button and import that takes a kecamatan goes through here, so each gives the same
    answer and the same "did you mean" suggestions. Raises KecamatanNotFound.
    """
    text = written.strip()
    matches = [k for k in index.kecamatan_by_id.values() if k.code == text] or index.kecamatan_matches(text)
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise KecamatanNotFound(text, candidates=tuple(sorted(matches, key=lambda k: k.code)))
    raise KecamatanNotFound(text, suggestions=tuple(index.similar_kecamatan(text)))
