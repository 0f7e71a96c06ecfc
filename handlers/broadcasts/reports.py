"""Broadcast reports: the progress edited into the coordinator's message, missed notices, who did not receive."""

import io

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.broadcasts import reports as delivery_reports
from bot.runtime.callbacks import parse_id
from bot.runtime.context import BotApplication, BotContext
from bot.runtime.guards import require_coordinator
from bot.runtime.wizard import answer_stale
from bot.texts import render, render_plain
from bot.texts.formatting import date_time, number
from handlers.broadcasts.acks import SHOW
from handlers.broadcasts.buttons import ACKS_VIEW, UNDELIVERED
from handlers.common import PARSE_MODE
from models import BroadcastStatus, DeliveryStatus

# Above this many lines the list of who did not receive a broadcast goes as a file, never cut off.
LIST_AS_FILE_OVER = 40


async def report_progress(application: BotApplication, broadcast_id: int, final: bool) -> None:
    """Edit the coordinator's preview message: 'terkirim 512 dari 1.035', then the final report."""
    async with application.bot_data.read_session_factory() as session:
        report = await delivery_reports.delivery_report(session, broadcast_id)
        target = await delivery_reports.progress_target(session, broadcast_id)
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
        rows = []
        if report.ack_requested:
            text += render(
                language,
                "bc.report_ack",
                acknowledged=number(report.acknowledged, language),
                received=number(report.sent, language),
            )
            button = InlineKeyboardButton(
                render(language, "bc.button_acks"), callback_data=ACKS_VIEW.encode(SHOW, broadcast_id)
            )
            rows.append([button])
        if report.blocked or report.failed or report.cancelled:
            button = InlineKeyboardButton(
                render(language, "bc.button_undelivered"), callback_data=UNDELIVERED.encode(broadcast_id)
            )
            rows.append([button])
        markup = InlineKeyboardMarkup(rows) if rows else None
    else:
        text = render(language, "bc.progress", **numbers)
    await application.bot.edit_message_text(
        text, chat_id=chat_id, message_id=message_id, parse_mode=PARSE_MODE, reply_markup=markup
    )


async def report_missed(application: BotApplication, broadcast_id: int) -> None:
    """Tell the broadcast's coordinator (or the regency admins, for the program) that it was missed."""
    config = application.bot_data.config
    async with application.bot_data.read_session_factory() as session:
        missed = await delivery_reports.missed_notice(session, broadcast_id)
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
    """The button under a report: who did not receive it, within my scope (as a file when long)."""
    query = update.callback_query
    assert query is not None
    found = await require_coordinator(update, context)
    if found is None:
        await query.answer()
        return
    identity, scope = found
    language = identity.language
    parts = UNDELIVERED.decode(query.data)
    broadcast_id = parse_id(parts[0]) if parts is not None and len(parts) == 1 else None
    if broadcast_id is None:
        await answer_stale(update, language)
        return
    async with context.read() as session:
        rows = await delivery_reports.undelivered(session, broadcast_id, scope=scope)
    await query.answer()
    chat = update.effective_chat
    assert chat is not None
    if not rows:
        await chat.send_message(
            render(language, "bc.undelivered_none", id=broadcast_id), parse_mode=PARSE_MODE
        )
        return
    title_key, line_key = "bc.undelivered_title", "bc.undelivered_line"
    if len(rows) > LIST_AS_FILE_OVER:
        # A text file shows no markup, so it is rendered plain ("Siti <Aminah>", not "Siti &lt;Aminah&gt;").
        plain = [render_plain(language, title_key, id=broadcast_id)]
        plain += [
            render_plain(language, line_key, kecamatan=k, name=n, phone=p, status=_status(language, s))
            for k, n, p, s in rows
        ]
        body = "\n".join(plain).encode("utf-8")
        await chat.send_document(io.BytesIO(body), filename=f"tidak-menerima-{broadcast_id}.txt")
        return
    lines = [render(language, title_key, id=broadcast_id)]
    lines += [
        render(language, line_key, kecamatan=k, name=n, phone=p, status=_status(language, s))
        for k, n, p, s in rows
    ]
    await chat.send_message("\n".join(lines), parse_mode=PARSE_MODE)


def _status(language: str, status: DeliveryStatus) -> str:
    """'diblokir', 'gagal', 'dibatalkan': the stored status word said in the coordinator's language."""
    return render_plain(language, f"bc.delivery_status.{status.value}")
