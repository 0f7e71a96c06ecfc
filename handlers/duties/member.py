"""Members and their duties: /tugas, and the Selesai / Ingatkan besok / Batalkan buttons."""

from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from bot.duties import marking
from bot.duties.marking import DoneMark, Snoozed
from bot.runtime.context import BotContext
from bot.runtime.guards import current_identity
from bot.texts import Safe, render, render_plain
from bot.texts.formatting import date_time
from handlers.common import reply
from handlers.duties.callbacks import DutyAction, Origin, duty_button, read_duty_button
from handlers.duties.common import edit, short, zone_of
from handlers.duties.wording import compose_reminder, due_phrase
from models import DutyCompletion

# A note under a reminder says what the member did with it; a new note replaces the old one.
NOTE_SEPARATOR = "\n\n— "
UNDO_MINUTES = int(marking.UNDO_WINDOW.total_seconds() // 60)


def _who(language: str, mark: DoneMark) -> str:
    return render(language, "duty.by_me") if mark.by_me else mark.name


async def _duty_list(
    context: BotContext, language: str, member_id: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    now, zone = context.clock.now(), zone_of(context)
    async with context.read() as session:
        rows = await marking.member_duties(session, member_id)
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
                left=due_phrase(language, row.due_at, now, zone),
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
                    render_plain(language, "duty.list.button_done", n=n, title=short(row.title)),
                    callback_data=duty_button(DutyAction.DONE, row.id, Origin.LIST),
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
                        render_plain(language, "duty.list.button_undo", title=short(row.title)),
                        callback_data=duty_button(DutyAction.UNDO, row.id, Origin.LIST),
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


def _one_button(language: str, key: str, action: DutyAction, duty_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(render_plain(language, key), callback_data=duty_button(action, duty_id))]]
    )


def _shows(message: Message, data: str) -> bool:
    markup = message.reply_markup
    return markup is not None and any(b.callback_data == data for row in markup.inline_keyboard for b in row)


def _mark_note(language: str, mark: DoneMark, zone: ZoneInfo) -> str:
    when = date_time(mark.at, language, zone)
    if mark.by_me:
        return render(language, "duty.note.done_by_me", when=when)
    return render(language, "duty.note.done_by_mate", name=mark.name, when=when)


async def _refresh(
    message: Message | None, origin: Origin, context: BotContext, language: str, member_id: int
) -> None:
    """After a refused press in /tugas: show the list as it is now."""
    if message is not None and origin is Origin.LIST:
        text, list_markup = await _duty_list(context, language, member_id)
        await edit(message, text, list_markup)


async def press_duty_button(update: Update, context: BotContext) -> None:
    """Selesai / Ingatkan besok / Batalkan, under a reminder or in /tugas: checked again on every press."""
    query = update.callback_query
    assert query is not None and query.data is not None
    identity = await current_identity(update, context)
    language = identity.language
    press = read_duty_button(query.data)
    if press is None:
        await query.answer(render_plain(language, "error.stale_button"), show_alert=True)
        return
    if identity.member is None:
        await query.answer(render_plain(language, "duty.not_member"), show_alert=True)
        return
    duty_id, origin, member_id = press.duty_id, press.origin, identity.member.id
    # The message is only edited when it shows the pressed button (a forged press changes nothing on it).
    message = (
        query.message if isinstance(query.message, Message) and _shows(query.message, query.data) else None
    )
    from_reminder = message is not None and origin is Origin.REMINDER
    now, zone = context.clock.now(), zone_of(context)
    snoozed: Snoozed | None = None
    try:
        async with context.transaction() as session:
            if press.action is DutyAction.DONE:
                mark = await marking.mark_done(session, duty_id, member_id, now=now)
                answer = render_plain(language, "duty.answer.done", title=mark.title)
                note = _mark_note(language, mark, zone)
                markup = _one_button(language, "duty.button.undo", DutyAction.UNDO, duty_id)
                if mark.completion is DutyCompletion.DESA:
                    note += render(language, "duty.note.desa_told")
                note += render(language, "duty.note.undo_hint", minutes=UNDO_MINUTES)
            elif press.action is DutyAction.UNDO:
                title = await marking.undo_done(session, duty_id, member_id, now=now)
                answer = render_plain(language, "duty.answer.undone", title=title)
                note = render(language, "duty.note.undone")
                markup = _one_button(language, "duty.button.done", DutyAction.DONE, duty_id)
            else:
                snoozed = await marking.snooze(
                    session,
                    duty_id,
                    member_id,
                    now=now,
                    zone=zone,
                    language=language,
                    compose=compose_reminder,
                )
                when = date_time(snoozed.until, language, zone)
                answer = render_plain(language, "duty.answer.snoozed", when=when)
                note = render(language, "duty.note.snoozed", when=when)
                markup = _one_button(language, "duty.button.done", DutyAction.DONE, duty_id)
    except marking.NotYourDuty:
        await query.answer(render_plain(language, "duty.answer.not_yours"), show_alert=True)
        if message is not None and from_reminder:
            await edit(message, _note(message, render(language, "duty.note.withdrawn")), None)
        return
    except marking.AlreadyDone as error:
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
        if message is not None and from_reminder:
            await edit(message, _note(message, _mark_note(language, mark, zone)), None)
        await _refresh(message, origin, context, language, member_id)
        return
    except marking.SnoozePastDue as error:
        due = date_time(error.due_at, language, zone)
        await query.answer(render_plain(language, "duty.answer.snooze_past_due", due=due), show_alert=True)
        return
    except marking.NothingToUndo:
        await query.answer(render_plain(language, "duty.answer.nothing_to_undo"), show_alert=True)
        return
    except marking.UndoExpired:
        await query.answer(
            render_plain(language, "duty.answer.undo_expired", minutes=UNDO_MINUTES), show_alert=True
        )
        if message is not None and from_reminder:
            await edit(message, message.text_html or "", None)
        await _refresh(message, origin, context, language, member_id)
        return
    if snoozed is not None:
        scheduler = context.bot_data.scheduler
        for old in snoozed.cancelled:
            scheduler.unschedule(old)
        await scheduler.submit(snoozed.reminder.broadcast_id, snoozed.reminder.send_at)
    await query.answer(answer)
    if message is None:
        return
    if origin is Origin.REMINDER:
        await edit(message, _note(message, note), markup)
    else:
        text, list_markup = await _duty_list(context, language, member_id)
        await edit(message, text, list_markup)
