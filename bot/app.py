"""The composition root: builds the Telegram Application, database and handlers from the config."""

import asyncio
import logging
import math
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, cast

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import BotCommand, BotCommandScopeDefault, Update
from telegram.ext import Application, BaseRateLimiter, ContextTypes, Defaults, TypeHandler

from bot.core.clock import Clock, SystemClock
from bot.core.config import Config
from bot.core.db import (
    SessionFactory,
    ensure_schema,
    make_engine,
    make_read_session_factory,
    make_session_factory,
)
from bot.core.locks import LockLost
from bot.delivery.budget import CountedAgainstBudget, SharedBudget, own_limiter
from bot.delivery.outbox import Outbox
from bot.delivery.owner import ClaimOwner
from bot.delivery.scheduling import BroadcastScheduler, install_resync
from bot.runtime.board_web import BoardServer, BoardWeb, board_home
from bot.runtime.context import BotApplication, BotContext, BotData
from bot.runtime.guards import SENDERLESS_GROUP, drop_updates_without_sender
from bot.runtime.health import HealthServer, Readiness
from bot.runtime.metrics import BotMetrics
from bot.runtime.processing import PerUserUpdateProcessor
from bot.runtime.ratelimit import MAX_IN_FLIGHT, PriorityRateLimiter
from bot.runtime.transport import REPLY_CONNECTIONS, AiohttpTransport
from bot.texts import LANGUAGES, render, render_plain

log = logging.getLogger(__name__)

# Telegram's overall limit is about 30 messages a second (1,000 with paid broadcasts): the limiter never
# lets more arrive in any second (counted conservatively, see PriorityRateLimiter), and paces one below it.
TELEGRAM_OVERALL_PER_SECOND = 29
PAID_BROADCAST_OVERALL_PER_SECOND = 999
TELEGRAM_WINDOW_LIMIT = 30
PAID_BROADCAST_WINDOW_LIMIT = 1000
# Telegram's advice: about one message a second to any one chat.
PER_CHAT_INTERVAL = 1.0
# Tasks started from callbacks, kept referenced until they end (asyncio holds only weak references).
_BACKGROUND: set[asyncio.Future[None]] = set()


async def prepare_database(engine: AsyncEngine, *, auto_migrate: bool) -> None:
    """Migrate a SQLite database to head; refuse to start on any other database that is behind."""
    await ensure_schema(engine, auto_migrate=auto_migrate)


async def publish_commands(application: BotApplication, commands: list[tuple[str, str]]) -> None:
    """setMyCommands: Indonesian for everyone, English for people whose Telegram is in English."""
    for language in LANGUAGES:
        bot_commands = [BotCommand(name, render(language, key)) for name, key in commands]
        await application.bot.set_my_commands(
            bot_commands, scope=BotCommandScopeDefault(), language_code=None if language == "id" else language
        )


async def purge_on_start(factory: SessionFactory, config: Config, clock: Clock) -> None:
    """[privacy] purge_on_start: delete personal details past their retention, one log line with the count."""
    from bot.privacy.retention import run_purge

    report = await run_purge(factory, retain_days=config.privacy.retain_days, dry_run=False, now=clock.now())
    log.info(render_plain(config.bot.default_language, "cli.purge.started", count=report.total))


