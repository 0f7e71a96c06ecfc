"""Duties in people's words: reminder messages with their buttons, due phrases, labels, the export sheet."""

import html
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.attendance.exports import CellValue, SheetTable
from bot.broadcasts.audience import AudienceKind
from bot.broadcasts.compose import Buttons
from bot.duties.creating import ReminderFacts, ReminderMessage
from bot.duties.progress import DutySheetRow
from bot.duties.reminder_specs import REMINDER_TIME, days_left, parse_reminder, snooze_possible
from bot.texts import DEFAULT_LANGUAGE, LANGUAGES, Safe, render, render_plain
from bot.texts.formatting import date_time, zone_label
from handlers.duties.callbacks import DutyAction, duty_button
from models import DutyCompletion


def due_phrase(language: str, due_at: datetime, at: datetime, zone: ZoneInfo) -> str:
    """'hari ini', 'besok', '7 hari lagi', 'lewat tenggat' — how far the due time is from `at`."""
    if at >= due_at:
        return render(language, "duty.left.overdue")
    days = days_left(due_at, at, zone)
    if days <= 0:
        return render(language, "duty.left.today")
    if days == 1:
        return render(language, "duty.left.tomorrow")
    return render(language, "duty.left.days", days=days)


def reminder_label(language: str, spec_text: str) -> str:
    """'7 hari sebelum', 'Pagi hari tenggat (07.00)', 'Sekarang' — a reminder spec for people."""
    spec = parse_reminder(spec_text)
    if spec is None:
        return spec_text
    if spec.now:
        return render(language, "duty.reminder_label.now")
    if spec.hours is not None:
        return render(language, "duty.reminder_label.hours", hours=spec.hours)
    clock = (spec.at or REMINDER_TIME).strftime("%H.%M" if language == "id" else "%H:%M")
    if spec.days == 0:
        return render(language, "duty.reminder_label.due_day", time=clock)
    if spec.at is None:
        return render(language, "duty.reminder_label.days", days=spec.days)
    return render(language, "duty.reminder_label.days_at", days=spec.days, time=clock)


def _reminder_body(language: str, duty: ReminderFacts, at: datetime, zone: ZoneInfo) -> str:
    description = Safe("\n" + html.escape(duty.description, quote=False)) if duty.description else ""
    link = Safe(render(language, "duty.reminder.link", link=duty.link)) if duty.link else ""
    return render(
        language,
        "duty.reminder",
        title=duty.title,
        description=description,
        due=date_time(duty.due_at, language, zone),
        left=due_phrase(language, duty.due_at, at, zone),
        link=link,
        how=Safe(render(language, f"duty.how.{duty.completion.value}")),
    )


def _reminder_buttons(language: str, duty: ReminderFacts, at: datetime) -> list[list[dict[str, str]]]:
    row = [
        {
            "text": render_plain(language, "duty.button.done"),
            "callback_data": duty_button(DutyAction.DONE, duty.duty_id),
        }
    ]
    if snooze_possible(at, duty.due_at):
        row.append(
            {
                "text": render_plain(language, "duty.button.snooze"),
                "callback_data": duty_button(DutyAction.SNOOZE, duty.duty_id),
            }
        )
    rows = [row]
    if duty.link:
        rows.append([{"text": render_plain(language, "duty.button.link"), "url": duty.link}])
    return rows


def compose_reminder(duty: ReminderFacts, send_at: datetime, zone: ZoneInfo) -> ReminderMessage:
    """A duty reminder in every language, with its Selesai / Ingatkan besok / link buttons (plain data)."""
    bodies = {language: _reminder_body(language, duty, send_at, zone) for language in LANGUAGES}
    buttons: Buttons = {language: _reminder_buttons(language, duty, send_at) for language in LANGUAGES}
    return ReminderMessage(bodies[DEFAULT_LANGUAGE], bodies, buttons)


class DutyWording:
    """The words the plan's [[duty]] section needs (a bot.duties.plan_section.DutyWording)."""

    def reminder(self, facts: ReminderFacts, send_at: datetime, zone: ZoneInfo) -> ReminderMessage:
        return compose_reminder(facts, send_at, zone)

    def audience_label(self, language: str, kind: AudienceKind) -> str:
        return render_plain(language, f"duty.audience.{kind.value}")

    def completion_label(self, language: str, completion: DutyCompletion) -> str:
        return render_plain(language, f"duty.completion.{completion.value}")


DUTY_WORDING = DutyWording()


def duties_sheet(rows: Sequence[DutySheetRow], *, language: str, zone: ZoneInfo, now: datetime) -> SheetTable:
    """The duties sheet of the /ekspor workbook, from the rows the rules gave."""
    label = zone_label(zone, now)
    header = (
        render_plain(language, "duty.col.duty"),
        render_plain(language, "duty.col.due", zone=label),
        render_plain(language, "duty.col.kecamatan"),
        render_plain(language, "duty.col.desa"),
        render_plain(language, "duty.col.member"),
        render_plain(language, "duty.col.status"),
        render_plain(language, "duty.col.by"),
        render_plain(language, "duty.col.at", zone=label),
    )
    done_text = render_plain(language, "duty.status.done")
    open_text = render_plain(language, "duty.status.open")
    cells: list[tuple[CellValue, ...]] = [
        (
            row.title,
            row.due_at,
            row.kecamatan,
            row.desa,
            row.member,
            done_text if row.done else open_text,
            row.done_by,
            row.done_at,
        )
        for row in rows
    ]
    return SheetTable(title=render_plain(language, "duty.sheet.title"), header=header, rows=tuple(cells))
