"""Duties on Telegram: /tugas and the reminder buttons, /rekap_tugas, the /tugas_baru wizard, the digest."""

from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.runtime.context import BotApplication
from handlers.duties.callbacks import DUTY_BUTTON, RECAP_BUTTON
from handlers.duties.digest import send_overdue_digest, start_duty_jobs
from handlers.duties.member import list_duties, press_duty_button
from handlers.duties.recap import press_recap_button, recap
from handlers.duties.wizard import wizard

__all__ = ["register", "send_overdue_digest", "start_duty_jobs"]


def register(application: BotApplication) -> None:
    """Add the duty handlers."""
    application.add_handler(wizard())
    application.add_handler(CommandHandler("tugas", list_duties))
    application.add_handler(CommandHandler("rekap_tugas", recap))
    application.add_handler(CallbackQueryHandler(press_duty_button, pattern=DUTY_BUTTON.pattern))
    application.add_handler(CallbackQueryHandler(press_recap_button, pattern=RECAP_BUTTON.pattern))
