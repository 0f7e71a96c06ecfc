"""How far duties are done, for coordinators: /rekap_tugas per kecamatan and desa, and the export's rows."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.broadcasts.audience import AudienceKind
from bot.core.scope import CoordinatorScope, OutOfScope
from bot.duties.audience import duty_audience, positions_of, visible_duties
from models import Desa, Duty, DutyCompletion, DutyStatus, Kecamatan, Member


@dataclass(frozen=True)
class KecamatanProgress:
    """Done / total units (desa or members) of one duty in one kecamatan."""

    kecamatan_id: int
    name: str
    done: int
    total: int


@dataclass(frozen=True)
class DutyProgress:
    """One duty's completion within a coordinator's scope, overall and per kecamatan."""

    id: int
    title: str
    due_at: datetime
    completion: DutyCompletion
    kind: AudienceKind
    done: int
    total: int
    kecamatan: tuple[KecamatanProgress, ...]


@dataclass(frozen=True)
class DesaProgress:
    """One desa's state of one duty: members done of members expected, and who has not (per-member)."""

    desa_id: int
    name: str
    done: int
    total: int
    missing: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return self.done >= self.total


@dataclass(frozen=True)
class KecamatanDetail:
    """One duty in one kecamatan: its desa, those not done first."""

    duty: DutyProgress
    kecamatan: KecamatanProgress
    desa: tuple[DesaProgress, ...]

    @property
    def pending(self) -> tuple[DesaProgress, ...]:
        return tuple(d for d in self.desa if not d.complete)


@dataclass(frozen=True)
class DutySheetRow:
    """One row of the export's duties sheet: a desa (per-desa duty) or a member (per-member duty)."""

    title: str
    due_at: datetime
    kecamatan: str
    desa: str
    member: str | None
    done: bool
    done_by: str | None
    done_at: datetime | None


@dataclass(frozen=True)
class Unit:
    """An active member a duty is for, with their own done time."""

    kecamatan_id: int
    desa_id: int
    member_id: int
    name: str
    done_at: datetime | None


@dataclass(frozen=True)
class RegionNames:
    """Kecamatan and desa names by id."""

    kecamatan: dict[int, str]
    desa: dict[int, str]


async def region_names(session: AsyncSession) -> RegionNames:
    """Every kecamatan's and desa's name by id."""
    kecamatan = dict((await session.execute(select(Kecamatan.id, Kecamatan.name))).tuples().all())
    desa = dict((await session.execute(select(Desa.id, Desa.name))).tuples().all())
    return RegionNames(kecamatan, desa)


async def audience_units(
    session: AsyncSession, duty: Duty, kecamatan_ids: Sequence[int] | None
) -> list[Unit]:
    """Every active member the duty is for (within the kecamatan given), with their own done time."""
    audience = duty_audience(duty)
    query = (
        select(Member.kecamatan_id, Member.desa_id, Member.id, Member.name, DutyStatus.done_at)
        .outerjoin(DutyStatus, (DutyStatus.member_id == Member.id) & (DutyStatus.duty_id == duty.id))
        .where(
            Member.active.is_(True),
            Member.desa_id.is_not(None),
            Member.position.in_(positions_of(audience.kind)),
        )
    )
    if audience.kecamatan_ids:
        query = query.where(Member.kecamatan_id.in_(audience.kecamatan_ids))
    if kecamatan_ids is not None:
        query = query.where(Member.kecamatan_id.in_(list(kecamatan_ids)))
    rows = await session.execute(query)
    return [Unit(k, d, m, n, done_at) for k, d, m, n, done_at in rows if d is not None]


def _desa_progress(duty: Duty, units: Sequence[Unit], desa_names: dict[int, str]) -> dict[int, DesaProgress]:
    by_desa: dict[int, list[Unit]] = defaultdict(list)
    for unit in units:
        by_desa[unit.desa_id].append(unit)
    progress = {}
    for desa_id, members in by_desa.items():
        if duty.completion is DutyCompletion.DESA:
            done = 1 if any(m.done_at for m in members) else 0
            total = 1
            missing: tuple[str, ...] = ()
        else:
            done = sum(1 for m in members if m.done_at)
            total = len(members)
            missing = tuple(sorted(m.name for m in members if not m.done_at))
        progress[desa_id] = DesaProgress(desa_id, desa_names.get(desa_id, str(desa_id)), done, total, missing)
    return progress


def progress_of(
    duty: Duty, units: Sequence[Unit], names: RegionNames
) -> tuple[DutyProgress, dict[int, dict[int, DesaProgress]]]:
    """The duty's progress per kecamatan (sorted by name), and each kecamatan's desa by id."""
    per_kecamatan: dict[int, list[Unit]] = defaultdict(list)
    for unit in units:
        per_kecamatan[unit.kecamatan_id].append(unit)
    lines = []
    details = {}
    for kecamatan_id, members in per_kecamatan.items():
        desa = _desa_progress(duty, members, names.desa)
        details[kecamatan_id] = desa
        if duty.completion is DutyCompletion.DESA:
            done, total = sum(d.done for d in desa.values()), len(desa)
        else:
            done, total = sum(d.done for d in desa.values()), sum(d.total for d in desa.values())
        lines.append(KecamatanProgress(kecamatan_id, names.kecamatan.get(kecamatan_id, "?"), done, total))
    lines.sort(key=lambda line: line.name)
    audience = duty_audience(duty)
    progress = DutyProgress(
        duty.id,
        duty.title,
        duty.due_at,
        duty.completion,
        audience.kind,
        sum(line.done for line in lines),
        sum(line.total for line in lines),
        tuple(lines),
    )
    return progress, details


