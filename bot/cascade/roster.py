"""A desa's next-level roster (Pantarlih, KPPS with TPS): checked like the PPS roster, all or nothing.

The file has the columns `nama, jabatan, tps, telepon` (header names, case-insensitive; `kecamatan` and
`desa` may be there and are ignored: the desa is the PPS's own, or the one named on the command line).
`jabatan` is Pantarlih or KPPS; `tps` is required for KPPS. Phones follow the roster's rules (bot.core.phones).

An import replaces the desa's roster of the jabatan the file lists (a file of Pantarlih only leaves the KPPS
as they were). A phone already on a roster keeps its person: a PPS member listed as a Pantarlih keeps their
PPS role and gains the new one, and registration (one contact) covers both.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.choices import UnknownChoice, parse_choice
from bot.core.phones import InvalidPhoneNumber, display, to_e164
from bot.core.problems import ImportRejected, Problem, by_row, row_error
from bot.roster.files import NumberedCells, RosterFileError, RosterFileProblem, read_table, sheet_columns
from models import AuditLog, CascadeMember, CascadeRole, Desa, Member, Position

COLUMNS = ("nama", "jabatan", "tps", "telepon")
REQUIRED_COLUMNS = ("nama", "jabatan", "telepon")
NAME_MAX_LENGTH = 200  # CascadeMember.name is String(200)
TPS_PATTERN = re.compile(r"^(?:tps\s*)?0*([0-9]{1,4})$", re.IGNORECASE)

_ROLE_BY_WORDS = {
    "pantarlih": CascadeRole.PANTARLIH,
    "petugas pantarlih": CascadeRole.PANTARLIH,
    "kpps": CascadeRole.KPPS,
    "anggota kpps": CascadeRole.KPPS,
    "ketua kpps": CascadeRole.KPPS,
}


class CascadeRowError(enum.StrEnum):
    """Why a row of a desa's next-level roster was refused (catalog `cascade.roster`)."""

    EMPTY_NAME = "empty_name"
    NAME_TOO_LONG = "name_too_long"
    UNKNOWN_ROLE = "unknown_role"
    MISSING_TPS = "missing_tps"
    INVALID_TPS = "invalid_tps"
    MISSING_PHONE = "missing_phone"
    INVALID_PHONE = "invalid_phone"
    DUPLICATE_PHONE = "duplicate_phone"
    OTHER_DESA = "other_desa"


class CascadeRosterRejected(ImportRejected):
    """The desa's roster has bad rows; nothing was written."""

    def __init__(self, errors: Sequence[Problem]) -> None:
        super().__init__(by_row(errors))


@dataclass(frozen=True)
class CascadeRow:
    """One checked row: the person's phone in E.164, their role and TPS."""

    row: int
    name: str
    role: CascadeRole
    tps: str | None
    phone: str


@dataclass(frozen=True)
class CascadeImported:
    """What an import changed in the desa's roster."""

    desa: str
    pantarlih: int
    kpps: int
    added: int
    removed: int
    already_registered: int


def read_cascade_file(path: Path) -> list[tuple[int, dict[str, str]]]:
    """The rows of a next-level roster file as {column: cell}, numbered as in the sheet; RosterFileError."""
    return _rows(read_table(path))


def _rows(table: Sequence[NumberedCells]) -> list[tuple[int, dict[str, str]]]:
    positions, body = sheet_columns(table, COLUMNS, REQUIRED_COLUMNS)
    rows = []
    for number, cells in body:
        rows.append((number, {name: cells[at] if at < len(cells) else "" for name, at in positions.items()}))
    if not rows:
        raise RosterFileError(RosterFileProblem.NO_ROWS)
    return rows


def parse_role(text: str) -> CascadeRole | None:
    """Pantarlih / KPPS (any case, also 'Anggota KPPS'); None when not a role of the next level."""
    try:
        return parse_choice(text, _ROLE_BY_WORDS)
    except UnknownChoice:
        return None


