"""/umumkan: the broadcast wizard (message → audience → kecamatan → time → preview with count → send).

Each step computes what it needs once: the placeholders are checked when the text arrives, the scope is
applied once per step (scope.narrow), the preview resolves the audience and loads the recipients' values
once (in a read session), and "send now" stores the broadcast as sending with its deliveries and wakes the
outbox, without passing through the scheduler's scan of due broadcasts.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot.broadcasts import acks
from bot.broadcasts import compose as broadcasts
from bot.broadcasts.audience import Audience, AudienceCount, AudienceKind, count_audience
from bot.core.timeparse import EXAMPLES, TimeParseError, parse_send_time
from bot.runtime.context import BotContext
from bot.runtime.guards import require_coordinator
from bot.runtime.wizard import KecamatanPicker, Wizard, WizardStep, answer_stale
from bot.texts import render
from bot.texts.formatting import number
from handlers.broadcasts.acks import compose_ack
from handlers.broadcasts.buttons import UMUMKAN, when_text
from handlers.common import PARSE_MODE, reply

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

COMPOSE, AUDIENCE, KECAMATAN, WHEN, CONFIRM = range(5)
AUDIENCE_KINDS = [
    AudienceKind.ALL,
    AudienceKind.PPS,
    AudienceKind.KETUA,
    AudienceKind.PPK,
    AudienceKind.NOT_CHECKED_IN,
]
# The parts of the um: buttons (besides the picker's um:k:).
CHOOSE_AUDIENCE, WHEN_BUTTON, CONFIRM_BUTTON = "a", "w", "c"
NOW = "now"
LATE, SEND, CANCEL = "late", "send", "cancel"
ACK, REMIND = "ack", "rem"  # "Minta konfirmasi dibaca" on/off; the reminder's delay, in turn


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
    ack: bool = False
    reminder_hours: int = acks.DEFAULT_REMINDER_HOURS

    @property
    def audience(self) -> Audience:
        return Audience(kind=self.kind, kecamatan_ids=tuple(sorted(self.kecamatan_ids)))


WIZARD = Wizard(
    "umumkan",
    Draft,
    guard=require_coordinator,
    cancelled_key="bc.conversation_cancelled",
    timeout_key="bc.conversation_timeout",
)
PICKER = KecamatanPicker(UMUMKAN)
Step = WizardStep[Draft]


def _placeholder_list() -> str:
    return " ".join("{" + name + "}" for name in broadcasts.PLACEHOLDERS)


def _button(data: str | None, part: str) -> str | None:
    """The value of a um:<part>:<value> button, or None when it is not one (forged or stale)."""
    parts = UMUMKAN.decode(data)
    return parts[1] if parts is not None and len(parts) == 2 and parts[0] == part else None


async def start(update: Update, context: BotContext) -> int:
    """/umumkan: ask for the message."""
    step = await WIZARD.begin(update, context, Draft())
    if step is None:
        return ConversationHandler.END
    await reply(update, render(step.language, "bc.ask_message", placeholders=_placeholder_list()))
    return COMPOSE


async def receive_message(update: Update, context: BotContext) -> int:
    """Take the text (or photo/document with caption), refusing unknown placeholders at once."""
    step = await WIZARD.step(update, context)
    if step is None:
        return ConversationHandler.END
    draft, language = step.draft, step.language
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
    buttons = [
        [
            InlineKeyboardButton(
                render(language, f"bc.audience.{kind.value}"),
                callback_data=UMUMKAN.encode(CHOOSE_AUDIENCE, kind.value),
            )
        ]
        for kind in AUDIENCE_KINDS
    ]
    await reply(update, render(language, "bc.ask_audience"), reply_markup=InlineKeyboardMarkup(buttons))
    return AUDIENCE


async def choose_audience(update: Update, context: BotContext) -> int:
    """An audience button: regency coordinators then choose kecamatan; PPK go straight to the time."""
    step = await WIZARD.step(update, context)
    if step is None:
        return ConversationHandler.END
    query = update.callback_query
    assert query is not None
    language = step.language
    value = _button(query.data, CHOOSE_AUDIENCE)
    kind = next((k for k in AUDIENCE_KINDS if k.value == value), None)
    if kind is None:
        await answer_stale(update, language)
        return AUDIENCE
    step.draft.kind = kind
    await query.answer()
    if step.scope.regency_wide:
        await query.edit_message_text(
            render(language, "bc.ask_kecamatan"),
            parse_mode=PARSE_MODE,
            reply_markup=await PICKER.keyboard(
                context, step.draft.kecamatan_ids, render(language, "bc.button_next")
            ),
        )
        return KECAMATAN
    await query.edit_message_text(render(language, f"bc.audience.{kind.value}"))
    return await _ask_when(update, language)


async def toggle_kecamatan(update: Update, context: BotContext) -> int:
    """Toggle one kecamatan in the selection, or go on with 'Lanjut'."""
    step = await WIZARD.step(update, context)
    if step is None:
        return ConversationHandler.END
    language = step.language
    next_label = render(language, "bc.button_next")
    if await PICKER.press(update, context, step.draft.kecamatan_ids, next_label, language):
        return await _ask_when(update, language)
    return KECAMATAN


async def _ask_when(update: Update, language: str) -> int:
    message = update.effective_message
    assert message is not None
    button = InlineKeyboardButton(
        render(language, "bc.button_now"), callback_data=UMUMKAN.encode(WHEN_BUTTON, NOW)
    )
    await message.chat.send_message(
        render(language, "bc.ask_when", examples=", ".join(EXAMPLES)),
        parse_mode=PARSE_MODE,
        reply_markup=InlineKeyboardMarkup([[button]]),
    )
    return WHEN


async def send_now(update: Update, context: BotContext) -> int:
    """'Kirim sekarang'."""
    step = await WIZARD.step(update, context)
    if step is None:
        return ConversationHandler.END
    query = update.callback_query
    assert query is not None
    await query.answer()
    step.draft.send_at = None
    await query.edit_message_reply_markup(None)
    return await _preview(update, context, step)


async def receive_time(update: Update, context: BotContext) -> int:
    """A typed time in WIB, parsed forgivingly; never in the past."""
    step = await WIZARD.step(update, context)
    message = update.effective_message
    if step is None or message is None or message.text is None:
        return ConversationHandler.END
    language = step.language
    now = context.clock.now()
    try:
        send_at = parse_send_time(message.text, now=now, zone=context.config.scheduler.timezone)
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
    step.draft.send_at = None if send_at <= now else send_at
    return await _preview(update, context, step)


def _reminder_text(language: str, hours: int) -> str:
    """'3 jam setelah dikirim' or 'tidak ada'."""
    if not hours:
        return render(language, "bc.reminder_none")
    return render(language, "bc.reminder_hours", hours=number(hours, language))


def _confirm_keyboard(language: str, draft: Draft) -> InlineKeyboardMarkup:
    late = render(language, "bc.yes" if draft.include_late else "bc.no")
    send_key = "bc.button_send" if draft.send_at is None else "bc.button_schedule"
    ack = render(language, "bc.yes" if draft.ack else "bc.no")
    ack_rows = [
        [
            InlineKeyboardButton(
                render(language, "bc.button_ack", ack=ack), callback_data=UMUMKAN.encode(CONFIRM_BUTTON, ACK)
            )
        ]
    ]
    if draft.ack:
        ack_rows.append(
            [
                InlineKeyboardButton(
                    render(
                        language,
                        "bc.button_ack_reminder",
                        reminder=_reminder_text(language, draft.reminder_hours),
                    ),
                    callback_data=UMUMKAN.encode(CONFIRM_BUTTON, REMIND),
                )
            ]
        )
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    render(language, "bc.button_late", late=late),
                    callback_data=UMUMKAN.encode(CONFIRM_BUTTON, LATE),
                )
            ],
            *ack_rows,
            [
                InlineKeyboardButton(
                    render(language, send_key), callback_data=UMUMKAN.encode(CONFIRM_BUTTON, SEND)
                ),
                InlineKeyboardButton(
                    render(language, "bc.button_cancel"), callback_data=UMUMKAN.encode(CONFIRM_BUTTON, CANCEL)
                ),
            ],
        ]
    )


def _summary_text(context: BotContext, language: str, draft: Draft, count: AudienceCount) -> str:
    return render(
        language,
        "bc.summary",
        recipients=number(count.recipients, language),
        not_registered=number(count.not_registered, language),
        unreachable=number(count.unreachable, language),
        when=when_text(context, language, draft.send_at),
        late=render(language, "bc.yes" if draft.include_late else "bc.no"),
    )


async def _preview(update: Update, context: BotContext, step: Step) -> int:
    """Show the message exactly as a recipient will see it, then the count and Kirim / Batal."""
    chat = update.effective_chat
    assert chat is not None
    draft, language, scope = step.draft, step.language, step.scope
    try:
        audience = broadcasts.narrowed(draft.audience, scope)
        async with context.read() as session:
            shown = await broadcasts.preview(
                session,
                body_html=draft.body_html,
                media_kind=draft.media_kind,
                audience=audience,
                now=draft.send_at or context.clock.now(),
                zone=context.config.scheduler.timezone,
                default_language=context.config.bot.default_language,
            )
    except broadcasts.TooLong as error:
        text = render(
            language,
            "bc.too_long",
            length=number(error.length, language),
            limit=number(error.limit, language),
        )
        await chat.send_message(text, parse_mode=PARSE_MODE)
        return COMPOSE
    except broadcasts.OutOfScope:
        await chat.send_message(
            render(language, "coordinator.out_of_scope", kecamatan=scope.kecamatan or ""),
            parse_mode=PARSE_MODE,
        )
        return ConversationHandler.END
    if shown.sample is None and draft.send_at is None:
        await chat.send_message(render(language, "bc.nobody"), parse_mode=PARSE_MODE)
        return AUDIENCE
    draft.kind, draft.kecamatan_ids = audience.kind, set(audience.kecamatan_ids)
    if shown.sample is not None:
        await chat.send_message(
            render(language, "bc.preview_intro", name=shown.sample.nama), parse_mode=PARSE_MODE
        )
        text = broadcasts.personalise(draft.body_html, shown.sample)
        if draft.media_kind == "photo":
            await chat.send_photo(draft.media_file_id or "", caption=text, parse_mode=PARSE_MODE)
        elif draft.media_kind == "document":
            await chat.send_document(draft.media_file_id or "", caption=text, parse_mode=PARSE_MODE)
        else:
            await chat.send_message(text, parse_mode=PARSE_MODE)
    await chat.send_message(
        _summary_text(context, language, draft, shown.count),
        parse_mode=PARSE_MODE,
        reply_markup=_confirm_keyboard(language, draft),
    )
    return CONFIRM


async def confirm(update: Update, context: BotContext) -> int:
    """Kirim (store and send now, or schedule), Batal, or flip 'also for late registrants', 'Sudah dibaca'
    and its reminder's delay."""
    step = await WIZARD.step(update, context)
    if step is None:
        return ConversationHandler.END
    query = update.callback_query
    assert query is not None
    draft, language = step.draft, step.language
    action = _button(query.data, CONFIRM_BUTTON)
    if action not in {LATE, ACK, REMIND, SEND, CANCEL}:
        await answer_stale(update, language)
        return CONFIRM
    await query.answer()
    if action in {LATE, ACK, REMIND}:
        if action == LATE:
            draft.include_late = not draft.include_late
        elif action == ACK:
            draft.ack = not draft.ack
        elif draft.ack:  # the reminder's delay goes round: none, 1 h, 3 h, 24 h
            choices = acks.REMINDER_HOURS
            at = choices.index(draft.reminder_hours) if draft.reminder_hours in choices else 0
            draft.reminder_hours = choices[(at + 1) % len(choices)]
        await query.edit_message_reply_markup(_confirm_keyboard(language, draft))
        return CONFIRM
    WIZARD.drop(context)
    if action == CANCEL:
        await query.edit_message_text(render(language, "bc.cancelled"), parse_mode=PARSE_MODE)
        return ConversationHandler.END
    message = query.message
    assert isinstance(message, Message)
    try:
        audience = broadcasts.narrowed(draft.audience, step.scope)
    except broadcasts.OutOfScope:
        await query.edit_message_text(render(language, "bc.cancelled"), parse_mode=PARSE_MODE)
        return ConversationHandler.END
    if draft.send_at is None:
        await _send_now(context, step, audience, message)
    else:
        await _schedule(context, step, audience, message, draft.send_at)
    return ConversationHandler.END


