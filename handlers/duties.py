"""Duties: /tugas for members, /tugas_baru and /rekap_tugas for coordinators, reminder buttons, the digest."""

import html
import logging
import warnings
from dataclasses import dataclass, field
from datetime import datetime, time
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters
from telegram.warnings import PTBUserWarning

from bot.broadcasts.audience import Audience, AudienceKind, count_audience
from bot.core.identity import CoordinatorScope, Identity
from bot.core.regions import WilayahEmpty, load_wilayah_index
from bot.core.timeparse import EXAMPLES, TimeParseError, parse_send_time
from bot.duties import rules as duties
from bot.runtime.context import BotApplication, BotContext
from bot.texts import Safe, render, render_plain
from bot.texts.formatting import date_time, number, percent
from handlers.common import PARSE_MODE, coordinator_identity, current_identity, reply, scope_label
from models import DutyCompletion

log = logging.getLogger(__name__)

TITLE, DUE, COMPLETION, AUDIENCE, KECAMATAN, REMINDERS, CONFIRM = range(7)
DRAFT_KEY = "duty_draft"
WIZARD_PREFIX = "tb:"
RECAP_PREFIX = "rt:"
REMINDER_CHOICES = ("now", "7d", "3d", "1d", "07:00")
BUTTON_TITLE_MAX = 40
# A note under a reminder says what the member did with it; a new note replaces the old one.
NOTE_SEPARATOR = "\n\n— "
DIGEST_JOB = "duty:digest"
# A digest lists at most this many desa per duty (a kecamatan has about 30; the rest is counted).
DIGEST_DESA_SHOWN = 60


def _short(title: str) -> str:
    return title if len(title) <= BUTTON_TITLE_MAX else title[: BUTTON_TITLE_MAX - 1] + "…"


def _zone(context: BotContext) -> ZoneInfo:
    return context.config.scheduler.timezone


