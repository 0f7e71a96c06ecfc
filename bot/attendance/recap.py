"""Attendance numbers of the Bimtek: the live recap, who is absent, and one row per member for exports."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Row, Select, and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core import regions
from bot.core.scope import CoordinatorScope, OutOfScope
from models import (
    ROSTER_POSITIONS,
    CheckIn,
    CheckInMethod,
    Desa,
    Kecamatan,
    Member,
    Position,
    TrainingSession,
)

PPS_PER_DESA = 3
ROWS_PER_SLICE = 5000
"""Rows an export reads at a time (a few ms of work each, so others are answered in between)."""

_Row = TypeVar("_Row", bound=tuple[Any, ...])


class KecamatanNotFound(LookupError):
    """No kecamatan has this id."""

    def __init__(self, kecamatan_id: int) -> None:
        super().__init__(kecamatan_id)
        self.kecamatan_id = kecamatan_id


@dataclass(frozen=True)
class Tally:
    """Active members on the roster, how many registered with the bot, how many checked in."""

    roster: int = 0
    registered: int = 0
    present: int = 0

    @property
    def absent(self) -> int:
        return self.roster - self.present

    @property
    def present_ratio(self) -> float | None:
        """present / roster, or None when nobody is on the roster (a view shows it as a dash)."""
        return self.present / self.roster if self.roster else None

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(
            roster=self.roster + other.roster,
            registered=self.registered + other.registered,
            present=self.present + other.present,
        )


@dataclass(frozen=True)
class DesaDistribution:
    """How many desa have 3, 2, 1 or 0 of their PPS present (3 also holds the odd desa with more)."""

    present_3: int = 0
    present_2: int = 0
    present_1: int = 0
    present_0: int = 0

    @property
    def total(self) -> int:
        return self.present_3 + self.present_2 + self.present_1 + self.present_0

    def __add__(self, other: "DesaDistribution") -> "DesaDistribution":
        return DesaDistribution(
            present_3=self.present_3 + other.present_3,
            present_2=self.present_2 + other.present_2,
            present_1=self.present_1 + other.present_1,
            present_0=self.present_0 + other.present_0,
        )


@dataclass(frozen=True)
class KecamatanAttendance:
    """One kecamatan's line of the recap: PPS (Ketua + Anggota) and PPK counted apart."""

    kecamatan_id: int
    code: str
    name: str
    has_session: bool
    pps: Tally
    ppk: Tally
    desa: DesaDistribution


@dataclass(frozen=True)
class AttendanceRecap:
    """The recap of a scope (the whole regency when scope_kecamatan_id is None) and its totals."""

    scope_kecamatan_id: int | None
    kecamatan: tuple[KecamatanAttendance, ...]
    pps: Tally
    ppk: Tally
    desa: DesaDistribution


@dataclass(frozen=True)
class Absentee:
    """A member without a check-in; the phone is personal data for coordinators in scope only."""

    member_id: int
    name: str
    position: Position
    registered: bool
    phone: str
    account_deleted: bool = False  # removed their Telegram account with /hapus (shown as "akun dihapus")


@dataclass(frozen=True)
class DesaAbsentees:
    """The absent PPS members of one desa."""

    desa_id: int
    code: str
    name: str
    absentees: tuple[Absentee, ...]


@dataclass(frozen=True)
class KecamatanAbsentees:
    """Who in one kecamatan has not checked in: PPS grouped by desa (only desa with someone absent), and PPK."""

    kecamatan_id: int
    code: str
    name: str
    has_session: bool
    desa: tuple[DesaAbsentees, ...]
    ppk: tuple[Absentee, ...]

    @property
    def count(self) -> int:
        return sum(len(d.absentees) for d in self.desa) + len(self.ppk)


@dataclass(frozen=True)
class AttendanceRow:
    """One member for an export: where, who, registered or not, and their check-in if any."""

    member_id: int
    kecamatan_id: int
    kecamatan: str
    desa: str | None
    name: str
    position: Position
    phone: str
    registered: bool
    checked_in_at: datetime | None
    method: CheckInMethod | None
    distance_m: float | None
    account_deleted: bool = False  # removed their Telegram account with /hapus

    @property
    def present(self) -> bool:
        return self.checked_in_at is not None


def _with_check_in(statement: Select[_Row]) -> Select[_Row]:
    # A member is present only with a check-in at *their own* kecamatan's session; the unique
    # (session_id, member_id) constraint makes this join yield at most one row per member.
    return statement.outerjoin(
        TrainingSession,
        and_(TrainingSession.kecamatan_id == Member.kecamatan_id, TrainingSession.desa_id.is_(None)),
    ).outerjoin(CheckIn, and_(CheckIn.session_id == TrainingSession.id, CheckIn.member_id == Member.id))


def _position_rank() -> ColumnElement[int]:
    # Ketua before Anggota before PPK, as the roster is read.
    return case((Member.position == Position.KETUA, 0), (Member.position == Position.ANGGOTA, 1), else_=2)


