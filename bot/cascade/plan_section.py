"""The plan's [[desa_bimtek]] entries: desa that schedule their Pantarlih/KPPS Bimtek (the cascade).

Each entry is a desa's own session, as its PPS would make it with /bimtek_baru:

    [[desa_bimtek]]
    kecamatan = "Malingping"
    desa = "Sukamanah"
    level = "pantarlih"            # or "kpps"; default "pantarlih"
    start = 2024-06-15T08:00:00    # WIB (the plan's zone)
    end = 2024-06-15T12:00:00
    venue = "Balai Desa Sukamanah"
    latitude = -6.78               # optional, with longitude: check-in by location becomes possible
    longitude = 106.02
    radius_m = 200                 # optional

Check-in opens 30 minutes before the start and closes at the end. A re-import changes the same desa and level
in place (its check-in secret stays); the PPS can still change it with /bimtek_baru.
"""

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.problems import Place, Problem, error
from bot.core.regions import KecamatanNotFound, WilayahEmpty, load_wilayah_index, resolve_kecamatan
from bot.plan.document import PlanDocument, SectionOutcome
from bot.plan.problems import PlanRejected
from bot.plan.reader import EntryReader
from models import AuditLog, CascadeRole, TrainingSession

TABLE = "desa_bimtek"
OPENS_BEFORE = timedelta(minutes=30)


@dataclass(frozen=True)
class DesaBimtek:
    """One checked [[desa_bimtek]] entry (times in UTC, the desa still to be matched)."""

    place: Place
    kecamatan: str
    desa: str
    level: CascadeRole
    starts_at: datetime
    ends_at: datetime
    venue: str
    latitude: float | None
    longitude: float | None
    radius_m: int | None


class DesaBimtekSection:
    """The plan section of the cascade: a few desa's own Bimtek for their next level."""

    @property
    def table(self) -> str:
        return TABLE

    def parse_entry(self, reader: EntryReader) -> DesaBimtek | None:
        kecamatan = reader.text("kecamatan")
        desa = reader.text("desa")
        level_text = reader.text("level", required=False) or CascadeRole.PANTARLIH.value
        level = next((r for r in CascadeRole if r.value == level_text.casefold()), None)
        if level is None:
            reader.error("desa_bimtek_level", "level", value=level_text)
        starts_at = reader.moment("start")
        ends_at = reader.moment("end")
        venue = reader.text("venue", max_length=200)
        latitude = reader.number("latitude", required=False)
        longitude = reader.number("longitude", required=False)
        radius = reader.integer("radius_m", required=False)
        if starts_at is not None and ends_at is not None and ends_at <= starts_at:
            reader.error("desa_bimtek_end_before_start", "end")
        if (latitude is None) != (longitude is None):
            reader.error("desa_bimtek_half_location", "latitude")
        if radius is not None and (radius <= 0 or latitude is None):
            reader.error("desa_bimtek_radius", "radius_m", value=radius)
        if not reader.finish() or None in (kecamatan, desa, level, starts_at, ends_at, venue):
            return None
        assert kecamatan and desa and level and starts_at and ends_at and venue
        return DesaBimtek(
            reader.place, kecamatan, desa, level, starts_at, ends_at, venue, latitude, longitude, radius
        )

    async def apply(
        self, session: AsyncSession, document: PlanDocument, items: Sequence[DesaBimtek], *, actor: str
    ) -> SectionOutcome:
        if not items:
            return SectionOutcome(TABLE, {"count": 0, "new": 0}, "plan.desa_bimtek.imported")
        try:
            index = await load_wilayah_index(session)
        except WilayahEmpty:
            raise PlanRejected(
                [error("desa_bimtek_unknown_desa", items[0].place.at("desa"), desa=items[0].desa)]
            ) from None
        problems: list[Problem] = []
        resolved: list[tuple[DesaBimtek, int, int]] = []
        for item in items:
            try:
                kecamatan = resolve_kecamatan(index, item.kecamatan)
            except KecamatanNotFound:
                problems.append(
                    error("desa_bimtek_unknown_desa", item.place.at("kecamatan"), desa=item.kecamatan)
                )
                continue
            matches = index.desa_matches(kecamatan.id, item.desa)
            if len(matches) != 1:
                problems.append(error("desa_bimtek_unknown_desa", item.place.at("desa"), desa=item.desa))
                continue
            resolved.append((item, kecamatan.id, matches[0].id))
        if problems:
            raise PlanRejected(problems)
        new = 0
        for item, kecamatan_id, desa_id in resolved:
            row = await session.scalar(
                select(TrainingSession).where(
                    TrainingSession.desa_id == desa_id, TrainingSession.level == item.level.value
                )
            )
            values = {
                "venue": item.venue,
                "address": "",
                "latitude": item.latitude if item.latitude is not None else 0.0,
                "longitude": item.longitude if item.longitude is not None else 0.0,
                "radius_m": item.radius_m,
                "starts_at": item.starts_at,
                "ends_at": item.ends_at,
                "checkin_opens_at": item.starts_at - OPENS_BEFORE,
                "checkin_closes_at": item.ends_at,
            }
            if row is None:
                session.add(
                    TrainingSession(
                        kecamatan_id=kecamatan_id,
                        desa_id=desa_id,
                        level=item.level.value,
                        secret=secrets.token_hex(32),
                        **values,
                    )
                )
                new += 1
            else:
                for name, value in values.items():
                    setattr(row, name, value)
        await session.flush()
        session.add(AuditLog(actor=actor, action="cascade.plan_import", detail={"sessions": len(resolved)}))
        return SectionOutcome(TABLE, {"count": len(resolved), "new": new}, "plan.desa_bimtek.imported")
