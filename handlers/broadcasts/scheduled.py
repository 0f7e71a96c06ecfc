"""/terjadwal: the scheduled broadcasts a coordinator sees, each with a cancel button when they control it.

The one scope rule (bot/core/scope.py) decides: a PPK *sees* the regency-wide broadcasts (KPU's) as well as
their own kecamatan's, but *controls* only the latter, so a regency-wide broadcast is listed for a PPK without
a cancel button, and a forged cancel of one is refused as not cancellable.
"""

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.broadcasts import compose as broadcasts
from bot.core.regions import WilayahEmpty, load_wilayah_index
from bot.runtime.callbacks import parse_id
from bot.runtime.context import BotContext
from bot.runtime.guards import require_coordinator
from bot.texts import render
from handlers.broadcasts.buttons import SCHEDULED, audience_label, when_text
from handlers.common import PARSE_MODE, reply

LISTED_AT_MOST = 50
ASK, YES, NO = "x", "y", "n"


async def list_scheduled(update: Update, context: BotContext) -> None:
    """/terjadwal: scheduled broadcasts I see, a cancel button on those I control."""
    found = await require_coordinator(update, context)
    if found is None:
        return
    identity, scope = found
    language = identity.language
    async with context.read() as session:
        rows = await broadcasts.scheduled_broadcasts(session, scope)
        try:
            index = await load_wilayah_index(session, with_desa=False)
            names = {k.id: k.name for k in index.kecamatan_by_id.values()}
        except WilayahEmpty:
            names = {}
    if not rows:
        await reply(update, render(language, "sched.none"))
        return
    # One message per broadcast keeps every cancel button next to what it cancels.
    await reply(update, render(language, "sched.title"))
    for row in rows[:LISTED_AT_MOST]:
        text = render(
            language,
            "sched.line",
            id=row.id,
            when=when_text(context, language, row.send_at),
            audience=audience_label(language, row.audience, names),
            first_line=row.first_line,
        )
        if not row.cancellable:
            await reply(update, text)
            continue
        button = InlineKeyboardButton(
            render(language, "sched.button_cancel", id=row.id), callback_data=SCHEDULED.encode(ASK, row.id)
        )
        await reply(update, text, reply_markup=InlineKeyboardMarkup([[button]]))


async def scheduled_button(update: Update, context: BotContext) -> None:
    """Cancel buttons of /terjadwal: ask first, then cancel (role and scope checked again)."""
    query = update.callback_query
    assert query is not None
    found = await require_coordinator(update, context)
    if found is None:
        await query.answer()
        return
    identity, scope = found
    language = identity.language
    parts = SCHEDULED.decode(query.data)
    action, broadcast_id = (
        (parts[0], parse_id(parts[1])) if parts is not None and len(parts) == 2 else ("", None)
    )
    if broadcast_id is None or action not in {ASK, YES, NO}:
        await query.answer(render(language, "error.stale_button"), show_alert=True)
        return
    await query.answer()
    if action == NO:
        await query.edit_message_text(render(language, "sched.kept"), parse_mode=PARSE_MODE)
        return
    if action == ASK:
        async with context.read() as session:
            rows = {r.id: r for r in await broadcasts.scheduled_broadcasts(session, scope)}
        row = rows.get(broadcast_id)
        if row is None or not row.cancellable:
            await query.edit_message_text(render(language, "sched.not_cancellable"), parse_mode=PARSE_MODE)
            return
        keyboard = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        render(language, "sched.button_yes"),
                        callback_data=SCHEDULED.encode(YES, broadcast_id),
                    ),
                    InlineKeyboardButton(
                        render(language, "sched.button_no"), callback_data=SCHEDULED.encode(NO, broadcast_id)
                    ),
                ]
            ]
        )
        text = render(
            language,
            "sched.confirm",
            id=broadcast_id,
            when=when_text(context, language, row.send_at),
            first_line=row.first_line,
        )
        await query.edit_message_text(text, parse_mode=PARSE_MODE, reply_markup=keyboard)
        return
    try:
        async with context.transaction() as session:
            await broadcasts.cancel_broadcast(
                session, broadcast_id, scope=scope, actor=identity.telegram_user_id
            )
    except (broadcasts.NotCancellable, broadcasts.OutOfScope):
        await query.edit_message_text(render(language, "sched.not_cancellable"), parse_mode=PARSE_MODE)
        return
    context.bot_data.scheduler.unschedule(broadcast_id)
    await query.edit_message_text(render(language, "sched.cancelled", id=broadcast_id), parse_mode=PARSE_MODE)
