"""Who am I, help for my role, and my language: /profil, /bantuan, /bahasa."""

from babel.dates import format_datetime
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.core.identity import set_language
from bot.core.phones import display
from bot.runtime.callbacks import CallbackCodec
from bot.runtime.context import BotApplication, BotContext
from bot.texts import Safe, render
from handlers.common import PARSE_MODE, current_identity, place_lines, position_label, reply, scope_label

# Buttons 'lang:id' and 'lang:en'.
LANGUAGE_BUTTON = CallbackCodec("lang")
LANGUAGE_NAMES = {"id": "🇮🇩 Bahasa Indonesia", "en": "🇬🇧 English"}


async def show_profile(update: Update, context: BotContext) -> None:
    """Show who the bot thinks I am, with my Telegram user id (what `[bot] admins` in the config lists)."""
    identity = await current_identity(update, context)
    language = identity.language
    user_id = render(language, "profile.telegram_id", user_id=identity.telegram_user_id)
    if not identity.registered:
        # Still the "please register" answer, plus the id: KPU staff who are not on the roster need it to be
        # made admins, and they have no other way to learn it from the bot.
        text = render(language, "error.not_registered")
        await reply(
            update, text + render(language, "profile.unregistered_id", user_id=identity.telegram_user_id)
        )
        return
    if identity.member is None:
        assert identity.coordinator is not None
        await reply(
            update,
            render(language, "profile.coordinator_only", scope=scope_label(language, identity.coordinator))
            + user_id,
        )
        return
    member = identity.member
    registered = "-"
    if member.registered_at is not None:
        registered = format_datetime(
            member.registered_at,
            "EEEE, d MMMM y HH.mm zzz" if language == "id" else "EEEE, d MMMM y HH:mm zzz",
            tzinfo=context.config.scheduler.timezone,
            locale=language,
        )
    text = render(
        language,
        "profile.member",
        name=member.name,
        position=position_label(language, member),
        place=Safe(place_lines(language, member)),
        phone=display(member.phone),
        registered_at=registered,
    )
    if identity.coordinator is not None:
        text += render(
            language, "profile.coordinator_line", scope=scope_label(language, identity.coordinator)
        )
    await reply(update, text + user_id)


async def show_help(update: Update, context: BotContext) -> None:
    """Show the commands for my role."""
    identity = await current_identity(update, context)
    language = identity.language
    if not identity.registered:
        await reply(update, render(language, "help.unregistered"))
        return
    text = render(language, "help.member") if identity.member is not None else render(language, "help.basic")
    if identity.coordinator is not None:
        text += render(language, "help.coordinator") + render(language, "help.cascade_coordinator")
    elif identity.desa_scope is not None:  # a PPS coordinates their desa's Pantarlih and KPPS (the cascade)
        text += render(language, "help.cascade")
    await reply(update, text)


async def ask_language(update: Update, context: BotContext) -> None:
    """Offer the two languages."""
    identity = await current_identity(update, context)
    buttons = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(name, callback_data=LANGUAGE_BUTTON.encode(code))]
            for code, name in LANGUAGE_NAMES.items()
        ]
    )
    await reply(update, render(identity.language, "language.ask"), reply_markup=buttons)


async def choose_language(update: Update, context: BotContext) -> None:
    """Remember the chosen language and confirm in it."""
    query = update.callback_query
    assert query is not None and query.data is not None and update.effective_user is not None
    parts = LANGUAGE_BUTTON.decode(query.data)
    choice = parts[0] if parts is not None and len(parts) == 1 else ""
    if choice not in LANGUAGE_NAMES:
        identity = await current_identity(update, context)
        await query.answer(render(identity.language, "error.stale_button"), show_alert=True)
        return
    async with context.transaction() as session:
        language = await set_language(session, update.effective_user.id, choice)
    await query.answer()
    await query.edit_message_text(render(language, "language.set"), parse_mode=PARSE_MODE)


def register(application: BotApplication) -> None:
    """Add this module's handlers."""
    application.add_handler(CommandHandler("profil", show_profile))
    application.add_handler(CommandHandler("bantuan", show_help))
    application.add_handler(CommandHandler("help", show_help))
    application.add_handler(CommandHandler("bahasa", ask_language))
    application.add_handler(CallbackQueryHandler(choose_language, pattern=LANGUAGE_BUTTON.pattern))
