"""The bot's webhook endpoint: a small aiohttp server that checks each request, then queues the update.

python-telegram-bot's own webhook server (tornado, in a private module) answers a body that is not JSON
with 500 and logs it at CRITICAL with a traceback and the received data, and offers no public way to
change that. Its documented alternative is a web server of one's own that puts ``Update.de_json(...)`` on
``application.update_queue`` and calls ``set_webhook`` itself; this is that server. Every refusal is a 4xx
and one WARNING line naming the reason, never the body or the secret; the bot keeps running.

Telegram is answered 200 only once the update is on the application's queue, so an update it considers
delivered is in our process; it is processed when the application gets to it (README: "Webhook mode" says
what a killed process loses).
"""

import hmac
import json
import logging

from aiohttp import web
from telegram import Update

from bot.core.config import TelegramConfig
from bot.runtime.context import BotApplication
from bot.texts import render_plain

__all__ = ["MAX_UPDATE_BYTES", "SECRET_HEADER", "WebhookServer"]

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# A real update is at most a few tens of kilobytes (a 4,096-character message with its entities and the
# message it replies to); anything near a megabyte is not from Telegram.
MAX_UPDATE_BYTES = 256 * 1024


class WebhookServer:
    """Listens on ``webhook_listen:webhook_port`` and answers Telegram's POSTs on ``webhook_path``."""

    def __init__(self, application: BotApplication, telegram: TelegramConfig, language: str) -> None:
        if not telegram.secret_token:
            raise ValueError("a webhook needs a secret token")
        self.application = application
        self.listen = telegram.webhook_listen
        self.port = telegram.webhook_port
        self.path = telegram.webhook_path
        self._secret = telegram.secret_token.encode()
        self._language = language
        self._runner: web.AppRunner | None = None

    @property
    def running(self) -> bool:
        """Whether the server is listening."""
        return self._runner is not None

    async def start(self) -> None:
        """Start listening (the port is free again as soon as :meth:`stop` returns)."""
        if self._runner is not None:
            return
        app = web.Application(client_max_size=MAX_UPDATE_BYTES)
        app.router.add_post(self.path, self.handle_update)
        for add_routes in self.application.bot_data.webhook_routes:
            add_routes(app)  # the live board, when it shares this port
        runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=1.0)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.listen, self.port).start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        log.info(
            render_plain(
                self._language,
                "cli.webhook.listening",
                address=f"http://{self.listen}:{self.port}{self.path}",
            )
        )

    async def stop(self) -> None:
        """Stop accepting requests; every update already answered 200 is on the queue."""
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def handle_update(self, request: web.Request) -> web.Response:
        """One POST from Telegram: check the secret and the body, queue the update, answer 200."""
        given = request.headers.get(SECRET_HEADER)
        if given is None:
            return self._refuse(request, 401, "no_secret")
        if not hmac.compare_digest(given.encode(), self._secret):
            return self._refuse(request, 403, "wrong_secret")
        if request.content_length is not None and request.content_length > MAX_UPDATE_BYTES:
            return self._refuse(request, 413, "too_large")
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            return self._refuse(request, 413, "too_large")
        try:
            data = json.loads(body.decode("utf-8"))
        except UnicodeDecodeError:
            return self._refuse(request, 400, "not_utf8")
        except ValueError:
            return self._refuse(request, 400, "not_json")
        update = self._update(data)
        if update is None:
            return self._refuse(request, 400, "not_update")
        await self.application.update_queue.put(update)
        return web.Response(status=200)

    def _update(self, data: object) -> Update | None:
        if not isinstance(data, dict) or isinstance(data.get("update_id"), bool):
            return None
        if not isinstance(data.get("update_id"), int):
            return None
        try:
            return Update.de_json(data, self.application.bot)
        except (TypeError, ValueError, KeyError, AttributeError):
            return None  # a field of the wrong shape somewhere inside

    def _refuse(self, request: web.Request, status: int, reason: str) -> web.Response:
        log.warning(
            render_plain(
                self._language,
                "cli.webhook.refused",
                status=status,
                reason=render_plain(self._language, f"cli.webhook.{reason}"),
                peer=request.remote or "?",
            )
        )
        return web.Response(status=status)
