"""Migration 0009 on real data: check-ins lose their coordinates and keep the distance (within the radius)."""

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.db import SessionFactory, alembic_config, upgrade_to_head
from models import Position
from tests.seed import seed_members, seed_session


async def test_check_ins_lose_their_coordinates_and_keep_the_distance(
    engine: AsyncEngine, session_factory: SessionFactory
) -> None:
    siti, budi = await seed_members(
        session_factory,
        [("Siti", Position.KETUA, "+6281234567801"), ("Budi", Position.ANGGOTA, "+6281234567802")],
    )
    session_id = await seed_session(session_factory, radius_m=300)
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    before = ScriptDirectory.from_config(cfg).get_revision("0009").down_revision
    assert isinstance(before, str)

    def downgrade(connection: Connection) -> None:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, before)

    async with engine.begin() as conn:
        await conn.run_sync(downgrade)
        # As check-ins were stored before: a location check-in with the member's coordinates, and a code one.
        await conn.execute(
            text(
                "INSERT INTO check_in (session_id, member_id, at, method, latitude, longitude, distance_m) "
                "VALUES (:s, :m, CURRENT_TIMESTAMP, :method, :lat, :lon, :d)"
            ),
            [
                {
                    "s": session_id,
                    "m": siti.id,
                    "method": "location",
                    "lat": -6.769,
                    "lon": 106.02,
                    "d": 111.0,
                },
                {"s": session_id, "m": budi.id, "method": "code", "lat": None, "lon": None, "d": None},
            ],
        )
    await upgrade_to_head(engine)

    async with engine.connect() as conn:
        columns = await conn.run_sync(lambda c: {col["name"] for col in inspect(c).get_columns("check_in")})
        rows = (
            await conn.execute(
                text("SELECT member_id, distance_m, within_radius FROM check_in ORDER BY member_id")
            )
        ).all()
    assert "latitude" not in columns and "longitude" not in columns
    assert [(m, d, None if w is None else bool(w)) for m, d, w in rows] == [
        (siti.id, 111.0, True),
        (budi.id, None, None),
    ]
