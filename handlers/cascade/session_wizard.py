"""/bimtek_baru: a PPS creates, changes or cancels their desa's Bimtek for its Pantarlih or KPPS.

level → (the existing session: change / cancel) → date and time (WIB parser) → end time → place (a shared
location and its name, or a typed address) → check-in window → radius (with a location) → confirm.
Every step re-checks that the sender is still a PPS member of the desa (require_desa_coordinator); the
desa is always their own, never taken from a button.
"""

import re
import warnings
from dataclasses import dataclass
from datetime import datetime, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters
from telegram.warnings import PTBUserWarning

from bot.cascade import sessions as desa_sessions
from bot.core.identity import Identity
from bot.core.scope import DesaScope
from bot.core.timeparse import EXAMPLES, TimeParseError, parse_send_time
from bot.runtime.callbacks import CallbackCodec
from bot.runtime.context import BotContext
from bot.runtime.guards import require_desa_coordinator
from bot.runtime.wizard import CANCEL_COMMAND, CONVERSATION_TIMEOUT_SECONDS, answer_stale
from bot.texts import render
from bot.texts.formatting import date_long
from handlers.cascade.common import handled, level_label, session_card
from handlers.common import PARSE_MODE, reply
from models import CascadeRole

BIMTEK = CallbackCodec("kb")
LEVEL, EXISTING, START, END, PLACE, VENUE_NAME, WINDOW, RADIUS, CONFIRM, CANCEL_CONFIRM = range(10)
DRAFT_KEY = "bimtek_draft"
# Check-in window presets: (minutes before the start it opens, minutes after the start it closes or None =
# at the end).
WINDOWS = {"a": (30, None), "b": (60, 60), "c": (30, 30)}
RADII = (0, 100, 300, 500)
_CLOCK = re.compile(
    r"^(?:jam|pukul|pkl|s/?d|sampai|hingga|-)?\s*(\d{1,2})[:.](\d{2})\s*(?:wib)?$", re.IGNORECASE
)
VENUE_MAX, ADDRESS_MAX = 200, 400


@dataclass
class Draft:
    """The session being written, kept in the PPS's own user_data."""

    level: CascadeRole = CascadeRole.PANTARLIH
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    venue: str = ""
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None
    window: str = "a"
    radius_m: int | None = None


def _draft(context: BotContext) -> Draft | None:
    found = (context.user_data or {}).get(DRAFT_KEY)
    return found if isinstance(found, Draft) else None


async def _step(update: Update, context: BotContext) -> tuple[Identity, DesaScope, Draft]:
    """The re-check of every step: still a PPS of a desa, with a draft in progress."""
    found = await require_desa_coordinator(update, context)
    draft = _draft(context)
    if found is None or draft is None:
        if update.callback_query is not None:
            await update.callback_query.answer()
        if context.user_data is not None:
            context.user_data.pop(DRAFT_KEY, None)
        handled(ConversationHandler.END)
    return found[0], found[1], draft


def _button(update: Update, part: str) -> str | None:
    query = update.callback_query
    parts = BIMTEK.decode(query.data if query is not None else None)
    return parts[1] if parts is not None and len(parts) == 2 and parts[0] == part else None


def _keyboard(rows: list[list[tuple[str, str, str]]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(text, callback_data=BIMTEK.encode(part, value))
                for text, part, value in row
            ]
            for row in rows
        ]
    )


async def start(update: Update, context: BotContext) -> int:
    """/bimtek_baru: which level the Bimtek is for."""
    found = await require_desa_coordinator(update, context)
    if found is None:
        handled(ConversationHandler.END)
    identity, scope = found
    assert context.user_data is not None
    context.user_data[DRAFT_KEY] = Draft()
    language = identity.language
    await reply(
        update,
        render(language, "cascade.ask_level", desa=scope.desa),
        reply_markup=_keyboard([[(level_label(language, r.value), "l", r.value) for r in CascadeRole]]),
    )
    handled(LEVEL)


