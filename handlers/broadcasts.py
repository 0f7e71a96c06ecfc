"""Coordinator broadcasts: the /umumkan wizard, /terjadwal with cancel, progress and delivery reports."""

import io
import warnings
from dataclasses import dataclass, field
from datetime import datetime

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.broadcasts import compose as broadcasts
from bot.broadcasts.audience import Audience, AudienceKind
from bot.core.identity import CoordinatorScope, Identity
from bot.core.regions import WilayahEmpty, load_wilayah_index
from bot.core.timeparse import EXAMPLES, TimeParseError, parse_send_time
from bot.runtime.context import BotApplication, BotContext
from bot.texts import render
from bot.texts.formatting import date_time, number
from handlers.common import PARSE_MODE, coordinator_identity, reply
from models import BroadcastStatus

COMPOSE, AUDIENCE, KECAMATAN, WHEN, CONFIRM = range(5)
DRAFT_KEY = "broadcast_draft"
PREFIX = "um:"
SCHEDULE_PREFIX = "tj:"
UNDELIVERED_PREFIX = "bu:"
AUDIENCE_KINDS = [
    AudienceKind.ALL,
    AudienceKind.PPS,
    AudienceKind.KETUA,
    AudienceKind.PPK,
    AudienceKind.NOT_CHECKED_IN,
]
# Above this many lines the list of who did not receive a broadcast goes as a file, never cut off.
LIST_AS_FILE_OVER = 40


@dataclass
class Draft:
    """The announcement being composed, kept in the coordinator's own user_data."""

    body_html: str = ""
    media_kind: str | None = None
    media_file_id: str | None = None
    kind: AudienceKind = AudienceKind.ALL
    kecamatan_ids: set[int] = field(default_factory=set)
    send_at: datetime | None = None
    include_late: bool = False

    @property
    def audience(self) -> Audience:
        return Audience(kind=self.kind, kecamatan_ids=tuple(sorted(self.kecamatan_ids)))


def _placeholder_list() -> str:
    return " ".join("{" + name + "}" for name in broadcasts.PLACEHOLDERS)


def _draft(context: BotContext) -> Draft | None:
    assert context.user_data is not None
    draft = context.user_data.get(DRAFT_KEY)
    return draft if isinstance(draft, Draft) else None


async def _wizard_button(
    update: Update, context: BotContext
) -> tuple[CallbackQuery, str, Identity, CoordinatorScope, Draft] | None:
    """A wizard button press, re-checked: still a coordinator (role and scope), and a draft in progress."""
    query = update.callback_query
    assert query is not None and query.data is not None
    found = await coordinator_identity(update, context)
    draft = _draft(context)
    if found is None or draft is None:
        await query.answer()
        return None
    return query, query.data, found[0], found[1], draft


async def start(update: Update, context: BotContext) -> int:
    """/umumkan: ask for the message."""
    found = await coordinator_identity(update, context)
    if found is None:
        return ConversationHandler.END
    identity, _ = found
    assert context.user_data is not None
    context.user_data[DRAFT_KEY] = Draft()
    await reply(update, render(identity.language, "bc.ask_message", placeholders=_placeholder_list()))
    return COMPOSE


async def receive_message(update: Update, context: BotContext) -> int:
    """Take the text (or photo/document with caption), refusing unknown placeholders at once."""
    found = await coordinator_identity(update, context)
    draft = _draft(context)
    if found is None or draft is None:
        return ConversationHandler.END
    identity, scope = found
    language = identity.language
    message = update.effective_message
    assert message is not None
    if message.photo:
        draft.media_kind, draft.media_file_id = "photo", message.photo[-1].file_id
        draft.body_html = message.caption_html or ""
    elif message.document is not None:
        draft.media_kind, draft.media_file_id = "document", message.document.file_id
        draft.body_html = message.caption_html or ""
    else:
        draft.media_kind = draft.media_file_id = None
        draft.body_html = message.text_html or ""
    if not draft.body_html.strip() and draft.media_kind is None:
        await reply(update, render(language, "bc.empty_message"))
        return COMPOSE
    unknown = broadcasts.unknown_placeholders(draft.body_html)
    if unknown:
        names = ", ".join("{" + name + "}" for name in unknown)
        await reply(
            update, render(language, "bc.unknown_placeholders", names=names, placeholders=_placeholder_list())
        )
        return COMPOSE
    if scope.kecamatan_id is not None:
        draft.kecamatan_ids = {scope.kecamatan_id}
    buttons = [
        [
            InlineKeyboardButton(
                render(language, f"bc.audience.{kind.value}"), callback_data=f"{PREFIX}a:{kind.value}"
            )
        ]
        for kind in AUDIENCE_KINDS
    ]
    await reply(update, render(language, "bc.ask_audience"), reply_markup=InlineKeyboardMarkup(buttons))
    return AUDIENCE