async def _edit(message: Message, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Edit a message; a press that changes nothing is not an error."""
    try:
        await message.edit_text(text, parse_mode=PARSE_MODE, reply_markup=markup)
    except BadRequest as error:
        if "not modified" not in error.message.lower():
            raise


# -- /tugas and the buttons under reminders -------------------------------------------------------------


def _who(language: str, mark: duties.DoneMark) -> str:
    return render(language, "duty.by_me") if mark.by_me else mark.name


async def _duty_list(
    context: BotContext, language: str, member_id: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    now, zone = context.clock.now(), _zone(context)
    async with context.transaction() as session:
        rows = await duties.member_duties(session, member_id)
    if not rows:
        return render(language, "duty.list.none"), None
    lines = [render(language, "duty.list.title")]
    buttons: list[list[InlineKeyboardButton]] = []
    open_rows = [row for row in rows if row.done is None]
    if open_rows:
        lines.append(render(language, "duty.list.open_heading"))
    for n, row in enumerate(open_rows, start=1):
        lines.append(
            render(
                language,
                "duty.list.open_line",
                n=n,
                title=row.title,
                due=date_time(row.due_at, language, zone),
                left=duties.due_phrase(language, row.due_at, now, zone),
                how=Safe(render(language, "duty.list.how.member"))
                if row.completion is DutyCompletion.MEMBER
                else "",
            )
        )
        if row.link:
            lines.append(render(language, "duty.list.link", link=row.link))
        buttons.append(
            [
                InlineKeyboardButton(
                    render_plain(language, "duty.list.button_done", n=n, title=_short(row.title)),
                    callback_data=duties.callback_data(duties.DONE, row.id, duties.FROM_LIST),
                )
            ]
        )
    done_rows = [row for row in rows if row.done is not None]
    if done_rows:
        lines.append(render(language, "duty.list.done_heading"))
    for row in done_rows:
        assert row.done is not None
        lines.append(
            render(
                language,
                "duty.list.done_line",
                title=row.title,
                who=_who(language, row.done),
                when=date_time(row.done.at, language, zone),
            )
        )
        if row.can_undo(now):
            buttons.append(
                [
                    InlineKeyboardButton(
                        render_plain(language, "duty.list.button_undo", title=_short(row.title)),
                        callback_data=duties.callback_data(duties.UNDO, row.id, duties.FROM_LIST),
                    )
                ]
            )
    if open_rows:
        lines.append(render(language, "duty.list.hint"))
    return "\n".join(lines), InlineKeyboardMarkup(buttons) if buttons else None


async def list_duties(update: Update, context: BotContext) -> None:
    """/tugas: my duties, open ones with due date and days left and a button to mark them done."""
    identity = await current_identity(update, context)
    if identity.member is None:
        key = "duty.list.coordinator" if identity.coordinator is not None else "error.not_registered"
        await reply(update, render(identity.language, key))
        return
    text, markup = await _duty_list(context, identity.language, identity.member.id)
    await reply(update, text, reply_markup=markup)


def _note(message: Message, note: str) -> str:
    """The reminder as sent, with this note under it (replacing an earlier note)."""
    return (message.text_html or "").split(NOTE_SEPARATOR)[0] + NOTE_SEPARATOR + note


def _undo_keyboard(language: str, duty_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    render_plain(language, "duty.button.undo"),
                    callback_data=duties.callback_data(duties.UNDO, duty_id),
                )
            ]
        ]
    )


def _done_keyboard(language: str, duty_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    render_plain(language, "duty.button.done"),
                    callback_data=duties.callback_data(duties.DONE, duty_id),
                )
            ]
        ]
    )


def _shows(message: Message, data: str) -> bool:
    markup = message.reply_markup
    return markup is not None and any(b.callback_data == data for row in markup.inline_keyboard for b in row)


def _mark_note(language: str, mark: duties.DoneMark, zone: ZoneInfo) -> str:
    when = date_time(mark.at, language, zone)
    if mark.by_me:
        return render(language, "duty.note.done_by_me", when=when)
    return render(language, "duty.note.done_by_mate", name=mark.name, when=when)


async def duty_button(update: Update, context: BotContext) -> None:
    """Selesai / Ingatkan besok / Batalkan, under a reminder or in /tugas: checked again on every press."""
    query = update.callback_query
    assert query is not None and query.data is not None
    identity = await current_identity(update, context)
    language = identity.language
    parsed = duties.parse_callback(query.data)
    if parsed is None:
        await query.answer(render_plain(language, "error.stale_button"), show_alert=True)
        return
    if identity.member is None:
        await query.answer(render_plain(language, "duty.not_member"), show_alert=True)
        return
    action, duty_id, origin = parsed
    member_id = identity.member.id
    # The message is only edited when it shows the pressed button (a forged press changes nothing on it).
    message = (
        query.message if isinstance(query.message, Message) and _shows(query.message, query.data) else None
    )
    now, zone = context.clock.now(), _zone(context)
    snoozed: duties.Snoozed | None = None
    try:
        async with context.transaction() as session:
            if action == duties.DONE:
                mark = await duties.mark_done(session, duty_id, member_id, now=now)
                answer = render_plain(language, "duty.answer.done", title=mark.title)
                note, markup = _mark_note(language, mark, zone), _undo_keyboard(language, duty_id)
                if mark.completion is DutyCompletion.DESA:
                    note += render(language, "duty.note.desa_told")
                note += render(
                    language, "duty.note.undo_hint", minutes=int(duties.UNDO_WINDOW.total_seconds() // 60)
                )
            elif action == duties.UNDO:
                title = await duties.undo_done(session, duty_id, member_id, now=now)
                answer = render_plain(language, "duty.answer.undone", title=title)
                note, markup = render(language, "duty.note.undone"), _done_keyboard(language, duty_id)
            else:
                snoozed = await duties.snooze(
                    session, duty_id, member_id, now=now, zone=zone, language=language
                )
                when = date_time(snoozed.until, language, zone)
                answer = render_plain(language, "duty.answer.snoozed", when=when)
                note, markup = (
                    render(language, "duty.note.snoozed", when=when),
                    _done_keyboard(language, duty_id),
                )
    except duties.NotYourDuty:
        await query.answer(render_plain(language, "duty.answer.not_yours"), show_alert=True)
        if message is not None and origin == duties.FROM_REMINDER:
            await _edit(message, _note(message, render(language, "duty.note.withdrawn")), None)
        return
    except duties.AlreadyDone as error:
        mark = error.mark
        who = render_plain(language, "duty.by_me") if mark.by_me else mark.name
        await query.answer(
            render_plain(
                language,
                "duty.answer.already",
                title=mark.title,
                who=who,
                when=date_time(mark.at, language, zone),
            ),
            show_alert=True,
        )
        if message is not None and origin == duties.FROM_REMINDER:
            await _edit(message, _note(message, _mark_note(language, mark, zone)), None)
        elif message is not None:
            text, list_markup = await _duty_list(context, language, member_id)
            await _edit(message, text, list_markup)
        return
    except duties.SnoozePastDue as error:
        due = date_time(error.due_at, language, zone)
        await query.answer(render_plain(language, "duty.answer.snooze_past_due", due=due), show_alert=True)
        return
    except duties.NothingToUndo:
        await query.answer(render_plain(language, "duty.answer.nothing_to_undo"), show_alert=True)
        return
    except duties.UndoExpired:
        minutes = int(duties.UNDO_WINDOW.total_seconds() // 60)
        await query.answer(
            render_plain(language, "duty.answer.undo_expired", minutes=minutes), show_alert=True
        )
        if message is not None and origin == duties.FROM_REMINDER:
            await _edit(message, message.text_html or "", None)
        elif message is not None:
            text, list_markup = await _duty_list(context, language, member_id)
            await _edit(message, text, list_markup)
        return
    if snoozed is not None:
        scheduler = context.bot_data.scheduler
        for old in snoozed.cancelled:
            scheduler.unschedule(old)
        await scheduler.submit(snoozed.reminder.broadcast_id, snoozed.reminder.send_at)
    await query.answer(answer)
    if message is None:
        return
    if origin == duties.FROM_REMINDER:
        await _edit(message, _note(message, note), markup)
    else:
        text, list_markup = await _duty_list(context, language, member_id)
        await _edit(message, text, list_markup)


# -- /rekap_tugas ------------------------------------------------------------------------------------------


def _unit(language: str, completion: DutyCompletion) -> str:
    return render(language, f"duty.unit.{completion.value}")


def _share(language: str, done: int, total: int) -> str:
    return percent(done / total, language) if total else "–"


async def recap(update: Update, context: BotContext) -> None:
    """/rekap_tugas: per duty, done / total in my scope; a button per duty for the details."""
    found = await coordinator_identity(update, context)
    if found is None:
        return
    identity, scope = found
    text, markup = await _recap_list(context, identity.language, scope)
    await reply(update, text, reply_markup=markup)


async def _recap_list(
    context: BotContext, language: str, scope: CoordinatorScope
) -> tuple[str, InlineKeyboardMarkup | None]:
    zone = _zone(context)
    async with context.transaction() as session:
        rows = await duties.duty_recap(session, scope)
    if not rows:
        return render(language, "duty.recap.none"), None
    lines = [render(language, "duty.recap.title", scope=scope_label(language, scope))]
    buttons = []
    for n, row in enumerate(rows, start=1):
        lines.append(
            render(
                language,
                "duty.recap.line",
                n=n,
                title=row.title,
                due=date_time(row.due_at, language, zone),
                done=number(row.done, language),
                total=number(row.total, language),
                unit=_unit(language, row.completion),
                share=_share(language, row.done, row.total),
            )
        )
        buttons.append(
            [
                InlineKeyboardButton(
                    render_plain(language, "duty.recap.button", n=n, title=_short(row.title)),
                    callback_data=f"{RECAP_PREFIX}d:{row.id}",
                )
            ]
        )
    lines.append(render(language, "duty.recap.hint"))
    return "\n".join(lines), InlineKeyboardMarkup(buttons)


async def _recap_duty(
    context: BotContext, language: str, scope: CoordinatorScope, duty_id: int
) -> tuple[str, InlineKeyboardMarkup] | None:
    if scope.kecamatan_id is not None:
        return await _recap_kecamatan(context, language, scope, duty_id, scope.kecamatan_id)
    zone = _zone(context)
    async with context.transaction() as session:
        progress = await duties.duty_progress(session, duty_id, scope)
    if progress is None:
        return None
    unit = _unit(language, progress.completion)
    lines = [
        render(
            language,
            "duty.recap.duty_title",
            title=progress.title,
            due=date_time(progress.due_at, language, zone),
            done=number(progress.done, language),
            total=number(progress.total, language),
            unit=unit,
            share=_share(language, progress.done, progress.total),
        )
    ]
    buttons: list[list[InlineKeyboardButton]] = []
    for line in progress.kecamatan:
        lines.append(
            render(
                language,
                "duty.recap.kecamatan_line",
                kecamatan=line.name,
                done=number(line.done, language),
                total=number(line.total, language),
            )
        )
    pending = [line for line in progress.kecamatan if line.done < line.total]
    for i in range(0, len(pending), 2):
        buttons.append(
            [
                InlineKeyboardButton(
                    render_plain(
                        language,
                        "duty.recap.kecamatan_button",
                        kecamatan=line.name,
                        pending=line.total - line.done,
                    ),
                    callback_data=f"{RECAP_PREFIX}k:{duty_id}:{line.kecamatan_id}",
                )
                for line in pending[i : i + 2]
            ]
        )
    if pending:
        lines.append(render(language, "duty.recap.kecamatan_hint"))
    buttons.append(
        [InlineKeyboardButton(render_plain(language, "duty.recap.back"), callback_data=f"{RECAP_PREFIX}l")]
    )
    return "\n".join(lines), InlineKeyboardMarkup(buttons)


async def _recap_kecamatan(
    context: BotContext, language: str, scope: CoordinatorScope, duty_id: int, kecamatan_id: int
) -> tuple[str, InlineKeyboardMarkup] | None:
    zone = _zone(context)
    async with context.transaction() as session:
        detail = await duties.kecamatan_detail(session, duty_id, kecamatan_id, scope)
    if detail is None:
        return None
    duty, line = detail.duty, detail.kecamatan
    lines = [
        render(
            language,
            "duty.recap.desa_title",
            title=duty.title,
            kecamatan=line.name,
            due=date_time(duty.due_at, language, zone),
            done=number(line.done, language),
            total=number(line.total, language),
            unit=_unit(language, duty.completion),
        )
    ]
    pending = detail.pending
    if not pending:
        lines.append(render(language, "duty.recap.all_done"))
    else:
        lines.append(render(language, "duty.recap.pending_heading", count=number(len(pending), language)))
        for desa in pending:
            if duty.completion is DutyCompletion.DESA:
                lines.append(render(language, "duty.recap.desa_line", desa=desa.name))
            else:
                lines.append(
                    render(
                        language,
                        "duty.recap.desa_members_line",
                        desa=desa.name,
                        done=desa.done,
                        total=desa.total,
                        names=", ".join(desa.missing),
                    )
                )
    back = f"{RECAP_PREFIX}d:{duty_id}" if scope.regency_wide else f"{RECAP_PREFIX}l"
    markup = InlineKeyboardMarkup(
        [[InlineKeyboardButton(render_plain(language, "duty.recap.back"), callback_data=back)]]
    )
    return "\n".join(lines), markup


async def recap_button(update: Update, context: BotContext) -> None:
    """Buttons of /rekap_tugas: a duty per kecamatan, a kecamatan's desa not done, back (scope checked again)."""
    query = update.callback_query
    assert query is not None and query.data is not None
    found = await coordinator_identity(update, context)
    if found is None:
        await query.answer()
        return
    identity, scope = found
    language = identity.language
    message = query.message if isinstance(query.message, Message) else None
    parts = query.data.removeprefix(RECAP_PREFIX).split(":")
    shown: tuple[str, InlineKeyboardMarkup | None] | None = None
    try:
        if parts == ["l"]:
            shown = await _recap_list(context, language, scope)
        elif len(parts) == 2 and parts[0] == "d" and parts[1].isdigit():
            shown = await _recap_duty(context, language, scope, int(parts[1]))
        elif len(parts) == 3 and parts[0] == "k" and parts[1].isdigit() and parts[2].isdigit():
            shown = await _recap_kecamatan(context, language, scope, int(parts[1]), int(parts[2]))
    except duties.OutOfScope:
        await query.answer(
            render_plain(language, "coordinator.out_of_scope", kecamatan=scope.kecamatan or ""),
            show_alert=True,
        )
        return
    if shown is None:
        await query.answer(render_plain(language, "error.stale_button"), show_alert=True)
        return
    await query.answer()
    if message is not None:
        await _edit(message, *shown)


# -- /tugas_baru -------------------------------------------------------------------------------------------


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

    def spec(self) -> duties.DutySpec:
        assert self.due_at is not None
        return duties.DutySpec(
            title=self.title,
            due_at=self.due_at,
            kind=self.kind,
            kecamatan_ids=tuple(sorted(self.kecamatan_ids)),
            completion=self.completion,
            reminders=tuple(r for r in REMINDER_CHOICES if r in self.reminders),
            description=self.description,
        )


def _draft(context: BotContext) -> DutyDraft | None:
    assert context.user_data is not None
    draft = context.user_data.get(DRAFT_KEY)
    return draft if isinstance(draft, DutyDraft) else None


async def new_duty(update: Update, context: BotContext) -> int:
    """/tugas_baru: ask for the title."""
    found = await coordinator_identity(update, context)
    if found is None:
        return ConversationHandler.END
    assert context.user_data is not None
    context.user_data[DRAFT_KEY] = DutyDraft()
    await reply(update, render(found[0].language, "duty.new.ask_title"))
    return TITLE


async def receive_title(update: Update, context: BotContext) -> int:
    """The first line is the title, the rest the description."""
    found = await coordinator_identity(update, context)
    draft = _draft(context)
    message = update.effective_message
    if found is None or draft is None or message is None:
        return ConversationHandler.END
    language = found[0].language
    title, _, description = (message.text or "").strip().partition("\n")
    title, description = " ".join(title.split()), description.strip()
    if not title:
        await reply(update, render(language, "duty.new.empty_title"))
        return TITLE
    if len(title) > duties.TITLE_MAX or len(description) > duties.DESCRIPTION_MAX:
        await reply(
            update,
            render(
                language,
                "duty.new.too_long",
                title_max=duties.TITLE_MAX,
                description_max=duties.DESCRIPTION_MAX,
            ),
        )
        return TITLE
    draft.title, draft.description = title, description
    await reply(update, render(language, "duty.new.ask_due", examples=", ".join(EXAMPLES)))
    return DUE


async def receive_due(update: Update, context: BotContext) -> int:
    """The due time, read like a broadcast time (WIB unless said otherwise); never in the past."""
    found = await coordinator_identity(update, context)
    draft = _draft(context)
    message = update.effective_message
    if found is None or draft is None or message is None or message.text is None:
        return ConversationHandler.END
    language = found[0].language
    now = context.clock.now()
    try:
        due_at = parse_send_time(message.text, now=now, zone=_zone(context))
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
    draft.due_at = due_at
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    render_plain(language, f"duty.completion.{c.value}"),
                    callback_data=f"{WIZARD_PREFIX}c:{c.value}",
                )
            ]
            for c in (DutyCompletion.DESA, DutyCompletion.MEMBER)
        ]
    )
    await reply(update, render(language, "duty.new.ask_completion"), reply_markup=keyboard)
    return COMPLETION


