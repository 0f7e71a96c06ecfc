"""The cascade on Telegram: a PPS coordinates their desa's Pantarlih and KPPS; PPK and KPU follow it."""

from bot.runtime.context import BotApplication
from handlers.cascade import announce, coordinating, progress, session_wizard
from handlers.cascade.common import CASCADE_GROUP


def register(application: BotApplication) -> None:
    """Add the cascade's handlers: its conversations first, then the PPS's side of shared commands (both in
    CASCADE_GROUP, before group 0, so a PPS's update ends there), and /kaskade in group 0."""
    application.add_handler(session_wizard.conversation(), group=CASCADE_GROUP)
    application.add_handler(announce.conversation(), group=CASCADE_GROUP)
    coordinating.register(application)
    progress.register(application)
