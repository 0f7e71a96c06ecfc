"""Telegram conversation layer: read the update, call a service, render the reply from the catalog."""

from bot.context import BotApplication
from handlers import errors, fallback, profile, registration

# Published with setMyCommands, in this order: (command, catalog key of its description).
MEMBER_COMMANDS = [
    ("start", "cmd.start"),
    ("daftar", "cmd.daftar"),
    ("profil", "cmd.profil"),
    ("bantuan", "cmd.bantuan"),
    ("bahasa", "cmd.bahasa"),
]


def register_handlers(application: BotApplication) -> None:
    """Register every handler; the catch-alls go in a later group so they only see what nobody took."""
    registration.register(application)
    profile.register(application)
    fallback.register(application, group=1)
    application.add_error_handler(errors.on_error)