async def attendance_recap(session: AsyncSession, scope_kecamatan_id: int | None) -> AttendanceRecap:
    """Counts per kecamatan in scope (all when None) and their totals: one grouped pass over the members."""
    is_ppk = Member.position == Position.PPK
    # Per desa (PPK, who have no desa, make one group per kecamatan with desa_id NULL).
    per_desa = (
        _with_check_in(
            select(
                Member.kecamatan_id.label("kecamatan_id"),
                Member.desa_id.label("desa_id"),
                func.count(Member.id).filter(~is_ppk).label("pps_roster"),
                func.count(Member.telegram_user_id).filter(~is_ppk).label("pps_registered"),
                func.count(CheckIn.id).filter(~is_ppk).label("pps_present"),
                func.count(Member.id).filter(is_ppk).label("ppk_roster"),
                func.count(Member.telegram_user_id).filter(is_ppk).label("ppk_registered"),
                func.count(CheckIn.id).filter(is_ppk).label("ppk_present"),
            ).select_from(Member)
        )
        .where(Member.active.is_(True), Member.position.in_(ROSTER_POSITIONS))
        .group_by(Member.kecamatan_id, Member.desa_id)
    )
    desa_total = (
        select(func.count(Desa.id)).where(Desa.kecamatan_id == Kecamatan.id).scalar_subquery().label("desa")
    )
    kecamatan_stmt = (
        select(Kecamatan.id, Kecamatan.code, Kecamatan.name, TrainingSession.id, desa_total)
        .outerjoin(
            TrainingSession,
            and_(TrainingSession.kecamatan_id == Kecamatan.id, TrainingSession.desa_id.is_(None)),
        )
        .order_by(Kecamatan.code)
    )
    if scope_kecamatan_id is not None:
        per_desa = per_desa.where(Member.kecamatan_id == scope_kecamatan_id)
        kecamatan_stmt = kecamatan_stmt.where(Kecamatan.id == scope_kecamatan_id)
    d = per_desa.subquery()
    # Then per kecamatan and number of PPS present; count(desa_id) leaves out the PPK group.
    member_stmt = select(
        d.c.kecamatan_id,
        d.c.pps_present,
        func.count(d.c.desa_id),
        func.sum(d.c.pps_roster),
        func.sum(d.c.pps_registered),
        func.sum(d.c.pps_present),
        func.sum(d.c.ppk_roster),
        func.sum(d.c.ppk_registered),
        func.sum(d.c.ppk_present),
    ).group_by(d.c.kecamatan_id, d.c.pps_present)

    # Running sums per kecamatan: PPS roster/registered/present, PPK roster/registered/present.
    sums: dict[int, list[int]] = defaultdict(lambda: [0] * 6)
    buckets: dict[int, list[int]] = defaultdict(lambda: [0] * (PPS_PER_DESA + 1))
    for kecamatan_id, present_in_desa, desa_count, *row_sums in await session.execute(member_stmt):
        total = sums[kecamatan_id]
        for i, value in enumerate(row_sums):
            total[i] += int(value)  # SUM() is a Decimal on PostgreSQL
        buckets[kecamatan_id][min(present_in_desa, PPS_PER_DESA)] += desa_count

    lines = []
    for kecamatan_id, code, name, session_id, desa_count in await session.execute(kecamatan_stmt):
        counted = buckets[kecamatan_id]
        total = sums[kecamatan_id]
        lines.append(
            KecamatanAttendance(
                kecamatan_id=kecamatan_id,
                code=code,
                name=name,
                has_session=session_id is not None,
                pps=Tally(roster=total[0], registered=total[1], present=total[2]),
                ppk=Tally(roster=total[3], registered=total[4], present=total[5]),
                # A desa without active PPS on the roster has no group above: it counts as "0 present".
                desa=DesaDistribution(
                    present_3=counted[3],
                    present_2=counted[2],
                    present_1=counted[1],
                    present_0=desa_count - counted[3] - counted[2] - counted[1],
                ),
            )
        )
    return AttendanceRecap(
        scope_kecamatan_id=scope_kecamatan_id,
        kecamatan=tuple(lines),
        pps=sum((line.pps for line in lines), Tally()),
        ppk=sum((line.ppk for line in lines), Tally()),
        desa=sum((line.desa for line in lines), DesaDistribution()),
    )