async def choose_completion(update: Update, context: BotContext) -> int:
    """Per desa or per member."""
    query = update.callback_query
    found = await coordinator_identity(update, context)
    draft = _draft(context)
    assert query is not None and query.data is not None
    if found is None or draft is None:
        await query.answer()
        return ConversationHandler.END
    language = found[0].language
    value = query.data.removeprefix(f"{WIZARD_PREFIX}c:")
    completion = next((c for c in DutyCompletion if c.value == value), None)
    if completion is None:
        await query.answer(render_plain(language, "error.stale_button"), show_alert=True)
        return COMPLETION
    await query.answer()
    draft.completion = completion
    await query.edit_message_text(
        render(language, f"duty.completion.{completion.value}"), parse_mode=PARSE_MODE
    )
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    render_plain(language, f"duty.audience.{kind.value}"),
                    callback_data=f"{WIZARD_PREFIX}a:{kind.value}",
                )
            ]
            for kind in duties.DUTY_KINDS
        ]
    )
    await _send(update, render(language, "duty.new.ask_audience"), keyboard)
    return AUDIENCE


async def _send(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> Message:
    chat = update.effective_chat
    assert chat is not None
    return await chat.send_message(text, parse_mode=PARSE_MODE, reply_markup=markup)


async def _kecamatan_keyboard(context: BotContext, draft: DutyDraft, language: str) -> InlineKeyboardMarkup:
    async with context.transaction() as session:
        try:
            index = await load_wilayah_index(session, with_desa=False)
        except WilayahEmpty:
            index = None
    kecamatan = sorted(index.kecamatan_by_id.values(), key=lambda k: k.name) if index else []
    rows = [
        [
            InlineKeyboardButton(
                ("✅ " if k.id in draft.kecamatan_ids else "") + k.name,
                callback_data=f"{WIZARD_PREFIX}k:{k.id}",
            )
            for k in kecamatan[i : i + 2]
        ]
        for i in range(0, len(kecamatan), 2)
    ]
    rows.append(
        [
            InlineKeyboardButton(
                render_plain(language, "duty.new.button_next"), callback_data=f"{WIZARD_PREFIX}k:ok"
            )
        ]
    )
    return InlineKeyboardMarkup(rows)


def _reminder_keyboard(draft: DutyDraft, language: str) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                ("✅ " if choice in draft.reminders else "▫️ ") + duties.reminder_label(language, choice),
                callback_data=f"{WIZARD_PREFIX}r:{i}",
            )
        ]
        for i, choice in enumerate(REMINDER_CHOICES)
    ]
    rows.append(
        [
            InlineKeyboardButton(
                render_plain(language, "duty.new.button_next"), callback_data=f"{WIZARD_PREFIX}r:ok"
            )
        ]
    )
    return InlineKeyboardMarkup(rows)


