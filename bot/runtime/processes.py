"""Several processes on one database: one update process (`run`), any number of sending workers (`worker`).

The topology (README, "Several processes"):

* **One update process**, `python -m bot run`. It alone fetches updates (polling) or answers the webhook, so a
  person's updates are processed once and in order (Telegram's getUpdates has one consumer per bot; our
  per-user ordering lives in one process's memory), and it alone runs the APScheduler jobs (scheduled
  broadcasts, the training-day program, the duty digest, the QR refresh), so each fires once. On PostgreSQL it
  holds the advisory lock ``(LEADER_LOCK_SPACE, 1)`` on a connection of its own; a second `run` waits as a
  standby until that lock is free (the first stopped or died) and then takes over. Being the one that runs
  jobs is also guarded in the data: starting a scheduled broadcast is a conditional update.
* **N sending workers**, `python -m bot worker`: the outbox only (no updates, no jobs). Every process claims
  rows with `FOR UPDATE SKIP LOCKED`, owns them by an advisory lock (bot/delivery/owner.py) and sends at slots
  of the one Telegram budget the processes share (bot/delivery/budget.py).
* **SQLite** stays one process: `run` and `worker` take an exclusive lock file beside the database, so a second
  process on the same file is refused in one line; `worker` needs PostgreSQL.

A process whose lock connection breaks (the database restarted) can no longer prove it is the one: it stops
with a non-zero exit code (systemd starts it again, as a standby if another took over meanwhile).
"""

import asyncio
import contextlib
import fcntl
import logging
import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from bot.core.config import Config
from bot.core.locks import LEADER_LOCK_SPACE, LockLost
from bot.texts import render_plain

log = logging.getLogger(__name__)

STANDBY_RETRY_SECONDS = 2.0
CHECK_SECONDS = 1.0
LEADER_KEY = 1
STOP_SIGNALS_NAMES = ("SIGINT", "SIGTERM")


class SqliteInUse(Exception):
    """Another process already runs the bot on this SQLite file (`lock` is the lock file beside it)."""

    def __init__(self, database: str, lock: Path) -> None:
        super().__init__(f"{database} is in use by another process (lock file {lock})")
        self.database = database
        self.lock = lock


class WorkerNeedsPostgres(Exception):
    """`python -m bot worker` on SQLite: there is nothing to share the sending with."""


@dataclass
class ProcessLife:
    """What a serving process waits on: a stop (signal) and whether it stopped because a lock was lost."""

    stop: asyncio.Event = field(default_factory=asyncio.Event)
    lost: LockLost | None = None

    def lose(self, error: LockLost) -> None:
        """The lock's connection failed: stop now; the command line exits non-zero."""
        if self.lost is None:
            self.lost = error
            log.error("%s; stopping so that another process can take over", error)
        self.stop.set()


def _stop_on_signals(life: ProcessLife) -> Callable[[], None]:
    import signal

    loop = asyncio.get_running_loop()
    signals = [getattr(signal, name) for name in STOP_SIGNALS_NAMES]
    for sig in signals:
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, life.stop.set)

    def forget() -> None:
        for sig in signals:
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.remove_signal_handler(sig)

    return forget


def sqlite_lock_path(url: str) -> Path | None:
    """The lock file beside a SQLite database file (None: not a SQLite file)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database).with_name(Path(parsed.database).name + ".lock")


class _SqliteLock:
    """flock(2) on ``<database>.lock``: the kernel drops it when the process ends, however it ends."""

    def __init__(self, url: str) -> None:
        self._url = url
        self._path = sqlite_lock_path(url)
        self._file: IO[str] | None = None

    def __enter__(self) -> None:
        if self._path is None or not self._path.parent.is_dir():
            return  # not a file, or its folder is missing: the database check says so in its own words
        handle = self._path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise SqliteInUse(make_url(self._url).database or "", self._path) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._file = handle

    def __exit__(self, *_: object) -> None:
        if self._file is not None:
            self._file.close()  # closing drops the lock; the file stays (removing it would race a newcomer)
            self._file = None


def sqlite_lock(url: str) -> _SqliteLock:
    """The SQLite lock of a serving process (`run`, `worker`); a no-op on PostgreSQL."""
    return _SqliteLock(url)


class _AdvisoryLock:
    """A session-level advisory lock held on a connection of its own (AUTOCOMMIT: never idle in a
    transaction), checked every CHECK_SECONDS."""

    def __init__(self, url: str, space: int, key: int) -> None:
        # A one-connection engine of its own: the bot's pool must never hand this session to anyone.
        self._engine = create_async_engine(url, pool_size=1, max_overflow=0)
        self._space, self._key = space, key
        self._connection: AsyncConnection | None = None
        self._watch: asyncio.Task[None] | None = None

    async def acquire(self, life: ProcessLife, *, on_wait: Callable[[], None]) -> bool:
        """Take the lock, waiting as long as another session holds it; False when stopped meanwhile."""
        connection = await self._engine.connect()
        connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
        self._connection = connection
        said = False
        while not await connection.scalar(
            text("SELECT pg_try_advisory_lock(:space, :key)"), {"space": self._space, "key": self._key}
        ):
            if not said:
                on_wait()
                said = True
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(life.stop.wait(), STANDBY_RETRY_SECONDS)
            if life.stop.is_set():
                return False
        self._watch = asyncio.create_task(self._check_forever(life), name="update-lock")
        return True

    async def _check_forever(self, life: ProcessLife) -> None:
        assert self._connection is not None
        while True:
            await asyncio.sleep(CHECK_SECONDS)
            try:
                await self._connection.scalar(text("SELECT 1"))
            except Exception as error:
                life.lose(LockLost(f"the connection holding the update lock failed ({type(error).__name__})"))
                return

    async def release(self) -> None:
        if self._watch is not None:
            self._watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watch
        if self._connection is not None:
            with contextlib.suppress(Exception):
                await self._connection.close()
        await self._engine.dispose()


@asynccontextmanager
async def update_process(config: Config) -> AsyncIterator[ProcessLife | None]:
    """Be the one update process of this database: yields the process's life (its stop event), or None
    when a stop signal came while waiting as standby. SQLite: nothing to wait for (see sqlite_lock)."""
    life = ProcessLife()
    forget = _stop_on_signals(life)
    try:
        if config.database.is_sqlite:  # the command line holds the lock file (sqlite_lock) around the run
            yield life
            return
        lock = _AdvisoryLock(config.database.url, LEADER_LOCK_SPACE, LEADER_KEY)
        language = config.bot.default_language
        try:
            if not await lock.acquire(
                life, on_wait=lambda: log.warning(render_plain(language, "cli.processes.standby"))
            ):
                yield None
                return
            log.info(render_plain(language, "cli.processes.leader"))
            yield life
        finally:
            await lock.release()
    finally:
        forget()


@asynccontextmanager
async def worker_process(config: Config) -> AsyncIterator[ProcessLife]:
    """A sending worker's life: PostgreSQL only (WorkerNeedsPostgres on SQLite), stopped by SIGINT/SIGTERM."""
    if config.database.is_sqlite:
        raise WorkerNeedsPostgres(config.database.url)
    life = ProcessLife()
    forget = _stop_on_signals(life)
    try:
        yield life
    finally:
        forget()