async def absentees(session: AsyncSession, kecamatan_id: int) -> KecamatanAbsentees:
    """Active members of one kecamatan without a check-in, PPS by desa and PPK apart (scope is the caller's)."""
    kecamatan = (
        await session.execute(
            select(Kecamatan.code, Kecamatan.name, TrainingSession.id)
            .outerjoin(
                TrainingSession,
                and_(TrainingSession.kecamatan_id == Kecamatan.id, TrainingSession.desa_id.is_(None)),
            )
            .where(Kecamatan.id == kecamatan_id)
        )
    ).one_or_none()
    if kecamatan is None:
        raise KecamatanNotFound(kecamatan_id)
    code, name, session_id = kecamatan
    rows = await session.execute(
        _with_check_in(
            select(
                Member.id,
                Member.name,
                Member.position,
                Member.phone,
                Member.telegram_user_id,
                Desa.id,
                Desa.code,
                Desa.name,
                Member.account_deleted_at,
            )
            .select_from(Member)
            .outerjoin(Desa, Desa.id == Member.desa_id)
        )
        .where(
            Member.kecamatan_id == kecamatan_id,
            Member.active.is_(True),
            Member.position.in_(ROSTER_POSITIONS),
            CheckIn.id.is_(None),
        )
        .order_by(Desa.code, _position_rank(), Member.name, Member.id)
    )
    by_desa: dict[int, tuple[str, str, list[Absentee]]] = {}
    ppk: list[Absentee] = []
    for (
        member_id,
        member_name,
        position,
        phone,
        telegram_user_id,
        desa_id,
        desa_code,
        desa_name,
        deleted,
    ) in rows:
        absentee = Absentee(
            member_id=member_id,
            name=member_name,
            position=position,
            registered=telegram_user_id is not None,
            phone=phone,
            account_deleted=telegram_user_id is None and deleted is not None,
        )
        # PPK members have no desa; a PPS row without one would be a roster error, shown with the PPK
        # rather than lost.
        if desa_id is None:
            ppk.append(absentee)
        else:
            by_desa.setdefault(desa_id, (desa_code, desa_name, []))[2].append(absentee)
    return KecamatanAbsentees(
        kecamatan_id=kecamatan_id,
        code=code,
        name=name,
        has_session=session_id is not None,
        desa=tuple(
            DesaAbsentees(desa_id=desa_id, code=desa_code, name=desa_name, absentees=tuple(members))
            for desa_id, (desa_code, desa_name, members) in by_desa.items()
        ),
        ppk=tuple(ppk),
    )


async def absentees_by_name(
    session: AsyncSession, scope: CoordinatorScope, written: str
) -> tuple[AttendanceRecap, KecamatanAbsentees]:
    """The numbers and the absentees of the kecamatan a coordinator names (by code, or by name as written).

    Raises bot.core.regions.KecamatanNotFound (with its "did you mean" suggestions) and OutOfScope; the
    scope is checked before anyone's phone number is read.
    """
    try:
        index = await regions.load_wilayah_index(session, with_desa=False)
    except regions.WilayahEmpty:
        raise regions.KecamatanNotFound(written.strip()) from None
    kecamatan = regions.resolve_kecamatan(index, written)
    if not scope.covers(kecamatan.id):
        raise OutOfScope
    return await attendance_recap(session, kecamatan.id), await absentees(session, kecamatan.id)


async def attendance_rows(session: AsyncSession, scope_kecamatan_id: int | None) -> list[AttendanceRow]:
    """Every active member in scope with their check-in (if any), in roster order, in one query."""
    statement = (
        _with_check_in(
            select(
                Member.id,
                Kecamatan.id,
                Kecamatan.name,
                Desa.name,
                Member.name,
                Member.position,
                Member.phone,
                Member.telegram_user_id,
                CheckIn.at,
                CheckIn.method,
                CheckIn.distance_m,
                Member.account_deleted_at,
            )
            .select_from(Member)
            .join(Kecamatan, Kecamatan.id == Member.kecamatan_id)
            .outerjoin(Desa, Desa.id == Member.desa_id)
        )
        .where(Member.active.is_(True), Member.position.in_(ROSTER_POSITIONS))
        .order_by(
            Kecamatan.code, Member.desa_id.is_(None), Desa.code, _position_rank(), Member.name, Member.id
        )
    )
    if scope_kecamatan_id is not None:
        statement = statement.where(Member.kecamatan_id == scope_kecamatan_id)
    # Streamed in slices: between two, the event loop answers others (150,000 rows at once would hold it).
    result = await session.stream(statement)
    rows: list[AttendanceRow] = []
    async for partition in result.partitions(ROWS_PER_SLICE):
        rows += _attendance_rows(partition)
    return rows


def _attendance_rows(partition: Sequence[Row[Any]]) -> list[AttendanceRow]:
    return [
        AttendanceRow(
            member_id=member_id,
            kecamatan_id=kecamatan_id,
            kecamatan=kecamatan,
            desa=desa,
            name=name,
            position=position,
            phone=phone,
            registered=telegram_user_id is not None,
            checked_in_at=at,
            method=method,
            distance_m=distance_m,
            account_deleted=telegram_user_id is None and deleted_at is not None,
        )
        for (
            member_id,
            kecamatan_id,
            kecamatan,
            desa,
            name,
            position,
            phone,
            telegram_user_id,
            at,
            method,
            distance_m,
            deleted_at,
        ) in partition
    ]