async def choose_audience(update: Update, context: BotContext) -> int:
    """All PPS or Ketua only; regency coordinators then choose kecamatan, PPK go on to the reminders."""
    query = update.callback_query
    found = await coordinator_identity(update, context)
    draft = _draft(context)
    assert query is not None and query.data is not None
    if found is None or draft is None:
        await query.answer()
        return ConversationHandler.END
    identity, scope = found
    language = identity.language
    value = query.data.removeprefix(f"{WIZARD_PREFIX}a:")
    kind = next((k for k in duties.DUTY_KINDS if k.value == value), None)
    if kind is None:
        await query.answer(render_plain(language, "error.stale_button"), show_alert=True)
        return AUDIENCE
    await query.answer()
    draft.kind = kind
    if scope.regency_wide:
        await query.edit_message_text(
            render(language, "duty.new.ask_kecamatan"),
            parse_mode=PARSE_MODE,
            reply_markup=await _kecamatan_keyboard(context, draft, language),
        )
        return KECAMATAN
    assert scope.kecamatan_id is not None
    draft.kecamatan_ids = {scope.kecamatan_id}
    await query.edit_message_text(render(language, f"duty.audience.{kind.value}"), parse_mode=PARSE_MODE)
    await _send(update, render(language, "duty.new.ask_reminders"), _reminder_keyboard(draft, language))
    return REMINDERS