def check_cascade_rows(rows: Sequence[tuple[int, dict[str, str]]]) -> list[CascadeRow]:
    """Check every row; raise CascadeRosterRejected listing every bad row (by spreadsheet row number)."""
    errors: list[Problem] = []
    checked: list[CascadeRow] = []
    first_row_of_phone: dict[str, int] = {}
    for number, cells in rows:
        problems: list[Problem] = []
        name = " ".join(cells.get("nama", "").split())
        if not name:
            problems.append(row_error(number, CascadeRowError.EMPTY_NAME))
        elif len(name) > NAME_MAX_LENGTH:
            problems.append(row_error(number, CascadeRowError.NAME_TOO_LONG, max=NAME_MAX_LENGTH))
        written_role = cells.get("jabatan", "")
        role = parse_role(written_role)
        if role is None:
            problems.append(row_error(number, CascadeRowError.UNKNOWN_ROLE, value=written_role))
        tps: str | None = None
        written_tps = cells.get("tps", "").strip()
        if written_tps:
            match = TPS_PATTERN.match(written_tps)
            if match is None or int(match.group(1)) == 0:
                problems.append(row_error(number, CascadeRowError.INVALID_TPS, value=written_tps))
            else:
                tps = str(int(match.group(1))).zfill(3)
        elif role is CascadeRole.KPPS:
            problems.append(row_error(number, CascadeRowError.MISSING_TPS))
        phone: str | None = None
        written_phone = cells.get("telepon", "")
        if not written_phone.strip():
            problems.append(row_error(number, CascadeRowError.MISSING_PHONE))
        else:
            try:
                phone = to_e164(written_phone)
            except InvalidPhoneNumber:
                problems.append(row_error(number, CascadeRowError.INVALID_PHONE, value=written_phone))
        if phone is not None:
            first = first_row_of_phone.setdefault(phone, number)
            if first != number:
                problems.append(
                    row_error(number, CascadeRowError.DUPLICATE_PHONE, phone=display(phone), first_row=first)
                )
        if problems:
            errors.extend(problems)
        elif role is not None and phone is not None:
            checked.append(CascadeRow(number, name, role, tps, phone))
    if errors:
        raise CascadeRosterRejected(errors)
    return checked


