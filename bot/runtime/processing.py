"""Update processing: different people concurrently, each person's updates strictly in order."""

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

UpdateObserver = Callable[[object, float], None]
"""Told of each update once it is handled, with the seconds since it reached the processor (metrics)."""


class PerUserUpdateProcessor(BaseUpdateProcessor):
    """Runs updates of different chats concurrently and updates of one chat one after another.

    A plain `concurrent_updates=True` lets a person's second message overtake the first and breaks
    every multi-step conversation. PTB's outer semaphore is sized generously so that people waiting
    for their own earlier update never hold the slots others need; `max_working` bounds the real
    concurrency.
    """

    def __init__(
        self, max_working: int = 32, max_queued: int = 4096, on_handled: UpdateObserver | None = None
    ) -> None:
        super().__init__(max_concurrent_updates=max_queued)
        self._on_handled = on_handled
        self._working = asyncio.BoundedSemaphore(max_working)
        self._locks: dict[int, asyncio.Lock] = {}
        self._holders: dict[int, int] = {}
        self._in_flight = 0
        self._idle = asyncio.Event()
        self._idle.set()

    @staticmethod
    def _key(update: object) -> int | None:
        if isinstance(update, Update):
            if update.effective_chat is not None:
                return update.effective_chat.id
            if update.effective_user is not None:
                return update.effective_user.id
        return None

    async def wait_idle(self) -> None:
        """Return once no update is being processed (rehearsals and tests wait on this, not on time)."""
        await self._idle.wait()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        self._in_flight += 1
        self._idle.clear()
        # Measured from arrival, so the wait behind the same person's earlier updates counts too.
        arrived = time.monotonic()
        try:
            await self._process_in_order(update, coroutine)
        finally:
            if self._on_handled is not None:
                self._on_handled(update, time.monotonic() - arrived)
            self._in_flight -= 1
            if self._in_flight == 0:
                self._idle.set()

    async def _process_in_order(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = self._key(update)
        if key is None:
            async with self._working:
                await coroutine
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._holders[key] = self._holders.get(key, 0) + 1
        try:
            async with lock, self._working:
                await coroutine
        finally:
            self._holders[key] -= 1
            if self._holders[key] == 0:
                del self._holders[key]
                del self._locks[key]

    async def initialize(self) -> None:
        """Nothing to allocate."""

    async def shutdown(self) -> None:
        """Nothing to free."""
