"""Importing a roster all or nothing: check every row, then upsert members by phone and deactivate the absent."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.regions import load_wilayah_index
from bot.roster.checking import PPS_PER_DESA, check_roster
from bot.roster.files import RosterFileError, RosterFileProblem, RosterRow
from models import AuditLog, Member, Position
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