async def _kecamatan_keyboard(context: BotContext, draft: Draft, language: str) -> InlineKeyboardMarkup:
    async with context.transaction() as session:
        try:
            index = await load_wilayah_index(session, with_desa=False)
        except WilayahEmpty:
            index = None
    kecamatan = sorted(index.kecamatan_by_id.values(), key=lambda k: k.name) if index else []
    rows: list[list[InlineKeyboardButton]] = []
    for i in range(0, len(kecamatan), 2):
        rows.append(
            [
                InlineKeyboardButton(
                    ("✅ " if k.id in draft.kecamatan_ids else "") + k.name, callback_data=f"{PREFIX}k:{k.id}"
                )
                for k in kecamatan[i : i + 2]
            ]
        )
    rows.append([InlineKeyboardButton(render(language, "bc.button_next"), callback_data=f"{PREFIX}k:ok")])
    return InlineKeyboardMarkup(rows)


async def choose_audience(update: Update, context: BotContext) -> int:
    """An audience button: regency coordinators then choose kecamatan; PPK go straight to the time."""
    step = await _wizard_button(update, context)
    if step is None:
        return ConversationHandler.END
    query, data, identity, scope, draft = step
    language = identity.language
    try:
        draft.kind = AudienceKind(data.removeprefix(f"{PREFIX}a:"))
    except ValueError:
        await query.answer(render(language, "error.stale_button"), show_alert=True)
        return AUDIENCE
    await query.answer()
    if scope.regency_wide:
        await query.edit_message_text(
            render(language, "bc.ask_kecamatan"),
            parse_mode=PARSE_MODE,
            reply_markup=await _kecamatan_keyboard(context, draft, language),
        )
        return KECAMATAN
    await query.edit_message_text(render(language, f"bc.audience.{draft.kind.value}"))
    return await _ask_when(update, language)


async def toggle_kecamatan(update: Update, context: BotContext) -> int:
    """Toggle one kecamatan in the selection, or go on with 'Lanjut'."""
    step = await _wizard_button(update, context)
    if step is None:
        return ConversationHandler.END
    query, data, identity, _, draft = step
    language = identity.language
    choice = data.removeprefix(f"{PREFIX}k:")
    await query.answer()
    if choice == "ok":
        await query.edit_message_reply_markup(None)
        return await _ask_when(update, language)
    if choice.isdigit():
        draft.kecamatan_ids ^= {int(choice)}
    await query.edit_message_reply_markup(await _kecamatan_keyboard(context, draft, language))
    return KECAMATAN


async def _ask_when(update: Update, language: str) -> int:
    message = update.effective_message
    assert message is not None
    keyboard = InlineKeyboardMarkup(
        [[InlineKeyboardButton(render(language, "bc.button_now"), callback_data=f"{PREFIX}w:now")]]
    )
    await message.chat.send_message(
        render(language, "bc.ask_when", examples=", ".join(EXAMPLES)),
        parse_mode=PARSE_MODE,
        reply_markup=keyboard,
    )
    return WHEN