async def toggle_kecamatan(update: Update, context: BotContext) -> int:
    """Toggle one kecamatan, or go on to the reminders with 'Lanjut' (none chosen = every kecamatan)."""
    query = update.callback_query
    found = await coordinator_identity(update, context)
    draft = _draft(context)
    assert query is not None and query.data is not None
    if found is None or draft is None:
        await query.answer()
        return ConversationHandler.END
    language = found[0].language
    choice = query.data.removeprefix(f"{WIZARD_PREFIX}k:")
    await query.answer()
    if choice == "ok":
        await query.edit_message_reply_markup(None)
        await _send(update, render(language, "duty.new.ask_reminders"), _reminder_keyboard(draft, language))
        return REMINDERS
    if choice.isdigit():
        draft.kecamatan_ids ^= {int(choice)}
    await query.edit_message_reply_markup(await _kecamatan_keyboard(context, draft, language))
    return KECAMATAN


async def toggle_reminder(update: Update, context: BotContext) -> int:
    """Toggle one reminder, or show the summary with 'Lanjut'."""
    query = update.callback_query
    found = await coordinator_identity(update, context)
    draft = _draft(context)
    assert query is not None and query.data is not None
    if found is None or draft is None:
        await query.answer()
        return ConversationHandler.END
    identity, scope = found
    language = identity.language
    choice = query.data.removeprefix(f"{WIZARD_PREFIX}r:")
    await query.answer()
    if choice.isdigit() and int(choice) < len(REMINDER_CHOICES):
        spec = REMINDER_CHOICES[int(choice)]
        if spec in draft.reminders:
            draft.reminders.remove(spec)
        else:
            draft.reminders.append(spec)
        await query.edit_message_reply_markup(_reminder_keyboard(draft, language))
        return REMINDERS
    await query.edit_message_reply_markup(None)
    return await _summary(update, context, identity, scope, draft)


