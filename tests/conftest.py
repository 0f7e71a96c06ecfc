"""Shared fixtures: real databases (SQLite and PostgreSQL), migrated by Alembic, a clean one for every test."""

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import asyncpg
import pytest
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.core.clock import ManualClock
from bot.core.db import SessionFactory, make_engine, make_session_factory, upgrade_to_head
from bot.data import LEBAK_WILAYAH_CSV

REPO_ROOT = Path(__file__).resolve().parent.parent
WILAYAH_CSV = LEBAK_WILAYAH_CSV  # the region list the project ships (bot/data)
POSTGRES_URL = os.environ.get("PPSBOT_TEST_POSTGRES_URL")
OWN_DATABASE = "own_database"
"""Marker of a test that needs a PostgreSQL database of its own (it alters or drops the database itself, or
leaves processes on it), not the worker's shared one."""

DATABASES = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param(
        "postgresql",
        id="postgresql",
        marks=pytest.mark.skipif(not POSTGRES_URL, reason="PPSBOT_TEST_POSTGRES_URL is not set"),
    ),
]

EMPTY_ALL_TABLES = """
DO $$
DECLARE
  name text;
  found boolean;
  dirty text[] := '{}';
BEGIN
  FOR name IN SELECT format('%I.%I', schemaname, tablename) FROM pg_tables
              WHERE schemaname = 'public' AND tablename <> 'alembic_version' LOOP
    EXECUTE format('SELECT EXISTS (SELECT FROM %s)', name) INTO found;
    IF found THEN dirty := dirty || name; END IF;
  END LOOP;
  IF cardinality(dirty) > 0 THEN
    EXECUTE 'TRUNCATE ' || array_to_string(dirty, ', ') || ' CASCADE';
  END IF;
  FOR name IN SELECT format('%I.%I', schemaname, sequencename) FROM pg_sequences
              WHERE schemaname = 'public' AND last_value IS NOT NULL LOOP
    EXECUTE format('ALTER SEQUENCE %s RESTART', name);
  END LOOP;
END $$
"""
"""Empties every table but alembic_version and restarts every used sequence, in one round trip. Only the
tables that hold rows are truncated (TRUNCATE of all 13 costs ~40 ms, this ~2 ms when a test wrote little);
the sequences are restarted separately because a rolled-back insert advances one without leaving a row."""
LOCK_TIMEOUT_MS = 3000


async def _migrate(url: str) -> None:
    engine = make_engine(url)
    try:
        await upgrade_to_head(engine)
    finally:
        await engine.dispose()


async def _admin_execute(statement: str) -> None:
    assert POSTGRES_URL
    admin = create_async_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            await conn.execute(text(statement))
    finally:
        await admin.dispose()


def _postgres_url(database: str) -> str:
    assert POSTGRES_URL
    return make_url(POSTGRES_URL).set(database=database).render_as_string(hide_password=False)


def _asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _rows_after_migrating(url: str) -> list[str]:
    """Tables the migrations left rows in (emptying between tests would delete seeded reference data)."""
    conn = await asyncpg.connect(_asyncpg_dsn(url))
    try:
        tables = await conn.fetch(
            "SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables "
            "WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
        )
        return [
            row["name"] for row in tables if await conn.fetchval(f"SELECT EXISTS (SELECT FROM {row['name']})")
        ]
    finally:
        await conn.close()


async def _empty(url: str) -> None:
    """Empty the worker's database. A test that left a connection holding a lock (a process it did not stop)
    would block TRUNCATE: after LOCK_TIMEOUT_MS those connections are cut and it is tried once more."""
    conn = await asyncpg.connect(_asyncpg_dsn(url))
    try:
        await conn.execute(f"SET lock_timeout = {LOCK_TIMEOUT_MS}")
        try:
            await conn.execute(EMPTY_ALL_TABLES)
        except asyncpg.LockNotAvailableError:
            await conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            await conn.execute(EMPTY_ALL_TABLES)
    finally:
        await conn.close()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"{OWN_DATABASE}: the PostgreSQL variant gets a database of its own, dropped afterwards"
    )


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head once per run (per xdist worker: tmp_path_factory is per worker); each
    test gets a copy."""
    path = tmp_path_factory.mktemp("db") / "template.sqlite3"
    asyncio.run(_migrate(f"sqlite+aiosqlite:///{path}"))
    return path


def _worker_database_name(kind: str) -> str:
    """Unique per xdist worker and process, so no two workers ever share, copy from, or drop one database."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return f"ppsbot_{kind}_{worker}_{os.getpid()}_{uuid.uuid4().hex[:6]}"


