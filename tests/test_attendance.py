"""Attendance numbers on a small world: recap per kecamatan, totals, desa distribution, absentees, rows."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.attendance.recap import (
    Absentee,
    DesaDistribution,
    KecamatanNotFound,
    Tally,
    absentees,
    attendance_recap,
    attendance_rows,
)
from bot.core.db import SessionFactory
from models import (
    CheckIn,
    CheckInMethod,
    Desa,
    DesaKind,
    Kecamatan,
    Member,
    Position,
    TelegramAccount,
    TrainingSession,
)

TRAINING_DAY = datetime(2024, 6, 3, 1, 0, tzinfo=UTC)  # 08.00 WIB
K, A, P = Position.KETUA, Position.ANGGOTA, Position.PPK


@dataclass
class World:
    """Ids of what `build_world` made, by the names the tests use."""

    kecamatan: dict[str, int] = field(default_factory=dict)
    desa: dict[str, int] = field(default_factory=dict)
    session: dict[str, int] = field(default_factory=dict)
    member: dict[str, int] = field(default_factory=dict)


class _Builder:
    def __init__(self, session: AsyncSession, world: World) -> None:
        self.session = session
        self.world = world
        self.phones = 0
        self.accounts = 0

    async def kecamatan(self, code: str, name: str, *, with_session: bool) -> int:
        kecamatan = Kecamatan(code=code, name=name)
        self.session.add(kecamatan)
        await self.session.flush()
        self.world.kecamatan[name] = kecamatan.id
        if with_session:
            training = TrainingSession(
                kecamatan_id=kecamatan.id,
                venue=f"Aula Kecamatan {name}",
                latitude=-6.8,
                longitude=106.0,
                radius_m=200,
                starts_at=TRAINING_DAY,
                ends_at=TRAINING_DAY + timedelta(hours=8),
                checkin_opens_at=TRAINING_DAY - timedelta(hours=1),
                checkin_closes_at=TRAINING_DAY + timedelta(hours=3),
                secret="s" * 32,
            )
            self.session.add(training)
            await self.session.flush()
            self.world.session[name] = training.id
        return kecamatan.id

    async def desa(self, kecamatan: str, code: str, name: str) -> int:
        desa = Desa(code=code, name=name, kind=DesaKind.DESA, kecamatan_id=self.world.kecamatan[kecamatan])
        self.session.add(desa)
        await self.session.flush()
        self.world.desa[name] = desa.id
        return desa.id

    async def member(
        self,
        name: str,
        position: Position,
        kecamatan: str,
        desa: str | None = None,
        *,
        registered: bool = False,
        active: bool = True,
        phone: str | None = None,
    ) -> int:
        self.phones += 1
        account_id = None
        if registered:
            self.accounts += 1
            account_id = 7_000_000_000 + self.accounts
            self.session.add(TelegramAccount(id=account_id, first_name=name))
            await self.session.flush()
        member = Member(
            name=name,
            position=position,
            kecamatan_id=self.world.kecamatan[kecamatan],
            desa_id=self.world.desa[desa] if desa is not None else None,
            phone=phone or f"+6281200{self.phones:06d}",
            telegram_user_id=account_id,
            active=active,
        )
        self.session.add(member)
        await self.session.flush()
        self.world.member[name] = member.id
        return member.id

    async def check_in(
        self,
        member: str,
        kecamatan: str,
        *,
        minutes: int = 0,
        method: CheckInMethod = CheckInMethod.QR,
        distance_m: float | None = None,
    ) -> None:
        self.session.add(
            CheckIn(
                session_id=self.world.session[kecamatan],
                member_id=self.world.member[member],
                at=TRAINING_DAY + timedelta(minutes=minutes),
                method=method,
                distance_m=distance_m,
            )
        )
        await self.session.flush()


async def build_world(factory: SessionFactory, *, member_name: str = "Ahmad Ketua A1") -> World:
    """Three kecamatan (Malingping and Cibeber with a session, Bayah without) and their roster.

    Malingping: A1 all 3 present, A2 2 of 3, A3 (only 2 on the roster) 1, A4 none (one of them checked
    in at Cibeber's venue, which does not count; an inactive member there checked in and is ignored),
    A5 has no PPS at all; 3 PPK, 2 present. Cibeber: B1 all 3, B2 1 of 3; 2 PPK, none present.
    Bayah: C1 none; no PPK.
    """
    world = World()
    async with factory() as session, session.begin():
        b = _Builder(session, world)
        await b.kecamatan("36.02.01", "Malingping", with_session=True)
        await b.kecamatan("36.02.02", "Cibeber", with_session=True)
        await b.kecamatan("36.02.03", "Bayah", with_session=False)
        for code, name in [("2001", "A1"), ("2002", "A2"), ("2003", "A3"), ("2004", "A4"), ("2005", "A5")]:
            await b.desa("Malingping", f"36.02.01.{code}", name)
        for code, name in [("2001", "B1"), ("2002", "B2")]:
            await b.desa("Cibeber", f"36.02.02.{code}", name)
        await b.desa("Bayah", "36.02.03.2001", "C1")

        await b.member(member_name, K, "Malingping", "A1", registered=True, phone="+6281200000901")
        await b.member("Anggota A1a", A, "Malingping", "A1", registered=True)
        await b.member("Anggota A1b", A, "Malingping", "A1", registered=True)
        await b.member("Ketua A2", K, "Malingping", "A2", registered=True)
        await b.member("Anggota A2a", A, "Malingping", "A2")
        await b.member("Anggota A2b", A, "Malingping", "A2")
        await b.member("Ketua A3", K, "Malingping", "A3")
        await b.member("Anggota A3a", A, "Malingping", "A3")
        await b.member("Ketua A4", K, "Malingping", "A4")
        await b.member("Anggota A4a", A, "Malingping", "A4", registered=True)
        await b.member("Anggota A4b", A, "Malingping", "A4")
        await b.member("Mantan A4", A, "Malingping", "A4", registered=True, active=False)
        await b.member("PPK M1", P, "Malingping", registered=True)
        await b.member("PPK M2", P, "Malingping")
        await b.member("PPK M3", P, "Malingping")

        await b.member("Ketua B1", K, "Cibeber", "B1", registered=True)
        await b.member("Anggota B1a", A, "Cibeber", "B1", registered=True)
        await b.member("Anggota B1b", A, "Cibeber", "B1")
        await b.member("Ketua B2", K, "Cibeber", "B2")
        await b.member("Anggota B2a", A, "Cibeber", "B2")
        await b.member("Anggota B2b", A, "Cibeber", "B2")
        await b.member("PPK C1", P, "Cibeber")
        await b.member("PPK C2", P, "Cibeber")

        await b.member("Ketua C1", K, "Bayah", "C1")
        await b.member("Anggota C1a", A, "Bayah", "C1")
        await b.member("Anggota C1b", A, "Bayah", "C1")

        await b.check_in(
            member_name, "Malingping", minutes=15, method=CheckInMethod.LOCATION, distance_m=42.4
        )
        await b.check_in("Anggota A1a", "Malingping", minutes=20)
        await b.check_in("Anggota A1b", "Malingping", minutes=25, method=CheckInMethod.CODE)
        await b.check_in("Ketua A2", "Malingping", minutes=5)
        await b.check_in("Anggota A2a", "Malingping", minutes=6, method=CheckInMethod.MANUAL)
        await b.check_in("Ketua A3", "Malingping", minutes=7)
        await b.check_in("Anggota A4a", "Cibeber", minutes=8)
        await b.check_in("Mantan A4", "Malingping", minutes=9)
        await b.check_in("PPK M1", "Malingping", minutes=1)
        await b.check_in("PPK M2", "Malingping", minutes=2)
        await b.check_in("Ketua B1", "Cibeber", minutes=3)
        await b.check_in("Anggota B1a", "Cibeber", minutes=4)
        await b.check_in("Anggota B1b", "Cibeber", minutes=5)
        await b.check_in("Anggota B2b", "Cibeber", minutes=6)
    return world


async def test_recap_counts_each_kecamatan_and_the_regency(session_factory: SessionFactory) -> None:
    await build_world(session_factory)
    async with session_factory() as session:
        recap = await attendance_recap(session, None)

    assert recap.scope_kecamatan_id is None
    by_name = {line.name: line for line in recap.kecamatan}
    assert [line.name for line in recap.kecamatan] == ["Malingping", "Cibeber", "Bayah"]

    malingping = by_name["Malingping"]
    assert malingping.has_session
    # 11 active PPS (the inactive one is not counted), 5 registered, 6 present at their own venue.
    assert malingping.pps == Tally(roster=11, registered=5, present=6)
    assert malingping.ppk == Tally(roster=3, registered=1, present=2)
    assert malingping.desa == DesaDistribution(present_3=1, present_2=1, present_1=1, present_0=2)

    cibeber = by_name["Cibeber"]
    assert cibeber.pps == Tally(roster=6, registered=2, present=4)
    assert cibeber.ppk == Tally(roster=2, registered=0, present=0)
    assert cibeber.desa == DesaDistribution(present_3=1, present_2=0, present_1=1, present_0=0)

    bayah = by_name["Bayah"]
    assert not bayah.has_session
    assert bayah.pps == Tally(roster=3, registered=0, present=0)
    assert bayah.ppk == Tally()
    assert bayah.desa == DesaDistribution(present_0=1)

    assert recap.pps == Tally(roster=20, registered=7, present=10)
    assert recap.ppk == Tally(roster=5, registered=1, present=2)
    assert recap.desa == DesaDistribution(present_3=2, present_2=1, present_1=2, present_0=3)
    assert recap.desa.total == 8
    assert recap.pps.present_ratio == 0.5
    assert recap.pps.absent == 10
    assert bayah.ppk.present_ratio is None


async def test_recap_of_one_kecamatan_is_only_that_kecamatan(session_factory: SessionFactory) -> None:
    world = await build_world(session_factory)
    async with session_factory() as session:
        recap = await attendance_recap(session, world.kecamatan["Cibeber"])

    assert recap.scope_kecamatan_id == world.kecamatan["Cibeber"]
    assert [line.name for line in recap.kecamatan] == ["Cibeber"]
    assert recap.pps == Tally(roster=6, registered=2, present=4)
    assert recap.ppk == Tally(roster=2, registered=0, present=0)
    assert recap.desa == DesaDistribution(present_3=1, present_1=1)


async def test_absentees_are_grouped_by_desa_with_the_ppk_apart(session_factory: SessionFactory) -> None:
    world = await build_world(session_factory)
    async with session_factory() as session:
        absent = await absentees(session, world.kecamatan["Malingping"])

    assert absent.name == "Malingping"
    assert absent.has_session
    # A1 is complete and A5 has nobody: neither is listed.
    assert [(d.name, [a.name for a in d.absentees]) for d in absent.desa] == [
        ("A2", ["Anggota A2b"]),
        ("A3", ["Anggota A3a"]),
        # Ketua first; the inactive member is not on the list; a check-in elsewhere does not count.
        ("A4", ["Ketua A4", "Anggota A4a", "Anggota A4b"]),
    ]
    a4 = absent.desa[2]
    assert a4.desa_id == world.desa["A4"]
    assert a4.absentees[1] == Absentee(
        member_id=world.member["Anggota A4a"],
        name="Anggota A4a",
        position=Position.ANGGOTA,
        registered=True,
        phone="+6281200000010",
    )
    assert a4.absentees[0].position is Position.KETUA
    assert not a4.absentees[0].registered
    assert [(a.name, a.position) for a in absent.ppk] == [("PPK M3", Position.PPK)]
    assert absent.count == 6


async def test_absentees_of_a_kecamatan_without_session_is_everyone(session_factory: SessionFactory) -> None:
    world = await build_world(session_factory)
    async with session_factory() as session:
        absent = await absentees(session, world.kecamatan["Bayah"])
        with pytest.raises(KecamatanNotFound):
            await absentees(session, 999_999)

    assert not absent.has_session
    assert [(d.name, len(d.absentees)) for d in absent.desa] == [("C1", 3)]
    assert absent.ppk == ()


async def test_rows_list_every_active_member_with_their_check_in(session_factory: SessionFactory) -> None:
    world = await build_world(session_factory)
    async with session_factory() as session:
        rows = await attendance_rows(session, None)
        cibeber = await attendance_rows(session, world.kecamatan["Cibeber"])

    assert len(rows) == 25
    assert "Mantan A4" not in {row.name for row in rows}
    # Roster order: kecamatan by code, the PPS of each desa (Ketua first), then the PPK.
    assert [row.name for row in rows[:4]] == ["Ahmad Ketua A1", "Anggota A1a", "Anggota A1b", "Ketua A2"]
    assert [row.name for row in rows[11:15]] == ["PPK M1", "PPK M2", "PPK M3", "Ketua B1"]
    first = rows[0]
    assert first.kecamatan == "Malingping"
    assert first.kecamatan_id == world.kecamatan["Malingping"]
    assert first.desa == "A1"
    assert first.position is Position.KETUA
    assert first.phone == "+6281200000901"
    assert first.registered
    assert first.present
    assert first.checked_in_at == TRAINING_DAY + timedelta(minutes=15)
    assert first.checked_in_at is not None and first.checked_in_at.utcoffset() == timedelta(0)
    assert first.method is CheckInMethod.LOCATION
    assert first.distance_m == pytest.approx(42.4)
    wrong_venue = next(row for row in rows if row.name == "Anggota A4a")
    assert (wrong_venue.present, wrong_venue.method, wrong_venue.registered) == (False, None, True)
    ppk = next(row for row in rows if row.name == "PPK M3")
    assert (ppk.desa, ppk.present) == (None, False)

    assert len(cibeber) == 8
    assert {row.kecamatan for row in cibeber} == {"Cibeber"}
    assert sum(row.present for row in cibeber) == 4


@contextmanager
def _counting_selects(engine: AsyncEngine) -> Iterator[list[str]]:
    statements: list[str] = []

    def _count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", _count)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", _count)


async def _query_counts(
    factory: SessionFactory, engine: AsyncEngine, kecamatan_id: int
) -> tuple[int, int, int]:
    async with factory() as session:
        with _counting_selects(engine) as recap:
            await attendance_recap(session, None)
        with _counting_selects(engine) as absent:
            await absentees(session, kecamatan_id)
        with _counting_selects(engine) as rows:
            await attendance_rows(session, None)
    return len(recap), len(absent), len(rows)


async def test_queries_are_a_fixed_few_whatever_the_size(
    session_factory: SessionFactory, engine: AsyncEngine
) -> None:
    world = await build_world(session_factory)
    small = await _query_counts(session_factory, engine, world.kecamatan["Malingping"])

    # Ten more desa of three PPS each: still the same number of (grouped) queries, no query per row.
    async with session_factory() as session, session.begin():
        b = _Builder(session, world)
        b.phones = 1000
        for n in range(10):
            await b.desa("Malingping", f"36.02.01.3{n:03d}", f"X{n}")
            for position in (K, A, A):
                await b.member(f"X{n} {position.value} {b.phones}", position, "Malingping", f"X{n}")
    large = await _query_counts(session_factory, engine, world.kecamatan["Malingping"])

    assert small == large == (2, 2, 1)