async def _audience_text(context: BotContext, language: str, draft: DutyDraft) -> str:
    label = render_plain(language, f"duty.audience.{draft.kind.value}")
    if not draft.kecamatan_ids:
        return label
    async with context.transaction() as session:
        try:
            index = await load_wilayah_index(session, with_desa=False)
        except WilayahEmpty:
            return label
    names = sorted(index.kecamatan_by_id[i].name for i in draft.kecamatan_ids if i in index.kecamatan_by_id)
    return f"{label} · {', '.join(names)}"


async def _summary(
    update: Update, context: BotContext, identity: Identity, scope: CoordinatorScope, draft: DutyDraft
) -> int:
    language = identity.language
    now, zone = context.clock.now(), _zone(context)
    try:
        spec = duties.scoped_spec(draft.spec(), scope)
    except duties.OutOfScope:
        await _send(update, render(language, "coordinator.out_of_scope", kecamatan=scope.kecamatan or ""))
        return ConversationHandler.END
    async with context.transaction() as session:
        count = await count_audience(
            session, Audience(kind=spec.kind, kecamatan_ids=spec.kecamatan_ids), now=now, zone=zone
        )
    planned = duties.planned_reminders(spec.reminders, spec.due_at, now=now, zone=zone)
    reminder_lines = [
        render(
            language,
            "duty.new.reminder_line" if r.will_send else "duty.new.reminder_skipped",
            label=duties.reminder_label(language, r.spec),
            when=render(language, "duty.new.when_now")
            if r.spec == duties.NOW_SPEC
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
                    render_plain(language, "duty.new.button_save"), callback_data=f"{WIZARD_PREFIX}s:save"
                ),
                InlineKeyboardButton(
                    render_plain(language, "duty.new.button_cancel"), callback_data=f"{WIZARD_PREFIX}s:cancel"
                ),
            ]
        ]
    )
    await _send(update, text, keyboard)
    return CONFIRM


