"""Coordinators' attendance views: /rekap, /rekap <kecamatan>, /ekspor."""

import html
import logging
import re
from datetime import datetime

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CommandHandler

from bot.attendance.chart import ChartFailed, draw_chart_in_child
from bot.attendance.child import ChildFailed, build_in_child
from bot.attendance.exports import attendance_xlsx, report_text
from bot.attendance.recap import (
    AttendanceRecap,
    KecamatanAbsentees,
    Tally,
    absentees_by_name,
    attendance_recap,
    attendance_rows,
)
from bot.core.identity import Identity
from bot.core.phones import display
from bot.core.regions import KecamatanNotFound
from bot.core.scope import CoordinatorScope, OutOfScope
from bot.duties.progress import duty_sheet_rows
from bot.runtime.context import BotApplication, BotContext
from bot.runtime.guards import require_coordinator
from bot.texts import Safe, render, render_plain
from bot.texts.formatting import date_time, number, percent
from handlers.board import board_button
from handlers.broadcasts.acks import send_latest_rate
from handlers.common import PARSE_MODE, fits_one_message, kecamatan_not_found_text, reply, scope_label
from handlers.duties.wording import duties_sheet
from handlers.privacy import ABSENTEES_WITH_PHONES, EXPORT_ATTENDANCE, audit_access

logger = logging.getLogger(__name__)

EXPORT_TIMEOUT = 900.0
"""Seconds the export's child process may take: 150,000 members took about 6 minutes on a 2-core machine at
load average 15 (tests/test_export_busy_e2e.py); a Lebak-sized export takes a second or two."""

_TAG = re.compile(r"<[^>]+>")
_SLUG_GAPS = re.compile(r"[^a-z0-9]+")


def _ratio(tally: Tally, language: str) -> str:
    ratio = tally.present_ratio
    return "–" if ratio is None else percent(ratio, language)


def _stamp(context: BotContext, moment: datetime) -> str:
    """'2024-06-03-0730' in the bot's zone, for file names."""
    return moment.astimezone(context.config.scheduler.timezone).strftime("%Y-%m-%d-%H%M")


def _slug(name: str) -> str:
    return _SLUG_GAPS.sub("-", name.casefold()).strip("-") or "kecamatan"


def _plain(text: str) -> str:
    """Telegram HTML as plain text for a .txt file (every value was escaped, so '<' only opens a tag)."""
    return html.unescape(_TAG.sub("", text))


async def _reply_or_file(
    update: Update,
    text: str,
    *,
    filename: str,
    caption: str,
    personal_data_line: str | None = None,
    markup: InlineKeyboardMarkup | None = None,
) -> None:
    """Send the text as one message, or as a .txt document when Telegram would not take it whole (a file
    holding personal data starts with `personal_data_line`, as every export does)."""
    if fits_one_message(text):
        await reply(update, text, reply_markup=markup)
        return
    message = update.effective_message
    assert message is not None
    content = _plain(text) if personal_data_line is None else f"{personal_data_line}\n\n{_plain(text)}"
    await message.reply_document(
        content.encode("utf-8"),
        filename=filename,
        caption=caption,
        parse_mode=PARSE_MODE,
        reply_markup=markup,
    )