async def import_cascade_roster(
    session: AsyncSession,
    rows: Sequence[tuple[int, dict[str, str]]],
    *,
    desa_id: int,
    actor: str,
) -> CascadeImported:
    """Check the rows and replace the desa's roster of the roles they list; all or nothing, no commit.

    A phone already someone's next-level role in another desa is refused on its row (one desa per role)."""
    checked = check_cascade_rows(rows)
    desa = await session.get(Desa, desa_id)
    if desa is None:
        raise ValueError(f"no desa {desa_id}")
    phones = [row.phone for row in checked]
    people = {m.phone: m for m in await session.scalars(select(Member).where(Member.phone.in_(phones)))}
    roles_in_file = {row.role for row in checked}
    current = list(
        await session.scalars(
            select(CascadeMember).where(
                CascadeMember.member_id.in_([m.id for m in people.values()])
                | (CascadeMember.desa_id == desa_id)
            )
        )
    )
    errors: list[Problem] = []
    desa_names: dict[int, str] = {}
    for row in checked:
        member = people.get(row.phone)
        if member is None:
            continue
        elsewhere = next(
            (
                c
                for c in current
                if c.member_id == member.id and c.role == row.role and c.active and c.desa_id != desa_id
            ),
            None,
        )
        if elsewhere is not None:
            if elsewhere.desa_id not in desa_names:
                other = await session.get(Desa, elsewhere.desa_id)
                desa_names[elsewhere.desa_id] = other.name if other is not None else "?"
            errors.append(
                row_error(
                    row.row,
                    CascadeRowError.OTHER_DESA,
                    phone=display(row.phone),
                    desa=desa_names[elsewhere.desa_id],
                )
            )
    if errors:
        raise CascadeRosterRejected(errors)

    by_key = {(c.member_id, c.role): c for c in current}
    kept: set[int] = set()
    added = already_registered = 0
    for row in checked:
        member = people.get(row.phone)
        if member is None:
            member = Member(
                name=row.name,
                position=Position(row.role.value),
                kecamatan_id=desa.kecamatan_id,
                desa_id=desa_id,
                phone=row.phone,
                active=True,
            )
            session.add(member)
            await session.flush()
            people[row.phone] = member
        elif not member.active:
            # Someone who left a roster comes back as this desa's next level only.
            member.active = True
            member.position = Position(row.role.value)
            member.kecamatan_id = desa.kecamatan_id
            member.desa_id = desa_id
        if member.telegram_user_id is not None:
            already_registered += 1
        entry = by_key.get((member.id, row.role))
        if entry is None:
            entry = CascadeMember(
                member_id=member.id,
                desa_id=desa_id,
                kecamatan_id=desa.kecamatan_id,
                role=row.role,
                name=row.name,
                tps=row.tps,
                active=True,
            )
            session.add(entry)
            added += 1
        else:
            if not entry.active:
                added += 1
            entry.active, entry.name, entry.tps = True, row.name, row.tps
            entry.desa_id, entry.kecamatan_id = desa_id, desa.kecamatan_id
        await session.flush()
        kept.add(entry.id)
    removed = 0
    for entry in current:
        if entry.desa_id == desa_id and entry.role in roles_in_file and entry.active and entry.id not in kept:
            entry.active = False
            removed += 1
    await session.flush()
    await _deactivate_people_without_roles(session, desa_id)
    session.add(
        AuditLog(
            actor=actor,
            action="cascade.roster_import",
            detail={"desa_id": desa_id, "rows": len(checked), "added": added, "removed": removed},
        )
    )
    return CascadeImported(
        desa=desa.name,
        pantarlih=sum(1 for row in checked if row.role is CascadeRole.PANTARLIH),
        kpps=sum(1 for row in checked if row.role is CascadeRole.KPPS),
        added=added,
        removed=removed,
        already_registered=already_registered,
    )


async def _deactivate_people_without_roles(session: AsyncSession, desa_id: int) -> None:
    """Someone only on the next level (no PPS/PPK position) with no active role left is no longer anyone's."""
    orphans = await session.scalars(
        select(Member).where(
            Member.desa_id == desa_id,
            Member.active.is_(True),
            Member.position.in_([Position.PANTARLIH, Position.KPPS]),
            ~Member.id.in_(select(CascadeMember.member_id).where(CascadeMember.active.is_(True))),
        )
    )
    for member in orphans:
        member.active = False


class DesaNotFound(Exception):
    """No single desa has that code or name (in that kecamatan); `candidates` when several share it."""

    def __init__(self, written: str, candidates: Sequence[str] = ()) -> None:
        super().__init__(written)
        self.written = written
        self.candidates = list(candidates)


async def resolve_desa(session: AsyncSession, written: str, kecamatan: str | None) -> int:
    """The desa named on the command line: its code (36.02.01.2001), or its name, with the kecamatan when
    the name is not unique in the regency."""
    from bot.core.regions import KecamatanNotFound, load_wilayah_index, resolve_kecamatan

    by_code = await session.scalar(select(Desa.id).where(Desa.code == written.strip()))
    if by_code is not None:
        return by_code
    index = await load_wilayah_index(session)
    if kecamatan:
        try:
            kecamatan_ids = [resolve_kecamatan(index, kecamatan).id]
        except KecamatanNotFound:
            raise DesaNotFound(f"{written} ({kecamatan})") from None
    else:
        kecamatan_ids = list(index.kecamatan_by_id)
    matches = [d for k in kecamatan_ids for d in index.desa_matches(k, written)]
    if len(matches) == 1:
        return matches[0].id
    candidates = [f"{d.code} ({d.name}, {index.kecamatan_by_id[d.kecamatan_id].name})" for d in matches]
    raise DesaNotFound(written, candidates)