async def _send_now(context: BotContext, step: Step, audience: Audience, message: Message) -> None:
    """Store the broadcast as sending with its deliveries, show the progress message, wake the outbox."""
    draft, language = step.draft, step.language
    async with context.transaction() as session:
        created = await broadcasts.create_sending_broadcast(
            session,
            body_html=draft.body_html,
            media_kind=draft.media_kind,
            media_file_id=draft.media_file_id,
            audience=audience,
            now=context.clock.now(),
            zone=context.config.scheduler.timezone,
            created_by=step.identity.telegram_user_id,
            creator_chat_id=message.chat_id,
            language=language,
            include_late=draft.include_late,
            progress=(message.chat_id, message.message_id),
        )
        reminder = await _ask_acknowledgement(session, draft, created.id, context.clock.now())
    await message.edit_text(
        render(language, "bc.progress", id=created.id, sent=0, total=number(created.recipients, language)),
        parse_mode=PARSE_MODE,
    )
    context.bot_data.outbox.wake()
    if reminder is not None:
        await context.bot_data.scheduler.submit(*reminder)


async def _ask_acknowledgement(
    session: "AsyncSession", draft: Draft, broadcast_id: int, sent_at: datetime
) -> tuple[int, datetime] | None:
    """With 'Sudah dibaca' on: the button, and the reminder (its id and time) when one was chosen."""
    if not draft.ack:
        return None
    reminder_at = sent_at + timedelta(hours=draft.reminder_hours) if draft.reminder_hours else None
    reminder_id = await acks.request_acknowledgement(
        session, broadcast_id, compose=compose_ack, reminder_at=reminder_at
    )
    return None if reminder_id is None or reminder_at is None else (reminder_id, reminder_at)


