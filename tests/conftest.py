"""Shared fixtures: real databases (SQLite and PostgreSQL), migrated by Alembic, one fresh copy per test."""

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.core.clock import ManualClock
from bot.core.db import SessionFactory, make_engine, make_session_factory, upgrade_to_head
from bot.data import LEBAK_WILAYAH_CSV

REPO_ROOT = Path(__file__).resolve().parent.parent
WILAYAH_CSV = LEBAK_WILAYAH_CSV  # the region list the project ships (bot/data)
POSTGRES_URL = os.environ.get("PPSBOT_TEST_POSTGRES_URL")

DATABASES = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param(
        "postgresql",
        id="postgresql",
        marks=pytest.mark.skipif(not POSTGRES_URL, reason="PPSBOT_TEST_POSTGRES_URL is not set"),
    ),
]


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


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head once per run (per xdist worker: tmp_path_factory is per worker); each
    test gets a copy."""
    path = tmp_path_factory.mktemp("db") / "template.sqlite3"
    asyncio.run(_migrate(f"sqlite+aiosqlite:///{path}"))
    return path


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """A PostgreSQL database migrated to head once per run; each test gets a copy (CREATE DATABASE … TEMPLATE).

    Under pytest-xdist every worker makes its own (the name carries the worker and the process), so no
    two workers ever copy from, or drop, the same template.
    """
    assert POSTGRES_URL
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"ppsbot_tpl_{worker}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    asyncio.run(_admin_execute(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    asyncio.run(_migrate(url))
    yield name
    asyncio.run(_admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of a fresh, migrated database of each kind."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "bot.sqlite3"
        shutil.copyfile(template, path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    template_name: str = request.getfixturevalue("postgres_template")
    assert POSTGRES_URL
    name = f"ppsbot_t_{uuid.uuid4().hex[:12]}"
    asyncio.run(_admin_execute(f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"'))
    yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
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