async def confirm(update: Update, context: BotContext) -> int:
    """Simpan (store the duty, schedule its reminders) or Batal."""
    query = update.callback_query
    found = await coordinator_identity(update, context)
    draft = _draft(context)
    assert query is not None and query.data is not None
    if found is None or draft is None:
        await query.answer()
        return ConversationHandler.END
    identity, scope = found
    language = identity.language
    await query.answer()
    assert context.user_data is not None
    context.user_data.pop(DRAFT_KEY, None)
    if query.data != f"{WIZARD_PREFIX}s:save":
        await query.edit_message_text(render(language, "duty.new.cancelled"), parse_mode=PARSE_MODE)
        return ConversationHandler.END
    message = query.message
    assert isinstance(message, Message)
    try:
        async with context.transaction() as session:
            created = await duties.create_duty(
                session,
                draft.spec(),
                scope=scope,
                created_by=identity.telegram_user_id,
                creator_chat_id=message.chat_id,
                now=context.clock.now(),
                zone=_zone(context),
                language=language,
            )
    except duties.OutOfScope:
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


async def cancel_conversation(update: Update, context: BotContext) -> int:
    """/batal: drop the draft."""
    assert context.user_data is not None
    context.user_data.pop(DRAFT_KEY, None)
    found = await coordinator_identity(update, context)
    if found is not None:
        await reply(update, render(found[0].language, "duty.new.cancelled"))
    return ConversationHandler.END


async def conversation_timed_out(update: Update, context: BotContext) -> None:
    """The wizard was left unfinished."""
    if context.user_data is not None:
        context.user_data.pop(DRAFT_KEY, None)
    identity = await current_identity(update, context)
    chat = update.effective_chat
    if chat is not None:
        await chat.send_message(render(identity.language, "duty.new.timeout"), parse_mode=PARSE_MODE)


