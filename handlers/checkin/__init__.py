"""Check-in on Telegram: the member's side (member), the venue's QR for coordinators (venue_qr), by hand (manual)."""

from bot.runtime.context import BotApplication
from handlers.checkin import manual, member, venue_qr


def register(application: BotApplication) -> None:
    """Add every check-in handler; register before the plain /start, whose QR deep links member takes."""
    member.register(application)
    venue_qr.register(application)
    manual.register(application)
