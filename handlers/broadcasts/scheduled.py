"""/terjadwal: one message listing a page of the scheduled broadcasts a coordinator sees, with cancel buttons.

The message shows PAGE_SIZE broadcasts (time in WIB, audience and recipient count, first line), a cancel
button for each one the coordinator controls, and ‹ / › buttons that edit the same message to another page.
A cancel asks first (the same message becomes the question); the answer, and a refusal, show the list again
as it now is, on the page where that broadcast was.

The one scope rule (bot/core/scope.py) decides: a PPK *sees* the regency-wide broadcasts (KPU's) as well as
their own kecamatan's, but *controls* only the latter, so a regency-wide broadcast is listed for a PPK without
a cancel button, and a forged cancel of one is refused as not cancellable.

Buttons: tj:x|y|n:<broadcast id> (ask, yes, no: the formats already in chats) and tj:p:<page> (as shown,
from 1). A page number that does not parse is answered as a stale button; one past the end shows the last.
"""

from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest

from bot.broadcasts import compose as broadcasts
from bot.broadcasts.compose import BroadcastSummary
from bot.broadcasts.scheduled import ScheduledPage, scheduled_page
from bot.core.regions import WilayahEmpty, load_wilayah_index
from bot.core.scope import CoordinatorScope
from bot.runtime.callbacks import parse_id
from bot.runtime.context import BotContext
from bot.runtime.guards import require_coordinator
from bot.runtime.wizard import answer_stale
from bot.texts import render
from bot.texts.formatting import date_time, number
from handlers.broadcasts.buttons import SCHEDULED, audience_label, when_text
from handlers.common import PARSE_MODE, reply

ASK, YES, NO, PAGE = "x", "y", "n", "p"
CANCEL_BUTTONS_PER_ROW = 3
# An audience naming many kecamatan is cut so that a page of the longest items stays one message.
AUDIENCE_AT_MOST = 300


