"""Check-in through Telegram, end to end: code, QR deep link, location radius, and every refusal."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from bot.checkin.codes import current_code, deep_link_payload
from bot.core.clock import ManualClock
from bot.core.db import SessionFactory
from bot.runtime.context import BotApplication
from bot.sandbox import Sandbox, SimUser
from models import CheckIn, CheckInMethod, Position, TrainingSession
from tests.seed import link_telegram, seed_members, seed_session

VENUE = (-6.7700, 106.0200)
WINDOW = 5


@dataclass
class Venue:
    """Siti (registered, Malingping) and the two sessions of the scenario."""

    user: SimUser
    member_id: int
    session_id: int
    other_session_id: int


async def _code(
    factory: SessionFactory, session_id: int, clock: ManualClock, *, ago: timedelta = timedelta()
) -> str:
    async with factory() as session:
        secret = await session.scalar(select(TrainingSession.secret).where(TrainingSession.id == session_id))
    assert secret is not None
    return current_code(secret, WINDOW, clock.now() - ago)


async def _check_ins(factory: SessionFactory) -> list[tuple[int, CheckInMethod, float | None]]:
    async with factory() as session:
        rows = await session.execute(select(CheckIn.member_id, CheckIn.method, CheckIn.distance_m))
        return [tuple(row) for row in rows]  # type: ignore[misc]


async def _scenario(sandbox: Sandbox, factory: SessionFactory, *, radius_m: int | None) -> Venue:
    [siti] = await seed_members(factory, [("Siti Aminah", Position.KETUA, "+6281234567801")])
    await seed_members(
        factory,
        [("Asep", Position.KETUA, "+6281234567899")],
        desa_name="Bayah Barat",
        kecamatan_code="36.02.05",
        kecamatan_name="Bayah",
    )
    session_id = await seed_session(factory, radius_m=radius_m, latitude=VENUE[0], longitude=VENUE[1])
    other = await seed_session(factory, "36.02.05", venue="Aula Kantor Kecamatan Bayah")
    user = sandbox.new_user("Siti")
    await link_telegram(factory, siti.id, user.id)
    return Venue(user, siti.id, session_id, other)


@pytest.fixture
async def venue(sandbox: Sandbox, session_factory: SessionFactory) -> Venue:
    return await _scenario(sandbox, session_factory, radius_m=None)


@pytest.fixture
async def venue_with_radius(sandbox: Sandbox, session_factory: SessionFactory) -> Venue:
    return await _scenario(sandbox, session_factory, radius_m=300)


async def test_check_in_with_the_code_on_the_screen(
    running_bot: BotApplication, session_factory: SessionFactory, clock: ManualClock, venue: Venue
) -> None:
    code = await _code(session_factory, venue.session_id, clock)
    await venue.user.send_text(f"/hadir {code[:3]} {code[3:]}")
    done = await venue.user.next_message()
    assert "Presensi tercatat" in done.text and "Siti Aminah" in done.text
    assert "07.30 WIB" in done.text
    assert await _check_ins(session_factory) == [(venue.member_id, CheckInMethod.CODE, None)]

    await venue.user.send_text(f"/hadir {code}")
    again = await venue.user.next_message()
    assert "sudah presensi pukul 07.30 WIB" in again.text
    assert len(await _check_ins(session_factory)) == 1


async def test_check_in_by_scanning_the_qr_deep_link(
    running_bot: BotApplication, session_factory: SessionFactory, clock: ManualClock, venue: Venue
) -> None:
    code = await _code(session_factory, venue.session_id, clock)
    await venue.user.send_text(f"/start {deep_link_payload(venue.session_id, code)}")
    done = await venue.user.next_message()
    assert "Presensi tercatat" in done.text
    assert await _check_ins(session_factory) == [(venue.member_id, CheckInMethod.QR, None)]


async def test_previous_window_code_is_accepted_and_older_ones_are_not(
    running_bot: BotApplication, session_factory: SessionFactory, clock: ManualClock, venue: Venue
) -> None:
    # Pinned secrets make every code below a fixed number, so the stale one cannot equal an accepted
    # one by chance (with random secrets it could, one run in a few hundred thousand).
    async with session_factory() as session, session.begin():
        for session_id, secret in ((venue.session_id, "5a" * 32), (venue.other_session_id, "c3" * 32)):
            await session.execute(
                update(TrainingSession).where(TrainingSession.id == session_id).values(secret=secret)
            )
    shown_at_0730 = await _code(session_factory, venue.session_id, clock)
    clock.advance(timedelta(minutes=2 * WINDOW))  # 07.40: two windows on, the 07.30 code has expired
    fresh_enough = await _code(session_factory, venue.session_id, clock, ago=timedelta(minutes=WINDOW))
    assert shown_at_0730 not in (fresh_enough, await _code(session_factory, venue.session_id, clock))

    await venue.user.send_text(f"/hadir {shown_at_0730}")
    assert "salah atau sudah kedaluwarsa" in (await venue.user.next_message()).text
    assert await _check_ins(session_factory) == []
    await venue.user.send_text(f"/hadir {fresh_enough}")
    assert "Presensi tercatat" in (await venue.user.next_message()).text


async def test_wrong_code_and_garbage_are_refused(
    running_bot: BotApplication, session_factory: SessionFactory, clock: ManualClock, venue: Venue
) -> None:
    right = await _code(session_factory, venue.session_id, clock)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    await venue.user.send_text(f"/hadir {wrong}")
    assert "salah atau sudah kedaluwarsa" in (await venue.user.next_message()).text
    await venue.user.send_text("/hadir abc<>&")
    assert "salah atau sudah kedaluwarsa" in (await venue.user.next_message()).text
    await venue.user.send_text("/start ci-99999-12")
    assert "salah atau sudah kedaluwarsa" in (await venue.user.next_message()).text
    assert await _check_ins(session_factory) == []


async def test_code_or_qr_of_another_kecamatan_is_refused(
    running_bot: BotApplication, session_factory: SessionFactory, clock: ManualClock, venue: Venue
) -> None:
    bayah = await _code(session_factory, venue.other_session_id, clock)
    await venue.user.send_text(f"/hadir {bayah}")
    assert "Kecamatan Bayah" in (await venue.user.next_message()).text
    await venue.user.send_text(f"/start {deep_link_payload(venue.other_session_id, bayah)}")
    assert "Kecamatan Bayah" in (await venue.user.next_message()).text
    assert await _check_ins(session_factory) == []


async def test_window_not_yet_open_closed_and_another_day(
    running_bot: BotApplication, session_factory: SessionFactory, clock: ManualClock, venue: Venue
) -> None:
    clock.set(clock.now().replace(hour=23, minute=30) - timedelta(days=1))  # 06.30 WIB on the day
    code = await _code(session_factory, venue.session_id, clock)
    await venue.user.send_text(f"/hadir {code}")
    assert "belum dibuka" in (msg := await venue.user.next_message()).text and "07.00 WIB" in msg.text

    clock.advance(timedelta(hours=3))  # 09.30 WIB
    code = await _code(session_factory, venue.session_id, clock)
    await venue.user.send_text(f"/hadir {code}")
    assert "sudah ditutup pukul 09.00 WIB" in (await venue.user.next_message()).text

    clock.advance(timedelta(days=-1))
    code = await _code(session_factory, venue.session_id, clock)
    await venue.user.send_text(f"/hadir {code}")
    assert "Senin, 3 Juni 2024" in (await venue.user.next_message()).text
    assert await _check_ins(session_factory) == []


async def test_unregistered_person_and_member_without_session(
    sandbox: Sandbox, running_bot: BotApplication, session_factory: SessionFactory, venue: Venue
) -> None:
    stranger = sandbox.new_user("Orang Lain")
    await stranger.send_text("/hadir 123456")
    assert "belum terdaftar" in (await stranger.next_message()).text

    [wati] = await seed_members(
        session_factory,
        [("Wati", Position.ANGGOTA, "+6281234567855")],
        desa_name="Cikulur",
        kecamatan_code="36.02.09",
        kecamatan_name="Cikulur",
    )
    user = sandbox.new_user("Wati")
    await link_telegram(session_factory, wati.id, user.id)
    await user.send_text("/hadir 123456")
    assert "Belum ada jadwal Bimtek" in (await user.next_message()).text


async def test_radius_session_asks_for_location_after_the_code(
    running_bot: BotApplication, session_factory: SessionFactory, clock: ManualClock, venue_with_radius: Venue
) -> None:
    user = venue_with_radius.user
    code = await _code(session_factory, venue_with_radius.session_id, clock)
    await user.send_text(f"/hadir {code}")
    ask = await user.next_message()
    assert "Kirim lokasi saya" in ask.text
    assert [b.request_location for row in ask.keyboard for b in row] == [True]
    assert await _check_ins(session_factory) == []

    await user.share_location(VENUE[0] + 0.02, VENUE[1])  # about 2.2 km north
    too_far = await user.next_message()
    assert "2,2 km" in too_far.text and "300 m" in too_far.text
    assert await _check_ins(session_factory) == []

    await user.share_location(VENUE[0] + 0.001, VENUE[1])  # about 110 m
    done = await user.next_message()
    assert "Presensi tercatat" in done.text
    [(member_id, method, distance)] = await _check_ins(session_factory)
    assert (member_id, method) == (venue_with_radius.member_id, CheckInMethod.CODE)
    assert distance is not None and 100 < distance < 120


async def test_location_alone_checks_in_where_the_session_has_a_radius(
    running_bot: BotApplication, session_factory: SessionFactory, venue_with_radius: Venue
) -> None:
    user = venue_with_radius.user
    await user.send_text("/hadir")
    ask = await user.next_message()
    assert "Kirim lokasi saya" in ask.text
    await user.tap("📍 Kirim lokasi saya", location=(VENUE[0], VENUE[1] + 0.0005))
    assert "Presensi tercatat" in (await user.next_message()).text
    [(_, method, _)] = await _check_ins(session_factory)
    assert method is CheckInMethod.LOCATION


async def test_location_without_radius_asks_for_the_code(
    running_bot: BotApplication, session_factory: SessionFactory, venue: Venue
) -> None:
    await venue.user.send_text("/hadir")
    assert "/hadir 123456" in (await venue.user.next_message()).text
    await venue.user.share_location(*VENUE)
    assert "pindai kode QR" in (await venue.user.next_message()).text
    assert await _check_ins(session_factory) == []


async def test_schedule_shows_the_venue_on_a_map_and_my_status(
    sandbox: Sandbox,
    running_bot: BotApplication,
    session_factory: SessionFactory,
    clock: ManualClock,
    venue: Venue,
) -> None:
    await venue.user.send_text("/jadwal")
    place = await venue.user.next_message()
    assert place.method == "sendVenue"
    assert place.venue is not None and place.venue["title"] == "Aula Kantor Kecamatan Malingping"
    card = await venue.user.next_message()
    assert "Senin, 3 Juni 2024" in card.text
    assert "08.00–16.00 WIB" in card.text and "07.00–09.00 WIB" in card.text
    assert "belum presensi" in card.text

    code = await _code(session_factory, venue.session_id, clock)
    await venue.user.send_text(f"/hadir {code}")
    await venue.user.next_message()
    await venue.user.send_text("/jadwal")
    await venue.user.next_message()
    assert "sudah presensi pukul 07.30 WIB" in (await venue.user.next_message()).text