def _wizard() -> "ConversationHandler[BotContext]":
    text = filters.TEXT & ~filters.COMMAND
    return ConversationHandler(
        entry_points=[CommandHandler("tugas_baru", new_duty)],
        states={
            TITLE: [MessageHandler(text, receive_title)],
            DUE: [MessageHandler(text, receive_due)],
            COMPLETION: [CallbackQueryHandler(choose_completion, pattern=f"^{WIZARD_PREFIX}c:")],
            AUDIENCE: [CallbackQueryHandler(choose_audience, pattern=f"^{WIZARD_PREFIX}a:")],
            KECAMATAN: [CallbackQueryHandler(toggle_kecamatan, pattern=f"^{WIZARD_PREFIX}k:")],
            REMINDERS: [CallbackQueryHandler(toggle_reminder, pattern=f"^{WIZARD_PREFIX}r:")],
            CONFIRM: [CallbackQueryHandler(confirm, pattern=f"^{WIZARD_PREFIX}s:")],
            ConversationHandler.TIMEOUT: [MessageHandler(filters.ALL, conversation_timed_out)],
        },
        fallbacks=[CommandHandler("batal", cancel_conversation)],
        conversation_timeout=30 * 60,
        name="tugas_baru",
    )


# -- jobs: the morning digest and reminder jobs ------------------------------------------------------------


def _digest_text(digest: duties.Digest, zone: ZoneInfo) -> str:
    language = digest.language
    parts = [render(language, "duty.digest.title", kecamatan=digest.kecamatan)]
    for duty in digest.duties:
        shown = duty.pending[:DIGEST_DESA_SHOWN]
        lines = [
            render(language, "duty.digest.desa_line", desa=d.name)
            if duty.completion is DutyCompletion.DESA
            else render(language, "duty.digest.desa_members_line", desa=d.name, done=d.done, total=d.total)
            for d in shown
        ]
        if len(duty.pending) > len(shown):
            lines.append(render(language, "duty.digest.more", count=len(duty.pending) - len(shown)))
        parts.append(
            render(
                language,
                "duty.digest.duty",
                title=duty.title,
                due=date_time(duty.due_at, language, zone),
                pending=number(len(duty.pending), language),
                total=number(duty.total_desa, language),
                lines=Safe("\n".join(lines)),
            )
        )
    parts.append(render(language, "duty.digest.footer"))
    return "\n".join(parts)


async def send_overdue_digest(application: BotApplication) -> int:
    """Send the morning digest of duties that went overdue to their kecamatan's PPK coordinators, once
    (claimed in the database first: a crash while sending loses a digest rather than doubling it)."""
    data = application.bot_data
    zone = data.config.scheduler.timezone
    async with data.session_factory() as session, session.begin():
        digests = await duties.claim_overdue_digests(session, now=data.clock.now(), zone=zone)
    sent = 0
    for digest in digests:
        try:
            await application.bot.send_message(
                digest.chat_id, _digest_text(digest, zone), parse_mode=PARSE_MODE
            )
            sent += 1
        except TelegramError as error:
            log.warning("could not send the duty digest to a coordinator: %s", error.message)
    return sent


async def start_duty_jobs(application: BotApplication) -> None:
    """At start-up (after the scheduler's reconcile): the daily morning job, and this morning's digest if it
    is still owed (the bot was down at 07:00)."""
    job_queue = application.job_queue
    assert job_queue is not None
    zone = application.bot_data.config.scheduler.timezone

    async def daily(context: BotContext) -> None:
        await send_overdue_digest(application)

    for job in job_queue.get_jobs_by_name(DIGEST_JOB):
        job.schedule_removal()
    at = time(duties.DIGEST_TIME.hour, duties.DIGEST_TIME.minute, tzinfo=zone)
    job_queue.run_daily(daily, time=at, name=DIGEST_JOB)
    await send_overdue_digest(application)


def register(application: BotApplication) -> None:
    """Add the duty handlers."""
    with warnings.catch_warnings():
        # PTB warns that callback buttons are tracked per chat, not per message; per chat is what we want.
        warnings.filterwarnings("ignore", message="If 'per_message=False'", category=PTBUserWarning)
        wizard = _wizard()
    application.add_handler(wizard)
    application.add_handler(CommandHandler("tugas", list_duties))
    application.add_handler(CommandHandler("rekap_tugas", recap))
    application.add_handler(CallbackQueryHandler(duty_button, pattern=f"^{duties.CALLBACK_PREFIX}"))
    application.add_handler(CallbackQueryHandler(recap_button, pattern=f"^{RECAP_PREFIX}"))