async def _schedule(
    context: BotContext, step: Step, audience: Audience, message: Message, send_at: datetime
) -> None:
    """Store the broadcast as scheduled and give it its job (or start it, if its time passed meanwhile)."""
    draft, language = step.draft, step.language
    zone = context.config.scheduler.timezone
    async with context.transaction() as session:
        broadcast_id = await broadcasts.create_broadcast(
            session,
            body_html=draft.body_html,
            media_kind=draft.media_kind,
            media_file_id=draft.media_file_id,
            audience=audience,
            send_at=send_at,
            now=context.clock.now(),
            created_by=step.identity.telegram_user_id,
            creator_chat_id=message.chat_id,
            language=language,
            include_late=draft.include_late,
            progress=(message.chat_id, message.message_id),
        )
        count = await count_audience(session, audience, now=send_at, zone=zone)
        reminder = await _ask_acknowledgement(session, draft, broadcast_id, send_at)
    text = render(
        language,
        "bc.scheduled",
        id=broadcast_id,
        when=when_text(context, language, send_at),
        recipients=number(count.recipients, language),
    )
    if draft.ack:
        text += render(language, "bc.ack_note", reminder=_reminder_text(language, draft.reminder_hours))
    await message.edit_text(text, parse_mode=PARSE_MODE)
    await context.bot_data.scheduler.submit(broadcast_id, send_at)
    if reminder is not None:
        await context.bot_data.scheduler.submit(*reminder)


def conversation() -> "ConversationHandler[BotContext]":
    """The /umumkan ConversationHandler."""
    return WIZARD.conversation(
        CommandHandler("umumkan", start),
        {
            COMPOSE: [
                MessageHandler(
                    (filters.TEXT & ~filters.COMMAND) | filters.PHOTO | filters.Document.ALL, receive_message
                )
            ],
            AUDIENCE: [CallbackQueryHandler(choose_audience, pattern=f"{UMUMKAN.pattern}{CHOOSE_AUDIENCE}:")],
            KECAMATAN: [CallbackQueryHandler(toggle_kecamatan, pattern=PICKER.pattern)],
            WHEN: [
                CallbackQueryHandler(send_now, pattern=f"{UMUMKAN.pattern}{WHEN_BUTTON}:{NOW}$"),
                MessageHandler(filters.TEXT & ~filters.COMMAND, receive_time),
            ],
            CONFIRM: [CallbackQueryHandler(confirm, pattern=f"{UMUMKAN.pattern}{CONFIRM_BUTTON}:")],
        },
    )