def render_page(
    language: str, listing: ScheduledPage, names: dict[int, str], zone: ZoneInfo, notice: str | None = None
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The list message of one page (after a one-line notice, if any) and its buttons."""
    parts = [notice] if notice else []
    if not listing.items:
        parts.append(render(language, "sched.none"))
        return "\n\n".join(parts), None
    header = render(language, "sched.title")
    if listing.pages > 1:
        header += "\n" + render(
            language,
            "sched.page",
            page=number(listing.page + 1, language),
            pages=number(listing.pages, language),
            total=number(listing.total, language),
        )
    parts.append(header)
    cancel_buttons = []
    for item in listing.items:
        row = item.broadcast
        audience = audience_label(language, row.audience, names)
        if len(audience) > AUDIENCE_AT_MOST:
            audience = audience[: AUDIENCE_AT_MOST - 1] + "…"
        parts.append(
            render(
                language,
                "sched.line",
                id=row.id,
                when=date_time(row.send_at, language, zone),
                audience=audience,
                recipients=number(item.recipients, language),
                first_line=row.first_line,
            )
        )
        if row.cancellable:
            cancel_buttons.append(
                InlineKeyboardButton(
                    render(language, "sched.button_cancel", id=row.id),
                    callback_data=SCHEDULED.encode(ASK, row.id),
                )
            )
    keyboard = [
        cancel_buttons[i : i + CANCEL_BUTTONS_PER_ROW]
        for i in range(0, len(cancel_buttons), CANCEL_BUTTONS_PER_ROW)
    ]
    paging = []
    if listing.page > 0:
        paging.append(
            InlineKeyboardButton(
                render(language, "sched.button_previous"),
                callback_data=SCHEDULED.encode(PAGE, listing.page),
            )
        )
    if listing.page < listing.pages - 1:
        paging.append(
            InlineKeyboardButton(
                render(language, "sched.button_next"), callback_data=SCHEDULED.encode(PAGE, listing.page + 2)
            )
        )
    if paging:
        keyboard.append(paging)
    return "\n\n".join(parts), InlineKeyboardMarkup(keyboard) if keyboard else None


async def _listing(
    context: BotContext,
    language: str,
    scope: CoordinatorScope,
    *,
    page: int = 0,
    near: BroadcastSummary | int | None = None,
    notice: str | None = None,
) -> tuple[str, InlineKeyboardMarkup | None]:
    """Read one page (or the page near a broadcast) and render it."""
    zone = context.config.scheduler.timezone
    async with context.read() as session:
        listing = await scheduled_page(session, scope, page, now=context.clock.now(), zone=zone, near=near)
        try:
            index = await load_wilayah_index(session, with_desa=False)
            names = {k.id: k.name for k in index.kecamatan_by_id.values()}
        except WilayahEmpty:
            names = {}
    return render_page(language, listing, names, zone, notice)


async def list_scheduled(update: Update, context: BotContext) -> None:
    """/terjadwal: the first page of the scheduled broadcasts I see, a cancel button on those I control."""
    found = await require_coordinator(update, context)
    if found is None:
        return
    identity, scope = found
    text, markup = await _listing(context, identity.language, scope)
    await reply(update, text, reply_markup=markup)


async def scheduled_button(update: Update, context: BotContext) -> None:
    """Buttons of /terjadwal: turn the page; cancel, asking first (role and scope checked again)."""
    query = update.callback_query
    assert query is not None
    found = await require_coordinator(update, context)
    if found is None:
        await query.answer()
        return
    identity, scope = found
    language = identity.language
    parts = SCHEDULED.decode(query.data)
    action, value = (parts[0], parse_id(parts[1])) if parts is not None and len(parts) == 2 else ("", None)
    if value is None or action not in {ASK, YES, NO, PAGE}:
        await answer_stale(update, language)
        return
    await query.answer()
    if action == PAGE:
        text, markup = await _listing(context, language, scope, page=value - 1)  # buttons count from 1
    elif action == NO:
        text, markup = await _listing(
            context, language, scope, near=value, notice=render(language, "sched.kept")
        )
    elif action == ASK:
        text, markup = await _ask(context, language, scope, value)
    else:
        text, markup = await _cancel(context, language, scope, value, identity.telegram_user_id)
    try:
        await query.edit_message_text(text, parse_mode=PARSE_MODE, reply_markup=markup)
    except BadRequest as error:
        # A page button pressed twice (or a forged page past the end, shown as the last page) changes nothing.
        if "not modified" not in error.message.lower():
            raise


async def _ask(
    context: BotContext, language: str, scope: CoordinatorScope, broadcast_id: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The confirmation question, or the list with a refusal when it is not (any more) mine to cancel."""
    async with context.read() as session:
        rows = {r.id: r for r in await broadcasts.scheduled_broadcasts(session, scope)}
    row = rows.get(broadcast_id)
    if row is None or not row.cancellable:
        notice = render(language, "sched.not_cancellable")
        return await _listing(context, language, scope, near=broadcast_id, notice=notice)
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    render(language, "sched.button_yes"), callback_data=SCHEDULED.encode(YES, broadcast_id)
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
    return text, keyboard


async def _cancel(
    context: BotContext, language: str, scope: CoordinatorScope, broadcast_id: int, actor: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    """Cancel it, then show the list as it now is, on the page where it was."""
    try:
        async with context.transaction() as session:
            cancelled = await broadcasts.cancel_broadcast(session, broadcast_id, scope=scope, actor=actor)
    except (broadcasts.NotCancellable, broadcasts.OutOfScope):
        notice = render(language, "sched.not_cancellable")
        return await _listing(context, language, scope, near=broadcast_id, notice=notice)
    context.bot_data.scheduler.unschedule(broadcast_id)
    for reminder_id in cancelled.also_cancelled:
        context.bot_data.scheduler.unschedule(reminder_id)
    notice = render(language, "sched.cancelled", id=broadcast_id)
    return await _listing(context, language, scope, near=cancelled, notice=notice)
