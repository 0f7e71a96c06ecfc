"""Running the bot as a service: keep trying while Telegram is unreachable, stop promptly on SIGTERM/SIGINT.

`python -m bot run` ends here. Each attempt builds a fresh Application, starts it (getMe, post_init, then
polling, or our webhook endpoint (bot/runtime/webhook.py) and setWebhook) and serves until a stop signal. An attempt that fails because Telegram cannot be
reached is logged in one line, without a traceback, and retried after 1, 2, 4 … at most 30 seconds; any
other failure (a rejected token, a database problem) ends the run for the command line to explain. A stop
signal ends the wait, a start in progress or the serving at once, so a service manager never has to kill us.
"""

import asyncio
import contextlib
import itertools
import logging
import signal
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.error import BadRequest, NetworkError, TelegramError

from bot.core.config import Config
from bot.runtime.context import BotApplication
from bot.runtime.webhook import WebhookServer
from bot.texts import render_plain

log = logging.getLogger(__name__)

FIRST_RETRY_SECONDS = 1.0
LONGEST_RETRY_SECONDS = 30.0
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
# python-telegram-bot's polling loop sleeps up to 30 s between failed polls without watching its stop event.
UPDATER_STOP_GRACE_SECONDS = 2.0


class NetworkErrorsInOneLine(logging.Filter):
    """python-telegram-bot logs a request that could not reach Telegram with its whole traceback; Telegram
    being away is no bug, so such a record keeps one line: its message and the error's."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if error is not None and telegram_unreachable(error):
            record.msg, record.args = f"{record.getMessage()} ({error})", None
            record.exc_info, record.exc_text = None, None
        return True


def retry_delay(attempt: int) -> float:
    """Seconds to wait after failed attempt number `attempt` (1, 2, 4 … capped at 30)."""
    return min(LONGEST_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2 ** (attempt - 1))


def telegram_unreachable(error: BaseException) -> bool:
    """True for a failure to reach Telegram at all (refused, timed out), not for an answer Telegram gave."""
    # BadRequest is a NetworkError in python-telegram-bot, but it is Telegram answering.
    return isinstance(error, NetworkError) and not isinstance(error, BadRequest)


async def serve(
    config: Config, build: Callable[[], BotApplication], stop: asyncio.Event | None = None
) -> None:
    """Serve until `stop` is set (by SIGINT/SIGTERM when not given); retry while Telegram is unreachable."""
    own_signals = stop is None
    stop = _stop_on_signals() if stop is None else stop
    one_line = NetworkErrorsInOneLine()
    handlers = logging.getLogger().handlers
    for handler in handlers:
        handler.filters.insert(0, one_line)  # before the redaction, which renders the traceback
    try:
        for attempt in itertools.count(1):
            application = build()
            webhook = (
                WebhookServer(application, config.telegram, config.bot.default_language)
                if config.telegram.mode == "webhook"
                else None
            )
            try:
                started = await _unless_stopped(_start(application, config, webhook), stop)
            except Exception as error:
                await _close(application, webhook)
                if not telegram_unreachable(error):
                    raise
                seconds = retry_delay(attempt)
                log.warning(
                    render_plain(
                        config.bot.default_language,
                        "cli.fail.telegram_unreachable",
                        url=config.telegram.base_url,
                        attempt=attempt,
                        seconds=f"{seconds:g}",
                    )
                )
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), seconds)
                if stop.is_set():
                    return
                continue
            try:
                if started:
                    await stop.wait()
            finally:
                await _close(application, webhook)
            return
    finally:
        for handler in handlers:
            handler.removeFilter(one_line)
        if own_signals:
            _forget_signals()


async def _start(application: BotApplication, config: Config, webhook: WebhookServer | None) -> None:
    await application.initialize()  # getMe: the first request to Telegram
    if application.post_init is not None:
        await application.post_init(application)
    allowed: list[str] = list(Update.ALL_TYPES)
    telegram = config.telegram
    if webhook is not None:
        assert telegram.webhook_url is not None
        # Processing runs before the endpoint listens: an update we answer 200 is handled, not stranded.
        await application.start()
        await webhook.start()
        # Pending updates are never dropped: Telegram delivers what came while the bot was down.
        await application.bot.set_webhook(
            url=telegram.webhook_url,
            secret_token=telegram.secret_token,
            allowed_updates=allowed,
            drop_pending_updates=False,
        )
        return
    updater = application.updater
    assert updater is not None
    language = config.bot.default_language

    def polling_failed(error: TelegramError) -> None:
        # The updater retries on its own; one line per failed poll, not a traceback each time.
        log.warning(render_plain(language, "cli.fail.polling", error=error))

    # Pending updates are never dropped: a member who wrote while the bot was down gets an answer.
    await updater.start_polling(
        allowed_updates=allowed, drop_pending_updates=False, error_callback=polling_failed
    )
    await application.start()


async def _unless_stopped(start: Coroutine[Any, Any, None], stop: asyncio.Event) -> bool:
    """Run `start` to its end (True), or cancel it when `stop` is set first (False)."""
    starting = asyncio.ensure_future(start)
    stopping = asyncio.ensure_future(stop.wait())
    await asyncio.wait({starting, stopping}, return_when=asyncio.FIRST_COMPLETED)
    stopping.cancel()
    if starting.done():
        starting.result()
        return True
    starting.cancel()
    with contextlib.suppress(BaseException):
        await starting
    return False


async def _close(application: BotApplication, webhook: WebhookServer | None = None) -> None:
    """Stop and shut down whatever of `application` got started; a failure here is logged, not raised."""
    steps: list[tuple[str, Callable[[], Coroutine[Any, Any, None]]]] = []
    if webhook is not None and webhook.running:
        # First stop accepting updates; stopping the application then handles every one already queued.
        steps.append(("stopping the webhook endpoint", webhook.stop))
    updater = application.updater
    if updater is not None and updater.running:
        steps.append(("stopping the updater", lambda: _within(updater.stop(), UPDATER_STOP_GRACE_SECONDS)))
    if application.running:
        steps.append(("stopping the application", application.stop))
        if application.post_stop is not None:
            post_stop = application.post_stop
            steps.append(("post_stop", lambda: post_stop(application)))
    steps.append(("shutting down the application", application.shutdown))
    # A getMe that failed leaves the bot's HTTP clients open (the application never counted as
    # initialized, so its shutdown skips the bot's): both of them, getUpdates' included.
    steps.append(("closing the HTTP clients", application.bot.shutdown))
    if application.post_shutdown is not None:
        post_shutdown = application.post_shutdown
        steps.append(("post_shutdown", lambda: post_shutdown(application)))
    for what, step in steps:
        try:
            await step()
        except Exception as error:
            log.warning("%s failed: %s", what, error)


async def _within(work: Coroutine[Any, Any, None], seconds: float) -> None:
    """Let `work` run for `seconds`, then cancel it (and give its clean-up as long again)."""
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=seconds)
    if not done:
        task.cancel()
        await asyncio.wait({task}, timeout=seconds)
    error = task.exception() if task.done() and not task.cancelled() else None
    if error is not None:
        raise error


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in STOP_SIGNALS:
        with contextlib.suppress(NotImplementedError, RuntimeError):  # not the main thread, or no signals
            loop.add_signal_handler(sig, stop.set)
    return stop


def _forget_signals() -> None:
    loop = asyncio.get_running_loop()
    for sig in STOP_SIGNALS:
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.remove_signal_handler(sig)
