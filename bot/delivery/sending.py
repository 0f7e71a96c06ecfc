"""One send of the outbox: the Telegram call for one delivery and what its answer means for the row."""

import logging
import random
from dataclasses import dataclass
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import ExtBot

from bot.broadcasts.compose import Buttons, RecipientValues, personalise
from bot.runtime.ratelimit import retry_after_seconds
from models import DeliveryStatus

log = logging.getLogger(__name__)

BULK = {"bulk": True}
MAX_BACKOFF_SECONDS = 60.0


@dataclass(frozen=True)
class SendJob:
    """One claimed delivery, ready to send."""

    delivery_id: int
    broadcast_id: int
    attempts: int
    recipient: RecipientValues
    body_html: str
    media_kind: str | None
    media_file_id: str | None
    # Duty reminders: the text per recipient language and the inline buttons per language.
    bodies: dict[str, str] | None = None
    buttons: Buttons | None = None


def _keyboard(buttons: Buttons | None, language: str) -> InlineKeyboardMarkup | None:
    """The inline keyboard stored on a broadcast, in the recipient's language (Indonesian as the fallback)."""
    rows = (buttons or {}).get(language) or (buttons or {}).get("id")
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(b["text"], callback_data=b.get("callback_data"), url=b.get("url"))
                for b in row
            ]
            for row in rows
        ]
    )


@dataclass
class SendResult:
    """What happened to one delivery attempt."""

    job: SendJob
    status: DeliveryStatus
    message_id: int | None = None
    error: str | None = None
    retry_in: float | None = None
    counts_as_attempt: bool = True
    stops_broadcast: bool = False


async def send_one(bot: ExtBot[Any], job: SendJob, *, paid: bool | None, max_attempts: int) -> SendResult:
    """Send one delivery as bulk traffic and say what its answer means (sent, blocked, retry, stop)."""
    body = (job.bodies or {}).get(job.recipient.language, job.body_html)
    text = personalise(body, job.recipient)
    chat_id = job.recipient.chat_id
    markup = _keyboard(job.buttons, job.recipient.language)
    try:
        message: Message
        if job.media_kind == "photo":
            message = await bot.send_photo(
                chat_id,
                job.media_file_id or "",
                caption=text,
                parse_mode=ParseMode.HTML,
                rate_limit_args=BULK,
                allow_paid_broadcast=paid,
                reply_markup=markup,
            )
        elif job.media_kind == "document":
            message = await bot.send_document(
                chat_id,
                job.media_file_id or "",
                caption=text,
                parse_mode=ParseMode.HTML,
                rate_limit_args=BULK,
                allow_paid_broadcast=paid,
                reply_markup=markup,
            )
        else:
            message = await bot.send_message(
                chat_id,
                text,
                parse_mode=ParseMode.HTML,
                rate_limit_args=BULK,
                allow_paid_broadcast=paid,
                reply_markup=markup,
            )
        return SendResult(job, DeliveryStatus.SENT, message_id=message.message_id)
    except RetryAfter as error:
        return SendResult(
            job,
            DeliveryStatus.PENDING,
            error="429",
            retry_in=retry_after_seconds(error),
            counts_as_attempt=False,
        )
    except Forbidden as error:
        return SendResult(job, DeliveryStatus.BLOCKED, error=error.message)
    except BadRequest as error:
        text_of_error = error.message.lower()
        if "can't parse entities" in text_of_error or "can't parse" in text_of_error:
            return SendResult(job, DeliveryStatus.CANCELLED, error=error.message, stops_broadcast=True)
        return SendResult(job, DeliveryStatus.FAILED, error=error.message)
    except (NetworkError, TelegramError) as error:
        # Timeouts, 5xx, connection errors: passing troubles, retried with backoff. A pool timeout
        # means the request never left; a read timeout may have delivered it (a bounded duplicate).
        return _retry_or_fail(job, max_attempts, f"{type(error).__name__}: {error.message}")
    except Exception as error:  # a bug or an unexpected library error must not kill the loop
        log.exception("unexpected error sending delivery %d", job.delivery_id)
        return _retry_or_fail(job, max_attempts, f"{type(error).__name__}")


def _retry_or_fail(job: SendJob, max_attempts: int, error: str) -> SendResult:
    attempts = job.attempts + 1
    if attempts >= max_attempts:
        return SendResult(job, DeliveryStatus.FAILED, error=error)
    backoff = min(MAX_BACKOFF_SECONDS, 2.0 ** (attempts - 1)) * (0.5 + random.random())
    return SendResult(job, DeliveryStatus.PENDING, error=error, retry_in=backoff)