async def send_now(update: Update, context: BotContext) -> int:
    """'Kirim sekarang'."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    draft = _draft(context)
    if draft is None:
        return ConversationHandler.END
    draft.send_at = None
    await query.edit_message_reply_markup(None)
    return await _preview(update, context)


async def receive_time(update: Update, context: BotContext) -> int:
    """A typed time in WIB, parsed forgivingly; never in the past."""
    found = await coordinator_identity(update, context)
    draft = _draft(context)
    message = update.effective_message
    if found is None or draft is None or message is None or message.text is None:
        return ConversationHandler.END
    identity, _ = found
    language = identity.language
    zone = context.config.scheduler.timezone
    now = context.clock.now()
    try:
        send_at = parse_send_time(message.text, now=now, zone=zone)
    except TimeParseError as error:
        if error.code == "in_past":
            shown = f"{error.params.get('when', message.text)} {error.params.get('zone', '')}".strip()
            await reply(update, render(language, "bc.time_in_past", time=shown))
        elif error.code == "too_far":
            await reply(update, render(language, "bc.time_too_far"))
        else:
            await reply(
                update, render(language, "bc.time_error", text=message.text, examples=", ".join(EXAMPLES))
            )
        return WHEN
    draft.send_at = None if send_at <= now else send_at
    return await _preview(update, context)


def _confirm_keyboard(language: str, draft: Draft) -> InlineKeyboardMarkup:
    late = render(language, "bc.yes" if draft.include_late else "bc.no")
    send_key = "bc.button_send" if draft.send_at is None else "bc.button_schedule"
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    render(language, "bc.button_late", late=late), callback_data=f"{PREFIX}c:late"
                )
            ],
            [
                InlineKeyboardButton(render(language, send_key), callback_data=f"{PREFIX}c:send"),
                InlineKeyboardButton(render(language, "bc.button_cancel"), callback_data=f"{PREFIX}c:cancel"),
            ],
        ]
    )


def _when_text(context: BotContext, language: str, send_at: datetime | None) -> str:
    if send_at is None:
        return render(language, "bc.when_now")
    return date_time(send_at, language, context.config.scheduler.timezone)


async def _summary_text(
    context: BotContext, language: str, draft: Draft, count: broadcasts.AudienceCount
) -> str:
    return render(
        language,
        "bc.summary",
        recipients=number(count.recipients, language),
        not_registered=number(count.not_registered, language),
        unreachable=number(count.unreachable, language),
        when=_when_text(context, language, draft.send_at),
        late=render(language, "bc.yes" if draft.include_late else "bc.no"),
    )


async def _preview(update: Update, context: BotContext) -> int:
    """Show the message exactly as a recipient will see it, then the count and Kirim / Batal."""
    found = await coordinator_identity(update, context)
    draft = _draft(context)
    chat = update.effective_chat
    if found is None or draft is None or chat is None:
        return ConversationHandler.END
    identity, scope = found
    language = identity.language
    try:
        async with context.transaction() as session:
            audience, count, sample = await broadcasts.check_compose(
                session,
                body_html=draft.body_html,
                media_kind=draft.media_kind,
                audience=draft.audience,
                scope=scope,
                now=draft.send_at or context.clock.now(),
                zone=context.config.scheduler.timezone,
                default_language=context.config.bot.default_language,
            )
    except broadcasts.TooLong as error:
        await chat.send_message(
            render(
                language,
                "bc.too_long",
                length=number(error.length, language),
                limit=number(error.limit, language),
            ),
            parse_mode=PARSE_MODE,
        )
        return COMPOSE
    except broadcasts.OutOfScope:
        await chat.send_message(
            render(language, "coordinator.out_of_scope", kecamatan=scope.kecamatan or ""),
            parse_mode=PARSE_MODE,
        )
        return ConversationHandler.END
    if sample is None and draft.send_at is None:
        await chat.send_message(render(language, "bc.nobody"), parse_mode=PARSE_MODE)
        return AUDIENCE
    draft.kind, draft.kecamatan_ids = audience.kind, set(audience.kecamatan_ids)
    if sample is not None:
        await chat.send_message(render(language, "bc.preview_intro", name=sample.nama), parse_mode=PARSE_MODE)
        text = broadcasts.personalise(draft.body_html, sample)
        if draft.media_kind == "photo":
            await chat.send_photo(draft.media_file_id or "", caption=text, parse_mode=PARSE_MODE)
        elif draft.media_kind == "document":
            await chat.send_document(draft.media_file_id or "", caption=text, parse_mode=PARSE_MODE)
        else:
            await chat.send_message(text, parse_mode=PARSE_MODE)
    await chat.send_message(
        await _summary_text(context, language, draft, count),
        parse_mode=PARSE_MODE,
        reply_markup=_confirm_keyboard(language, draft),
    )
    return CONFIRM


async def confirm(update: Update, context: BotContext) -> int:
    """Kirim (store and start or schedule), Batal, or flip 'also for late registrants'."""
    step = await _wizard_button(update, context)
    if step is None:
        return ConversationHandler.END
    query, data, identity, scope, draft = step
    language = identity.language
    action = data.removeprefix(f"{PREFIX}c:")
    await query.answer()
    if action == "late":
        draft.include_late = not draft.include_late
        await query.edit_message_reply_markup(_confirm_keyboard(language, draft))
        return CONFIRM
    assert context.user_data is not None
    context.user_data.pop(DRAFT_KEY, None)
    if action != "send":
        await query.edit_message_text(render(language, "bc.cancelled"), parse_mode=PARSE_MODE)
        return ConversationHandler.END
    message = query.message
    assert isinstance(message, Message)
    now = context.clock.now()
    send_at = draft.send_at or now
    try:
        async with context.transaction() as session:
            audience, count, _ = await broadcasts.check_compose(
                session,
                body_html=draft.body_html,
                media_kind=draft.media_kind,
                audience=draft.audience,
                scope=scope,
                now=send_at,
                zone=context.config.scheduler.timezone,
                default_language=context.config.bot.default_language,
            )
            broadcast_id = await broadcasts.create_broadcast(
                session,
                body_html=draft.body_html,
                media_kind=draft.media_kind,
                media_file_id=draft.media_file_id,
                audience=audience,
                send_at=send_at,
                now=now,
                created_by=identity.telegram_user_id,
                creator_chat_id=message.chat_id,
                language=language,
                include_late=draft.include_late,
                progress=(message.chat_id, message.message_id),
            )
    except broadcasts.ComposeError:
        await query.edit_message_text(render(language, "bc.cancelled"), parse_mode=PARSE_MODE)
        return ConversationHandler.END
    if draft.send_at is None:
        await query.edit_message_text(
            render(
                language, "bc.progress", id=broadcast_id, sent=0, total=number(count.recipients, language)
            ),
            parse_mode=PARSE_MODE,
        )
    else:
        await query.edit_message_text(
            render(
                language,
                "bc.scheduled",
                id=broadcast_id,
                when=_when_text(context, language, draft.send_at),
                recipients=number(count.recipients, language),
            ),
            parse_mode=PARSE_MODE,
        )
    await context.bot_data.scheduler.submit(broadcast_id, send_at)
    return ConversationHandler.END


async def cancel_conversation(update: Update, context: BotContext) -> int:
    """/batal: drop the draft."""
    assert context.user_data is not None
    context.user_data.pop(DRAFT_KEY, None)
    found = await coordinator_identity(update, context)
    if found is not None:
        await reply(update, render(found[0].language, "bc.conversation_cancelled"))
    return ConversationHandler.END


async def conversation_timed_out(update: Update, context: BotContext) -> None:
    """The wizard was left unfinished."""
    if context.user_data is not None:
        context.user_data.pop(DRAFT_KEY, None)
    found = await coordinator_identity(update, context)
    chat = update.effective_chat
    if found is not None and chat is not None:
        await chat.send_message(render(found[0].language, "bc.conversation_timeout"), parse_mode=PARSE_MODE)


# -- /terjadwal ---------------------------------------------------------------------------------------


def _audience_label(language: str, audience: Audience, names: dict[int, str]) -> str:
    label = render(language, f"bc.audience.{audience.kind.value}")
    if audience.kecamatan_ids:
        label += " · " + ", ".join(names.get(i, str(i)) for i in audience.kecamatan_ids)
    return label


async def list_scheduled(update: Update, context: BotContext) -> None:
    """/terjadwal: scheduled broadcasts in my scope, each with a cancel button."""
    found = await coordinator_identity(update, context)
    if found is None:
        return
    identity, scope = found
    language = identity.language
    async with context.transaction() as session:
        rows = await broadcasts.scheduled_broadcasts(session, scope)
        try:
            names = {
                k.id: k.name
                for k in (await load_wilayah_index(session, with_desa=False)).kecamatan_by_id.values()
            }
        except WilayahEmpty:
            names = {}
    if not rows:
        await reply(update, render(language, "sched.none"))
        return
    # One message per broadcast keeps every cancel button next to what it cancels.
    await reply(update, render(language, "sched.title"))
    for row in rows[:50]:
        text = render(
            language,
            "sched.line",
            id=row.id,
            when=_when_text(context, language, row.send_at),
            audience=_audience_label(language, row.audience, names),
            first_line=row.first_line,
        )
        button = InlineKeyboardButton(
            render(language, "sched.button_cancel", id=row.id), callback_data=f"{SCHEDULE_PREFIX}x:{row.id}"
        )
        await reply(update, text, reply_markup=InlineKeyboardMarkup([[button]]))


async def scheduled_button(update: Update, context: BotContext) -> None:
    """Cancel buttons of /terjadwal: ask first, then cancel (role and scope checked again)."""
    query = update.callback_query
    assert query is not None and query.data is not None
    found = await coordinator_identity(update, context)
    if found is None:
        await query.answer()
        return
    identity, scope = found
    language = identity.language
    action, _, raw_id = query.data.removeprefix(SCHEDULE_PREFIX).partition(":")
    if not raw_id.isdigit() or action not in {"x", "y", "n"}:
        await query.answer(render(language, "error.stale_button"), show_alert=True)
        return
    broadcast_id = int(raw_id)
    await query.answer()
    if action == "n":
        await query.edit_message_text(render(language, "sched.kept"), parse_mode=PARSE_MODE)
        return
    if action == "x":
        async with context.transaction() as session:
            rows = {r.id: r for r in await broadcasts.scheduled_broadcasts(session, scope)}
        row = rows.get(broadcast_id)
        if row is None:
            await query.edit_message_text(render(language, "sched.not_cancellable"), parse_mode=PARSE_MODE)
            return
        keyboard = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        render(language, "sched.button_yes"),
                        callback_data=f"{SCHEDULE_PREFIX}y:{broadcast_id}",
                    ),
                    InlineKeyboardButton(
                        render(language, "sched.button_no"),
                        callback_data=f"{SCHEDULE_PREFIX}n:{broadcast_id}",
                    ),
                ]
            ]
        )
        text = render(
            language,
            "sched.confirm",
            id=broadcast_id,
            when=_when_text(context, language, row.send_at),
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


# -- progress and reports (called by the outbox and the scheduler) -----------------------------------


async def report_progress(application: BotApplication, broadcast_id: int, final: bool) -> None:
    """Edit the coordinator's preview message: 'terkirim 512 dari 1.035', then the final report."""
    factory = application.bot_data.session_factory
    async with factory() as session:
        report = await broadcasts.delivery_report(session, broadcast_id)
        target = await broadcasts.progress_target(session, broadcast_id)
    if target is None:
        return
    chat_id, message_id, language, status, error = target
    numbers = {
        "id": broadcast_id,
        "sent": number(report.sent, language),
        "total": number(report.total, language),
    }
    markup = None
    if status is BroadcastStatus.FAILED:
        text = render(language, "bc.stopped", error=error or "", **numbers)
    elif final:
        text = render(
            language,
            "bc.report",
            blocked=number(report.blocked, language),
            failed=number(report.failed, language),
            **numbers,
        )
        if report.resent_after_crash:
            text += render(language, "bc.report_resent", resent=number(report.resent_after_crash, language))
        if report.blocked or report.failed or report.cancelled:
            markup = InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton(
                            render(language, "bc.button_undelivered"),
                            callback_data=f"{UNDELIVERED_PREFIX}{broadcast_id}",
                        )
                    ]
                ]
            )
    else:
        text = render(language, "bc.progress", **numbers)
    await application.bot.edit_message_text(
        text, chat_id=chat_id, message_id=message_id, parse_mode=PARSE_MODE, reply_markup=markup
    )


