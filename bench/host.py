"""The sandbox on its own thread and event loop, so the bot's CPU time can be told apart from Telegram's.

The bot (or a naive sender) runs on the main thread's loop and talks to the sandbox over real HTTP on
127.0.0.1, exactly as in the tests. Everything that touches the sandbox's state (simulated people, stats)
runs on the sandbox's loop through :meth:`SandboxHost.call`. The bot's CPU time is the process's CPU time
minus the sandbox thread's own (``time.thread_time`` read on that thread): aiosqlite's worker threads and
the main thread count as the bot, the emulated Telegram and the simulated people do not.
"""

from __future__ import annotations

import asyncio
import threading
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import TypeVar

from bot.sandbox import Sandbox, TelegramLimits

T = TypeVar("T")


class SandboxHost:
    """``async with SandboxHost(latency=..., limits=..., people=n) as host``: a running sandbox with n people."""

    def __init__(self, *, latency: float, limits: TelegramLimits | None, people: int = 0) -> None:
        self._latency = latency
        self._limits = limits
        self._people = people
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="sandbox", daemon=True)
        self._sandbox: Sandbox | None = None
        self.people: list[int] = []
        """Telegram ids of the simulated people, in creation order."""

    @property
    def sandbox(self) -> Sandbox:
        """The sandbox (read its immutable addresses here; touch its state only through :meth:`call`)."""
        if self._sandbox is None:
            raise RuntimeError("the sandbox host is not running")
        return self._sandbox

    async def __aenter__(self) -> SandboxHost:
        self._thread.start()
        try:
            self._sandbox = await self._submit(self._start())
            self.people = await self.call(self._add_people)
        except BaseException:
            await self.__aexit__(None, None, None)
            raise
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            if self._sandbox is not None:
                await self.call(lambda sb: sb.stop())
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            await asyncio.to_thread(self._thread.join)
            self._loop.close()

    async def _start(self) -> Sandbox:
        sandbox = Sandbox(latency=self._latency, limits=self._limits)
        await sandbox.start()
        return sandbox

    async def _add_people(self, sandbox: Sandbox) -> list[int]:
        return [sandbox.new_user(f"PPS {k + 1}").id for k in range(self._people)]

    async def _submit(self, coroutine: Awaitable[T]) -> T:
        async def run() -> T:
            return await coroutine

        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(run(), self._loop))

    async def call(self, action: Callable[[Sandbox], Awaitable[T]]) -> T:
        """Run ``action(sandbox)`` on the sandbox's loop and return its result here."""
        sandbox = self.sandbox

        async def run() -> T:
            return await action(sandbox)

        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(run(), self._loop))

    async def cpu_seconds(self) -> float:
        """CPU seconds the sandbox thread has used so far."""

        async def read(_: Sandbox) -> float:
            return time.thread_time()

        return await self.call(read)

    async def reset(self) -> None:
        """Forget calls, counters and deliveries so far (after start-up, before the measured part)."""

        async def reset(sandbox: Sandbox) -> None:
            sandbox.reset_stats()

        await self.call(reset)


class Meter:
    """Wall time, CPU time outside the sandbox thread, and (when tracemalloc traces) peak memory growth."""

    def __init__(self, host: SandboxHost) -> None:
        self._host = host
        self._wall = 0.0
        self._process = 0.0
        self._sandbox = 0.0
        self._traced = 0
        self.wall = 0.0
        self.cpu = 0.0
        self.peak_mb: float | None = None

    async def start(self) -> None:
        if tracemalloc.is_tracing():
            tracemalloc.reset_peak()
            self._traced = tracemalloc.get_traced_memory()[0]
        self._sandbox = await self._host.cpu_seconds()
        self._process = time.process_time()
        self._wall = time.perf_counter()

    async def stop(self) -> None:
        self.wall = time.perf_counter() - self._wall
        process = time.process_time() - self._process
        self.cpu = process - (await self._host.cpu_seconds() - self._sandbox)
        if tracemalloc.is_tracing():
            self.peak_mb = (tracemalloc.get_traced_memory()[1] - self._traced) / 1e6
