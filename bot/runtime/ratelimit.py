"""Outgoing-message rate limiter: interactive replies first, broadcasts smoothly within Telegram's limits."""

from __future__ import annotations

import asyncio
import bisect
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
LEAD_SHARE = 0.8
"""Share of the fastest round trip seen taken as surely spent before Telegram counts a send plus after its
count (the window's lead, see the class docstring). The rule is safe while the lead is at most the least
time there plus the least time back; a busy loop inflating every round trip by a fifth breaks that, so the
share is well below one (a busy test machine at a 30 ms round trip did: one 429 at 0.95)."""
CATCH_UP = 2
"""Slots of lateness the pace makes up for (sends granted late by up to this many gaps do not slow it;
making up is a burst of at most CATCH_UP + 1 sends)."""
LEAD_SAMPLES = 16
"""Answers needed before the lead is trusted (the first round trips include connecting)."""
MIN_IN_FLIGHT = 4
"""Bulk sends allowed in flight before any round trip was measured (and the least ever allowed)."""
MAX_IN_FLIGHT = 512
"""Most bulk sends ever allowed in flight: each holds one of the transport's connections (bot.runtime.transport)."""
IN_FLIGHT_HEADROOM = 1.5
"""In-flight cap = headroom x bulk rate x fastest round trip (+ MIN_IN_FLIGHT): what the rate needs, and some."""

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
    max_in_flight: int = 0
    """Most limited sends that were in flight at once."""


@dataclass(eq=False, slots=True)
class _Waiter:
    seq: int
    chat: ChatKey | None
    bulk: bool
    future: asyncio.Future[None]
    granted_at: float = 0.0
    prev_next_slot: float = -math.inf
    set_next_slot: float = -math.inf
    prev_next_bulk_slot: float = -math.inf
    set_next_bulk_slot: float = -math.inf
    prev_free_at: float = -math.inf