async def report_missed(application: BotApplication, broadcast_id: int) -> None:
    """Tell the broadcast's coordinator (or the regency admins, for the program) that it was missed."""
    config = application.bot_data.config
    async with application.bot_data.session_factory() as session:
        missed = await broadcasts.missed_notice(session, broadcast_id)
    if missed is None:
        return
    chat_id, language, send_at, line = missed
    text = render(
        language,
        "bc.missed",
        id=broadcast_id,
        when=date_time(send_at, language, config.scheduler.timezone),
        first_line=line,
    )
    for target in [chat_id] if chat_id is not None else list(config.bot.admins):
        await application.bot.send_message(target, text, parse_mode=PARSE_MODE)


async def show_undelivered(update: Update, context: BotContext) -> None:
    """The button under a report: who did not receive it (as a file when long)."""
    query = update.callback_query
    assert query is not None and query.data is not None
    found = await coordinator_identity(update, context)
    if found is None:
        await query.answer()
        return
    identity, scope = found
    language = identity.language
    raw = query.data.removeprefix(UNDELIVERED_PREFIX)
    if not raw.isdigit():
        await query.answer(render(language, "error.stale_button"), show_alert=True)
        return
    broadcast_id = int(raw)
    async with context.transaction() as session:
        rows = await broadcasts.undelivered(session, broadcast_id, scope=scope)
    await query.answer()
    chat = update.effective_chat
    assert chat is not None
    if not rows:
        await chat.send_message(
            render(language, "bc.undelivered_none", id=broadcast_id), parse_mode=PARSE_MODE
        )
        return
    lines = [
        render(language, "bc.undelivered_line", kecamatan=k, name=n, phone=p, status=s) for k, n, p, s in rows
    ]
    title = render(language, "bc.undelivered_title", id=broadcast_id)
    if len(lines) > LIST_AS_FILE_OVER:
        body = "\n".join([title, *lines]).encode("utf-8")
        await chat.send_document(io.BytesIO(body), filename=f"tidak-menerima-{broadcast_id}.txt")
        return
    await chat.send_message(
        render(language, "bc.undelivered_title", id=broadcast_id) + "\n" + "\n".join(lines),
        parse_mode=PARSE_MODE,
    )


