"""The one error handler: log the failure and answer the person politely (unless they cannot be answered)."""

import logging

from telegram import Update
from telegram.error import Forbidden

from bot.runtime.context import BotContext
from bot.texts import normalize_language, render

log = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    """Log the exception with the update's ids (not its content) and send the generic apology."""
    update_id = update.update_id if isinstance(update, Update) else None
    if isinstance(context.error, Forbidden):
        # The person blocked the bot (or deleted their account) before the answer went out: routine, and
        # an apology would be refused the same way.
        chat = update.effective_chat if isinstance(update, Update) else None
        log.info(
            "no answer to update %s: chat %s refuses the bot (%s)",
            update_id,
            chat.id if chat else None,
            context.error.message,
        )
        return
    log.error("error while handling update %s", update_id, exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    user = update.effective_user
    language = normalize_language(user.language_code if user else None)
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(render(language, "error.generic"), show_alert=True)
        else:
            await context.bot.send_message(
                update.effective_chat.id, render(language, "error.generic"), parse_mode="HTML"
            )
    except Exception:  # the apology itself failed (network, blocked): the log above is what matters
        log.warning("could not send the error apology for update %s", update_id)