async def choose_level(update: Update, context: BotContext) -> int:
    """A level button: its existing session (change or cancel), or the date of a new one."""
    identity, scope, draft = await _step(update, context)
    language = identity.language
    query = update.callback_query
    assert query is not None
    value = _button(update, "l")
    level = next((r for r in CascadeRole if r.value == value), None)
    if level is None:
        await answer_stale(update, language)
        handled(LEVEL)
    await query.answer()
    draft.level = level
    async with context.read() as session:
        existing = await desa_sessions.desa_session(session, scope.desa_id, level.value)
    if existing is not None:
        await query.edit_message_text(
            session_card(context, language, existing) + "\n\n" + render(language, "cascade.exists"),
            parse_mode=PARSE_MODE,
            reply_markup=_keyboard(
                [
                    [(render(language, "cascade.button_edit"), "e", "edit")],
                    [(render(language, "cascade.button_cancel_session"), "e", "cancel")],
                    [(render(language, "cascade.button_close"), "e", "close")],
                ]
            ),
        )
        handled(EXISTING)
    await query.edit_message_text(
        render(language, "cascade.level_chosen", level=level_label(language, level.value)),
        parse_mode=PARSE_MODE,
    )
    await reply(update, render(language, "cascade.ask_start", examples=", ".join(EXAMPLES)))
    handled(START)


async def existing_choice(update: Update, context: BotContext) -> int:
    """Change the existing session (the same steps), cancel it (asked again), or leave it."""
    identity, _scope, draft = await _step(update, context)
    language = identity.language
    query = update.callback_query
    assert query is not None
    value = _button(update, "e")
    if value not in ("edit", "cancel", "close"):
        await answer_stale(update, language)
        handled(EXISTING)
    await query.answer()
    await query.edit_message_reply_markup(None)
    if value == "edit":
        await reply(update, render(language, "cascade.ask_start", examples=", ".join(EXAMPLES)))
        handled(START)
    if value == "cancel":
        await reply(
            update,
            render(language, "cascade.ask_cancel", level=level_label(language, draft.level.value)),
            reply_markup=_keyboard(
                [
                    [
                        (render(language, "cascade.button_yes_cancel"), "x", "yes"),
                        (render(language, "cascade.button_no_keep"), "x", "no"),
                    ]
                ]
            ),
        )
        handled(CANCEL_CONFIRM)
    _forget(context)
    await reply(update, render(language, "cascade.closed"))
    handled(ConversationHandler.END)


async def confirm_cancel(update: Update, context: BotContext) -> int:
    """'Ya, batalkan': delete the session unless someone has checked in."""
    identity, scope, draft = await _step(update, context)
    language = identity.language
    query = update.callback_query
    assert query is not None
    value = _button(update, "x")
    if value not in ("yes", "no"):
        await answer_stale(update, language)
        handled(CANCEL_CONFIRM)
    await query.answer()
    await query.edit_message_reply_markup(None)
    _forget(context)
    if value == "no":
        await reply(update, render(language, "cascade.kept"))
        handled(ConversationHandler.END)
    try:
        async with context.transaction() as session:
            await desa_sessions.cancel_desa_session(
                session, scope, draft.level.value, by=identity.telegram_user_id
            )
    except desa_sessions.HasCheckIns as error:
        await reply(update, render(language, "cascade.cancel_has_checkins", count=error.count))
        handled(ConversationHandler.END)
    except desa_sessions.NoDesaSession:
        await reply(update, render(language, "cascade.cancel_gone"))
        handled(ConversationHandler.END)
    await reply(
        update,
        render(
            language, "cascade.cancelled", level=level_label(language, draft.level.value), desa=scope.desa
        ),
    )
    handled(ConversationHandler.END)


async def receive_start(update: Update, context: BotContext) -> int:
    """The date and start time, read by the project's WIB parser; never in the past."""
    identity, _scope, draft = await _step(update, context)
    language = identity.language
    message = update.effective_message
    assert message is not None and message.text is not None
    now = context.clock.now()
    zone = context.config.scheduler.timezone
    try:
        starts_at = parse_send_time(message.text, now=now, zone=zone)
    except TimeParseError as error:
        if error.code == "in_past":
            await reply(update, render(language, "cascade.start_in_past"))
        else:
            await reply(
                update,
                render(language, "cascade.start_error", text=message.text, examples=", ".join(EXAMPLES)),
            )
        handled(START)
    if starts_at <= now:
        await reply(update, render(language, "cascade.start_in_past"))
        handled(START)
    draft.starts_at = starts_at
    await reply(update, render(language, "cascade.ask_end", date=date_long(starts_at, language, zone)))
    handled(END)


def _end_time(text: str, starts_at: datetime, context: BotContext) -> datetime | None:
    """'12:00' on the start's day, or any full date and time the WIB parser reads."""
    zone = context.config.scheduler.timezone
    match = _CLOCK.match(text.strip())
    if match is not None:
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour > 23 or minute > 59:
            return None
        local = starts_at.astimezone(zone)
        return local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    try:
        return parse_send_time(text, now=starts_at, zone=zone)
    except TimeParseError:
        return None