def _wizard() -> "ConversationHandler[BotContext]":
    return ConversationHandler(
        entry_points=[CommandHandler("umumkan", start)],
        states={
            COMPOSE: [
                MessageHandler(
                    (filters.TEXT & ~filters.COMMAND) | filters.PHOTO | filters.Document.ALL, receive_message
                )
            ],
            AUDIENCE: [CallbackQueryHandler(choose_audience, pattern=f"^{PREFIX}a:")],
            KECAMATAN: [CallbackQueryHandler(toggle_kecamatan, pattern=f"^{PREFIX}k:")],
            WHEN: [
                CallbackQueryHandler(send_now, pattern=f"^{PREFIX}w:now$"),
                MessageHandler(filters.TEXT & ~filters.COMMAND, receive_time),
            ],
            CONFIRM: [CallbackQueryHandler(confirm, pattern=f"^{PREFIX}c:")],
            ConversationHandler.TIMEOUT: [MessageHandler(filters.ALL, conversation_timed_out)],
        },
        fallbacks=[CommandHandler("batal", cancel_conversation)],
        conversation_timeout=30 * 60,
        name="umumkan",
    )


def register(application: BotApplication) -> None:
    """Add the broadcast wizard, /terjadwal and the report buttons."""
    with warnings.catch_warnings():
        # PTB warns that callback buttons are tracked per chat, not per message; per chat is what we want.
        warnings.filterwarnings("ignore", message="If 'per_message=False'", category=PTBUserWarning)
        wizard = _wizard()
    application.add_handler(wizard)
    application.add_handler(CommandHandler("terjadwal", list_scheduled))
    application.add_handler(CallbackQueryHandler(scheduled_button, pattern=f"^{SCHEDULE_PREFIX}"))
    application.add_handler(CallbackQueryHandler(show_undelivered, pattern=f"^{UNDELIVERED_PREFIX}"))
