"""/tugas_baru: the wizard a coordinator writes a duty with (title → due → completion → audience → kecamatan →
reminders → summary → save), on the shared scaffold (bot/runtime/wizard.py: draft, re-check, /batal, timeout,
kecamatan picker)."""

import html
from dataclasses import dataclass, field
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot.broadcasts.audience import Audience, AudienceKind, count_audience
from bot.core.regions import WilayahEmpty, load_wilayah_index
from bot.core.scope import OutOfScope
from bot.core.timeparse import EXAMPLES, TimeParseError, parse_send_time
from bot.duties.audience import DUTY_KINDS
from bot.duties.creating import DESCRIPTION_MAX, TITLE_MAX, DutySpec, create_duty, scoped_spec
from bot.duties.reminder_specs import NOW_SPEC, planned_reminders
from bot.runtime.context import BotContext
from bot.runtime.guards import require_coordinator
from bot.runtime.wizard import KecamatanPicker, Wizard, WizardStep, answer_stale
from bot.texts import Safe, render, render_plain
from bot.texts.formatting import date_time, number
from handlers.common import PARSE_MODE, reply
from handlers.duties.callbacks import (
    CANCEL,
    NEXT,
    SAVE,
    WIZARD_BUTTON,
    WizardPart,
    read_wizard_button,
    wizard_button,
    wizard_pattern,
)
from handlers.duties.common import zone_of
from handlers.duties.wording import compose_reminder, reminder_label
from models import DutyCompletion

TITLE, DUE, COMPLETION, AUDIENCE, KECAMATAN, REMINDERS, CONFIRM = range(7)
REMINDER_CHOICES = ("now", "7d", "3d", "1d", "07:00")


@dataclass
class DutyDraft:
    """The duty being composed, kept in the coordinator's own user_data."""

    title: str = ""
    description: str = ""
    due_at: datetime | None = None
    completion: DutyCompletion = DutyCompletion.DESA
    kind: AudienceKind = AudienceKind.PPS
    kecamatan_ids: set[int] = field(default_factory=set)
    reminders: list[str] = field(default_factory=lambda: ["now", "7d", "1d", "07:00"])

    def spec(self) -> DutySpec:
        assert self.due_at is not None
        return DutySpec(
            title=self.title,
            due_at=self.due_at,
            kind=self.kind,
            kecamatan_ids=tuple(sorted(self.kecamatan_ids)),
            completion=self.completion,
            reminders=tuple(r for r in REMINDER_CHOICES if r in self.reminders),
            description=self.description,
        )


WIZARD = Wizard(
    "tugas_baru",
    DutyDraft,
    guard=require_coordinator,
    cancelled_key="duty.new.cancelled",
    timeout_key="duty.new.timeout",
)
PICKER = KecamatanPicker(WIZARD_BUTTON)
Step = WizardStep[DutyDraft]


async def new_duty(update: Update, context: BotContext) -> int:
    """/tugas_baru: ask for the title."""
    step = await WIZARD.begin(update, context, DutyDraft())
    if step is None:
        return ConversationHandler.END
    await reply(update, render(step.language, "duty.new.ask_title"))
    return TITLE


async def receive_title(update: Update, context: BotContext) -> int:
    """The first line is the title, the rest the description."""
    step = await WIZARD.step(update, context)
    message = update.effective_message
    if step is None or message is None:
        return ConversationHandler.END
    language = step.language
    title, _, description = (message.text or "").strip().partition("\n")
    title, description = " ".join(title.split()), description.strip()
    if not title:
        await reply(update, render(language, "duty.new.empty_title"))
        return TITLE
    if len(title) > TITLE_MAX or len(description) > DESCRIPTION_MAX:
        await reply(
            update,
            render(
                language,
                "duty.new.too_long",
                title_max=TITLE_MAX,
                description_max=DESCRIPTION_MAX,
            ),
        )
        return TITLE
    step.draft.title, step.draft.description = title, description
    await reply(update, render(language, "duty.new.ask_due", examples=", ".join(EXAMPLES)))
    return DUE


async def receive_due(update: Update, context: BotContext) -> int:
    """The due time, read like a broadcast time (WIB unless said otherwise); never in the past."""
    step = await WIZARD.step(update, context)
    message = update.effective_message
    if step is None or message is None or message.text is None:
        return ConversationHandler.END
    language = step.language
    now = context.clock.now()
    try:
        due_at = parse_send_time(message.text, now=now, zone=zone_of(context))
    except TimeParseError as error:
        if error.code == "in_past":
            shown = f"{error.params.get('when', message.text)} {error.params.get('zone', '')}".strip()
            await reply(update, render(language, "duty.new.due_in_past", time=shown))
        elif error.code == "too_far":
            await reply(update, render(language, "duty.new.due_too_far"))
        else:
            await reply(
                update,
                render(language, "duty.new.due_error", text=message.text, examples=", ".join(EXAMPLES)),
            )
        return DUE
    if due_at <= now:
        await reply(update, render(language, "duty.new.due_in_past", time=message.text))
        return DUE
    step.draft.due_at = due_at
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    render_plain(language, f"duty.completion.{c.value}"),
                    callback_data=wizard_button(WizardPart.COMPLETION, c.value),
                )
            ]
            for c in (DutyCompletion.DESA, DutyCompletion.MEMBER)
        ]
    )
    await reply(update, render(language, "duty.new.ask_completion"), reply_markup=keyboard)
    return COMPLETION