@dataclass(slots=True)
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
    * Pace: sends ``1 / overall_per_second`` apart (smooth: no burst at start). Sends granted late (a
      timer or a busy loop, up to :data:`CATCH_UP` slots) do not push the next ones back: those go sooner
      until the schedule is met, so the pace holds on average instead of drifting below it.
    * Window (Telegram's own rule): at most ``window_limit`` sends *arriving at Telegram* in any
      ``WINDOW``. Telegram counts a send when it arrives, somewhere inside its round trip, so a send
      occupies the window from the moment it is granted until ``WINDOW - lead`` after its answer came
      back; ``lead`` is :data:`LEAD_SHARE` of the fastest round trip seen (the least time a send surely
      spends on the way there plus the way back). Sends in flight always count. This holds for any jitter
      of the round trips, so a pace at the limit provokes no 429.
    * Bulk: additionally paced at ``bulk_per_second`` (the coordinators' ceiling) with at most that many
      sends of *both* classes in the window, never while an interactive send whose chat is free is
      queued (replies wait at most about one slot, bulk yields to them), and never with more than
      :attr:`in_flight_cap` sends in flight (what the rate needs for the fastest round trip, x 1.5:
      more only fills httpx's connection pool, whose bookkeeping grows with it).
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
        "_answered",
        "_answers",
        "_bulk",
        "_bulk_cap",
        "_bulk_gap",
        "_bulk_rate",
        "_bulk_rate_bound",
        "_chats",
        "_clock",
        "_fixed_in_flight",
        "_in_flight",
        "_interactive",
        "_last_chat_prune",
        "_max_retries",
        "_next_bulk_slot",
        "_next_slot",
        "_overall_cap",
        "_overall_gap",
        "_paused_until",
        "_per_chat_interval",
        "_rtt_floor",
        "_seq",
        "_timer",
        "_timer_at",
        "stats",
    )

    def __init__(
        self,
        overall_per_second: float = 29,
        bulk_per_second: float = 25,
        per_chat_interval: float = 1.0,
        max_interactive_retries: int = 2,
        clock: Callable[[], float] = time.monotonic,
        *,
        window_limit: int | None = None,
        max_in_flight: int | None = None,
    ) -> None:
        if overall_per_second <= 0 or bulk_per_second <= 0:
            raise ValueError("rates must be positive")
        if per_chat_interval < 0 or max_interactive_retries < 0:
            raise ValueError("per_chat_interval and max_interactive_retries must not be negative")
        if window_limit is not None and window_limit < 1:
            raise ValueError("window_limit must be at least 1")
        if max_in_flight is not None and max_in_flight < 1:
            raise ValueError("max_in_flight must be at least 1")
        bulk_per_second = min(bulk_per_second, overall_per_second)
        self._overall_cap = window_limit or max(1, math.floor(overall_per_second * WINDOW))
        self._overall_gap = 1.0 / overall_per_second
        self._bulk_rate = bulk_per_second
        self._bulk_cap = min(self._overall_cap, max(1, math.floor(bulk_per_second * WINDOW)))
        self._bulk_gap = 1.0 / bulk_per_second
        self._per_chat_interval = per_chat_interval
        self._max_retries = max_interactive_retries
        self._fixed_in_flight = max_in_flight
        self._clock = clock
        self._interactive: list[_Waiter] = []
        self._bulk: list[_Waiter] = []
        # When each answered send's answer came back, in order; it leaves the window WINDOW - lead later,
        # with the lead as it is when asked (it only shrinks, so an answer never leaves too early).
        self._answers: deque[float] = deque()
        self._answered = 0
        self._in_flight = 0
        self._rtt_floor = math.inf
        self._next_slot = -math.inf
        self._next_bulk_slot = -math.inf
        self._bulk_rate_bound = False
        self._chats: dict[ChatKey, _Chat] = {}
        self._last_chat_prune = -math.inf
        self._paused_until = -math.inf
        self._seq = itertools.count()
        self._timer: asyncio.TimerHandle | None = None
        self._timer_at = math.inf
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

    @property
    def in_flight(self) -> int:
        """Limited sends granted whose answer has not come back yet."""
        return self._in_flight

    @property
    def in_flight_cap(self) -> int:
        """Most bulk sends let into flight at once (interactive replies may go beyond it)."""
        if self._fixed_in_flight is not None:
            return self._fixed_in_flight
        if self._rtt_floor == math.inf:
            return MIN_IN_FLIGHT
        needed = IN_FLIGHT_HEADROOM * self._bulk_rate * self._rtt_floor
        return min(MAX_IN_FLIGHT, MIN_IN_FLIGHT + math.ceil(needed))

    @property
    def lead(self) -> float:
        """Seconds of a round trip surely spent outside Telegram's count (see the class docstring); none
        until :data:`LEAD_SAMPLES` answers showed what the fastest round trip is."""
        return LEAD_SHARE * self._rtt_floor if self._answered >= LEAD_SAMPLES else 0.0

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
            granted_at = await self._acquire(seq, chat, bulk)
            waited += granted_at - queued_at
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
                # Answered, failed or cut off: it may have arrived, so it counts in the window.
                self._release(chat, granted_at)

    # -- queueing ----------------------------------------------------------------------------------

    async def _acquire(self, seq: int, chat: ChatKey | None, bulk: bool) -> float:
        """Wait for a slot; returns the clock time of the grant."""
        waiter = _Waiter(seq, chat, bulk, asyncio.get_running_loop().create_future())
        queue = self._bulk if bulk else self._interactive
        if queue and queue[-1].seq > seq:
            bisect.insort(queue, waiter, key=_seq_of)  # a retry keeps its place
        else:
            queue.append(waiter)
        # A bulk send behind others that wait for the rate cannot go sooner than they: the armed timer
        # already covers it (this keeps a claim of thousands from re-planning thousands of times).
        if not (bulk and self._bulk_rate_bound and self._timer is not None and len(queue) > 1):
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
        return waiter.granted_at

    def _discard(self, queue: list[_Waiter], waiter: _Waiter) -> None:
        index = bisect.bisect_left(queue, waiter.seq, key=_seq_of)
        if index < len(queue) and queue[index] is waiter:
            del queue[index]

    def _ungrant(self, waiter: _Waiter) -> None:
        """A granted waiter was cancelled before it sent: give the slot back."""
        self._in_flight -= 1
        if self._next_slot == waiter.set_next_slot:  # no later grant built on it
            self._next_slot = waiter.prev_next_slot
        if waiter.bulk and self._next_bulk_slot == waiter.set_next_bulk_slot:
            self._next_bulk_slot = waiter.prev_next_bulk_slot
        if waiter.chat is not None:
            state = self._chats.get(waiter.chat)
            if state is not None:
                state.in_flight = False
                state.free_at = waiter.prev_free_at

    def _release(self, chat: ChatKey | None, granted_at: float) -> None:
        now = self._clock()
        self._in_flight -= 1
        round_trip = now - granted_at
        if round_trip < self._rtt_floor:
            self._rtt_floor = round_trip
        self._answered += 1
        self._answers.append(now)
        if chat is not None:
            state = self._chats.get(chat)
            if state is None:
                state = self._chats[chat] = _Chat()
            state.in_flight = False
            state.free_at = now + self._per_chat_interval
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
        while True:
            now = self._clock()
            wake_at = self._grant_next(now)
            if wake_at is None:
                continue
            if wake_at == self._timer_at and self._timer is not None:
                return  # already armed for that moment
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
                self._timer_at = math.inf
            if wake_at != math.inf:
                self._timer_at = wake_at
                self._timer = asyncio.get_running_loop().call_later(max(0.0, wake_at - now), self._fire)
            return

    def _fire(self) -> None:
        self._timer = None
        self._timer_at = math.inf
        self._pump()

    def _grant_next(self, now: float) -> float | None:
        """Grant one waiter (``None``) or say when to look again (``inf``: on the next event)."""
        self._bulk_rate_bound = False
        if not self._interactive and not self._bulk:
            return math.inf
        if now < self._paused_until:
            return self._paused_until
        self._prune(now)
        index, chat_wake = self._first_eligible(self._interactive, now)
        if index is not None:
            ready = self._ready_at(self._overall_cap, self._next_slot, now)
            if ready <= now:
                self._grant(self._interactive, index, now)
                return None
            return ready  # bulk may not overtake, and nothing can go earlier than an interactive send
        index, bulk_chat_wake = self._first_eligible(self._bulk, now)
        chat_wake = min(chat_wake, bulk_chat_wake)
        if index is not None:
            if self._in_flight >= self.in_flight_cap:
                return chat_wake  # an answer coming back wakes the queue
            ready = max(
                self._ready_at(self._overall_cap, self._next_slot, now),
                self._ready_at(self._bulk_cap, self._next_bulk_slot, now),
            )
            if ready <= now:
                self._grant(self._bulk, index, now)
                return None
            self._bulk_rate_bound = True
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

    def _ready_at(self, cap: int, next_slot: float, now: float) -> float:
        """When the pace and the window let one more send go (``inf``: when an answer comes back)."""
        excess = self._in_flight + len(self._answers) - cap + 1
        if excess <= 0:
            return next_slot
        if excess > len(self._answers):
            return math.inf
        return max(next_slot, self._answers[excess - 1] + WINDOW - self.lead)

    def _grant(self, queue: list[_Waiter], index: int, now: float) -> None:
        waiter = queue.pop(index)
        waiter.granted_at = now
        waiter.prev_next_slot = self._next_slot
        self._next_slot = waiter.set_next_slot = self._slot_after(self._next_slot, self._overall_gap, now)
        if waiter.bulk:
            waiter.prev_next_bulk_slot = self._next_bulk_slot
            self._next_bulk_slot = waiter.set_next_bulk_slot = self._slot_after(
                self._next_bulk_slot, self._bulk_gap, now
            )
        self._in_flight += 1
        if self._in_flight > self.stats.max_in_flight:
            self.stats.max_in_flight = self._in_flight
        if waiter.chat is not None:
            state = self._chats.get(waiter.chat)
            if state is None:
                state = self._chats[waiter.chat] = _Chat()
            waiter.prev_free_at = state.free_at
            state.in_flight = True
        waiter.future.set_result(None)

    @staticmethod
    def _slot_after(slot: float, gap: float, now: float) -> float:
        """The next slot after a grant at ``now``: on the schedule when the grant was late by at most
        :data:`CATCH_UP` gaps (a late timer or a busy loop; the next sends make up for it, within the
        window), else one gap after now (after a quiet spell: no burst)."""
        if now - slot <= CATCH_UP * gap:
            return slot + gap
        return now + gap

    def _prune(self, now: float) -> None:
        answers = self._answers
        stay = WINDOW - self.lead
        while answers and answers[0] + stay <= now:
            answers.popleft()
        if now - self._last_chat_prune >= max(self._per_chat_interval, 0.1):
            self._last_chat_prune = now
            stale = [
                key for key, state in self._chats.items() if not state.in_flight and state.free_at <= now
            ]
            for key in stale:
                del self._chats[key]