def _recap_text(recap: AttendanceRecap, language: str, scope: CoordinatorScope, when: str) -> str:
    lines = [render(language, "attendance.recap_title", scope=scope_label(language, scope), when=when), ""]
    lines.append(render(language, "attendance.recap_columns"))
    for line in recap.kecamatan:
        key = "attendance.recap_line" if line.has_session else "attendance.recap_line_no_session"
        lines.append(
            render(
                language,
                key,
                kecamatan=line.name,
                present=number(line.pps.present, language),
                registered=number(line.pps.registered, language),
                roster=number(line.pps.roster, language),
                percent=_ratio(line.pps, language),
            )
        )
    if len(recap.kecamatan) > 1:
        lines.append(
            render(
                language,
                "attendance.recap_total",
                present=number(recap.pps.present, language),
                registered=number(recap.pps.registered, language),
                roster=number(recap.pps.roster, language),
                percent=_ratio(recap.pps, language),
            )
        )
    lines.append(
        render(
            language,
            "attendance.recap_ppk",
            present=number(recap.ppk.present, language),
            roster=number(recap.ppk.roster, language),
            registered=number(recap.ppk.registered, language),
            percent=_ratio(recap.ppk, language),
        )
    )
    desa = recap.desa
    lines += [
        "",
        render(
            language,
            "attendance.recap_desa",
            total=number(desa.total, language),
            present_3=number(desa.present_3, language),
            present_2=number(desa.present_2, language),
            present_1=number(desa.present_1, language),
            present_0=number(desa.present_0, language),
        ),
        "",
    ]
    if scope.kecamatan is not None:
        lines.append(render(language, "attendance.recap_hint_kecamatan", kecamatan=scope.kecamatan))
    else:
        lines.append(render(language, "attendance.recap_hint_regency", example=recap.kecamatan[0].name))
    return "\n".join(lines)


def _absentees_text(recap: AttendanceRecap, absent: KecamatanAbsentees, language: str, when: str) -> str:
    lines = [
        render(
            language,
            "attendance.absent_title",
            kecamatan=absent.name,
            when=when,
            present=number(recap.pps.present, language),
            roster=number(recap.pps.roster, language),
            percent=_ratio(recap.pps, language),
            count=number(absent.count, language),
        )
    ]
    if not absent.has_session:
        lines.append(render(language, "attendance.no_session", kecamatan=absent.name))
    if not absent.count:
        lines += ["", render(language, "attendance.none_absent", kecamatan=absent.name)]
        return "\n".join(lines)
    groups = [(render(language, "attendance.absent_desa", desa=d.name), d.absentees) for d in absent.desa]
    if absent.ppk:
        groups.append((render(language, "attendance.absent_ppk", kecamatan=absent.name), absent.ppk))
    for heading, people in groups:
        lines += ["", heading]
        for person in people:
            status = "attendance.status_registered" if person.registered else "attendance.status_unregistered"
            if person.account_deleted:
                status = "attendance.status_account_deleted"
            lines.append(
                render(
                    language,
                    "attendance.absent_line",
                    name=person.name,
                    position=Safe(render(language, f"position.{person.position.value}")),
                    status=Safe(render(language, status)),
                    phone=display(person.phone),
                )
            )
    return "\n".join(lines)


async def _show_numbers(
    update: Update, context: BotContext, language: str, scope: CoordinatorScope, now: datetime
) -> None:
    async with context.read() as session:
        recap = await attendance_recap(session, scope.kecamatan_id)
    if not recap.kecamatan:
        await reply(update, render(language, "attendance.no_regions"))
        return
    when = date_time(now, language, context.config.scheduler.timezone)
    scope_name = scope_label(language, scope)
    await _reply_or_file(
        update,
        _recap_text(recap, language, scope, when),
        filename=render_plain(language, "attendance.recap_filename", stamp=_stamp(context, now)),
        caption=render(
            language,
            "attendance.as_file",
            title=render_plain(language, "attendance.recap_file_title", scope=scope_name),
        ),
        markup=board_button(context.config.board, language, update),  # the live board, as a Mini App
    )
    # The read rate of the latest announcement that asked "Sudah dibaca" (nothing when there is none).
    await send_latest_rate(update, context, language, scope)
    if scope.regency_wide:
        # In a short-lived child process: matplotlib's ~40 MB leave with it, and the event loop stays free.
        try:
            chart = await draw_chart_in_child(recap, language=language)
        except ChartFailed:
            # The recap text has arrived already; the chart is a bonus, not worth a second failure message.
            logger.warning("attendance chart not sent", exc_info=True)
            return
        message = update.effective_message
        assert message is not None
        await message.reply_photo(
            chart, caption=render(language, "attendance.chart_caption", when=when), parse_mode=PARSE_MODE
        )