async def choose_completion(update: Update, context: BotContext) -> int:
    """Per desa or per member."""
    step = await WIZARD.step(update, context)
    if step is None:
        return ConversationHandler.END
    query = update.callback_query
    assert query is not None
    language = step.language
    value = read_wizard_button(WizardPart.COMPLETION, query.data)
    completion = next((c for c in DutyCompletion if c.value == value), None)
    if completion is None:
        await answer_stale(update, language)
        return COMPLETION
    await query.answer()
    step.draft.completion = completion
    await query.edit_message_text(
        render(language, f"duty.completion.{completion.value}"), parse_mode=PARSE_MODE
    )
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    render_plain(language, f"duty.audience.{kind.value}"),
                    callback_data=wizard_button(WizardPart.AUDIENCE, kind.value),
                )
            ]
            for kind in DUTY_KINDS
        ]
    )
    await _send(update, render(language, "duty.new.ask_audience"), keyboard)
    return AUDIENCE


async def _send(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> Message:
    chat = update.effective_chat
    assert chat is not None
    return await chat.send_message(text, parse_mode=PARSE_MODE, reply_markup=markup)


def _reminder_keyboard(draft: DutyDraft, language: str) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                ("✅ " if choice in draft.reminders else "▫️ ") + reminder_label(language, choice),
                callback_data=wizard_button(WizardPart.REMINDERS, i),
            )
        ]
        for i, choice in enumerate(REMINDER_CHOICES)
    ]
    rows.append(
        [
            InlineKeyboardButton(
                render_plain(language, "duty.new.button_next"),
                callback_data=wizard_button(WizardPart.REMINDERS, NEXT),
            )
        ]
    )
    return InlineKeyboardMarkup(rows)


async def _ask_reminders(update: Update, step: Step) -> int:
    await _send(
        update, render(step.language, "duty.new.ask_reminders"), _reminder_keyboard(step.draft, step.language)
    )
    return REMINDERS


async def choose_audience(update: Update, context: BotContext) -> int:
    """All PPS or Ketua only; regency coordinators then choose kecamatan, PPK go on to the reminders."""
    step = await WIZARD.step(update, context)
    if step is None:
        return ConversationHandler.END
    query = update.callback_query
    assert query is not None
    language, draft = step.language, step.draft
    value = read_wizard_button(WizardPart.AUDIENCE, query.data)
    kind = next((k for k in DUTY_KINDS if k.value == value), None)
    if kind is None:
        await answer_stale(update, language)
        return AUDIENCE
    await query.answer()
    draft.kind = kind
    if step.scope.regency_wide:
        await query.edit_message_text(
            render(language, "duty.new.ask_kecamatan"),
            parse_mode=PARSE_MODE,
            reply_markup=await PICKER.keyboard(
                context, draft.kecamatan_ids, render_plain(language, "duty.new.button_next")
            ),
        )
        return KECAMATAN
    draft.kecamatan_ids = set(step.scope.narrow(()))
    await query.edit_message_text(render(language, f"duty.audience.{kind.value}"), parse_mode=PARSE_MODE)
    return await _ask_reminders(update, step)


async def toggle_kecamatan(update: Update, context: BotContext) -> int:
    """Toggle one kecamatan, or go on to the reminders with 'Lanjut' (none chosen = every kecamatan)."""
    step = await WIZARD.step(update, context)
    if step is None:
        return ConversationHandler.END
    language = step.language
    next_label = render_plain(language, "duty.new.button_next")
    if await PICKER.press(update, context, step.draft.kecamatan_ids, next_label, language):
        return await _ask_reminders(update, step)
    return KECAMATAN


async def toggle_reminder(update: Update, context: BotContext) -> int:
    """Toggle one reminder, or show the summary with 'Lanjut'."""
    step = await WIZARD.step(update, context)
    if step is None:
        return ConversationHandler.END
    query = update.callback_query
    assert query is not None
    draft, language = step.draft, step.language
    choice = read_wizard_button(WizardPart.REMINDERS, query.data)
    spec = {str(i): choice for i, choice in enumerate(REMINDER_CHOICES)}.get(choice or "")
    if spec is None and choice != NEXT:
        await answer_stale(update, language)
        return REMINDERS
    await query.answer()
    if spec is not None:
        if spec in draft.reminders:
            draft.reminders.remove(spec)
        else:
            draft.reminders.append(spec)
        await query.edit_message_reply_markup(_reminder_keyboard(draft, language))
        return REMINDERS
    await query.edit_message_reply_markup(None)
    return await _summary(update, context, step)


