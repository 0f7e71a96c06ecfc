"""Deadline-bounded waiting on state changes (asyncio.Event based; never sleep-polls)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

__all__ = ["SandboxTimeout", "Signal"]

T = TypeVar("T")


class SandboxTimeout(AssertionError, TimeoutError):
    """Nothing matching arrived before the deadline; the message lists what did arrive."""


class Signal:
    """A broadcast "something changed" notification that waiters re-check a predicate on."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        """Wake every current waiter (safe to call from synchronous code)."""
        event, self._event = self._event, asyncio.Event()
        event.set()

    async def wait_for(self, predicate: Callable[[], T | None], timeout: float | None) -> T | None:
        """Return the first non-``None`` ``predicate()`` result, or ``None`` once ``timeout`` expires."""
        result = predicate()
        if result is not None:
            return result
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        while True:
            event = self._event
            remaining = None if deadline is None else deadline - loop.time()
            if remaining is not None and remaining <= 0:
                return None
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                return predicate()
            result = predicate()
            if result is not None:
                return result
