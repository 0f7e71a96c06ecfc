"""'Sudah dibaca': the button under an announcement, and the coordinator's live view of who has read it.

A member's press (ak:<broadcast id>) is checked again by the rules: the broadcast asked for acknowledgement
and the presser, in this chat, is its recipient. The first press records it and turns the button into
"✅ Tercatat sudah dibaca" (on the announcement and on the reminder the press came from); a second press
answers "Sudah tercatat". Anything else is a stale button or "not for you".

The coordinator's view (ab:) is read afresh on every press, so "🔄 Perbarui" shows the live state: received
and read per kecamatan, then per desa with names. The one scope rule holds on every press: a PPK sees a
broadcast that reaches their kecamatan, with their own kecamatan's numbers only.
"""

import html
import io
import logging
import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from bot.broadcasts import acks
from bot.core.scope import CoordinatorScope, OutOfScope
from bot.runtime.callbacks import parse_id
from bot.runtime.context import BotContext
from bot.runtime.guards import current_identity, require_coordinator
from bot.runtime.wizard import answer_stale
from bot.texts import DEFAULT_LANGUAGE, LANGUAGES, render, render_plain
from bot.texts.formatting import date_time, number, percent
from handlers.broadcasts.buttons import ACK, ACKS_VIEW
from handlers.common import PARSE_MODE, fits_one_message

SHOW, REFRESH, KECAMATAN = "s", "r", "k"
KECAMATAN_BUTTONS_PER_ROW = 2
# Telegram takes at most 100 buttons under a message: a scope wider than a regency gets no per-kecamatan ones.
MAX_KECAMATAN_BUTTONS = 98
_TAG = re.compile(r"<[^>]+>")
log = logging.getLogger(__name__)


def compose_ack(broadcast_id: int, first_line: str) -> acks.AckWording:
    """The "Sudah dibaca ✅" button (per language) and the reminder's text, for bot.broadcasts.acks."""
    data = ACK.encode(broadcast_id)
    buttons = {lang: [[{"text": render(lang, "ack.button"), "callback_data": data}]] for lang in LANGUAGES}
    bodies = {lang: render(lang, "ack.reminder_body", first_line=first_line) for lang in LANGUAGES}
    return acks.AckWording(buttons, bodies[DEFAULT_LANGUAGE], bodies)


def _done_markup(language: str, broadcast_id: int) -> InlineKeyboardMarkup:
    # The same callback data: a second press is answered "Sudah tercatat", never as a stale button.
    button = InlineKeyboardButton(render(language, "ack.button_done"), callback_data=ACK.encode(broadcast_id))
    return InlineKeyboardMarkup([[button]])


async def _edit_markup(
    context: BotContext, chat_id: int, message_id: int, markup: InlineKeyboardMarkup
) -> None:
    try:
        await context.bot.edit_message_reply_markup(chat_id, message_id, reply_markup=markup)
    except BadRequest as error:
        # Already showing it (a second press), or the message is gone: the press is recorded and answered,
        # so the button's look is not worth an error.
        if "not modified" not in error.message.lower():
            log.info("could not mark message %d in chat %d as read: %s", message_id, chat_id, error.message)


async def acknowledge(update: Update, context: BotContext) -> None:
    """The "Sudah dibaca ✅" button: record it once (re-checked: this person, in this chat, received it)."""
    query = update.callback_query
    user = update.effective_user
    assert query is not None and user is not None
    identity = await current_identity(update, context)
    language = identity.language
    parts = ACK.decode(query.data)
    broadcast_id = parse_id(parts[0]) if parts is not None and len(parts) == 1 else None
    if broadcast_id is None:
        await answer_stale(update, language)
        return
    if identity.member is None:
        await query.answer(render_plain(language, "ack.not_recipient"), show_alert=True)
        return
    try:
        async with context.transaction() as session:
            done = await acks.acknowledge(
                session, broadcast_id, member_id=identity.member.id, chat_id=user.id, now=context.clock.now()
            )
    except acks.NotAcknowledgeable:
        await answer_stale(update, language)
        return
    except acks.NotARecipient:
        await query.answer(render_plain(language, "ack.not_recipient"), show_alert=True)
        return
    await query.answer(render_plain(language, "ack.recorded" if done.recorded else "ack.already"))
    markup = _done_markup(language, broadcast_id)
    pressed = query.message
    if isinstance(pressed, Message):
        await _edit_markup(context, pressed.chat_id, pressed.message_id, markup)
    if (
        done.recorded
        and done.message_id is not None
        and (pressed is None or pressed.message_id != done.message_id)
    ):
        # Pressed under the reminder: the announcement's own button shows it too.
        await _edit_markup(context, user.id, done.message_id, markup)


