"""Outgoing-message rate limiter: interactive replies first, broadcasts smoothly within Telegram's limits."""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import datetime as dt
import itertools
import math
import time
import warnings
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

__all__ = ["LIMITED_ENDPOINTS", "PriorityRateLimiter", "RateLimiterStats", "retry_after_seconds"]

JSONDict = dict[str, Any]
Result = bool | JSONDict | list[JSONDict]
RequestCallback = Callable[..., Coroutine[Any, Any, Result]]
ChatKey = int | str

WINDOW = 1.0
"""Length of the sliding window of the overall and bulk limits, in seconds (Telegram's is one second)."""

LIMITED_ENDPOINTS = frozenset(
    name.lower()
    for name in (
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendVenue",
        "sendLocation",
        "sendMediaGroup",
        "copyMessage",
        "copyMessages",
        "forwardMessage",
        "forwardMessages",
        "sendAnimation",
        "sendVideo",
        "sendVideoNote",
        "sendAudio",
        "sendVoice",
        "sendSticker",
        "sendContact",
        "sendPoll",
        "sendDice",
        "sendInvoice",
        "sendGame",
        "sendPaidMedia",
        "sendChecklist",
    )
)
"""Bot API methods (lower case) that produce a message and therefore count towards the flood limits."""


def retry_after_seconds(error: RetryAfter) -> float:
    """Seconds to wait from a :class:`RetryAfter`, whether its ``retry_after`` is a timedelta or a number."""
    value: object = getattr(error, "_retry_after", None)
    if value is None:
        # Older or newer PTB without the private attribute; the public one may warn about its type.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PTBDeprecationWarning)
            value = error.retry_after
    if isinstance(value, dt.timedelta):
        return max(0.0, value.total_seconds())
    if isinstance(value, int | float):
        return max(0.0, float(value))
    raise TypeError(f"unexpected retry_after {value!r}")


@dataclass
class RateLimiterStats:
    """Counters for benchmarks (all times in seconds of the limiter's clock)."""

    interactive_sends: int = 0
    """Requests made for interactive sends (retries included)."""
    bulk_sends: int = 0
    """Requests made for bulk sends."""
    unlimited: int = 0
    """Requests that went straight through (not message-producing)."""
    retry_after: int = 0
    """429s (RetryAfter) seen on limited sends."""
    interactive_retries: int = 0
    """Interactive sends repeated after a 429."""
    bulk_retry_after_raised: int = 0
    """Bulk sends whose 429 was handed back to the caller."""
    pause_seconds: float = 0.0
    """Total time all limited sends were paused by 429s (overlapping pauses counted once)."""
    max_interactive_wait: float = 0.0
    """Longest time an interactive send spent queued (all attempts, excluding the requests themselves)."""
    max_bulk_wait: float = 0.0
    """Longest time a bulk send spent queued."""


@dataclass(eq=False)
class _Waiter:
    seq: int
    chat: ChatKey | None
    bulk: bool
    future: asyncio.Future[None]
    granted_at: float = 0.0
    prev_last_grant: float = -math.inf
    prev_free_at: float = -math.inf


@dataclass
class _Chat:
    in_flight: bool = False
    free_at: float = -math.inf
    """Earliest time of the next send (set when the previous one finished)."""


def _seq_of(waiter: _Waiter) -> int:
    return waiter.seq


def _chat_key(value: object) -> ChatKey | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value)
    try:
        return int(text)
    except ValueError:
        return text