def build_application(
    config: Config,
    *,
    clock: Clock | None = None,
    per_chat_interval: float = PER_CHAT_INTERVAL,
    on_lock_lost: Callable[[LockLost], None] | None = None,
) -> BotApplication:
    """Build everything the running bot needs; nothing starts until the application is run.

    ``per_chat_interval`` is the limiter's spacing between two sends to one chat: Telegram's 1 s in
    production; tests against the sandbox shorten it (it is not a config key on purpose).
    ``on_lock_lost``: what to do when, on PostgreSQL, the connection holding this process's outbox lock
    fails (the command line stops the process; by default the outbox stops sending).
    """
    from handlers import MEMBER_COMMANDS, register_handlers
    from handlers.board import start_board_menu
    from handlers.broadcasts import report_missed, report_progress
    from handlers.duties import start_duty_jobs

    engine = make_engine(config.database.url)
    session_factory = make_session_factory(engine)
    read_factory = make_read_session_factory(engine)
    metrics = BotMetrics()
    health: HealthServer | None = None
    clock = clock or SystemClock()
    # The live board (bot/runtime/board_web.py) rides on the server that shares its port, else its own.
    board = BoardWeb(config, read_factory, clock) if config.board.enabled else None
    home = board_home(config) if board is not None else None
    board_server = (
        BoardServer(board, config.board.listen, config.board.port) if board and home == "own" else None
    )

    async def post_init(application: BotApplication) -> None:
        if health is not None:
            # First, so operators see the bot starting (/readyz 503) rather than nothing.
            await health.start()
        await prepare_database(engine, auto_migrate=config.database.is_sqlite)
        if config.privacy.purge_on_start:
            await purge_on_start(session_factory, config, application.bot_data.clock)
        if board_server is not None:
            await board_server.start()
        await publish_commands(application, MEMBER_COMMANDS)
        # The board as every coordinator's menu button, in the background: a few hundred chats take seconds.
        start_board_menu(application)
        await start_outbox(application.bot_data.outbox, on_lock_lost)
        # Jobs come from the database: missed ones are reported, due ones sent once, later ones scheduled.
        await application.bot_data.scheduler.reconcile()
        # `plan import` runs in another process: pick up (and drop) its scheduled rows every minute.
        assert application.job_queue is not None
        install_resync(
            application.job_queue, application.bot_data.scheduler, session_factory, application.bot_data.clock
        )
        # Duties: the overdue digest every morning, and now if this morning's is still owed.
        await start_duty_jobs(application)
        log.info("bot @%s is ready", application.bot.username)

    async def post_stop(application: BotApplication) -> None:
        await stop_outbox(application.bot_data.outbox)

    async def post_shutdown(application: BotApplication) -> None:
        if board_server is not None:
            await board_server.stop()
        if health is not None:
            await health.stop()
        await engine.dispose()

    # A clock faster than real time (rehearsals) has a `speed`: Telegram's limits hold in its time, so a
    # broadcast takes as long on the plan clock as it would for real (sends per plan second).
    speed = float(getattr(clock, "speed", 1.0))
    context_types = ContextTypes(context=BotContext, bot_data=BotData)
    # Several processes may send from a PostgreSQL database: Telegram's budget is shared through it
    # (bot/delivery/budget.py); the process's own limiter still puts its interactive replies first.
    overall = (
        PAID_BROADCAST_OVERALL_PER_SECOND if config.delivery.paid_broadcast else TELEGRAM_OVERALL_PER_SECOND
    )
    window_limit = PAID_BROADCAST_WINDOW_LIMIT if config.delivery.paid_broadcast else TELEGRAM_WINDOW_LIMIT
    budget = (
        None
        if config.database.is_sqlite
        else SharedBudget(session_factory, per_second=speed * min(overall, config.delivery.rate_per_second))
    )

    def shared(limiter: PriorityRateLimiter) -> BaseRateLimiter[Any]:
        return limiter if budget is None else CountedAgainstBudget(limiter, budget)

    builder = (
        Application.builder()
        .token(config.telegram.token)
        .base_url(config.telegram.base_url)
        .base_file_url(config.telegram.base_file_url)
        .request(AiohttpTransport(pool_size=MAX_IN_FLIGHT + REPLY_CONNECTIONS))
        .get_updates_request(AiohttpTransport(pool_size=1))
        .context_types(context_types)
        .defaults(Defaults(tzinfo=config.scheduler.timezone))
        .concurrent_updates(PerUserUpdateProcessor(on_handled=metrics.observe_update))
        .rate_limiter(
            shared(
                PriorityRateLimiter(
                    overall_per_second=speed * overall,
                    bulk_per_second=speed * config.delivery.rate_per_second,
                    per_chat_interval=per_chat_interval / speed,
                    window_limit=math.floor(speed * window_limit),
                )
            )
        )
        .post_init(post_init)
        .post_stop(post_stop)
        .post_shutdown(post_shutdown)
    )
    application = cast(BotApplication, builder.build())
    application.bot_data.attach(config, session_factory, clock)
    application.bot_data.attach_read_factory(read_factory)
    if board is not None and home == "webhook":
        application.bot_data.webhook_routes.append(board.add_routes)

    async def on_progress(broadcast_id: int, final: bool) -> None:
        await report_progress(application, broadcast_id, final)

    async def on_missed(broadcast_id: int) -> None:
        await report_missed(application, broadcast_id)

    outbox = Outbox(
        session_factory,
        application.bot,
        zone=config.scheduler.timezone,
        default_language=config.bot.default_language,
        rate_per_second=config.delivery.rate_per_second,
        max_attempts=config.delivery.max_attempts,
        paid_broadcast=config.delivery.paid_broadcast,
        on_progress=on_progress,
        clock=clock,
    )
    assert application.job_queue is not None
    scheduler = BroadcastScheduler(
        application.job_queue,
        session_factory,
        clock,
        outbox,
        zone=config.scheduler.timezone,
        misfire_grace_seconds=config.scheduler.misfire_grace_seconds,
        on_missed=on_missed,
    )
    if budget is not None:
        # Several processes may send from this database: claims carry our owner lock, sends share the budget.
        outbox.owner = ClaimOwner(engine, session_factory, clock)
        outbox.budget = budget
    application.bot_data.attach_delivery(outbox, scheduler)
    metrics.watch(
        outbox,
        scheduler,
        cast(PriorityRateLimiter, own_limiter(application.bot.rate_limiter)),
        application.job_queue,
    )
    if config.health.enabled:
        health = HealthServer(
            config.health.listen,
            config.health.port,
            Readiness(engine, outbox, scheduler),
            metrics,
            application.bot_data.read_session_factory,
            extra_routes=board.add_routes if board is not None and home == "health" else None,
        )
    application.add_handler(TypeHandler(Update, drop_updates_without_sender), group=SENDERLESS_GROUP)
    register_handlers(application)
    return application