async def receive_end(update: Update, context: BotContext) -> int:
    """The end time (on the same day), after the start."""
    identity, _scope, draft = await _step(update, context)
    language = identity.language
    message = update.effective_message
    assert message is not None and message.text is not None and draft.starts_at is not None
    ends_at = _end_time(message.text, draft.starts_at, context)
    if ends_at is None:
        await reply(update, render(language, "cascade.end_error", text=message.text))
        handled(END)
    if ends_at <= draft.starts_at or ends_at - draft.starts_at > timedelta(hours=24):
        await reply(update, render(language, "cascade.end_before_start"))
        handled(END)
    draft.ends_at = ends_at
    await reply(update, render(language, "cascade.ask_place"))
    handled(PLACE)


async def receive_location(update: Update, context: BotContext) -> int:
    """A shared location: the place on the map; its name comes next."""
    identity, _scope, draft = await _step(update, context)
    message = update.effective_message
    assert message is not None and message.location is not None
    draft.latitude, draft.longitude = message.location.latitude, message.location.longitude
    await reply(update, render(identity.language, "cascade.ask_venue_name"))
    handled(VENUE_NAME)


async def receive_address(update: Update, context: BotContext) -> int:
    """A typed address: the place without a map (no location check)."""
    identity, _scope, draft = await _step(update, context)
    message = update.effective_message
    assert message is not None and message.text is not None
    text = " ".join(message.text.split())
    if len(text) < 3:
        await reply(update, render(identity.language, "cascade.ask_place"))
        handled(PLACE)
    draft.venue, draft.address = text[:VENUE_MAX], text[:ADDRESS_MAX]
    draft.latitude = draft.longitude = None
    draft.radius_m = None
    await _ask_window(update, identity.language)
    handled(WINDOW)


async def receive_venue_name(update: Update, context: BotContext) -> int:
    """The name of the shared location ('Balai Desa Sukamaju')."""
    identity, _scope, draft = await _step(update, context)
    message = update.effective_message
    assert message is not None and message.text is not None
    text = " ".join(message.text.split())
    if len(text) < 3:
        await reply(update, render(identity.language, "cascade.ask_venue_name"))
        handled(VENUE_NAME)
    draft.venue, draft.address = text[:VENUE_MAX], text[:ADDRESS_MAX]
    await _ask_window(update, identity.language)
    handled(WINDOW)


async def _ask_window(update: Update, language: str) -> None:
    await reply(
        update,
        render(language, "cascade.ask_window"),
        reply_markup=_keyboard([[(render(language, f"cascade.window.{key}"), "w", key)] for key in WINDOWS]),
    )


async def choose_window(update: Update, context: BotContext) -> int:
    """A check-in window preset; then the radius (with a location) or the confirmation."""
    identity, scope, draft = await _step(update, context)
    language = identity.language
    query = update.callback_query
    assert query is not None
    value = _button(update, "w")
    if value not in WINDOWS:
        await answer_stale(update, language)
        handled(WINDOW)
    await query.answer()
    draft.window = value
    await query.edit_message_text(render(language, f"cascade.window.{value}"), parse_mode=PARSE_MODE)
    if draft.latitude is not None:
        await reply(
            update,
            render(language, "cascade.ask_radius"),
            reply_markup=_keyboard(
                [
                    [
                        (render(language, "cascade.radius_none") if r == 0 else f"{r} m", "r", str(r))
                        for r in RADII
                    ]
                ]
            ),
        )
        handled(RADIUS)
    await _ask_confirm(update, context, language, draft, scope.desa)
    handled(CONFIRM)


async def choose_radius(update: Update, context: BotContext) -> int:
    """The radius of the location check (or none)."""
    identity, scope, draft = await _step(update, context)
    language = identity.language
    query = update.callback_query
    assert query is not None
    value = _button(update, "r")
    if value is None or not value.isdigit() or int(value) not in RADII:
        await answer_stale(update, language)
        handled(RADIUS)
    await query.answer()
    draft.radius_m = int(value) or None
    await query.edit_message_reply_markup(None)
    await _ask_confirm(update, context, language, draft, scope.desa)
    handled(CONFIRM)


