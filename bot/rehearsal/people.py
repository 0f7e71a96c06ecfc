"""Simulated PPS members for rehearsals: who registers when, and how (or whether) each one checks in."""

import enum
import logging
import random
from collections.abc import Awaitable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.checkin.codes import current_code, deep_link_payload
from bot.sandbox import BotMessage, SimUser

log = logging.getLogger(__name__)


class Registration(enum.StrEnum):
    """When a simulated member registers with the bot."""

    BEFORE = "before"
    LATE = "late"
    NEVER = "never"
    BLOCKED = "blocked"


class Attendance(enum.StrEnum):
    """How a simulated member behaves at the venue."""

    ON_SITE = "on_site"
    TOO_FAR = "too_far"
    EXPIRED_CODE = "expired_code"
    ABSENT = "absent"


@dataclass(frozen=True)
class VenueFacts:
    """What a person at the venue can see: the session, its place and the code on the screen."""

    session_id: int
    secret: str
    latitude: float
    longitude: float
    radius_m: int | None
    checkin_opens_at: datetime
    checkin_closes_at: datetime


@dataclass
class Person:
    """One simulated member and the plan for their day."""

    member_id: int
    name: str
    phone: str
    kecamatan_id: int
    is_pps: bool
    registration: Registration
    attendance: Attendance
    register_at: datetime | None = None
    check_in_at: datetime | None = None
    user: SimUser | None = None
    outcomes: list[str] = field(default_factory=list)


def cast_people(
    members: list[tuple[int, str, str, int, bool]],
    venues: dict[int, VenueFacts],
    *,
    evening_before: datetime,
    seed: int,
) -> list[Person]:
    """Give every member a registration and attendance behaviour, deterministically from the seed."""
    rng = random.Random(seed)
    # PPK check in too; their own generator keeps the PPS' behaviour what it was for a seed.
    ppk_rng = random.Random(f"ppk-{seed}")
    people = []
    for member_id, name, phone, kecamatan_id, is_pps in members:
        roll = rng.random()
        registration = (
            Registration.NEVER
            if roll < 0.04
            else Registration.BLOCKED
            if roll < 0.06
            else Registration.LATE
            if roll < 0.10
            else Registration.BEFORE
        )
        venue = venues.get(kecamatan_id)
        attendance = Attendance.ABSENT
        check_in_at = None
        if venue is not None and registration in (Registration.BEFORE, Registration.LATE):
            behaviour = rng if is_pps else ppk_rng
            roll = behaviour.random()
            attendance = (
                Attendance.ABSENT
                if roll < 0.08
                else Attendance.TOO_FAR
                if roll < 0.13 and venue.radius_m
                else Attendance.EXPIRED_CODE
                if roll < 0.18
                else Attendance.ON_SITE
            )
            window = (venue.checkin_closes_at - venue.checkin_opens_at).total_seconds()
            # Most arrive in the first hour of the window, a few just before it closes.
            share = min(behaviour.betavariate(1.5, 4.0), 0.97)
            check_in_at = venue.checkin_opens_at + timedelta(seconds=window * share)
        register_at = None
        if registration is Registration.LATE:
            register_at = evening_before + timedelta(hours=1, minutes=rng.uniform(0, 600))
            if check_in_at is not None and register_at > check_in_at - timedelta(minutes=10):
                register_at = check_in_at - timedelta(minutes=10)
        people.append(
            Person(
                member_id=member_id,
                name=name,
                phone=phone,
                kecamatan_id=kecamatan_id,
                is_pps=is_pps,
                registration=registration,
                attendance=attendance,
                register_at=register_at,
                check_in_at=check_in_at,
            )
        )
    return people


def _last_id(user: SimUser) -> int:
    return max((m.message_id for m in user.messages), default=0)


async def register_through_bot(person: Person, timeout: float) -> None:
    """/daftar, share the own contact, confirm: the real registration conversation.

    Announcements keep arriving meanwhile, so each step waits for the message it needs, not the next one.
    """
    user = person.user
    assert user is not None
    before = _last_id(user)
    await user.send_text("/daftar")
    await user.wait_for(
        lambda m: m.message_id > before and any(b.request_contact for row in m.keyboard for b in row), timeout
    )
    await user.share_contact(person.phone)
    wanted = f"reg:y:{person.member_id}"
    confirm = await user.wait_for(
        lambda m: m.message_id > before and any(b.callback_data == wanted for row in m.buttons for b in row),
        timeout,
    )
    await user.press(callback_data=wanted, message_id=confirm.message_id)
    await user.wait_for_edit(confirm.message_id, timeout=timeout)
    person.outcomes.append("registered")


def _asks_location(message: BotMessage) -> bool:
    return any(button.request_location for row in message.keyboard for button in row)


async def check_in_at_venue(
    person: Person,
    venue: VenueFacts,
    now: datetime,
    *,
    window_minutes: int,
    timeout: float,
    rng: random.Random,
) -> None:
    """Send the code on the screen (by QR link or /hadir; some first an old one) and share a location if asked."""
    user = person.user
    assert user is not None
    before = _last_id(user)
    if person.attendance is Attendance.EXPIRED_CODE:
        old = current_code(venue.secret, window_minutes, now - timedelta(minutes=3 * window_minutes))
        await user.send_text(f"/hadir {old}")
        person.outcomes.append("expired")
        # Half of them look at the screen again and type the current code; the others give up.
        if rng.random() < 0.5:
            return
    code = current_code(venue.secret, window_minutes, now)
    if rng.random() < 0.6:
        await user.send_text(f"/start {deep_link_payload(venue.session_id, code)}")
    else:
        await user.send_text(f"/hadir {code}")
    # The answer either asks for the location or confirms (and removes the keyboard); announcements do neither.
    reply = await user.wait_for(
        lambda m: m.message_id > before and (_asks_location(m) or m.remove_keyboard), timeout
    )
    if _asks_location(reply):
        if person.attendance is Attendance.TOO_FAR:
            latitude, longitude = venue.latitude + rng.uniform(0.02, 0.04), venue.longitude
            person.outcomes.append("too_far")
        else:
            # Somewhere in the hall or the yard: well inside the radius.
            spread = (venue.radius_m or 100) / 111_000 / 3
            latitude = venue.latitude + rng.uniform(-spread, spread)
            longitude = venue.longitude + rng.uniform(-spread, spread)
        await user.share_location(latitude, longitude)
    person.outcomes.append("attempted")


async def run_safely(action: Awaitable[None]) -> None:
    """Await a simulated action; a person who gets no answer in time just gives up (counted by the caller)."""
    try:
        await action
    except (TimeoutError, AssertionError) as error:
        log.info("a simulated member gave up: %s", str(error).splitlines()[0][:200])
