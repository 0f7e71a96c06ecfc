"""The venue's check-in QR code for coordinators (/qr), edited in place as the code rotates."""

from dataclasses import dataclass
from datetime import timedelta

from telegram import InputMediaPhoto, Update
from telegram.ext import CommandHandler

from bot.checkin import rules as checkin
from bot.checkin import venue
from bot.checkin.codes import current_code, deep_link_payload, window_ends
from bot.checkin.qr import qr_png
from bot.core.regions import KecamatanNotFound
from bot.runtime.context import BotApplication, BotContext
from bot.runtime.guards import require_coordinator
from bot.texts import render
from bot.texts.formatting import time_short
from handlers.common import PARSE_MODE, kecamatan_not_found_text, reply


@dataclass(frozen=True)
class QrScreen:
    """What a /qr message shows and where it lives, kept by its refresh job."""

    session_id: int
    chat_id: int
    message_id: int
    language: str


def _qr_job_name(chat_id: int, message_id: int) -> str:
    return f"qr:{chat_id}:{message_id}"


async def _qr_content(context: BotContext, screen_session: int, language: str) -> tuple[bytes, str] | None:
    """The current QR image and caption, or None when the session is gone."""
    now = context.clock.now()
    window = context.config.checkin.code_window_minutes
    zone = context.config.scheduler.timezone
    async with context.read() as session:
        training = await venue.session_by_id(session, screen_session)
        secret = await venue.session_secret(session, screen_session)
    if training is None or secret is None:
        return None
    closes = time_short(training.checkin_closes_at, language, zone)
    if now > training.checkin_closes_at:
        return b"", render(language, "qr.closed", kecamatan=training.kecamatan, closes=closes)
    code = current_code(secret, window, now)
    link = f"https://t.me/{context.bot.username}?start={deep_link_payload(training.id, code)}"
    caption = render(
        language,
        "qr.caption",
        kecamatan=training.kecamatan,
        venue=training.venue,
        code=code,
        until=time_short(window_ends(window, now), language, zone),
        closes=closes,
    )
    return qr_png(link), caption


async def refresh_qr(context: BotContext) -> None:
    """Job: edit a /qr message as the code's window turns, until check-in closes."""
    assert context.job is not None
    screen: QrScreen = context.job.data  # type: ignore[assignment]
    content = await _qr_content(context, screen.session_id, screen.language)
    if content is None or not content[0]:
        context.job.schedule_removal()
        if content is not None:
            await context.bot.edit_message_caption(
                screen.chat_id, screen.message_id, caption=content[1], parse_mode=PARSE_MODE
            )
        return
    image, caption = content
    await context.bot.edit_message_media(
        InputMediaPhoto(image, caption=caption, parse_mode=PARSE_MODE),
        chat_id=screen.chat_id,
        message_id=screen.message_id,
    )


async def show_qr(update: Update, context: BotContext) -> None:
    """/qr [kecamatan]: the venue's check-in QR code, kept current as the code rotates."""
    found = await require_coordinator(update, context)
    if found is None:
        return
    identity, scope = found
    language = identity.language
    name = " ".join(context.args or []).strip()
    if not name and scope.regency_wide:
        await reply(update, render(language, "qr.ask_kecamatan"))
        return
    try:
        async with context.read() as session:
            training = await venue.session_for_kecamatan(session, scope, name or None)
    except KecamatanNotFound as error:
        await reply(update, kecamatan_not_found_text(language, error))
        return
    except checkin.OutOfScope:
        await reply(update, render(language, "coordinator.out_of_scope", kecamatan=scope.kecamatan or ""))
        return
    if training is None:
        await reply(update, render(language, "qr.unknown_kecamatan", name=name or (scope.kecamatan or "")))
        return
    await post_qr(update, context, training.id, language)


async def post_qr(update: Update, context: BotContext, session_id: int, language: str) -> None:
    """Answer with a session's check-in QR and keep it current (also a PPS's desa session: the cascade)."""
    content = await _qr_content(context, session_id, language)
    assert content is not None
    image, caption = content
    message = update.effective_message
    assert message is not None
    if not image:
        await reply(update, caption)
        return
    sent = await message.reply_photo(image, caption=caption, parse_mode=PARSE_MODE)
    window = context.config.checkin.code_window_minutes
    assert context.job_queue is not None
    name_of_job = _qr_job_name(sent.chat_id, sent.message_id)
    for old in context.job_queue.get_jobs_by_name(name_of_job):
        old.schedule_removal()
    first = window_ends(window, context.clock.now()) - context.clock.now() + timedelta(seconds=1)
    context.job_queue.run_repeating(
        refresh_qr,  # type: ignore[arg-type]
        interval=timedelta(minutes=window),
        first=first,
        name=name_of_job,
        data=QrScreen(session_id, sent.chat_id, sent.message_id, language),
    )


def register(application: BotApplication) -> None:
    """Add /qr (it checks the role and scope on every call)."""
    application.add_handler(CommandHandler("qr", show_qr))
