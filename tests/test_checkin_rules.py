"""Check-in rules without Telegram: the forwarded-location refusal and the code-then-location window."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.checkin import rules as checkin
from bot.core.db import SessionFactory
from models import CheckIn, CheckInMethod, Position
from tests.seed import link_telegram, seed_members, seed_session

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2024, 6, 3, 7, 30, tzinfo=WIB)  # check-in is open 07.00–09.00 WIB
VENUE = (-6.7700, 106.0200)
TELEGRAM_ID = 5001


@pytest.fixture
async def session_id(session_factory: SessionFactory) -> int:
    """Siti, registered in Malingping, whose session has a 300 m radius."""
    [siti] = await seed_members(session_factory, [("Siti Aminah", Position.KETUA, "+6281234567801")])
    await link_telegram(session_factory, siti.id, TELEGRAM_ID)
    return await seed_session(session_factory, radius_m=300)


async def _locate(
    factory: SessionFactory, *, forwarded: bool = False, pending: checkin.PendingLocation | None = None
) -> checkin.CheckedIn | checkin.NeedsLocation:
    async with factory() as session, session.begin():
        return await checkin.check_in_with_location(
            session,
            TELEGRAM_ID,
            latitude=VENUE[0],
            longitude=VENUE[1],
            forwarded=forwarded,
            pending=pending,
            now=NOW,
            zone=WIB,
        )


async def _methods(factory: SessionFactory) -> list[CheckInMethod]:
    async with factory() as session:
        return list(await session.scalars(select(CheckIn.method)))


async def test_a_forwarded_location_is_refused_and_records_nothing(
    session_factory: SessionFactory, session_id: int
) -> None:
    with pytest.raises(checkin.ForwardedLocation):
        await _locate(session_factory, forwarded=True)
    assert await _methods(session_factory) == []


async def test_a_location_soon_after_the_code_counts_as_the_code(
    session_factory: SessionFactory, session_id: int
) -> None:
    pending = checkin.PendingLocation(session_id, CheckInMethod.QR, NOW - checkin.LOCATION_STEP_TTL)
    outcome = await _locate(session_factory, pending=pending)
    assert isinstance(outcome, checkin.CheckedIn) and not outcome.already
    assert await _methods(session_factory) == [CheckInMethod.QR]


async def test_a_location_after_the_window_counts_as_a_location(
    session_factory: SessionFactory, session_id: int
) -> None:
    since = NOW - checkin.LOCATION_STEP_TTL - timedelta(seconds=1)
    outcome = await _locate(
        session_factory, pending=checkin.PendingLocation(session_id, CheckInMethod.CODE, since)
    )
    assert isinstance(outcome, checkin.CheckedIn)
    assert await _methods(session_factory) == [CheckInMethod.LOCATION]