async def _audience_text(context: BotContext, language: str, draft: DutyDraft) -> str:
    label = render_plain(language, f"duty.audience.{draft.kind.value}")
    if not draft.kecamatan_ids:
        return label
    async with context.read() as session:
        try:
            index = await load_wilayah_index(session, with_desa=False)
        except WilayahEmpty:
            return label
    names = sorted(index.kecamatan_by_id[i].name for i in draft.kecamatan_ids if i in index.kecamatan_by_id)
    return f"{label} · {', '.join(names)}"


async def _summary(update: Update, context: BotContext, step: Step) -> int:
    """What will be saved: the duty, who it reaches now, and when each reminder goes; Simpan / Batal."""
    draft, language, scope = step.draft, step.language, step.scope
    now, zone = context.clock.now(), zone_of(context)
    try:
        spec = scoped_spec(draft.spec(), scope)
    except OutOfScope:
        await _send(update, render(language, "coordinator.out_of_scope", kecamatan=scope.kecamatan or ""))
        return ConversationHandler.END
    async with context.read() as session:
        count = await count_audience(
            session, Audience(kind=spec.kind, kecamatan_ids=spec.kecamatan_ids), now=now, zone=zone
        )
    planned = planned_reminders(spec.reminders, spec.due_at, now=now, zone=zone)
    reminder_lines = [
        render(
            language,
            "duty.new.reminder_line" if r.will_send else "duty.new.reminder_skipped",
            label=reminder_label(language, r.spec),
            when=render(language, "duty.new.when_now")
            if r.spec == NOW_SPEC
            else date_time(r.at, language, zone),
        )
        for r in planned
    ] or [render(language, "duty.new.no_reminders")]
    text = render(
        language,
        "duty.new.summary",
        title=spec.title,
        description=Safe("\n" + html.escape(spec.description, quote=False)) if spec.description else "",
        due=date_time(spec.due_at, language, zone),
        audience=await _audience_text(context, language, draft),
        completion=render(language, f"duty.completion.{spec.completion.value}"),
        recipients=number(count.recipients, language),
        not_registered=number(count.not_registered, language),
        reminders=Safe("\n".join(reminder_lines)),
    )
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    render_plain(language, "duty.new.button_save"),
                    callback_data=wizard_button(WizardPart.SAVE, SAVE),
                ),
                InlineKeyboardButton(
                    render_plain(language, "duty.new.button_cancel"),
                    callback_data=wizard_button(WizardPart.SAVE, CANCEL),
                ),
            ]
        ]
    )
    await _send(update, text, keyboard)
    return CONFIRM


async def confirm(update: Update, context: BotContext) -> int:
    """Simpan (store the duty, schedule its reminders) or Batal."""
    step = await WIZARD.step(update, context)
    if step is None:
        return ConversationHandler.END
    query = update.callback_query
    assert query is not None
    draft, language, scope = step.draft, step.language, step.scope
    await query.answer()
    WIZARD.drop(context)
    if read_wizard_button(WizardPart.SAVE, query.data) != SAVE:
        await query.edit_message_text(render(language, "duty.new.cancelled"), parse_mode=PARSE_MODE)
        return ConversationHandler.END
    message = query.message
    assert isinstance(message, Message)
    try:
        async with context.transaction() as session:
            created = await create_duty(
                session,
                draft.spec(),
                scope=scope,
                compose=compose_reminder,
                created_by=step.identity.telegram_user_id,
                creator_chat_id=message.chat_id,
                now=context.clock.now(),
                zone=zone_of(context),
                language=language,
            )
    except OutOfScope:
        await query.edit_message_text(
            render(language, "coordinator.out_of_scope", kecamatan=scope.kecamatan or ""),
            parse_mode=PARSE_MODE,
        )
        return ConversationHandler.END
    # Jobs first (a "now" reminder starts sending at once), then the confirmation.
    for reminder in created.reminders:
        await context.bot_data.scheduler.submit(reminder.broadcast_id, reminder.send_at)
    await query.edit_message_text(
        render(
            language,
            "duty.new.saved",
            id=created.id,
            title=created.title,
            reminders=number(len(created.reminders), language),
        ),
        parse_mode=PARSE_MODE,
    )
    return ConversationHandler.END


def wizard() -> "ConversationHandler[BotContext]":
    """The /tugas_baru conversation."""
    text = filters.TEXT & ~filters.COMMAND
    return WIZARD.conversation(
        CommandHandler("tugas_baru", new_duty),
        {
            TITLE: [MessageHandler(text, receive_title)],
            DUE: [MessageHandler(text, receive_due)],
            COMPLETION: [
                CallbackQueryHandler(choose_completion, pattern=wizard_pattern(WizardPart.COMPLETION))
            ],
            AUDIENCE: [CallbackQueryHandler(choose_audience, pattern=wizard_pattern(WizardPart.AUDIENCE))],
            KECAMATAN: [CallbackQueryHandler(toggle_kecamatan, pattern=PICKER.pattern)],
            REMINDERS: [CallbackQueryHandler(toggle_reminder, pattern=wizard_pattern(WizardPart.REMINDERS))],
            CONFIRM: [CallbackQueryHandler(confirm, pattern=wizard_pattern(WizardPart.SAVE))],
        },
    )