async def start_outbox(outbox: Outbox, on_lock_lost: Callable[[LockLost], None] | None = None) -> None:
    """Start sending; on PostgreSQL first take this process's owner lock, then watch it (and other
    processes' work) every second."""
    owner = outbox.owner
    if owner is not None:
        await owner.start()
    await outbox.start()
    if owner is not None:

        def lost(error: LockLost) -> None:
            log.error("%s; the outbox stops sending", error)
            stopping = asyncio.ensure_future(outbox.stop())
            _BACKGROUND.add(stopping)
            stopping.add_done_callback(_BACKGROUND.discard)

        owner.watch(outbox.wake, on_lock_lost or lost)


async def stop_outbox(outbox: Outbox) -> None:
    """Stop sending, then release the owner lock (rows still 'sending' then go to the other processes)."""
    await outbox.stop()
    if outbox.owner is not None:
        await outbox.owner.stop()


@asynccontextmanager
async def running(application: BotApplication, *, poll_timeout: int = 10) -> AsyncIterator[BotApplication]:
    """Run the bot inside an existing event loop (tests, rehearsal): the same start-up as `run`."""
    async with application:
        if application.post_init is not None:
            await application.post_init(application)
        assert application.updater is not None
        await application.updater.start_polling(
            timeout=poll_timeout, allowed_updates=list(Update.ALL_TYPES), drop_pending_updates=False
        )
        await application.start()
        try:
            yield application
        finally:
            await application.updater.stop()
            await application.stop()
            if application.post_stop is not None:
                await application.post_stop(application)
    if application.post_shutdown is not None:
        await application.post_shutdown(application)


def run(config: Config) -> None:
    """Run the bot until SIGINT/SIGTERM, by long polling or by webhook as configured.

    It is the one update process of its database (bot/runtime/processes.py): on PostgreSQL a second `run`
    waits as standby; on SQLite a second process is refused (SqliteInUse)."""
    from bot.runtime.processes import update_process
    from bot.runtime.running import serve

    async def main() -> None:
        async with update_process(config) as life:
            if life is None:  # stopped while standing by
                return
            await serve(config, lambda: build_application(config, on_lock_lost=life.lose), life.stop)
            if life.lost is not None:
                raise life.lost

    asyncio.run(main())


def work(config: Config) -> None:
    """`python -m bot worker`: send from the outbox until SIGINT/SIGTERM; no updates, no jobs (PostgreSQL)."""
    from bot.runtime.processes import worker_process

    async def main() -> None:
        async with worker_process(config) as life:
            application = build_application(config, on_lock_lost=life.lose)
            outbox = application.bot_data.outbox
            try:
                async with application:  # getMe, and the HTTP client the outbox sends with
                    await start_outbox(outbox, life.lose)
                    log.info(
                        "worker: sending from the outbox (owner %d)", outbox.owner.key if outbox.owner else 0
                    )
                    try:
                        await life.stop.wait()
                    finally:
                        await stop_outbox(outbox)
            finally:
                await application.bot.shutdown()  # a failed getMe leaves its HTTP clients open
            if application.post_shutdown is not None:
                await application.post_shutdown(application)
            if life.lost is not None:
                raise life.lost

    asyncio.run(main())
