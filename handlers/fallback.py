"""Answers for anything no other handler took: unknown commands, free text, stale buttons."""

from telegram import Update
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from bot.runtime.context import BotApplication, BotContext
from bot.texts import render
from handlers.common import current_identity, reply


async def unknown_command(update: Update, context: BotContext) -> None:
    """Say the command is unknown and point to /bantuan."""
    identity = await current_identity(update, context)
    await reply(update, render(identity.language, "unknown_command"))


async def unknown_message(update: Update, context: BotContext) -> None:
    """Say the message was not understood and point to /bantuan."""
    identity = await current_identity(update, context)
    await reply(update, render(identity.language, "unknown_text"))


async def stale_button(update: Update, context: BotContext) -> None:
    """Answer a button nobody handles (an old message), so the phone does not show a spinner."""
    query = update.callback_query
    assert query is not None
    identity = await current_identity(update, context)
    await query.answer(render(identity.language, "error.stale_button"), show_alert=True)


def register(application: BotApplication) -> None:
    """Add the catch-all handlers; register them after every other handler of group 0."""
    application.add_handler(MessageHandler(filters.COMMAND & filters.ChatType.PRIVATE, unknown_command))
    application.add_handler(MessageHandler(filters.ChatType.PRIVATE, unknown_message))
    application.add_handler(CallbackQueryHandler(stale_button))
