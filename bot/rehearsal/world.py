"""The rehearsal's world before the day starts: the region list, the plan's moments, the members and venues."""

import csv
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select, update

from bot.core.db import SessionFactory
from bot.data import LEBAK_WILAYAH_CSV
from bot.rehearsal.people import Person, Registration, VenueFacts
from bot.roster.wilayah import WilayahRow
from models import (
    ROSTER_POSITIONS,
    Broadcast,
    BroadcastStatus,
    Member,
    Position,
    TelegramAccount,
    TrainingSession,
)

DEFAULT_WILAYAH = LEBAK_WILAYAH_CSV


def synthetic_wilayah(plan_text: str) -> list[WilayahRow]:
    """Twelve made-up desa for every kecamatan the plan names (when the official list is not at hand)."""
    import tomllib

    from models import DesaKind

    names = [entry["kecamatan"] for entry in tomllib.loads(plan_text).get("session", [])]
    rows: list[WilayahRow] = []
    for k, name in enumerate(names, start=1):
        for d in range(1, 13):
            rows.append(
                WilayahRow(
                    row=len(rows) + 2,
                    kecamatan_code=f"99.01.{k:02d}",
                    kecamatan_name=name,
                    desa_code=f"99.01.{k:02d}.{2000 + d}",
                    desa_name=f"{name} {d:02d}",
                    kind=DesaKind.DESA,
                )
            )
    return rows


def before_the_day(plan_text: str, zone: ZoneInfo) -> datetime:
    """Midnight two days before the plan's date, in the plan's zone (or now, if the plan has no date)."""
    import tomllib

    try:
        day = tomllib.loads(plan_text)["plan"]["date"]
    except (tomllib.TOMLDecodeError, KeyError, TypeError):
        return datetime.now(zone)
    if not isinstance(day, date):
        return datetime.now(zone)
    return datetime.combine(day - timedelta(days=2), datetime.min.time(), tzinfo=zone)


def write_wilayah_csv(rows: list[WilayahRow], path: Path) -> None:
    """The region list as a file in the import's own format (so the import reads it like any other)."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["kode_kecamatan", "kecamatan", "kode_desa", "desa", "jenis"])
        for row in rows:
            writer.writerow(
                [row.kecamatan_code, row.kecamatan_name, row.desa_code, row.desa_name, row.kind.value]
            )


async def load_world(
    factory: SessionFactory,
) -> tuple[list[tuple[int, str, str, int, bool]], dict[int, VenueFacts]]:
    """Active members (id, name, phone, kecamatan, is PPS) and each kecamatan's venue, once imported."""
    async with factory() as session:
        members = [
            (member_id, name, phone, kecamatan_id, position is not Position.PPK)
            for member_id, name, phone, kecamatan_id, position in await session.execute(
                select(Member.id, Member.name, Member.phone, Member.kecamatan_id, Member.position)
                .where(Member.active.is_(True), Member.position.in_(ROSTER_POSITIONS))
                .order_by(Member.id)
            )
        ]
        venues = {
            row.kecamatan_id: VenueFacts(
                row.id,
                row.secret,
                row.latitude,
                row.longitude,
                row.radius_m or None,
                row.checkin_opens_at,
                row.checkin_closes_at,
            )
            for row in await session.scalars(select(TrainingSession).where(TrainingSession.desa_id.is_(None)))
        }
    return members, venues


@dataclass(frozen=True)
class PlanSpan:
    """When things are scheduled, and when the rehearsal ends with or without the duty period."""

    moments: list[datetime]
    day_end: datetime
    duties_end: datetime
    later_reminders: int
    """Broadcasts scheduled after the day (duty reminders): rehearsed only with the duty period."""

    def end(self, *, with_duties: bool) -> datetime:
        return max(self.day_end, self.duties_end) if with_duties else self.day_end


async def plan_span(factory: SessionFactory) -> PlanSpan:
    """Moments something is scheduled (broadcasts, check-in windows); the day ends after the last session
    and the program's last announcement, the duty period after its last reminder."""
    async with factory() as session:
        sends = (
            await session.execute(
                select(Broadcast.send_at, Broadcast.duty_id).where(
                    Broadcast.status == BroadcastStatus.SCHEDULED
                )
            )
        ).all()
        windows = (
            await session.execute(
                select(
                    func.min(TrainingSession.checkin_opens_at),
                    func.max(TrainingSession.checkin_closes_at),
                    func.max(TrainingSession.ends_at),
                ).where(TrainingSession.desa_id.is_(None))
            )
        ).one()
    program = [send_at for send_at, duty_id in sends if duty_id is None]
    day_end = max([*program, *(w for w in windows[1:] if w is not None)]) + timedelta(minutes=5)
    moments = sorted([*(send_at for send_at, _ in sends), *(w for w in windows[:2] if w is not None)])
    duties_end = max([day_end - timedelta(minutes=5), *(send_at for send_at, _ in sends)]) + timedelta(
        minutes=5
    )
    return PlanSpan(
        moments=moments,
        day_end=day_end,
        duties_end=duties_end,
        later_reminders=sum(send_at > day_end for send_at, _ in sends),
    )


async def preregister(factory: SessionFactory, people: list[Person], registered_at: datetime) -> None:
    """Members who registered before the rehearsal window: linked directly, stamped on the plan clock."""
    linked = [p for p in people if p.registration in (Registration.BEFORE, Registration.BLOCKED)]
    if not linked:
        return
    async with factory() as session, session.begin():
        await session.execute(
            insert(TelegramAccount),
            [{"id": p.user.id, "first_name": p.name[:256], "reachable": True} for p in linked if p.user],
        )
        for person in linked:
            assert person.user is not None
            await session.execute(
                update(Member)
                .where(Member.id == person.member_id)
                .values(telegram_user_id=person.user.id, registered_at=registered_at)
            )
