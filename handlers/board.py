"""The live board from Telegram: /papan (a projector link for today), /papan cabut, and the Mini App buttons."""

import logging
from datetime import timedelta

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    MenuButtonWebApp,
    Update,
    WebAppInfo,
)
from telegram.error import TelegramError
from telegram.ext import CommandHandler

from bot.board.access import coordinator_user_ids
from bot.board.links import create_link, revoke_links
from bot.core.config import BoardConfig
from bot.runtime.board_web import board_url
from bot.runtime.context import BotApplication, BotContext
from bot.runtime.guards import require_coordinator
from bot.texts import render
from bot.texts.formatting import date_time
from handlers.common import reply, scope_label

log = logging.getLogger(__name__)

REVOKE_WORDS = frozenset({"cabut", "revoke"})
# A link works until midnight; "valid until 23.59" reads better than "until 00.00 tomorrow".
_ONE_MINUTE = timedelta(minutes=1)


def board_button(board: BoardConfig, language: str, update: Update) -> InlineKeyboardMarkup | None:
    """The "📊 Papan" Mini App button, when the board is on and reachable over https, in a private chat
    (Telegram's rules for web_app buttons)."""
    chat = update.effective_chat
    if not board.mini_app or chat is None or chat.type != "private":
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(render(language, "board.button"), web_app=WebAppInfo(board.public_url))]]
    )


async def set_board_menu(bot: Bot, board: BoardConfig, chat_id: int, language: str = "id") -> None:
    """Make the chat's menu button open the board (Mini App); a chat that cannot be reached is skipped."""
    try:
        await bot.set_chat_menu_button(
            chat_id=chat_id,
            menu_button=MenuButtonWebApp(render(language, "board.menu_button"), WebAppInfo(board.public_url)),
        )
    except TelegramError as error:
        # A coordinator who never opened the bot, or blocked it: nothing to set, nothing to retry.
        log.info("board: no menu button for chat %s (%s)", chat_id, error)


def start_board_menu(application: BotApplication) -> None:
    """In the background: every registered coordinator's (and admin's) menu button opens the board."""
    board = application.bot_data.config.board
    if not board.mini_app:
        return

    async def set_all() -> None:
        async with application.bot_data.read_session_factory() as session, session.begin():
            chats = await coordinator_user_ids(session)
        for chat_id in dict.fromkeys([*chats, *application.bot_data.config.bot.admins]):
            await set_board_menu(application.bot, board, chat_id)

    application.create_task(set_all(), name="board-menu-buttons")


async def papan(update: Update, context: BotContext) -> None:
    """/papan: a projector link for today; /papan cabut: revoke every link this coordinator made."""
    found = await require_coordinator(update, context)
    if found is None:
        return
    identity, scope = found
    language = identity.language
    board = context.config.board
    if not board.enabled:
        await reply(update, render(language, "board.disabled"))
        return
    argument = " ".join(context.args or []).strip()
    now = context.clock.now()
    if argument.casefold() in REVOKE_WORDS:
        async with context.transaction() as session:
            count = await revoke_links(session, identity.telegram_user_id, now=now)
        await reply(
            update,
            render(language, "board.revoked", count=count)
            if count
            else render(language, "board.revoked_none"),
        )
        return
    if argument:
        await reply(update, render(language, "board.unknown_argument", argument=argument[:40]))
        return
    zone = context.config.scheduler.timezone
    async with context.transaction() as session:
        token, expires_at = await create_link(session, identity.telegram_user_id, now=now, zone=zone)
    url = board_url(context.config)
    separator = "&" if "?" in url else "?"
    text = render(
        language,
        "board.link",
        scope=scope_label(language, scope),
        url=f"{url}{separator}t={token}",
        until=date_time(expires_at.replace(microsecond=0) - _ONE_MINUTE, language, zone),
    )
    markup = board_button(board, language, update)
    if markup is not None and update.effective_chat is not None:
        text += "\n\n" + render(language, "board.link_mini_app")
        await set_board_menu(context.bot, board, update.effective_chat.id, language)
    await reply(update, text, reply_markup=markup, link_preview_options=LinkPreviewOptions(is_disabled=True))


def register(application: BotApplication) -> None:
    """Add /papan (role and scope checked on every call)."""
    application.add_handler(CommandHandler("papan", papan))
