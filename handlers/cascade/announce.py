"""/umumkan for a PPS: a message to their own desa's Pantarlih and/or KPPS, sent now through the outbox.

message → who (Pantarlih, KPPS or both) → preview with the count → Kirim / Batal. The audience is always the
PPS's own desa (from their roster record, never from a button); a coordinator's /umumkan goes on to the
coordinators' wizard in group 0 unchanged.
"""

import warnings
from dataclasses import dataclass, field

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters
from telegram.warnings import PTBUserWarning

from bot.broadcasts import compose as broadcasts
from bot.broadcasts.audience import Audience, AudienceKind
from bot.core.identity import Identity
from bot.core.scope import DesaScope
from bot.runtime.callbacks import CallbackCodec
from bot.runtime.context import BotContext
from bot.runtime.wizard import CANCEL_COMMAND, CONVERSATION_TIMEOUT_SECONDS, answer_stale
from bot.texts import render
from bot.texts.formatting import number
from handlers.cascade.common import handled, level_label
from handlers.cascade.coordinating import pps_of_desa
from handlers.common import PARSE_MODE, reply
from models import CascadeRole

ANNOUNCE = CallbackCodec("ku")
COMPOSE, WHO, CONFIRM = range(3)
DRAFT_KEY = "kaskade_umumkan_draft"
BOTH = "both"


@dataclass
class Draft:
    """The announcement being written, kept in the PPS's own user_data."""

    body_html: str = ""
    roles: tuple[str, ...] = field(default_factory=tuple)


def _audience(scope: DesaScope, draft: Draft) -> Audience:
    return Audience(
        kind=AudienceKind.CASCADE,
        kecamatan_ids=(scope.kecamatan_id,),
        desa_id=scope.desa_id,
        roles=draft.roles,
    )


async def _step(update: Update, context: BotContext) -> tuple[Identity, DesaScope, Draft]:
    """The re-check of every step: still a PPS (no coordinator) of a desa, with a draft in progress."""
    found = await pps_of_desa(update, context)
    draft = (context.user_data or {}).get(DRAFT_KEY)
    if found is None or not isinstance(draft, Draft):
        if update.callback_query is not None:
            await update.callback_query.answer()
        _forget(context)
        handled(ConversationHandler.END)
    return found[0], found[1], draft


def _forget(context: BotContext) -> None:
    if context.user_data is not None:
        context.user_data.pop(DRAFT_KEY, None)


async def start(update: Update, context: BotContext) -> int:
    """/umumkan from a PPS: ask for the message (a coordinator's /umumkan is not taken here)."""
    found = await pps_of_desa(update, context)
    if found is None:
        return ConversationHandler.END
    identity, scope = found
    assert context.user_data is not None
    context.user_data[DRAFT_KEY] = Draft()
    await reply(update, render(identity.language, "cascade.announce_ask", desa=scope.desa))
    handled(COMPOSE)


async def receive_message(update: Update, context: BotContext) -> int:
    """The text; then who receives it."""
    identity, _scope, draft = await _step(update, context)
    language = identity.language
    message = update.effective_message
    assert message is not None
    draft.body_html = message.text_html or ""
    if not draft.body_html.strip():
        await reply(update, render(language, "bc.empty_message"))
        handled(COMPOSE)
    if broadcasts.unknown_placeholders(draft.body_html):
        await reply(update, render(language, "cascade.announce_no_placeholders"))
        handled(COMPOSE)
    choices = [*(r.value for r in CascadeRole), BOTH]
    buttons = [
        [
            InlineKeyboardButton(
                render(language, f"cascade.announce_who.{c}"), callback_data=ANNOUNCE.encode("w", c)
            )
        ]
        for c in choices
    ]
    await reply(
        update, render(language, "cascade.announce_ask_who"), reply_markup=InlineKeyboardMarkup(buttons)
    )
    handled(WHO)


