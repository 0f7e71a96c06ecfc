"""The morning digest of overdue duties, on Telegram: its text, sending it, and the daily job."""

import logging
from datetime import time
from zoneinfo import ZoneInfo

from telegram.error import TelegramError

from bot.duties.digest import DIGEST_TIME, Digest, claim_overdue_digests
from bot.runtime.context import BotApplication, BotContext
from bot.texts import Safe, render
from bot.texts.formatting import date_time, number
from handlers.common import PARSE_MODE
from models import DutyCompletion

log = logging.getLogger(__name__)

DIGEST_JOB = "duty:digest"
# A digest lists at most this many desa per duty (a kecamatan has about 30; the rest is counted).
DIGEST_DESA_SHOWN = 60


def _digest_text(digest: Digest, zone: ZoneInfo) -> str:
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
        digests = await claim_overdue_digests(session, now=data.clock.now(), zone=zone)
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
    at = time(DIGEST_TIME.hour, DIGEST_TIME.minute, tzinfo=zone)
    job_queue.run_daily(daily, time=at, name=DIGEST_JOB)
    await send_overdue_digest(application)