def _session_draft(draft: Draft) -> desa_sessions.SessionDraft:
    assert draft.starts_at is not None and draft.ends_at is not None
    before, after = WINDOWS[draft.window]
    opens = draft.starts_at - timedelta(minutes=before)
    closes = (
        draft.ends_at if after is None else min(draft.ends_at, draft.starts_at + timedelta(minutes=after))
    )
    return desa_sessions.SessionDraft(
        level=draft.level,
        starts_at=draft.starts_at,
        ends_at=draft.ends_at,
        checkin_opens_at=opens,
        checkin_closes_at=closes,
        venue=draft.venue,
        address=draft.address,
        latitude=draft.latitude,
        longitude=draft.longitude,
        radius_m=draft.radius_m,
    )


async def _ask_confirm(update: Update, context: BotContext, language: str, draft: Draft, desa: str) -> None:
    from bot.plan.views import SessionView

    wanted = _session_draft(draft)
    preview = SessionView(
        id=0,
        kecamatan_id=0,
        kecamatan_code="",
        kecamatan="",
        venue=wanted.venue,
        address=wanted.address,
        latitude=wanted.latitude or 0.0,
        longitude=wanted.longitude or 0.0,
        radius_m=wanted.radius_m,
        starts_at=wanted.starts_at,
        ends_at=wanted.ends_at,
        checkin_opens_at=wanted.checkin_opens_at,
        checkin_closes_at=wanted.checkin_closes_at,
        desa=desa,
        level=wanted.level.value,
    )
    await reply(
        update,
        session_card(context, language, preview) + "\n\n" + render(language, "cascade.ask_confirm"),
        reply_markup=_keyboard(
            [
                [
                    (render(language, "cascade.button_save"), "c", "save"),
                    (render(language, "cascade.button_discard"), "c", "discard"),
                ]
            ]
        ),
    )


async def confirm(update: Update, context: BotContext) -> int:
    """'Simpan': write the session (new, or the existing one changed); 'Batal': drop the draft."""
    identity, scope, draft = await _step(update, context)
    language = identity.language
    query = update.callback_query
    assert query is not None
    value = _button(update, "c")
    if value not in ("save", "discard"):
        await answer_stale(update, language)
        handled(CONFIRM)
    await query.answer()
    await query.edit_message_reply_markup(None)
    _forget(context)
    if value == "discard":
        await reply(update, render(language, "cascade.discarded"))
        handled(ConversationHandler.END)
    async with context.transaction() as session:
        saved, created = await desa_sessions.save_desa_session(
            session, scope, _session_draft(draft), by=identity.telegram_user_id
        )
    key = "cascade.saved_new" if created else "cascade.saved_changed"
    await reply(update, render(language, key, level=level_label(language, saved.level), desa=scope.desa))
    handled(ConversationHandler.END)


async def cancel(update: Update, context: BotContext) -> int:
    """/batal: drop the draft."""
    _forget(context)
    found = await require_desa_coordinator(update, context)
    if found is not None:
        await reply(update, render(found[0].language, "cascade.discarded"))
    handled(ConversationHandler.END)


def _forget(context: BotContext) -> None:
    if context.user_data is not None:
        context.user_data.pop(DRAFT_KEY, None)


def conversation() -> "ConversationHandler[BotContext]":
    """The /bimtek_baru ConversationHandler (in the cascade's handler group, before group 0)."""
    text = filters.TEXT & ~filters.COMMAND
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="If 'per_message=False'", category=PTBUserWarning)
        return ConversationHandler(
            entry_points=[CommandHandler("bimtek_baru", start)],
            states={
                LEVEL: [CallbackQueryHandler(choose_level, pattern=f"{BIMTEK.pattern}l:")],
                EXISTING: [CallbackQueryHandler(existing_choice, pattern=f"{BIMTEK.pattern}e:")],
                CANCEL_CONFIRM: [CallbackQueryHandler(confirm_cancel, pattern=f"{BIMTEK.pattern}x:")],
                START: [MessageHandler(text, receive_start)],
                END: [MessageHandler(text, receive_end)],
                PLACE: [
                    MessageHandler(filters.LOCATION, receive_location),
                    MessageHandler(text, receive_address),
                ],
                VENUE_NAME: [MessageHandler(text, receive_venue_name)],
                WINDOW: [CallbackQueryHandler(choose_window, pattern=f"{BIMTEK.pattern}w:")],
                RADIUS: [CallbackQueryHandler(choose_radius, pattern=f"{BIMTEK.pattern}r:")],
                CONFIRM: [CallbackQueryHandler(confirm, pattern=f"{BIMTEK.pattern}c:")],
            },
            fallbacks=[CommandHandler(CANCEL_COMMAND, cancel)],
            conversation_timeout=CONVERSATION_TIMEOUT_SECONDS,
            name="bimtek_baru",
        )