class PriorityRateLimiter(BaseRateLimiter[dict[str, Any]]):
    """Throttles message-producing requests to Telegram's flood limits, interactive replies first.

    * Only :data:`LIMITED_ENDPOINTS` are limited; every other request goes straight through.
    * A send is **bulk** when the caller passes ``rate_limit_args={"bulk": True}`` (the broadcast
      outbox), otherwise **interactive**.
    * Overall: at most ``overall_per_second`` sends in any sliding one-second window, and consecutive
      sends at least ``1 / overall_per_second`` apart (smooth: no burst at start, tolerant of jitter).
    * Bulk: additionally at most ``bulk_per_second`` sends of *both* classes in the window, at least
      ``1 / bulk_per_second`` after the previous send, and never while an interactive send whose chat
      is free is queued — so interactive replies never queue behind a broadcast, and bulk yields
      capacity to them.
    * Per chat: the next send to a chat starts at least ``per_chat_interval`` after the previous one to
      that chat *finished* (so network jitter cannot make Telegram see them closer than the interval).
    * A 429 pauses all limited sends until ``now + retry_after`` (a later 429 extends, nothing shortens
      it); interactive sends are then retried up to ``max_interactive_retries`` times, bulk sends
      re-raise the :class:`RetryAfter` to the caller.
    * Fairness: FIFO within each class among sends whose chat is free (a send waiting for its chat does
      not hold up sends to other chats). Cancelling a waiting send gives its place back.

    ``sendMediaGroup`` counts as one send. ``clock`` must be monotonic; waits are real
    (``loop.call_later``) — after moving an injected clock call :meth:`wake`.
    """

    __slots__ = (
        "_bulk",
        "_bulk_cap",
        "_bulk_gap",
        "_chats",
        "_clock",
        "_interactive",
        "_last_chat_prune",
        "_last_grant",
        "_max_retries",
        "_overall_cap",
        "_overall_gap",
        "_paused_until",
        "_per_chat_interval",
        "_seq",
        "_timer",
        "_window",
        "stats",
    )

    def __init__(
        self,
        overall_per_second: float = 29,
        bulk_per_second: float = 25,
        per_chat_interval: float = 1.0,
        max_interactive_retries: int = 2,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if overall_per_second <= 0 or bulk_per_second <= 0:
            raise ValueError("rates must be positive")
        if per_chat_interval < 0 or max_interactive_retries < 0:
            raise ValueError("per_chat_interval and max_interactive_retries must not be negative")
        bulk_per_second = min(bulk_per_second, overall_per_second)
        self._overall_cap = max(1, math.floor(overall_per_second * WINDOW))
        self._overall_gap = 1.0 / overall_per_second
        self._bulk_cap = max(1, math.floor(bulk_per_second * WINDOW))
        self._bulk_gap = 1.0 / bulk_per_second
        self._per_chat_interval = per_chat_interval
        self._max_retries = max_interactive_retries
        self._clock = clock
        self._interactive: list[_Waiter] = []
        self._bulk: list[_Waiter] = []
        self._window: deque[float] = deque()
        self._last_grant = -math.inf
        self._chats: dict[ChatKey, _Chat] = {}
        self._last_chat_prune = -math.inf
        self._paused_until = -math.inf
        self._seq = itertools.count()
        self._timer: asyncio.TimerHandle | None = None
        self.stats = RateLimiterStats()

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    # -- inspection ---------------------------------------------------------------------------------

    @property
    def queued_interactive(self) -> int:
        """Interactive sends waiting for a slot."""
        return sum(1 for waiter in self._interactive if not waiter.future.done())

    @property
    def queued_bulk(self) -> int:
        """Bulk sends waiting for a slot."""
        return sum(1 for waiter in self._bulk if not waiter.future.done())

    @property
    def paused_until(self) -> float | None:
        """Clock time until which a 429 pauses all limited sends, ``None`` when not paused."""
        return self._paused_until if self._paused_until > self._clock() else None

    @property
    def tracked_chats(self) -> int:
        """Chats remembered for the per-chat interval (bounded: entries are dropped once free)."""
        return len(self._chats)

    def wake(self) -> None:
        """Re-check the queues now (only needed after an injected clock was moved forward)."""
        self._pump()

    # -- the contract ------------------------------------------------------------------------------

    async def process_request(
        self,
        callback: RequestCallback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: dict[str, Any] | None,
    ) -> Result:
        """Run ``callback`` when the limits allow; see the class docstring for the rules."""
        if endpoint.lower() not in LIMITED_ENDPOINTS:
            self.stats.unlimited += 1
            return await callback(*args, **kwargs)
        bulk = bool(rate_limit_args and rate_limit_args.get("bulk"))
        chat = _chat_key(data.get("chat_id"))
        seq = next(self._seq)
        waited = 0.0
        attempt = 0
        while True:
            queued_at = self._clock()
            await self._acquire(seq, chat, bulk)
            waited += self._clock() - queued_at
            if bulk:
                self.stats.bulk_sends += 1
                self.stats.max_bulk_wait = max(self.stats.max_bulk_wait, waited)
            else:
                self.stats.interactive_sends += 1
                self.stats.max_interactive_wait = max(self.stats.max_interactive_wait, waited)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                self._pause(error)
                if bulk:
                    self.stats.bulk_retry_after_raised += 1
                    raise
                if attempt >= self._max_retries:
                    raise
                attempt += 1
                self.stats.interactive_retries += 1
            finally:
                self._release(chat)

    # -- queueing ----------------------------------------------------------------------------------

    async def _acquire(self, seq: int, chat: ChatKey | None, bulk: bool) -> None:
        waiter = _Waiter(seq, chat, bulk, asyncio.get_running_loop().create_future())
        queue = self._bulk if bulk else self._interactive
        bisect.insort(queue, waiter, key=_seq_of)
        self._pump()
        try:
            await waiter.future
        except asyncio.CancelledError:
            if waiter.future.done() and not waiter.future.cancelled():
                self._ungrant(waiter)
            else:
                self._discard(queue, waiter)
            self._pump()
            raise

    def _discard(self, queue: list[_Waiter], waiter: _Waiter) -> None:
        index = bisect.bisect_left(queue, waiter.seq, key=_seq_of)
        if index < len(queue) and queue[index] is waiter:
            del queue[index]

    def _ungrant(self, waiter: _Waiter) -> None:
        """A granted waiter was cancelled before it sent: give the slot back."""
        with contextlib.suppress(ValueError):  # it may already have slid out of the window
            self._window.remove(waiter.granted_at)
        if self._last_grant == waiter.granted_at:
            self._last_grant = waiter.prev_last_grant
        if waiter.chat is not None:
            state = self._chats.get(waiter.chat)
            if state is not None:
                state.in_flight = False
                state.free_at = waiter.prev_free_at

    def _release(self, chat: ChatKey | None) -> None:
        if chat is not None:
            state = self._chats.setdefault(chat, _Chat())
            state.in_flight = False
            state.free_at = self._clock() + self._per_chat_interval
        if self._interactive or self._bulk:
            self._pump()

    def _pause(self, error: RetryAfter) -> None:
        now = self._clock()
        until = now + retry_after_seconds(error)
        self.stats.retry_after += 1
        if until > self._paused_until:
            self.stats.pause_seconds += until - max(self._paused_until, now)
            self._paused_until = until
        self._pump()

    # -- scheduling --------------------------------------------------------------------------------

    def _pump(self) -> None:
        """Grant every slot that is free now, then arm one timer for the next moment one may free."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        while True:
            now = self._clock()
            wake_at = self._grant_next(now)
            if wake_at is None:
                continue
            if wake_at != math.inf:
                loop = asyncio.get_running_loop()
                self._timer = loop.call_later(max(0.0, wake_at - now), self._pump)
            return

    def _grant_next(self, now: float) -> float | None:
        """Grant one waiter (``None``) or say when to look again (``inf``: on the next event)."""
        if not self._interactive and not self._bulk:
            return math.inf
        if now < self._paused_until:
            return self._paused_until
        self._prune(now)
        index, chat_wake = self._first_eligible(self._interactive, now)
        if index is not None:
            ready = self._ready_at(self._overall_cap, self._overall_gap)
            if ready <= now:
                self._grant(self._interactive, index, now)
                return None
            return ready  # bulk may not overtake, and nothing can go earlier than an interactive send
        index, bulk_chat_wake = self._first_eligible(self._bulk, now)
        chat_wake = min(chat_wake, bulk_chat_wake)
        if index is not None:
            ready = self._ready_at(self._bulk_cap, self._bulk_gap)
            if ready <= now:
                self._grant(self._bulk, index, now)
                return None
            return min(ready, chat_wake)
        return chat_wake

    def _first_eligible(self, queue: list[_Waiter], now: float) -> tuple[int | None, float]:
        """Index of the oldest waiter whose chat is free, and the earliest time a blocked chat frees."""
        chat_wake = math.inf
        index = 0
        while index < len(queue):
            waiter = queue[index]
            if waiter.future.done():  # cancelled, its task has not cleaned up yet
                del queue[index]
                continue
            state = self._chats.get(waiter.chat) if waiter.chat is not None else None
            if state is None or (not state.in_flight and state.free_at <= now):
                return index, chat_wake
            if not state.in_flight:
                chat_wake = min(chat_wake, state.free_at)
            index += 1
        return None, chat_wake

    def _ready_at(self, cap: int, gap: float) -> float:
        ready = self._last_grant + gap
        if len(self._window) >= cap:
            ready = max(ready, self._window[len(self._window) - cap] + WINDOW)
        return ready

    def _grant(self, queue: list[_Waiter], index: int, now: float) -> None:
        waiter = queue.pop(index)
        waiter.granted_at = now
        waiter.prev_last_grant = self._last_grant
        self._window.append(now)
        self._last_grant = now
        if waiter.chat is not None:
            state = self._chats.setdefault(waiter.chat, _Chat())
            waiter.prev_free_at = state.free_at
            state.in_flight = True
        waiter.future.set_result(None)

    def _prune(self, now: float) -> None:
        window = self._window
        while window and window[0] + WINDOW <= now:
            window.popleft()
        if now - self._last_chat_prune >= max(self._per_chat_interval, 0.1):
            self._last_chat_prune = now
            stale = [
                key for key, state in self._chats.items() if not state.in_flight and state.free_at <= now
            ]
            for key in stale:
                del self._chats[key]
