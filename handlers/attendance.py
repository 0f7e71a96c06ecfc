"""Coordinators' attendance views: /rekap, /rekap <kecamatan>, /ekspor."""

from bot.context import BotApplication


def register(application: BotApplication) -> None:
    """Add the attendance handlers."""
