"""Personal data in Telegram: the registration notice, /datasaya (my data as a file) and /hapus (remove my account)."""

import asyncio
import html
import json
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.core.config import Config
from bot.privacy.audit import ABSENTEES_WITH_PHONES, EXPORT_ATTENDANCE, record_access, telegram_actor
from bot.privacy.erasure import erase_account, holding
from bot.privacy.own_data import own_data
from bot.runtime.callbacks import CallbackCodec
from bot.runtime.context import BotApplication, BotContext
from bot.texts import render, render_plain
from bot.texts.formatting import date_time, number
from handlers.common import PARSE_MODE, current_identity, reply

__all__ = ["ABSENTEES_WITH_PHONES", "EXPORT_ATTENDANCE", "audit_access", "privacy_notice", "register"]

log = logging.getLogger(__name__)

# 'hps:y:<token>' erases, 'hps:n' keeps; the token (member id and registration time) makes a button made
# before a deletion or a re-registration stale.
ERASE_BUTTON = CallbackCodec("hps")


async def privacy_notice(language: str, config: Config) -> str:
    """The notice shown before the registration's confirm button: the operator's file, else the catalog's."""
    notice_file = config.privacy.notice_file
    if notice_file is not None:
        # Read at every registration, so the operator can reword it without a restart; plain text, escaped.
        try:
            text = await asyncio.to_thread(notice_file.read_text, encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            # Checked at start-up; gone or broken since: the registration goes on with the built-in notice.
            log.warning(
                "[privacy] notice_file %s cannot be read (%s); showing the built-in notice. Fix or restore the file.",
                notice_file,
                getattr(error, "strerror", None) or type(error).__name__,
            )
        else:
            if text.strip():
                return html.escape(text.strip(), quote=False)
    return render(language, "privacy.notice", retain_days=number(config.privacy.retain_days, language))


async def audit_access(
    context: BotContext, telegram_user_id: int, action: str, detail: dict[str, object]
) -> None:
    """Log a coordinator's access to personal data (an export, a list with phones) in the audit: who and when."""
    async with context.transaction() as session:
        await record_access(session, actor=telegram_actor(telegram_user_id), action=action, detail=detail)


async def send_own_data(update: Update, context: BotContext) -> None:
    """/datasaya: everything the bot holds about me, as a JSON document."""
    identity = await current_identity(update, context)
    language = identity.language
    zone = context.config.scheduler.timezone
    now = context.clock.now()
    async with context.read() as session:
        data = await own_data(session, identity.telegram_user_id, zone=zone, now=now)
    document = {"about": render_plain(language, "privacy.own_data_about", zone=zone.key), **data}
    payload = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
    message = update.effective_message
    assert message is not None
    await message.reply_document(
        payload,
        filename=render_plain(
            language, "privacy.own_data_filename", stamp=now.astimezone(zone).strftime("%Y-%m-%d-%H%M")
        ),
        caption=render(
            language,
            "privacy.own_data_caption",
            when=date_time(now, language, zone),
            check_ins=number(len(data["check_ins"]), language),
            deliveries=number(len(data["deliveries"]), language),
            duties=number(len(data["duties"]), language),
            audit=number(len(data["audit_entries"]), language),
        ),
        parse_mode=PARSE_MODE,
    )


async def ask_erase(update: Update, context: BotContext) -> None:
    """/hapus: say what would be deleted and what kept, and ask to confirm with a button."""
    identity = await current_identity(update, context)
    language = identity.language
    async with context.read() as session:
        held = await holding(session, identity.telegram_user_id)
    if held.member_name is not None:
        text = render(
            language,
            "privacy.erase_ask_member",
            name=held.member_name,
            deliveries=number(held.deliveries, language),
        )
    else:
        text = render(language, "privacy.erase_ask_not_member")
    if held.coordinator:
        text += render(language, "privacy.erase_ask_coordinator")
    buttons = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    render(language, "privacy.button_erase"),
                    callback_data=ERASE_BUTTON.encode("y", held.token),
                ),
                InlineKeyboardButton(
                    render(language, "privacy.button_keep"), callback_data=ERASE_BUTTON.encode("n")
                ),
            ]
        ]
    )
    await reply(update, text, reply_markup=buttons)


async def confirm_erase(update: Update, context: BotContext) -> None:
    """The answer to /hapus: erase after 'Ya, hapus' if the button still matches the account; else refuse."""
    query = update.callback_query
    assert query is not None
    identity = await current_identity(update, context)
    language = identity.language
    parts = ERASE_BUTTON.decode(query.data)
    if parts == ("n",):
        await query.answer()
        await query.edit_message_text(render(language, "privacy.erase_kept"), parse_mode=PARSE_MODE)
        return
    if parts is None or len(parts) != 2 or parts[0] != "y":
        await query.answer(render(language, "error.stale_button"), show_alert=True)
        return
    async with context.transaction() as session:
        held = await holding(session, identity.telegram_user_id)
        if held.token != parts[1]:
            erased = None
        else:
            erased = await erase_account(
                session,
                identity.telegram_user_id,
                now=context.clock.now(),
                # A coordinator's (or admin's) accesses stay traceable in the audit until the retention purge.
                accountable=identity.coordinator is not None,
            )
    if erased is None:
        # Made before the account was deleted or registered again, or forged: nothing is deleted.
        await query.answer(render(language, "error.stale_button"), show_alert=True)
        return
    context.forget_identity()
    await query.answer()
    if erased.member_name is not None:
        text = render(language, "privacy.erase_done_member", deliveries=number(erased.deliveries, language))
    else:
        text = render(language, "privacy.erase_done_other")
    await query.edit_message_text(text, parse_mode=PARSE_MODE)


def register(application: BotApplication) -> None:
    """Add the personal-data handlers (open to everyone: a person's own data needs no role)."""
    application.add_handler(CommandHandler("datasaya", send_own_data))
    application.add_handler(CommandHandler("hapus", ask_erase))
    application.add_handler(CallbackQueryHandler(confirm_erase, pattern=ERASE_BUTTON.pattern))
