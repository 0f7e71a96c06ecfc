"""Alembic environment: async, URL from the bot's config, batch mode on SQLite."""

import asyncio
import os

from alembic import context
from sqlalchemy import Connection

from bot.core.db import make_engine
from models import Base

target_metadata = Base.metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )


def _run_on(connection: Connection) -> None:
    _configure(connection)
    with context.begin_transaction():
        context.run_migrations()


def _url() -> str:
    url = context.config.get_main_option("sqlalchemy.url")
    if url:
        return url
    from bot.core.config import load_config

    return load_config(os.environ.get("PPSBOT_CONFIG"), require_token=False).database.url


async def _run_async() -> None:
    engine = make_engine(_url())
    async with engine.begin() as conn:
        await conn.run_sync(_run_on)
    await engine.dispose()


def run_migrations_online() -> None:
    # The bot passes its own connection (bot.core.db.upgrade_to_head); the alembic CLI gets a fresh engine.
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run_on(connection)
    else:
        asyncio.run(_run_async())


if context.is_offline_mode():
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
