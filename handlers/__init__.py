"""Telegram conversation layer: read the update, call a service, render the reply from the catalog."""

from bot.runtime.context import BotApplication
from handlers import (
    attendance,
    board,
    broadcasts,
    cascade,
    checkin,
    duties,
    errors,
    fallback,
    privacy,
    profile,
    registration,
)

# Published with setMyCommands, in this order: (command, catalog key of its description).
MEMBER_COMMANDS = [
    ("start", "cmd.start"),
    ("daftar", "cmd.daftar"),
    ("jadwal", "cmd.jadwal"),
    ("hadir", "cmd.hadir"),
    ("tugas", "cmd.tugas"),
    ("profil", "cmd.profil"),
    ("bantuan", "cmd.bantuan"),
    ("bahasa", "cmd.bahasa"),
    ("datasaya", "cmd.datasaya"),
    ("hapus", "cmd.hapus"),
]


def register_handlers(application: BotApplication) -> None:
    """Register every handler; within a group the first match wins, so the catch-alls come last."""
    checkin.register(application)  # first: its /start handler only takes QR deep links
    registration.register(application)
    profile.register(application)
    broadcasts.register(application)
    attendance.register(application)
    duties.register(application)
    privacy.register(application)
    board.register(application)
    cascade.register(application)  # its own group before 0 for a PPS's commands; /kaskade in group 0
    fallback.register(application)
    application.add_error_handler(errors.on_error)
