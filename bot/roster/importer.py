"""Importing a roster all or nothing: check every row, compare it with the members stored (the diff an operator
reviews), then upsert members by phone and deactivate the absent."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.types import TypeEngine

from bot.core.regions import WilayahIndex, load_wilayah_index
from bot.roster.bulk import gc_paused
from bot.roster.checking import PPS_PER_DESA, RosterEntry, check_roster
from bot.roster.files import RosterFileError, RosterFileProblem, RosterRow
from models import ROSTER_POSITIONS, AuditLog, Member, Position
from models.base import utcnow


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


# A re-import that would deactivate more than this share of the active members is more often the wrong file
# (one kecamatan's sheet, last year's list) than a real change: the command line asks for --yes first.
CONFIRM_DEACTIVATION_PERCENT = 5


@dataclass(frozen=True, slots=True)
class MemberFacts:
    """A member as the operator recognises them in a diff (phone in E.164, desa None for PPK)."""

    name: str
    position: Position
    kecamatan: str
    desa: str | None
    phone: str


@dataclass(frozen=True)
class MemberChange:
    """A member of the file whose stored facts differ (or who was inactive and comes back)."""

    member_id: int
    before: MemberFacts
    after: MemberFacts
    reactivated: bool


@dataclass(frozen=True)
class Deactivation:
    """An active member the file no longer lists; `registered` = linked to a Telegram account."""

    member_id: int
    member: MemberFacts
    registered: bool


@dataclass(frozen=True)
class RosterDiff:
    """What importing a checked roster would change, computed without writing anything."""

    entries: tuple[RosterEntry, ...]
    added: tuple[MemberFacts, ...]
    changed: tuple[MemberChange, ...]
    deactivated: tuple[Deactivation, ...]
    unchanged: int
    active_before: int
    # Of the whole region list, not only the desa in the file.
    desa_understaffed: int
    desa_without_ketua: int
    kecamatan: int
    desa: int

    @property
    def reactivated(self) -> int:
        """Members who were inactive and are listed again."""
        return sum(change.reactivated for change in self.changed)

    @property
    def needs_confirmation(self) -> bool:
        """True when more than CONFIRM_DEACTIVATION_PERCENT % of the active members would be deactivated."""
        return len(self.deactivated) * 100 > CONFIRM_DEACTIVATION_PERCENT * self.active_before

    def summary(self) -> RosterSummary:
        """The counts of this diff, as an import reports them."""
        return RosterSummary(
            kecamatan=self.kecamatan,
            desa=self.desa,
            ketua=sum(1 for entry in self.entries if entry.position is Position.KETUA),
            anggota=sum(1 for entry in self.entries if entry.position is Position.ANGGOTA),
            ppk=sum(1 for entry in self.entries if entry.position is Position.PPK),
            new=len(self.added),
            updated=len(self.changed) - self.reactivated,
            unchanged=self.unchanged,
            deactivated=len(self.deactivated),
            reactivated=self.reactivated,
            desa_understaffed=self.desa_understaffed,
            desa_without_ketua=self.desa_without_ketua,
        )


def _facts(
    index: WilayahIndex, name: str, position: Position, kecamatan_id: int, desa_id: int | None, phone: str
) -> MemberFacts:
    desa = index.desa_by_id[desa_id].name if desa_id is not None else None
    return MemberFacts(name, position, index.kecamatan_by_id[kecamatan_id].name, desa, phone)


class _Stored(NamedTuple):
    """A stored member as the comparison needs it."""

    id: int
    phone: str
    name: str
    position: Position
    kecamatan_id: int
    desa_id: int | None
    active: bool
    telegram_user_id: int | None


# --- Comparing ---------------------------------------------------------------------------------------


async def compare_roster(session: AsyncSession, rows: Sequence[RosterRow]) -> RosterDiff:
    """Check every row and compare the file with the stored members; reads only.

    Raises WilayahEmpty (region list not imported), RosterFileError (no rows) or RosterRejected."""
    if not rows:
        raise RosterFileError(RosterFileProblem.NO_ROWS)
    with gc_paused():
        return await _compare(session, rows)


async def _compare(session: AsyncSession, rows: Sequence[RosterRow]) -> RosterDiff:
    index = await load_wilayah_index(session)
    entries = check_roster(rows, index)

    # On the connection, not the session: plain rows without the ORM's per-row loading.
    connection = await session.connection()
    result = await connection.execute(
        select(
            Member.id,
            Member.phone,
            Member.name,
            Member.position,
            Member.kecamatan_id,
            Member.desa_id,
            Member.active,
            Member.telegram_user_id,
        )
    )
    existing = {row[1]: _Stored._make(row) for row in result.tuples()}
    added: list[MemberFacts] = []
    changed: list[MemberChange] = []
    unchanged = 0
    for entry in entries:
        current = existing.get(entry.phone)
        after = (entry.name, entry.position, entry.kecamatan_id, entry.desa_id)
        if current is None:
            added.append(_facts(index, *after, entry.phone))
            continue
        before = (current.name, current.position, current.kecamatan_id, current.desa_id)
        if before == after and current.active:
            unchanged += 1
            continue
        changed.append(
            MemberChange(
                member_id=current.id,
                before=_facts(index, *before, entry.phone),
                after=_facts(index, *after, entry.phone),
                reactivated=not current.active,
            )
        )
    phones_in_file = {entry.phone for entry in entries}
    deactivated = sorted(
        (
            Deactivation(
                member_id=row.id,
                member=_facts(index, row.name, row.position, row.kecamatan_id, row.desa_id, row.phone),
                registered=row.telegram_user_id is not None,
            )
            for phone, row in existing.items()
            # Someone only on a desa's next-level roster (the cascade) is not on this file's roster.
            if row.active and phone not in phones_in_file and row.position in ROSTER_POSITIONS
        ),
        key=lambda d: (d.member.kecamatan, d.member.desa or "", d.member.name, d.member.phone),
    )

    pps_by_desa: dict[int, int] = {}
    desa_with_ketua: set[int] = set()
    for entry in entries:
        if entry.desa_id is not None:
            pps_by_desa[entry.desa_id] = pps_by_desa.get(entry.desa_id, 0) + 1
            if entry.position is Position.KETUA:
                desa_with_ketua.add(entry.desa_id)
    return RosterDiff(
        entries=tuple(entries),
        added=tuple(added),
        changed=tuple(changed),
        deactivated=tuple(deactivated),
        unchanged=unchanged,
        active_before=sum(1 for row in existing.values() if row.active and row.position in ROSTER_POSITIONS),
        desa_understaffed=sum(
            1 for desa_id in index.desa_by_id if pps_by_desa.get(desa_id, 0) < PPS_PER_DESA
        ),
        desa_without_ketua=sum(1 for desa_id in index.desa_by_id if desa_id not in desa_with_ketua),
        kecamatan=len({entry.kecamatan_id for entry in entries}),
        desa=len(pps_by_desa),
    )


# --- Importing ---------------------------------------------------------------------------------------

_COPIED_COLUMNS = (
    "name",
    "position",
    "kecamatan_id",
    "desa_id",
    "phone",
    "active",
    "created_at",
    "updated_at",
)


async def apply_roster(
    session: AsyncSession, diff: RosterDiff, *, actor: str, source_name: str
) -> RosterSummary:
    """Write a diff computed in this transaction: insert, update, deactivate, one audit row; no commit.

    Telegram registrations of members who stay on the roster are kept."""
    with gc_paused():
        now = utcnow()
        by_phone = {entry.phone: entry for entry in diff.entries}
        added = [by_phone[facts.phone] for facts in diff.added]
        changes: list[dict[str, object]] = [
            {
                "member_id": change.member_id,
                "name": entry.name,
                "position": entry.position.value,
                "kecamatan_id": entry.kecamatan_id,
                "desa_id": entry.desa_id,
            }
            for change in diff.changed
            for entry in (by_phone[change.after.phone],)
        ]
        # Core statements on the session's own connection: the same transaction as the comparison, so a
        # failure still writes nothing, without the ORM's per-row bookkeeping (150,000 rows in seconds).
        connection = await session.connection()
        if added:
            await _insert_members(connection, added, now)
        by_id = Member.id == bindparam("member_id")
        if changes:
            await connection.execute(update(Member).where(by_id).values(active=True, updated_at=now), changes)
        # Registrations stay on deactivated members, so someone who comes back is linked again at once.
        if diff.deactivated:
            await connection.execute(
                update(Member).where(by_id).values(active=False, updated_at=now),
                [{"member_id": gone.member_id} for gone in diff.deactivated],
            )

    summary = diff.summary()
    detail: dict[str, object] = {"file": source_name, **asdict(summary)}
    if diff.deactivated:
        detail["deactivated_ids"] = [gone.member_id for gone in diff.deactivated]
    session.add(AuditLog(actor=actor, action="roster.import", detail=detail))
    await session.flush()
    return summary


async def _insert_members(connection: AsyncConnection, added: Sequence[RosterEntry], now: datetime) -> None:
    """New members in one statement: COPY on PostgreSQL (asyncpg), one executemany on SQLite (aiosqlite),
    the only two drivers the configuration accepts."""
    dialect = connection.dialect
    if dialect.name == "postgresql":
        driver = (await connection.get_raw_connection()).driver_connection
        assert driver is not None  # the connection is open: this transaction is using it
        if not driver.is_in_transaction():
            # COPY outside a transaction would commit on its own; SQLAlchemy begins lazily, so begin now.
            await connection.execute(select(1))
        await driver.copy_records_to_table(
            Member.__tablename__,
            columns=_COPIED_COLUMNS,
            records=[
                (e.name, e.position.value, e.kecamatan_id, e.desa_id, e.phone, True, now, now) for e in added
            ],
        )
        return
    # SQLAlchemy would run every row's parameters through the column types (half the insert's time). The
    # per-row values are plain text and numbers already (position as its stored value); the constants go
    # through the columns' own processors once, so the rows are stored exactly as an ORM insert stores them.
    active = _stored_form(Member.active.type, True, dialect)
    stamp = _stored_form(Member.created_at.type, now, dialect)
    statement = insert(Member).values({name: bindparam(name) for name in _COPIED_COLUMNS})
    compiled = statement.compile(dialect=dialect)
    if compiled.positiontup != list(_COPIED_COLUMNS):
        raise RuntimeError(f"unexpected parameter order {compiled.positiontup}")
    await connection.exec_driver_sql(
        str(compiled),
        [(e.name, e.position.value, e.kecamatan_id, e.desa_id, e.phone, active, stamp, stamp) for e in added],
    )


def _stored_form(column_type: TypeEngine[Any], value: object, dialect: Dialect) -> object:
    """A value as the driver receives it for a column of this type."""
    processor = column_type.dialect_impl(dialect).bind_processor(dialect)
    return processor(value) if processor else value


async def import_roster(
    session: AsyncSession, rows: Sequence[RosterRow], *, actor: str, source_name: str
) -> RosterSummary:
    """Check every row, then upsert members by phone; absent members are deactivated; no commit.

    Raises WilayahEmpty (region list not imported), RosterFileError (no rows) or RosterRejected, always
    before anything is written. Telegram registrations of members who stay on the roster are kept.
    """
    diff = await compare_roster(session, rows)
    return await apply_roster(session, diff, actor=actor, source_name=source_name)