@pytest.fixture(scope="session")
def postgres_worker_database() -> Iterator[str]:
    """The worker's PostgreSQL database: created and migrated to head once, emptied before every test."""
    name = _worker_database_name("w")
    asyncio.run(_admin_execute(f'CREATE DATABASE "{name}"'))
    url = _postgres_url(name)
    try:
        asyncio.run(_migrate(url))
        seeded = asyncio.run(_rows_after_migrating(url))
        if seeded:
            pytest.exit(
                f"the migrations seed rows into {', '.join(seeded)}: tests/conftest.py empties every table "
                "between tests, so keep those rows (exclude the tables from EMPTY_ALL_TABLES) first",
                returncode=3,
            )
        yield url
    finally:
        asyncio.run(_admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """A PostgreSQL database migrated to head once per run, made only when a test marked own_database needs
    a copy of it (CREATE DATABASE … TEMPLATE)."""
    name = _worker_database_name("tpl")
    asyncio.run(_admin_execute(f'CREATE DATABASE "{name}"'))
    try:
        asyncio.run(_migrate(_postgres_url(name)))
        yield name
    finally:
        asyncio.run(_admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of a clean, migrated database of each kind: a copy of a template file for SQLite; for PostgreSQL
    the worker's database emptied (or, for a test marked own_database, a fresh copy of the template)."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "bot.sqlite3"
        shutil.copyfile(template, path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    if request.node.get_closest_marker(OWN_DATABASE) is None:
        url: str = request.getfixturevalue("postgres_worker_database")
        asyncio.run(_empty(url))
        yield url
        return
    template_name: str = request.getfixturevalue("postgres_template")
    name = f"ppsbot_t_{uuid.uuid4().hex[:12]}"
    asyncio.run(_admin_execute(f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"'))
    try:
        yield _postgres_url(name)
    finally:
        asyncio.run(_admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on the fresh database, disposed after the test."""
    eng = make_engine(database_url)
    yield eng
    await eng.dispose()


@pytest.fixture
def session_factory(engine: AsyncEngine) -> SessionFactory:
    """The session factory the services are given, as in the running bot."""
    return make_session_factory(engine)


# --- The bot through the sandbox -------------------------------------------------------------


@pytest.fixture
async def sandbox() -> AsyncIterator["Sandbox"]:
    """The Telegram Bot API emulator on a free port of 127.0.0.1."""
    from bot.sandbox import Sandbox

    async with Sandbox() as sb:
        yield sb


def sandbox_config(
    sb: "Sandbox", database_url: str, delivery: dict[str, object] | None = None, **bot_options: object
) -> "Config":
    """A config that points the bot at the sandbox and the test database."""
    from bot.core.config import BotConfig, Config, DatabaseConfig, DeliveryConfig, TelegramConfig

    return Config(
        telegram=TelegramConfig(token=sb.token, base_url=sb.base_url, base_file_url=sb.base_file_url),
        database=DatabaseConfig(url=database_url),
        bot=BotConfig(**bot_options),  # type: ignore[arg-type]
        delivery=DeliveryConfig(**(delivery or {})),  # type: ignore[arg-type]
    )


@pytest.fixture
def bot_options() -> dict[str, object]:
    """Overrides of the [bot] config section; a test module redefines this fixture to change them."""
    return {}


@pytest.fixture
def delivery_options() -> dict[str, object]:
    """Overrides of the [delivery] config section; a test module redefines this fixture to change them."""
    return {}


@pytest.fixture
def per_chat_interval() -> float:
    """The limiter's spacing between sends to one chat: none against the sandbox (which sets no flood
    limits unless a test asks), so a conversation is not paced at Telegram's 1 s a message. A test
    about the spacing redefines this fixture (tests/test_ratelimit.py tests the limiter itself)."""
    return 0.0


TRAINING_DAY_MORNING = datetime(2024, 6, 3, 7, 30, tzinfo=ZoneInfo("Asia/Jakarta"))


@pytest.fixture
def clock() -> ManualClock:
    """The bot's clock, standing at 07:30 WIB on the training day until a test moves it."""
    return ManualClock(TRAINING_DAY_MORNING)


@pytest.fixture
async def running_bot(
    sandbox: "Sandbox",
    database_url: str,
    bot_options: dict[str, object],
    delivery_options: dict[str, object],
    clock: ManualClock,
    per_chat_interval: float,
) -> AsyncIterator["BotApplication"]:
    """The real bot, built by the composition root, long-polling the sandbox."""
    from bot.app import build_application, running

    config = sandbox_config(sandbox, database_url, delivery_options, **bot_options)
    application = build_application(config, clock=clock, per_chat_interval=per_chat_interval)
    async with running(application, poll_timeout=5):
        yield application


if TYPE_CHECKING:
    from bot.core.config import Config
    from bot.runtime.context import BotApplication
    from bot.sandbox import Sandbox


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print what tests measured (`record_property("measured", line)`), also from pytest-xdist's workers."""
    lines = [
        str(value)
        for report in terminalreporter.stats.get("passed", [])
        for name, value in getattr(report, "user_properties", ())
        if name == "measured"
    ]
    if lines:
        terminalreporter.section("measured")
        for line in lines:
            terminalreporter.write_line(line)
