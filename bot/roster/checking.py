"""Checking roster rows against the region list: every bad row listed, or each row resolved to ids and a phone."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.choices import UnknownChoice, parse_choice
from bot.core.phones import InvalidPhoneNumber, display, to_e164
from bot.core.problems import ImportRejected, Problem, by_row, row_error
from bot.core.regions import KecamatanNotFound, KecamatanRef, WilayahIndex, resolve_kecamatan
from bot.roster.files import RosterRow
from models import Position

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


@dataclass(frozen=True, slots=True)
class RosterEntry:
    """A checked roster row: region ids resolved, phone in E.164."""

    row: int
    name: str
    position: Position
    kecamatan_id: int
    desa_id: int | None
    phone: str


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

    # Likewise each jabatan spelling, and each desa of a kecamatan (written alike on its 3 rows).
    positions: dict[str, Position | None] = {}
    desa_found: dict[tuple[int, str], int] = {}

    def kecamatan_of(written: str) -> KecamatanRef | KecamatanNotFound:
        if written not in resolved:
            try:
                resolved[written] = resolve_kecamatan(index, written)
            except KecamatanNotFound as missing:
                resolved[written] = missing
        return resolved[written]

    def position_of(written: str) -> Position | None:
        if written not in positions:
            positions[written] = parse_position(written)
        return positions[written]

    def desa_of(row: RosterRow, kecamatan_id: int, problems: list[Problem]) -> int | None:
        found = desa_found.get((kecamatan_id, row.desa))
        if found is None:
            found = _resolve_desa(row, kecamatan_id, index, problems)
            if found is not None:
                desa_found[kecamatan_id, row.desa] = found
        return found

    for row in rows:
        problems: list[Problem] = []
        name = " ".join(row.name.split())
        if not name:
            problems.append(row_error(row.row, RowErrorCode.EMPTY_NAME))
        elif len(name) > NAME_MAX_LENGTH:
            problems.append(row_error(row.row, RowErrorCode.NAME_TOO_LONG, max=NAME_MAX_LENGTH))

        position = position_of(row.position)
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
                desa_id = desa_of(row, kecamatan_id, problems)

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
