"""Duties: /tugas for members, /tugas_baru and /rekap_tugas for coordinators, reminder buttons."""

from bot.context import BotApplication


def register(application: BotApplication) -> None:
    """Add the duty handlers."""