def _percent(tally: acks.AckTally, language: str) -> str:
    return "–" if tally.ratio is None else percent(tally.ratio, language)


def _counts(tally: acks.AckTally, language: str) -> dict[str, str]:
    return {
        "acknowledged": number(tally.acknowledged, language),
        "received": number(tally.received, language),
        "percent": _percent(tally, language),
    }


def render_overview(
    context: BotContext, language: str, overview: acks.AckOverview
) -> tuple[str, InlineKeyboardMarkup]:
    """Read per kecamatan, with a button per kecamatan (who, per desa) and "🔄 Perbarui"."""
    zone = context.config.scheduler.timezone
    lines = [
        render(
            language,
            "ack.overview_title",
            id=overview.broadcast_id,
            first_line=overview.first_line,
            when=date_time(overview.sent_at, language, zone),
        ),
        render(language, "ack.overview_total", **_counts(overview.total, language)),
        "",
    ]
    if not overview.kecamatan:
        lines.append(render(language, "ack.overview_none"))
    for place in overview.kecamatan:
        lines.append(
            render(language, "ack.overview_line", kecamatan=place.name, **_counts(place.tally, language))
        )
    pickable = len(overview.kecamatan) <= MAX_KECAMATAN_BUTTONS
    if overview.kecamatan and pickable:
        lines += ["", render(language, "ack.overview_hint")]
    lines.append(render(language, "ack.as_of", when=date_time(context.clock.now(), language, zone)))
    buttons = [
        InlineKeyboardButton(
            place.name, callback_data=ACKS_VIEW.encode(KECAMATAN, overview.broadcast_id, place.id)
        )
        for place in (overview.kecamatan if pickable else [])
    ]
    keyboard = [
        buttons[i : i + KECAMATAN_BUTTONS_PER_ROW] for i in range(0, len(buttons), KECAMATAN_BUTTONS_PER_ROW)
    ]
    keyboard.append(
        [
            InlineKeyboardButton(
                render(language, "ack.button_refresh"),
                callback_data=ACKS_VIEW.encode(REFRESH, overview.broadcast_id),
            )
        ]
    )
    return "\n".join(lines), InlineKeyboardMarkup(keyboard)


def _kecamatan_text(context: BotContext, language: str, view: acks.KecamatanAcks) -> str:
    lines = [
        render(
            language,
            "ack.kecamatan_title",
            id=view.broadcast_id,
            kecamatan=view.kecamatan,
            first_line=view.first_line,
            **_counts(view.total, language),
        )
    ]
    if not view.desa:
        lines += ["", render(language, "ack.kecamatan_none", kecamatan=view.kecamatan)]
    for desa in view.desa:
        counts = {
            "acknowledged": number(desa.tally.acknowledged, language),
            "received": number(desa.tally.received, language),
        }
        if desa.desa is None:
            lines += ["", render(language, "ack.ppk_line", **counts)]
        else:
            lines += ["", render(language, "ack.desa_line", desa=desa.desa, **counts)]
        if desa.acknowledged:
            lines.append(render(language, "ack.names_done", names=", ".join(desa.acknowledged)))
        if desa.waiting:
            lines.append(render(language, "ack.names_waiting", names=", ".join(desa.waiting)))
    zone = context.config.scheduler.timezone
    lines += ["", render(language, "ack.as_of", when=date_time(context.clock.now(), language, zone))]
    return "\n".join(lines)


