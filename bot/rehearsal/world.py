"""The rehearsal's world before the day starts: the region list, the plan's moments, the members and venues."""

import csv
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select, update

from bot.core.db import SessionFactory
from bot.data import LEBAK_WILAYAH_CSV
from bot.rehearsal.people import Person, Registration, VenueFacts
from bot.roster.wilayah import WilayahRow
from models import Broadcast, BroadcastStatus, Member, Position, TelegramAccount, TrainingSession

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
                .where(Member.active.is_(True))
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
            for row in await session.scalars(select(TrainingSession))
        }
    return members, venues


async def plan_span(factory: SessionFactory) -> tuple[list[datetime], datetime]:
    """Moments something is scheduled (broadcasts, check-in windows), and when the day is over."""
    async with factory() as session:
        sends = list(
            await session.scalars(
                select(Broadcast.send_at).where(Broadcast.status == BroadcastStatus.SCHEDULED)
            )
        )
        windows = (
            await session.execute(
                select(
                    func.min(TrainingSession.checkin_opens_at),
                    func.max(TrainingSession.checkin_closes_at),
                    func.max(TrainingSession.ends_at),
                )
            )
        ).one()
    moments = sorted([*sends, windows[0], windows[1]])
    end = max([*sends, windows[2]]) + timedelta(minutes=5)
    return moments, end


async def preregister(factory: SessionFactory, people: list[Person]) -> None:
    """Members who registered before the rehearsal window: linked directly, in two statements."""
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
                .values(telegram_user_id=person.user.id, registered_at=func.now())
            )
