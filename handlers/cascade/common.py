"""What the cascade's Telegram side shares: its handler group, stopping the rest, and a session's card."""

from typing import NoReturn

from telegram.ext import ApplicationHandlerStop

from bot.plan.views import SessionView
from bot.runtime.context import BotContext
from bot.texts import render
from bot.texts.formatting import date_long, time_range

# Before the default group 0: a PPS's /rekap, /qr, /hadirkan, /umumkan and roster documents are answered here
# and end the update; a coordinator's go on to group 0 as before.
CASCADE_GROUP = -10


def handled(state: object = None) -> NoReturn:
    """End the update here (no handler of a later group sees it); a conversation moves to `state`."""
    raise ApplicationHandlerStop(state)


def level_label(language: str, level: str) -> str:
    """'Pantarlih' or 'KPPS'."""
    return render(language, f"cascade.level.{level}")


def session_card(context: BotContext, language: str, training: SessionView) -> str:
    """The desa session as its PPS and its people read it: level, date, times, place, check-in window."""
    zone = context.config.scheduler.timezone
    place = training.venue
    if training.address and training.address != training.venue:
        place = f"{training.venue}, {training.address}"
    radius = (
        render(language, "cascade.card_radius", radius=training.radius_m)
        if training.radius_m
        else render(language, "cascade.card_no_radius")
    )
    return render(
        language,
        "cascade.card",
        level=level_label(language, training.level),
        desa=training.desa or "",
        date=date_long(training.starts_at, language, zone),
        times=time_range(training.starts_at, training.ends_at, language, zone),
        place=place,
        checkin=time_range(training.checkin_opens_at, training.checkin_closes_at, language, zone),
        radius=radius,
    )
