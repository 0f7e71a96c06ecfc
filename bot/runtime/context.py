"""Typed context for handlers and jobs: the config and the session factory, never a session."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram.ext import Application, CallbackContext, ExtBot

if TYPE_CHECKING:
    from aiohttp import web

    from bot.core.clock import Clock
    from bot.core.config import Config
    from bot.core.db import SessionFactory
    from bot.core.identity import Identity
    from bot.delivery.outbox import Outbox
    from bot.delivery.scheduling import BroadcastScheduler


class BotData:
    """Application-wide dependencies, set once by the composition root (bot/app.py)."""

    def __init__(self) -> None:
        self._config: Config | None = None
        self._session_factory: SessionFactory | None = None
        self._read_session_factory: SessionFactory | None = None
        self._clock: Clock | None = None
        self._outbox: Outbox | None = None
        self._scheduler: BroadcastScheduler | None = None
        # Routes the webhook server adds beside Telegram's (the live board, when it shares the port).
        self.webhook_routes: list[Callable[[web.Application], None]] = []

    def attach(self, config: Config, session_factory: SessionFactory, clock: Clock) -> None:
        """Called once by build_application."""
        self._config = config
        self._session_factory = session_factory
        self._clock = clock

    def attach_read_factory(self, read_session_factory: SessionFactory) -> None:
        """Called once by build_application: sessions for reads (bot.core.db.make_read_session_factory)."""
        self._read_session_factory = read_session_factory

    def attach_delivery(self, outbox: Outbox, scheduler: BroadcastScheduler) -> None:
        """Called once by build_application, after the job queue exists."""
        self._outbox = outbox
        self._scheduler = scheduler

    @property
    def clock(self) -> Clock:
        if self._clock is None:
            raise RuntimeError("BotData used before build_application attached the clock")
        return self._clock

    @property
    def outbox(self) -> Outbox:
        if self._outbox is None:
            raise RuntimeError("BotData used before build_application attached the outbox")
        return self._outbox

    @property
    def scheduler(self) -> BroadcastScheduler:
        if self._scheduler is None:
            raise RuntimeError("BotData used before build_application attached the scheduler")
        return self._scheduler

    @property
    def config(self) -> Config:
        if self._config is None:
            raise RuntimeError("BotData used before build_application attached the config")
        return self._config

    @property
    def session_factory(self) -> SessionFactory:
        if self._session_factory is None:
            raise RuntimeError("BotData used before build_application attached the database")
        return self._session_factory

    @property
    def read_session_factory(self) -> SessionFactory:
        if self._read_session_factory is None:
            raise RuntimeError("BotData used before build_application attached the read session factory")
        return self._read_session_factory


class BotContext(CallbackContext[ExtBot[Any], dict[Any, Any], dict[Any, Any], BotData]):
    """The context every handler receives (python-telegram-bot makes one per update, shared by its handlers)."""

    # Who is behind the update, resolved once per update by bot.runtime.guards.current_identity.
    identity: Identity | None = None

    def forget_identity(self) -> None:
        """Drop the resolved identity after this update changed it (a language choice, a registration)."""
        self.identity = None

    @property
    def config(self) -> Config:
        return self.bot_data.config

    @property
    def clock(self) -> Clock:
        return self.bot_data.clock

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One unit of work: a fresh session whose transaction commits when the block ends."""
        async with self.bot_data.session_factory() as session, session.begin():
            yield session

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A read-only unit of work (recaps, exports): on SQLite it never holds the write lock; never write in it."""
        async with self.bot_data.read_session_factory() as session, session.begin():
            yield session


BotApplication = Application[ExtBot[Any], BotContext, dict[Any, Any], dict[Any, Any], BotData, Any]
