"""Coordinator broadcasts: the /umumkan wizard, /terjadwal with cancel, progress and delivery reports, "Sudah dibaca"."""

from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.runtime.context import BotApplication
from handlers.broadcasts import acks, compose, reports, scheduled
from handlers.broadcasts.buttons import ACK, ACKS_VIEW, SCHEDULED, UNDELIVERED
from handlers.broadcasts.reports import report_missed, report_progress

__all__ = ["register", "report_missed", "report_progress"]


def register(application: BotApplication) -> None:
    """Add the broadcast wizard, /terjadwal and the report buttons."""
    application.add_handler(compose.conversation())
    application.add_handler(CommandHandler("terjadwal", scheduled.list_scheduled))
    application.add_handler(CallbackQueryHandler(scheduled.scheduled_button, pattern=SCHEDULED.pattern))
    application.add_handler(CallbackQueryHandler(reports.show_undelivered, pattern=UNDELIVERED.pattern))
    application.add_handler(CallbackQueryHandler(acks.acknowledge, pattern=ACK.pattern))
    application.add_handler(CallbackQueryHandler(acks.show_acks, pattern=ACKS_VIEW.pattern))
