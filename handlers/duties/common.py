"""Small helpers the duty handlers share: the zone, button titles, editing a message in place."""

from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup, Message
from telegram.error import BadRequest

from bot.runtime.context import BotContext
from handlers.common import PARSE_MODE

BUTTON_TITLE_MAX = 40


def short(title: str) -> str:
    """A title cut to fit on a button."""
    return title if len(title) <= BUTTON_TITLE_MAX else title[: BUTTON_TITLE_MAX - 1] + "…"


def zone_of(context: BotContext) -> ZoneInfo:
    return context.config.scheduler.timezone


async def edit(message: Message, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Edit a message; a press that changes nothing is not an error."""
    try:
        await message.edit_text(text, parse_mode=PARSE_MODE, reply_markup=markup)
    except BadRequest as error:
        if "not modified" not in error.message.lower():
            raise
