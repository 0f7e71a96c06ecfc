"""The operators' HTTP endpoint: /healthz (alive), /readyz (ready to work) and /metrics (Prometheus).

A small aiohttp server beside the bot, in polling and webhook mode alike, on ``[health] listen:port``
(off when port = 0, the default). It has no authentication: bind it to 127.0.0.1 (the default) or a
private address. It runs from the application's post_init to its post_shutdown, so it answers while the
bot serves, and /readyz says 503 while the bot starts or stops (the outbox or the scheduler not running).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy import text

from bot.core.db import head_revision

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.ext.asyncio import AsyncEngine

    from bot.core.db import SessionFactory
    from bot.delivery.outbox import Outbox
    from bot.delivery.scheduling import BroadcastScheduler
    from bot.runtime.metrics import BotMetrics

log = logging.getLogger(__name__)

# A readiness probe must answer before the prober gives up (Kubernetes' default is 1 s, most others
# several): each database step gets this long, so a hung server reads "unreachable", not a hung probe.
DATABASE_TIMEOUT_SECONDS = 2.0


class Readiness:
    """Decides whether the bot can do its work now; `reason()` is None when it can."""

    def __init__(
        self,
        engine: AsyncEngine,
        outbox: Outbox,
        scheduler: BroadcastScheduler,
        *,
        timeout: float = DATABASE_TIMEOUT_SECONDS,
    ) -> None:
        self._engine = engine
        self._outbox = outbox
        self._scheduler = scheduler
        self._timeout = timeout
        self._head: str | None = None

    async def reason(self) -> str | None:
        """The first thing that keeps the bot from working, in one line; None when all is well."""
        try:
            async with asyncio.timeout(self._timeout), self._engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
                # Reading the revision reads the file too: on SQLite, SELECT 1 alone never touches it.
                current = await connection.run_sync(_revision_of)
        except Exception as error:
            return f"database: unreachable ({_error_name(error)})"
        if self._head is None:
            self._head = head_revision()  # read from the migration scripts once
        if current != self._head:
            return f"schema: at {current or 'nothing'}, the code needs {self._head} (run `python -m bot migrate`)"
        if not self._outbox.running:
            return "outbox: not running"
        if self._outbox.failures_in_a_row:
            return f"outbox: restarting after {self._outbox.failures_in_a_row} failure(s) in a row"
        if not self._scheduler.running:
            return "scheduler: not running"
        return None


class HealthServer:
    """The aiohttp server of /healthz, /readyz and /metrics; `start()` and `stop()` follow the bot's life."""

    def __init__(
        self,
        listen: str,
        port: int,
        readiness: Readiness,
        metrics: BotMetrics,
        read_factory: SessionFactory,
        *,
        extra_routes: Callable[[web.Application], None] | None = None,
    ) -> None:
        self._listen = listen
        self._extra_routes = extra_routes
        self._port = port
        self._readiness = readiness
        self._metrics = metrics
        self._read_factory = read_factory
        self._runner: web.AppRunner | None = None
        self._database_figures_failing = False

    @property
    def url(self) -> str:
        """Where the server answers, e.g. http://127.0.0.1:9100."""
        host = f"[{self._listen}]" if ":" in self._listen else self._listen
        return f"http://{host}:{self._port}"

    async def start(self) -> None:
        """Listen; an address in use fails here, at start-up, with the OSError."""
        app = web.Application()
        routes: list[tuple[str, Callable[[web.Request], object]]] = [
            ("/healthz", self._healthz),
            ("/readyz", self._readyz),
            ("/metrics", self._metrics_page),
        ]
        for path, handler in routes:
            app.router.add_get(path, handler)  # type: ignore[arg-type]
        if self._extra_routes is not None:
            self._extra_routes(app)  # the live board, when it shares this port
        runner = web.AppRunner(app, access_log=None)  # scrapes every few seconds: no access log
        await runner.setup()
        try:
            await web.TCPSite(runner, self._listen, self._port).start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        log.info("health endpoint on %s (/healthz, /readyz, /metrics)", self.url)

    async def stop(self) -> None:
        """Stop listening (idempotent)."""
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    async def _healthz(self, request: web.Request) -> web.Response:
        return web.Response(text="ok\n")

    async def _readyz(self, request: web.Request) -> web.Response:
        reason = await self._readiness.reason()
        if reason is None:
            return web.Response(text="ready\n")
        return web.Response(status=503, text=f"{reason}\n")

    async def _metrics_page(self, request: web.Request) -> web.Response:
        try:
            async with asyncio.timeout(DATABASE_TIMEOUT_SECONDS), self._read_factory() as session:
                await self._metrics.refresh(session)
        except Exception as error:
            # The process's own figures are still worth a scrape; say once that the database's are missing.
            if not self._database_figures_failing:
                log.warning("metrics: cannot read the database figures (%s)", _error_name(error))
                log.debug("metrics: the database figures' failure", exc_info=True)
            self._database_figures_failing = True
        else:
            self._database_figures_failing = False
        return web.Response(body=self._metrics.exposition(), headers={"Content-Type": CONTENT_TYPE_LATEST})


def _revision_of(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def _error_name(error: BaseException) -> str:
    # The class name only: a driver's message may carry the host or the user, which a probe need not show.
    return type(error).__name__