async def desa_done(
    session: AsyncSession, duty: Duty, kecamatan_ids: Sequence[int] | None
) -> tuple[int, int]:
    """(desa where the duty is done, desa it concerns) within the kecamatan given, counted in the database:
    the same rule as _desa_progress (per desa: anyone done; per member: every member done), for the board."""
    audience = duty_audience(duty)
    per_desa = (
        select(func.count(Member.id).label("members"), func.count(DutyStatus.done_at).label("done"))
        .outerjoin(DutyStatus, (DutyStatus.member_id == Member.id) & (DutyStatus.duty_id == duty.id))
        .where(
            Member.active.is_(True),
            Member.desa_id.is_not(None),
            Member.position.in_(positions_of(audience.kind)),
        )
        .group_by(Member.desa_id)
    )
    if audience.kecamatan_ids:
        per_desa = per_desa.where(Member.kecamatan_id.in_(audience.kecamatan_ids))
    if kecamatan_ids is not None:
        per_desa = per_desa.where(Member.kecamatan_id.in_(list(kecamatan_ids)))
    d = per_desa.subquery()
    complete = d.c.done > 0 if duty.completion is DutyCompletion.DESA else d.c.done >= d.c.members
    done, total = (
        await session.execute(select(func.count().filter(complete), func.count()).select_from(d))
    ).one()
    return int(done), int(total)


async def duty_recap(session: AsyncSession, scope: CoordinatorScope) -> list[DutyProgress]:
    """Per active duty the scope sees: done / total (desa or members) overall and per kecamatan, counted
    within the scope (a PPK sees a regency-wide duty with their own kecamatan's numbers)."""
    names = await region_names(session)
    recap = []
    for duty in await visible_duties(session, scope):
        units = await audience_units(session, duty, scope.kecamatan_filter())
        recap.append(progress_of(duty, units, names)[0])
    return recap


async def _visible_duty(session: AsyncSession, duty_id: int, scope: CoordinatorScope) -> Duty | None:
    duty = await session.get(Duty, duty_id)
    if duty is None or not duty.active or not scope.sees(duty_audience(duty).kecamatan_ids):
        return None
    return duty


async def kecamatan_detail(
    session: AsyncSession, duty_id: int, kecamatan_id: int, scope: CoordinatorScope
) -> KecamatanDetail | None:
    """One duty in one kecamatan (checked against the scope): each desa, not done first. None if unknown."""
    if not scope.covers(kecamatan_id):
        raise OutOfScope()
    duty = await _visible_duty(session, duty_id, scope)
    if duty is None:
        return None
    units = await audience_units(session, duty, [kecamatan_id])
    progress, details = progress_of(duty, units, await region_names(session))
    if not progress.kecamatan:
        return None
    desa = sorted(details[kecamatan_id].values(), key=lambda d: (d.complete, d.name))
    return KecamatanDetail(progress, progress.kecamatan[0], tuple(desa))


async def duty_progress(session: AsyncSession, duty_id: int, scope: CoordinatorScope) -> DutyProgress | None:
    """One duty's completion within the scope, or None when it is unknown, withdrawn or out of scope."""
    duty = await _visible_duty(session, duty_id, scope)
    if duty is None:
        return None
    units = await audience_units(session, duty, scope.kecamatan_filter())
    return progress_of(duty, units, await region_names(session))[0]


async def duty_sheet_rows(session: AsyncSession, scope: CoordinatorScope) -> list[DutySheetRow]:
    """The rows of the export's duties sheet: per duty, one row per desa (per-desa duties) or per member
    (per-member duties) within the scope, with who marked it done and when."""
    names = await region_names(session)
    rows: list[DutySheetRow] = []
    for duty in await visible_duties(session, scope):
        units = await audience_units(session, duty, scope.kecamatan_filter())
        ordered = sorted(
            units,
            key=lambda u: (names.kecamatan.get(u.kecamatan_id, ""), names.desa.get(u.desa_id, ""), u.name),
        )
        if duty.completion is DutyCompletion.DESA:
            first_mark: dict[int, Unit] = {}
            for unit in sorted((u for u in units if u.done_at), key=lambda u: u.done_at or duty.due_at):
                first_mark.setdefault(unit.desa_id, unit)
            seen: set[int] = set()
            for unit in ordered:
                if unit.desa_id in seen:
                    continue
                seen.add(unit.desa_id)
                mark = first_mark.get(unit.desa_id)
                rows.append(
                    DutySheetRow(
                        duty.title,
                        duty.due_at,
                        names.kecamatan.get(unit.kecamatan_id, ""),
                        names.desa.get(unit.desa_id, ""),
                        None,
                        mark is not None,
                        mark.name if mark else None,
                        mark.done_at if mark else None,
                    )
                )
        else:
            for unit in ordered:
                rows.append(
                    DutySheetRow(
                        duty.title,
                        duty.due_at,
                        names.kecamatan.get(unit.kecamatan_id, ""),
                        names.desa.get(unit.desa_id, ""),
                        unit.name,
                        unit.done_at is not None,
                        unit.name if unit.done_at else None,
                        unit.done_at,
                    )
                )
    return rows
