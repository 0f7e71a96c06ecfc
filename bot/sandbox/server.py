"""The sandbox's HTTP front end: routing, token check, latency, validation, faults, flood limits."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from aiohttp import web

from bot.sandbox.errors import ApiError, not_found, not_implemented, too_many_requests, unauthorized
from bot.sandbox.faults import Fault, FaultInjector, FloodControl
from bot.sandbox.methods import MESSAGE_METHODS, BotApi, chat_id_of
from bot.sandbox.models import CallRecord
from bot.sandbox.params import Params, read_params
from bot.sandbox.spec import ApiSpec
from bot.sandbox.webhook import WebhookDelivery
from bot.sandbox.world import World

__all__ = ["MAX_UPLOAD_BYTES", "SandboxServer"]

log = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class SandboxServer:
    """Turns HTTP requests into Bot API method calls on a :class:`World`."""

    def __init__(
        self,
        *,
        world: World,
        token: str,
        spec: ApiSpec | None,
        faults: FaultInjector,
        flood: FloodControl | None,
        latency: float,
        stopping: asyncio.Event,
        webhooks: WebhookDelivery,
    ) -> None:
        self.world = world
        self.token = token
        self.spec = spec
        self.faults = faults
        self.flood = flood
        self.latency = latency
        self.stopping = stopping
        self.api = BotApi(world, stopping, webhooks)
        self._implemented = {name.lower(): name for name in self.api.handlers}

    def make_app(self) -> web.Application:
        """The aiohttp application with the Bot API and file download routes."""
        app = web.Application(client_max_size=MAX_UPLOAD_BYTES)
        app.router.add_route("*", "/bot{token}/{method}", self.handle_method)
        app.router.add_get("/file/bot{token}/{path:.+}", self.handle_file)
        app.router.add_route("*", "/{tail:.*}", self.handle_unknown)
        return app

    def _resolve(self, name: str) -> str:
        canonical = self.spec.resolve(name) if self.spec is not None else self._implemented.get(name.lower())
        if canonical is None:
            raise not_found()
        if canonical not in self.api.handlers:
            raise not_implemented(canonical)
        return canonical

    async def _network_delay(self) -> None:
        if self.latency > 0:
            await asyncio.sleep(self.latency)

    async def _hang(self) -> None:
        """Hold a request like a stalled network path; released early when the sandbox stops."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.stopping.wait(), self.faults.hang_seconds)

    async def handle_method(self, request: web.Request) -> web.Response:
        """``/bot<token>/<method>``: one Bot API call."""
        method = request.match_info["method"]
        chat_id: int | None = None
        try:
            await self._network_delay()
            if request.match_info["token"] != self.token:
                raise unauthorized()
            method = self._resolve(method)
            self.world.stats.requests[method] += 1
            params = await read_params(request)
            chat_id = chat_id_of(params)
            if self.spec is not None:
                self.spec.validate(method, params)
            fault = self.faults.pick(method, chat_id)
            result = await self._execute(method, params, chat_id, fault)
        except ApiError as error:
            return self._respond(method, chat_id, error.status, error.payload())
        except Exception:
            log.exception("sandbox failed while handling %s", method)
            return self._respond(
                method, chat_id, 500, {"ok": False, "error_code": 500, "description": "Internal Server Error"}
            )
        return self._respond(method, chat_id, 200, {"ok": True, "result": result})

    async def _execute(self, method: str, params: Params, chat_id: int | None, fault: Fault | None) -> Any:
        if fault is not None and fault.kind == "error":
            self.world.stats.injected_errors[fault.status] += 1
            raise fault.error()
        if fault is not None:
            self.world.stats.injected_timeouts += 1
        if fault is not None and fault.kind == "timeout_before":
            await self._hang()
            raise ApiError(504, "Gateway Timeout")
        flood = self.flood if method in MESSAGE_METHODS else None
        if flood is not None:
            retry_after = flood.check(chat_id)
            if retry_after is not None:
                self.world.stats.rate_limited += 1
                raise too_many_requests(retry_after)
        result = await self.api.handlers[method](params)
        if flood is not None:
            flood.record(chat_id)
        if fault is not None and fault.kind == "timeout_after":
            await self._hang()
        return result

    def _respond(self, method: str, chat_id: int | None, status: int, body: dict[str, Any]) -> web.Response:
        self.world.calls.append(CallRecord(method, chat_id, status))
        self.world.stats.responses[status] += 1
        return web.json_response(body, status=status)

    async def handle_file(self, request: web.Request) -> web.StreamResponse:
        """``/file/bot<token>/<file_path>``: download a file returned by getFile."""
        await self._network_delay()
        if request.match_info["token"] != self.token:
            return web.json_response(unauthorized().payload(), status=401)
        stored = self.world.files.by_path(request.match_info["path"])
        if stored is None:
            return web.json_response(not_found().payload(), status=404)
        return web.Response(body=stored.data, content_type=stored.mime_type)

    async def handle_unknown(self, request: web.Request) -> web.Response:
        """Anything else: Telegram's JSON 404."""
        return web.json_response(not_found().payload(), status=404)
