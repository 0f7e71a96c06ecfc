"""The live board's web side: the page, its assets, the JSON API and the event stream under /board/.

aiohttp.web, the project's web stack already (the webhook and the health endpoint): async, maintained, and
it streams server-sent events with a plain StreamResponse. The routes are added to whichever server is
running (bot/app.py decides): the board's own on ``[board] listen:port``, the webhook server, or the health
endpoint's, so one port serves both when they share it. No access log anywhere: projector links and the
event stream's ``auth=`` ride in the URL.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Awaitable
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from aiohttp import web

from bot.board.access import BoardDenied, BoardUnauthorized, Credentials, board_viewer, parse_authorization
from bot.board.snapshot import Viewer, board_snapshot

if TYPE_CHECKING:
    from bot.core.clock import Clock
    from bot.core.config import Config
    from bot.core.db import SessionFactory

__all__ = ["PREFIX", "BoardServer", "BoardWeb", "board_home", "board_url"]

log = logging.getLogger(__name__)
_T = TypeVar("_T")

PREFIX = "/board"
HEARTBEAT_SECONDS = 15.0
# Many screens of one scope ask within the same second: they share one computation.
CACHE_SECONDS = 1.0
# What the page shows when it is refused; the code is for the page's own logic and for logs.
_MESSAGES = {
    401: "Akses ditolak: buka papan ini dari bot (tombol 📊 Papan) atau minta tautan baru dengan /papan.",
    403: "Papan ini hanya untuk koordinator KPU Lebak dan PPK.",
    503: "Papan sedang tidak dapat membaca data. Coba lagi sebentar lagi.",
}
_NO_STORE = {"Cache-Control": "no-store"}


def _static_dir() -> Path:
    return Path(str(resources.files("bot.board"))) / "static"


def _error(status: int, code: str) -> web.Response:
    return web.json_response({"error": code, "message": _MESSAGES[status]}, status=status, headers=_NO_STORE)


def board_home(config: Config) -> str:
    """Which server carries the board: "webhook", "health" (sharing its port) or "own" ([board] port)."""
    board, health, telegram = config.board, config.health, config.telegram
    if board.port == 0:
        return "webhook" if telegram.mode == "webhook" else "health"
    if telegram.mode == "webhook" and (board.listen, board.port) == (
        telegram.webhook_listen,
        telegram.webhook_port,
    ):
        return "webhook"
    if health.enabled and (board.listen, board.port) == (health.listen, health.port):
        return "health"
    return "own"


def board_url(config: Config) -> str:
    """Where people open the board: `[board] public_url`, else the address of the server that carries it."""
    if config.board.public_url:
        return config.board.public_url
    home = board_home(config)
    if home == "webhook":
        listen, port = config.telegram.webhook_listen, config.telegram.webhook_port
    elif home == "health":
        listen, port = config.health.listen, config.health.port
    else:
        listen, port = config.board.listen, config.board.port
    host = f"[{listen}]" if ":" in listen else listen
    return f"http://{host}:{port}{PREFIX}/"


class BoardWeb:
    """The board's routes and the state they share (a one-second cache of each viewer's board)."""

    def __init__(self, config: Config, read_factory: SessionFactory, clock: Clock) -> None:
        self._config = config
        self._board = config.board
        self._zone = config.scheduler.timezone
        self._admins = frozenset(config.bot.admins)
        self._read_factory = read_factory
        self._clock = clock
        self._cache: dict[tuple[int | None, str], tuple[float, dict[str, Any]]] = {}
        self._locks: dict[tuple[int | None, str], asyncio.Lock] = {}
        self._failing = False
        # Set when the server shuts down: open event streams end at once, not cancelled mid-query.
        self._stopping = asyncio.Event()
        self.streams = 0  # open event streams, for tests and metrics

    def add_routes(self, app: web.Application) -> None:
        """Serve the board under /board/ on this aiohttp application."""
        app.router.add_get(f"{PREFIX}", self._redirect)
        app.router.add_get(f"{PREFIX}/", self._page)
        app.router.add_get(f"{PREFIX}/static/{{name:.+}}", self._asset)
        app.router.add_get(f"{PREFIX}/api/board", self._api_board)
        app.router.add_get(f"{PREFIX}/api/events", self._api_events)
        app.on_shutdown.append(self._shutdown)

    async def _shutdown(self, app: web.Application) -> None:
        self._stopping.set()

    # -- the page --------------------------------------------------------------------------------------

    async def _redirect(self, request: web.Request) -> web.StreamResponse:
        raise web.HTTPPermanentRedirect(
            f"{PREFIX}/" + (f"?{request.query_string}" if request.query_string else "")
        )

    async def _page(self, request: web.Request) -> web.StreamResponse:
        index = _static_dir() / "index.html"
        if not index.is_file():
            return web.Response(status=404, text="board page not installed (bot/board/static/index.html)\n")
        return web.FileResponse(index, headers={"Cache-Control": "no-cache"})

    async def _asset(self, request: web.Request) -> web.StreamResponse:
        root = _static_dir().resolve()
        path = (root / request.match_info["name"]).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            raise web.HTTPNotFound()
        return web.FileResponse(path, headers={"Cache-Control": "public, max-age=3600"})

    # -- the data --------------------------------------------------------------------------------------

    async def _viewer(self, credentials: Credentials, *, check_age: bool = True) -> Viewer:
        async with self._read_factory() as session, session.begin():
            return await board_viewer(
                session,
                credentials,
                bot_token=self._config.telegram.token,
                admins=self._admins,
                now=self._clock.now(),
                # A stream admitted once is not cut when its initData ages: its role is still re-checked.
                max_age_seconds=self._board.max_age_seconds if check_age else 10**9,
            )

    async def snapshot(self, viewer: Viewer) -> dict[str, Any]:
        """The viewer's board, computed at most once a second per scope and name."""
        key = (viewer.scope.kecamatan_id, viewer.name)
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            cached = self._cache.get(key)
            if cached is not None and time.monotonic() - cached[0] < CACHE_SECONDS:
                return cached[1]
            async with self._read_factory() as session, session.begin():
                board = await board_snapshot(
                    session, viewer, now=self._clock.now(), zone=self._zone, tile_url=self._board.tile_url
                )
            self._cache[key] = (time.monotonic(), board)
            return board

    async def _guarded(self, work: Awaitable[_T]) -> _T:
        """Run a database step; a failure is one warning line (once per outage) and a 503, never a traceback."""
        try:
            result = await work
        except (BoardUnauthorized, BoardDenied):
            raise
        except Exception as error:
            if not self._failing:
                log.warning("board: cannot read the database (%s)", type(error).__name__)
                log.debug("board: the database failure", exc_info=True)
            self._failing = True
            raise web.HTTPServiceUnavailable(
                text=json.dumps({"error": "unavailable", "message": _MESSAGES[503]}),
                content_type="application/json",
            ) from None
        self._failing = False
        return result

    async def _admit(self, value: str | None) -> tuple[Credentials, Viewer] | web.Response:
        try:
            credentials = parse_authorization(value)
            viewer = await self._guarded(self._viewer(credentials))
        except BoardUnauthorized as refused:
            return _error(401, refused.reason)
        except BoardDenied:
            return _error(403, "not_coordinator")
        return credentials, viewer

    async def _api_board(self, request: web.Request) -> web.StreamResponse:
        admitted = await self._admit(request.headers.get("Authorization") or request.query.get("auth"))
        if isinstance(admitted, web.Response):
            return admitted
        _, viewer = admitted
        board = await self._guarded(self.snapshot(viewer))
        return web.json_response(board, headers=_NO_STORE)

    async def _api_events(self, request: web.Request) -> web.StreamResponse:
        # EventSource cannot set headers: the page passes the same value as ?auth=.
        admitted = await self._admit(request.query.get("auth") or request.headers.get("Authorization"))
        if isinstance(admitted, web.Response):
            return admitted
        credentials, viewer = admitted
        response = web.StreamResponse(
            headers={
                "Content-Type": "text/event-stream",
                "Cache-Control": "no-cache",
                "X-Accel-Buffering": "no",  # nginx: pass each event on at once
            }
        )
        await response.prepare(request)
        self.streams += 1
        try:
            await self._stream(request, response, credentials, viewer)
        except (ConnectionResetError, asyncio.CancelledError):
            pass  # the screen went away, or the server stops
        finally:
            self.streams -= 1
        return response

    async def _stream(
        self, request: web.Request, response: web.StreamResponse, credentials: Credentials, viewer: Viewer
    ) -> None:
        loop = asyncio.get_running_loop()
        refresh = float(self._board.refresh_seconds)
        last_version = None
        last_write = loop.time()
        while not self._stopping.is_set():
            if request.transport is None or request.transport.is_closing():
                return  # the screen went away
            try:
                # The role (and a link's revocation) is re-checked on every round, as on every command.
                viewer = await self._guarded(self._viewer(credentials, check_age=False))
                board = await self._guarded(self.snapshot(viewer))
            except BoardUnauthorized as refused:
                await _send(response, "error", {"error": refused.reason, "message": _MESSAGES[401]})
                return
            except BoardDenied:
                await _send(response, "error", {"error": "not_coordinator", "message": _MESSAGES[403]})
                return
            except web.HTTPServiceUnavailable:
                board = None
            if board is not None and board["version"] != last_version:
                await _send(response, "board", board)
                last_version = board["version"]
                last_write = loop.time()
            elif loop.time() - last_write >= HEARTBEAT_SECONDS:
                await response.write(b": heartbeat\n\n")
                last_write = loop.time()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), min(refresh, HEARTBEAT_SECONDS))


async def _send(response: web.StreamResponse, event: str, data: dict[str, Any]) -> None:
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    await response.write(f"event: {event}\ndata: {payload}\n\n".encode())


class BoardServer:
    """The board's own aiohttp server on ``[board] listen:port`` (when no other server carries it)."""

    def __init__(self, board: BoardWeb, listen: str, port: int) -> None:
        self._board = board
        self._listen = listen
        self._port = port
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        """Listen; an address in use fails here, at start-up."""
        app = web.Application()
        self._board.add_routes(app)
        runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=1.0)
        await runner.setup()
        try:
            await web.TCPSite(runner, self._listen, self._port).start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        host = f"[{self._listen}]" if ":" in self._listen else self._listen
        log.info("board on http://%s:%s%s/", host, self._port, PREFIX)

    async def stop(self) -> None:
        """Stop listening (idempotent); open event streams end."""
        runner, self._runner = self._runner, None
        if runner is not None:
            with contextlib.suppress(Exception):
                await runner.cleanup()