async def _show_absentees(
    update: Update,
    context: BotContext,
    identity: Identity,
    scope: CoordinatorScope,
    name: str,
    now: datetime,
) -> None:
    language = identity.language
    try:
        async with context.read() as session:
            recap, absent = await absentees_by_name(session, scope, name)
    except KecamatanNotFound as error:
        await reply(update, kecamatan_not_found_text(language, error))
        return
    except OutOfScope:
        await reply(update, render(language, "coordinator.out_of_scope", kecamatan=scope.kecamatan or ""))
        return
    if absent.count:
        detail: dict[str, object] = {"kecamatan": absent.name, "phones": absent.count}
        await audit_access(context, identity.telegram_user_id, ABSENTEES_WITH_PHONES, detail)
    when = date_time(now, language, context.config.scheduler.timezone)
    await _reply_or_file(
        update,
        _absentees_text(recap, absent, language, when),
        filename=render_plain(
            language, "attendance.absent_filename", kecamatan=_slug(absent.name), stamp=_stamp(context, now)
        ),
        caption=render(
            language,
            "attendance.as_file",
            title=render_plain(language, "attendance.absent_file_title", kecamatan=absent.name),
        ),
        personal_data_line=report_text(language, "report.personal_data"),
    )


async def show_recap(update: Update, context: BotContext) -> None:
    """/rekap [kecamatan]: attendance per kecamatan in scope (with a chart), or who is absent in one."""
    found = await require_coordinator(update, context)
    if found is None:
        return
    identity, scope = found
    name = " ".join(context.args or []).strip()
    now = context.clock.now()
    if name:
        await _show_absentees(update, context, identity, scope, name, now)
    else:
        await _show_numbers(update, context, identity.language, scope, now)


async def export_attendance(update: Update, context: BotContext) -> None:
    """/ekspor: the attendance workbook (a summary and one sheet per kecamatan in scope) as an XLSX file."""
    found = await require_coordinator(update, context)
    if found is None:
        return
    identity, scope = found
    language = identity.language
    zone = context.config.scheduler.timezone
    now = context.clock.now()
    async with context.read() as session:
        recap = await attendance_recap(session, scope.kecamatan_id)
        await reply(
            update,
            render(
                language,
                "attendance.export_preparing",
                members=number(recap.pps.roster + recap.ppk.roster, language),
            ),
        )
        # Read in slices (the loop answers others between them); the workbook is written by a child process.
        rows = await attendance_rows(session, scope.kecamatan_id)
        duty_rows = await duty_sheet_rows(session, scope)
    scope_name = scope.kecamatan or "regency"
    detail: dict[str, object] = {"scope": scope_name, "members": len(rows)}
    await audit_access(context, identity.telegram_user_id, EXPORT_ATTENDANCE, detail)
    duties = duties_sheet(duty_rows, language=language, zone=zone, now=now)
    try:
        workbook = await build_in_child(
            attendance_xlsx,
            recap,
            rows,
            name="attendance-export",
            timeout=EXPORT_TIMEOUT,
            language=language,
            zone=zone,
            generated_at=now,
            extra_sheets=[duties],
        )
    except ChildFailed as error:
        logger.warning("attendance export not sent: %s; the coordinator was asked to try again", error)
        await reply(update, render(language, "attendance.export_failed"))
        return
    del rows  # 150,000 rows need not wait in memory while the file uploads
    if scope.kecamatan is None:
        filename = render_plain(language, "attendance.export_filename", stamp=_stamp(context, now))
    else:
        filename = render_plain(
            language,
            "attendance.export_filename_kecamatan",
            kecamatan=_slug(scope.kecamatan),
            stamp=_stamp(context, now),
        )
    caption = render(
        language,
        "attendance.export_caption",
        scope=scope_label(language, scope),
        when=date_time(now, language, zone),
        present=number(recap.pps.present, language),
        roster=number(recap.pps.roster, language),
        percent=_ratio(recap.pps, language),
    )
    message = update.effective_message
    assert message is not None
    await message.reply_document(workbook, filename=filename, caption=caption, parse_mode=PARSE_MODE)


def register(application: BotApplication) -> None:
    """Add the attendance handlers (each checks the role and scope on every call)."""
    application.add_handler(CommandHandler("rekap", show_recap))
    application.add_handler(CommandHandler("ekspor", export_attendance))
