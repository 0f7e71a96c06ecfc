"""A file built in a short-lived child process, so a 150,000-row export never holds the bot's event loop or GIL."""

import asyncio
import multiprocessing
from collections.abc import Callable
from functools import partial
from multiprocessing.connection import Connection
from typing import Any


class ChildFailed(RuntimeError):
    """The child process ended without the file (it crashed, was killed, or took too long)."""


def _build_into(
    sender: Connection, build: Callable[..., bytes], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    """The child's whole life: build the file, send it to the parent, end (its memory leaves with it)."""
    with sender:
        sender.send_bytes(build(*args, **kwargs))


class _Child:
    """One spawned child that builds one file; the end of its pipe tells the parent when it died."""

    def __init__(
        self, name: str, build: Callable[..., bytes], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> None:
        # spawn, not fork: a fresh interpreter, with no copy of the bot's threads, locks and connections.
        # The arguments are pickled here, by start(), which runs on a worker thread.
        context = multiprocessing.get_context("spawn")
        self._receiver, sender = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_build_into, args=(sender, build, args, kwargs), name=name, daemon=True
        )
        self._process.start()
        # The child now holds the only write end: if it dies, reading ends (EOFError) instead of waiting.
        sender.close()

    def receive(self, timeout: float) -> tuple[bytes | None, bool]:
        """(The file or None, whether the child ended)."""
        try:
            if not self._receiver.poll(timeout):
                return None, False
            try:
                return self._receiver.recv_bytes(), True
            except (EOFError, OSError):
                return None, True
        finally:
            self._receiver.close()

    def end(self, *, kill: bool) -> int | None:
        """Kill the child if asked (timeout, cancellation), reap it, and return its exit code."""
        if kill:
            self._process.kill()
        self._process.join()
        exitcode = self._process.exitcode
        self._process.close()
        return exitcode


async def build_in_child(
    build: Callable[..., bytes], /, *args: Any, name: str, timeout: float, **kwargs: Any
) -> bytes:
    """``build(*args, **kwargs)`` in a spawned child process; ``build`` and its arguments must pickle.

    Starting, waiting and reaping happen on worker threads, so the event loop keeps answering others.
    Raises ChildFailed when the child dies without the file or exceeds ``timeout``; a cancelled caller
    kills it.
    """
    loop = asyncio.get_running_loop()
    child = await loop.run_in_executor(None, _Child, name, build, args, kwargs)
    data, ended = None, False
    try:
        data, ended = await loop.run_in_executor(None, child.receive, timeout)
    finally:
        # Killing the child also wakes a thread still waiting in receive() (its pipe ends): none is left.
        exitcode = await asyncio.shield(loop.run_in_executor(None, partial(child.end, kill=not ended)))
    if data is not None:
        return data
    if not ended:
        raise ChildFailed(f"{name}: nothing within {timeout:.0f} s; the child process was killed")
    raise ChildFailed(f"{name}: the child process ended with exit code {exitcode} and no file")