async def choose_who(update: Update, context: BotContext) -> int:
    """Pantarlih, KPPS or both: the preview with the count."""
    identity, scope, draft = await _step(update, context)
    language = identity.language
    query = update.callback_query
    assert query is not None
    parts = ANNOUNCE.decode(query.data)
    value = parts[1] if parts is not None and len(parts) == 2 and parts[0] == "w" else None
    if value not in (*(r.value for r in CascadeRole), BOTH):
        await answer_stale(update, language)
        handled(WHO)
    await query.answer()
    draft.roles = tuple(r.value for r in CascadeRole) if value == BOTH else (str(value),)
    await query.edit_message_text(render(language, f"cascade.announce_who.{value}"), parse_mode=PARSE_MODE)
    zone = context.config.scheduler.timezone
    try:
        async with context.read() as session:
            preview = await broadcasts.preview(
                session,
                body_html=draft.body_html,
                media_kind=None,
                audience=_audience(scope, draft),
                now=context.clock.now(),
                zone=zone,
                default_language=context.config.bot.default_language,
            )
    except broadcasts.TooLong as error:
        await reply(update, render(language, "bc.too_long", length=error.length, limit=error.limit))
        _forget(context)
        handled(ConversationHandler.END)
    message = update.effective_message
    assert message is not None
    await message.chat.send_message(draft.body_html, parse_mode=PARSE_MODE)
    buttons = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    render(language, "bc.button_send"), callback_data=ANNOUNCE.encode("c", "send")
                ),
                InlineKeyboardButton(
                    render(language, "bc.button_cancel"), callback_data=ANNOUNCE.encode("c", "cancel")
                ),
            ]
        ]
    )
    roles = ", ".join(level_label(language, r) for r in draft.roles)
    await message.chat.send_message(
        render(
            language,
            "cascade.announce_summary",
            roles=roles,
            desa=scope.desa,
            recipients=number(preview.count.recipients, language),
            not_registered=number(preview.count.not_registered, language),
            unreachable=number(preview.count.unreachable, language),
        ),
        parse_mode=PARSE_MODE,
        reply_markup=buttons,
    )
    handled(CONFIRM)


async def confirm(update: Update, context: BotContext) -> int:
    """Kirim: store the broadcast with its deliveries and wake the outbox; Batal: drop it."""
    identity, scope, draft = await _step(update, context)
    language = identity.language
    query = update.callback_query
    assert query is not None
    parts = ANNOUNCE.decode(query.data)
    value = parts[1] if parts is not None and len(parts) == 2 and parts[0] == "c" else None
    if value not in ("send", "cancel"):
        await answer_stale(update, language)
        handled(CONFIRM)
    await query.answer()
    _forget(context)
    message = query.message
    assert isinstance(message, Message)
    if value == "cancel":
        await query.edit_message_text(render(language, "bc.cancelled"), parse_mode=PARSE_MODE)
        handled(ConversationHandler.END)
    async with context.transaction() as session:
        created = await broadcasts.create_sending_broadcast(
            session,
            body_html=draft.body_html,
            media_kind=None,
            media_file_id=None,
            audience=_audience(scope, draft),
            now=context.clock.now(),
            zone=context.config.scheduler.timezone,
            created_by=identity.telegram_user_id,
            creator_chat_id=message.chat_id,
            language=language,
            include_late=False,
            progress=(message.chat_id, message.message_id),
        )
    await message.edit_text(
        render(language, "bc.progress", id=created.id, sent=0, total=number(created.recipients, language)),
        parse_mode=PARSE_MODE,
    )
    context.bot_data.outbox.wake()
    handled(ConversationHandler.END)


async def cancel(update: Update, context: BotContext) -> int:
    """/batal: drop the draft."""
    _forget(context)
    identity, _ = (await pps_of_desa(update, context)) or (None, None)
    if identity is not None:
        await reply(update, render(identity.language, "bc.conversation_cancelled"))
    handled(ConversationHandler.END)


def conversation() -> "ConversationHandler[BotContext]":
    """The PPS's /umumkan ConversationHandler (in the cascade's handler group, before group 0)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="If 'per_message=False'", category=PTBUserWarning)
        return ConversationHandler(
            entry_points=[CommandHandler("umumkan", start)],
            states={
                COMPOSE: [MessageHandler(filters.TEXT & ~filters.COMMAND, receive_message)],
                WHO: [CallbackQueryHandler(choose_who, pattern=f"{ANNOUNCE.pattern}w:")],
                CONFIRM: [CallbackQueryHandler(confirm, pattern=f"{ANNOUNCE.pattern}c:")],
            },
            fallbacks=[CommandHandler(CANCEL_COMMAND, cancel)],
            conversation_timeout=CONVERSATION_TIMEOUT_SECONDS,
            name="kaskade_umumkan",
        )