def _kecamatan_markup(language: str, view: acks.KecamatanAcks) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    render(language, "ack.button_refresh"),
                    callback_data=ACKS_VIEW.encode(KECAMATAN, view.broadcast_id, view.kecamatan_id),
                ),
                InlineKeyboardButton(
                    render(language, "ack.button_back"),
                    callback_data=ACKS_VIEW.encode(REFRESH, view.broadcast_id),
                ),
            ]
        ]
    )


async def show_acks(update: Update, context: BotContext) -> None:
    """The coordinator's buttons: who has read an announcement (role and scope checked on every press)."""
    query = update.callback_query
    assert query is not None
    found = await require_coordinator(update, context)
    if found is None:
        await query.answer()
        return
    identity, scope = found
    language = identity.language
    parts = ACKS_VIEW.decode(query.data) or ()
    ids = [parse_id(p) for p in parts[1:]]
    valid = (parts[:1] in {(SHOW,), (REFRESH,)} and len(ids) == 1) or (
        parts[:1] == (KECAMATAN,) and len(ids) == 2
    )
    if not valid or None in ids:
        await answer_stale(update, language)
        return
    broadcast_id = ids[0]
    assert broadcast_id is not None
    try:
        async with context.read() as session:
            if parts[0] == KECAMATAN:
                assert ids[1] is not None
                view = await acks.kecamatan_acks(session, broadcast_id, ids[1], scope)
                text, markup = _kecamatan_text(context, language, view), _kecamatan_markup(language, view)
                title = render_plain(language, "ack.file_title", id=broadcast_id, kecamatan=view.kecamatan)
                filename = f"dibaca-{broadcast_id}-{view.kecamatan_id}.txt"
            else:
                overview = await acks.ack_overview(session, broadcast_id, scope)
                text, markup = render_overview(context, language, overview)
                title, filename = overview.first_line, f"dibaca-{broadcast_id}.txt"
    except acks.NotAcknowledgeable:
        await answer_stale(update, language)
        return
    except OutOfScope:
        await query.answer(
            render_plain(language, "coordinator.out_of_scope", kecamatan=scope.kecamatan or ""),
            show_alert=True,
        )
        return
    await query.answer()
    if parts[0] == SHOW or not fits_one_message(text):
        await _send(update, language, text, markup, title=title, filename=filename)
        return
    try:
        await query.edit_message_text(text, parse_mode=PARSE_MODE, reply_markup=markup)
    except BadRequest as error:
        if "not modified" not in error.message.lower():  # "Perbarui" with nothing new
            raise


async def _send(
    update: Update, language: str, text: str, markup: InlineKeyboardMarkup, *, title: str, filename: str
) -> None:
    """A new message, or a .txt file when the names of a large kecamatan would not fit in one."""
    chat = update.effective_chat
    assert chat is not None
    if fits_one_message(text):
        await chat.send_message(text, parse_mode=PARSE_MODE, reply_markup=markup)
        return
    body = html.unescape(_TAG.sub("", text)).encode("utf-8")  # every value was escaped: '<' only opens a tag
    await chat.send_document(
        io.BytesIO(body),
        filename=filename,
        caption=render(language, "ack.file_caption", title=title),
        parse_mode=PARSE_MODE,
    )


async def send_latest_rate(
    update: Update, context: BotContext, language: str, scope: CoordinatorScope
) -> None:
    """/rekap's line: the read rate of the latest announcement that asked for it, in my scope (if any)."""
    async with context.read() as session:
        overview = await acks.latest_acknowledged(session, scope)
    if overview is None:
        return
    button = InlineKeyboardButton(
        render(language, "ack.rekap_button"), callback_data=ACKS_VIEW.encode(SHOW, overview.broadcast_id)
    )
    chat = update.effective_chat
    assert chat is not None
    await chat.send_message(
        render(
            language,
            "ack.rekap",
            id=overview.broadcast_id,
            first_line=overview.first_line,
            **_counts(overview.total, language),
        ),
        parse_mode=PARSE_MODE,
        reply_markup=InlineKeyboardMarkup([[button]]),
    )
