"""PriorityRateLimiter: smooth overall/bulk/per-chat limits, interactive priority, 429 pauses, cancellation."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from telegram.error import RetryAfter
from telegram.ext import ExtBot

from bot.runtime.ratelimit import LIMITED_ENDPOINTS, PriorityRateLimiter, retry_after_seconds
from bot.sandbox import BotMessage, Sandbox, TelegramLimits, sandbox_request

DEADLINE = 3.0


class FakeClock:
    """A clock that only moves when told to (binary-exact steps keep comparisons exact)."""

    def __init__(self, now: float = 100.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Calls:
    """Fake Bot API: records every request the limiter lets through, in order, with the clock's time."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.log: list[tuple[str, float]] = []
        self.ended: dict[str, list[float]] = {}
        self._changed = asyncio.Condition()

    def names(self) -> list[str]:
        return [name for name, _ in self.log]

    def times(self, name: str) -> list[float]:
        return [at for logged, at in self.log if logged == name]

    async def wait_count(self, count: int) -> None:
        """Wait (with a deadline) until at least ``count`` requests were made."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: len(self.log) >= count), DEADLINE)

    async def _record(self, name: str) -> None:
        async with self._changed:
            self.log.append((name, self.clock()))
            self._changed.notify_all()

    def send(
        self,
        limiter: PriorityRateLimiter,
        name: str,
        chat_id: int | str | None,
        *,
        bulk: bool = False,
        endpoint: str = "sendMessage",
        errors: list[BaseException] | None = None,
        gate: asyncio.Event | None = None,
    ) -> Awaitable[Any]:
        """One request through the limiter; ``errors`` are raised by successive attempts, ``gate``
        holds the request open (in flight) until set."""
        pending = list(errors or [])

        async def callback() -> bool:
            await self._record(name)
            if gate is not None:
                await gate.wait()
            self.ended.setdefault(name, []).append(self.clock())
            if pending:
                raise pending.pop(0)
            return True

        data = {"chat_id": chat_id, "text": name}
        return limiter.process_request(callback, (), {}, endpoint, data, {"bulk": True} if bulk else None)

    def start(
        self, limiter: PriorityRateLimiter, name: str, chat_id: int, **options: Any
    ) -> asyncio.Task[Any]:
        return asyncio.create_task(self.send(limiter, name, chat_id, **options))  # type: ignore[arg-type]


async def eventually(predicate: Callable[[], bool], timeout: float = DEADLINE) -> None:
    """Poll ``predicate`` with a deadline (for state that has no event of its own)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached before the deadline")
        await asyncio.sleep(0.001)


def retry_after(seconds: float) -> RetryAfter:
    return RetryAfter(dt.timedelta(seconds=seconds))


# -- classification -------------------------------------------------------------------------------


async def test_only_message_endpoints_are_limited_case_insensitively() -> None:
    calls = Calls()
    limiter = PriorityRateLimiter(overall_per_second=1, bulk_per_second=1, per_chat_interval=60)
    await calls.send(limiter, "first", 1)
    queued = calls.start(limiter, "second", 1, endpoint="SENDMESSAGE")  # same chat: waits a minute
    await eventually(lambda: limiter.queued_interactive == 1)
    for endpoint in (
        "getUpdates",
        "answerCallbackQuery",
        "editMessageText",
        "setMyCommands",
        "sendChatAction",
    ):
        assert await asyncio.wait_for(calls.send(limiter, endpoint, 1, endpoint=endpoint), DEADLINE) is True
    assert limiter.stats.unlimited == 5 and limiter.queued_interactive == 1
    assert calls.names() == [
        "first",
        "getUpdates",
        "answerCallbackQuery",
        "editMessageText",
        "setMyCommands",
        "sendChatAction",
    ]
    queued.cancel()
    with pytest.raises(asyncio.CancelledError):
        await queued
    assert {
        "sendmessage",
        "sendphoto",
        "copymessage",
        "forwardmessage",
        "sendmediagroup",
    } <= LIMITED_ENDPOINTS


def test_retry_after_seconds_reads_int_and_timedelta_without_warning() -> None:
    assert retry_after_seconds(RetryAfter(3)) == 3.0
    assert retry_after_seconds(RetryAfter(dt.timedelta(milliseconds=250))) == 0.25


# -- smoothness and the two classes (injected clock: exact) --------------------------------------


async def test_no_burst_at_start_sends_are_spread() -> None:
    clock = FakeClock()
    calls = Calls(clock)
    limiter = PriorityRateLimiter(overall_per_second=4, bulk_per_second=4, per_chat_interval=0, clock=clock)
    tasks = [calls.start(limiter, f"m{chat}", chat) for chat in range(5)]
    await calls.wait_count(1)
    await eventually(lambda: limiter.queued_interactive == 4)
    assert len(calls.log) == 1  # a fresh limiter does not release a burst of four
    clock.advance(0.125)
    limiter.wake()
    assert len(calls.log) == 1 and limiter.queued_interactive == 4
    clock.advance(0.125)
    for sent in range(2, 6):
        limiter.wake()
        await calls.wait_count(sent)
        clock.advance(0.25)
    await asyncio.gather(*tasks)
    assert [at - 100.0 for _, at in calls.log] == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert calls.names() == ["m0", "m1", "m2", "m3", "m4"]  # FIFO


async def test_bulk_limit_counts_interactive_sends_too() -> None:
    clock = FakeClock(0.0)
    calls = Calls(clock)
    limiter = PriorityRateLimiter(overall_per_second=4, bulk_per_second=2, per_chat_interval=0, clock=clock)
    await calls.send(limiter, "i1", 1)  # t = 0
    clock.advance(0.25)
    await calls.send(limiter, "i2", 2)  # t = 0.25: overall allows 4 a second, one per 0.25 s
    bulk = calls.start(limiter, "b1", 3, bulk=True)
    await eventually(lambda: limiter.queued_bulk == 1)
    clock.advance(0.25)
    await calls.send(limiter, "i3", 4)  # t = 0.5: interactive goes, the waiting bulk send does not
    for _ in range(3):  # t = 0.75, 1.0: two sends of any class still in the last second
        clock.advance(0.25)
        limiter.wake()
        if clock.now < 1.25:
            assert limiter.queued_bulk == 1
    await asyncio.wait_for(bulk, DEADLINE)
    assert calls.log == [("i1", 0.0), ("i2", 0.25), ("i3", 0.5), ("b1", 1.25)]
    assert limiter.stats.bulk_sends == 1 and limiter.stats.interactive_sends == 3


async def test_interactive_send_waiting_for_its_chat_does_not_hold_up_bulk() -> None:
    clock = FakeClock(0.0)
    calls = Calls(clock)
    limiter = PriorityRateLimiter(
        overall_per_second=64, bulk_per_second=64, per_chat_interval=0.5, clock=clock
    )
    await calls.send(limiter, "i1", 1)
    second = calls.start(limiter, "i2", 1)  # same chat: not before t = 0.5
    bulk = [calls.start(limiter, f"b{chat}", chat, bulk=True) for chat in (2, 3)]
    await eventually(lambda: limiter.queued_bulk == 2 and limiter.queued_interactive == 1)
    for _ in range(2):
        clock.advance(1 / 64)
        limiter.wake()
    await asyncio.wait_for(asyncio.gather(*bulk), DEADLINE)
    assert limiter.queued_interactive == 1
    clock.advance(0.5)
    limiter.wake()
    await asyncio.wait_for(second, DEADLINE)
    assert calls.names() == ["i1", "b2", "b3", "i2"]


async def test_interactive_send_overtakes_a_waiting_bulk_queue() -> None:
    calls = Calls()
    limiter = PriorityRateLimiter(overall_per_second=200, bulk_per_second=100, per_chat_interval=0)
    bulk = [calls.start(limiter, f"b{chat}", chat, bulk=True) for chat in range(20)]
    await calls.wait_count(3)
    granted_before = 20 - limiter.queued_bulk
    await asyncio.wait_for(calls.send(limiter, "reply", 99), DEADLINE)
    assert limiter.queued_bulk > 0  # answered while the broadcast still waits
    assert calls.names().index("reply") <= granted_before  # nothing queued after it went first
    await asyncio.wait_for(asyncio.gather(*bulk), DEADLINE)
    assert limiter.stats.bulk_sends == 20 and limiter.stats.interactive_sends == 1


async def test_sends_to_one_chat_are_spaced_by_the_interval_after_the_previous_finished() -> None:
    calls = Calls()
    limiter = PriorityRateLimiter(overall_per_second=100, bulk_per_second=100, per_chat_interval=0.1)
    same = [calls.start(limiter, f"m{n}", 7) for n in range(3)]
    other = calls.start(limiter, "other", 8, bulk=True)
    await asyncio.wait_for(asyncio.gather(*same, other), DEADLINE)
    starts = [calls.times(f"m{n}")[0] for n in range(3)]
    ends = [calls.ended[f"m{n}"][0] for n in range(3)]
    assert starts[1] - ends[0] >= 0.1 and starts[2] - ends[1] >= 0.1
    assert calls.names()[:2] == ["m0", "other"]  # another chat is not held up


async def test_per_chat_memory_stays_bounded() -> None:
    clock = FakeClock(0.0)
    calls = Calls(clock)
    limiter = PriorityRateLimiter(
        overall_per_second=1024, bulk_per_second=1024, per_chat_interval=0.5, clock=clock
    )
    for chat in range(50):
        clock.advance(1 / 1024)
        await calls.send(limiter, f"m{chat}", chat, bulk=True)
    assert limiter.tracked_chats == 50
    clock.advance(1.0)
    await calls.send(limiter, "late", 1000)
    assert limiter.tracked_chats == 1


# -- Telegram's window counted by answers, the pace, the ceiling, what is in flight -----------------


async def test_sends_in_flight_hold_the_window_until_an_answer_comes_back() -> None:
    clock = FakeClock(0.0)
    calls = Calls(clock)
    limiter = PriorityRateLimiter(overall_per_second=8, per_chat_interval=0, window_limit=2, clock=clock)
    gates = {name: asyncio.Event() for name in "AB"}
    held = [calls.start(limiter, name, n, bulk=True, gate=gates[name]) for n, name in enumerate("AB")]
    await calls.wait_count(1)
    clock.advance(0.125)
    limiter.wake()
    await calls.wait_count(2)
    third = calls.start(limiter, "C", 3, bulk=True)
    await eventually(lambda: limiter.queued_bulk == 1)
    clock.advance(3.0)  # long past a second after both were granted: they may still be on their way
    limiter.wake()
    assert limiter.queued_bulk == 1 and limiter.in_flight == 2
    gates["A"].set()  # A's answer: it has arrived, and counts for a second more (no lead known yet)
    await asyncio.wait_for(held[0], DEADLINE)
    assert limiter.queued_bulk == 1
    clock.advance(1.0)
    limiter.wake()
    await asyncio.wait_for(third, DEADLINE)
    gates["B"].set()
    await asyncio.gather(*held)
    assert calls.log == [("A", 0.0), ("B", 0.125), ("C", 4.125)]


async def test_an_answered_send_counts_until_a_window_after_its_answer() -> None:
    clock = FakeClock(0.0)
    calls = Calls(clock)
    limiter = PriorityRateLimiter(overall_per_second=8, per_chat_interval=0, window_limit=2, clock=clock)
    await calls.send(limiter, "Z", 1, bulk=True)  # answered at once: the fastest round trip is 0, no lead
    clock.advance(0.125)
    gate = asyncio.Event()
    slow = calls.start(limiter, "A", 2, bulk=True, gate=gate)
    await calls.wait_count(2)
    waiting = [calls.start(limiter, name, n, bulk=True) for n, name in ((3, "C"), (4, "D"))]
    await eventually(lambda: limiter.queued_bulk == 2)
    clock.advance(0.375)
    gate.set()  # A answered at 0.5
    await asyncio.wait_for(slow, DEADLINE)
    for moment in (1.0, 1.5):  # Z leaves the window at 1.0; A at 1.5, a second after its answer
        clock.now = moment
        limiter.wake()
        await calls.wait_count(3 if moment == 1.0 else 4)
        assert len(calls.log) == (3 if moment == 1.0 else 4)
    await asyncio.gather(*waiting)
    # Counted from its grant, A would have let D go at 1.125; Telegram may have seen A as late as 0.5.
    assert calls.log == [("Z", 0.0), ("A", 0.125), ("C", 1.0), ("D", 1.5)]


async def test_the_pace_makes_up_for_a_late_grant_instead_of_drifting() -> None:
    clock = FakeClock(0.0)
    calls = Calls(clock)
    limiter = PriorityRateLimiter(overall_per_second=4, bulk_per_second=4, per_chat_interval=0, clock=clock)
    tasks = [calls.start(limiter, f"m{n}", n, bulk=True) for n in range(4)]
    await calls.wait_count(1)
    for moment, sent in ((0.3, 2), (0.5, 3), (0.75, 4)):  # the timer fired 50 ms late at 0.25
        clock.now = moment
        limiter.wake()
        await calls.wait_count(sent)
    await asyncio.gather(*tasks)
    assert [at for _, at in calls.log] == [0.0, 0.3, 0.5, 0.75]  # back on the schedule, not 0.55, 0.8


async def test_the_bulk_ceiling_holds_while_replies_go_at_the_overall_pace() -> None:
    clock = FakeClock(0.0)
    calls = Calls(clock)
    limiter = PriorityRateLimiter(overall_per_second=8, bulk_per_second=2, per_chat_interval=0, clock=clock)
    bulk = [calls.start(limiter, f"b{n}", n, bulk=True) for n in range(3)]
    await calls.wait_count(1)
    for step in range(1, 13):
        clock.now = step * 0.125
        if step == 2:
            await asyncio.wait_for(calls.send(limiter, "reply", 99), DEADLINE)
        limiter.wake()
        await asyncio.sleep(0)
    await asyncio.wait_for(asyncio.gather(*bulk), DEADLINE)
    # The reply went at once; the broadcast stays within 2 in any second, the reply counted in it (b2
    # goes as the reply leaves the window; the pace makes up for b1's late start).
    assert calls.log == [("b0", 0.0), ("reply", 0.25), ("b1", 1.0), ("b2", 1.25)]


async def test_a_reply_waits_at_most_one_slot_behind_a_broadcast_at_full_pace() -> None:
    clock = FakeClock(0.0)
    calls = Calls(clock)
    limiter = PriorityRateLimiter(overall_per_second=4, bulk_per_second=4, per_chat_interval=0, clock=clock)
    bulk = [calls.start(limiter, f"b{n}", n, bulk=True) for n in range(4)]
    await calls.wait_count(1)
    clock.now = 0.1  # a member writes between two broadcast slots
    reply = calls.start(limiter, "reply", 99)
    await eventually(lambda: limiter.queued_interactive == 1)
    for moment in (0.25, 0.5, 0.75, 1.0):
        clock.now = moment
        limiter.wake()
        await calls.wait_count(int(moment * 4) + 1)
    await asyncio.wait_for(asyncio.gather(reply, *bulk), DEADLINE)
    assert calls.log[:3] == [("b0", 0.0), ("reply", 0.25), ("b1", 0.5)]
    assert limiter.stats.max_interactive_wait == pytest.approx(0.15)


async def test_bulk_in_flight_is_capped_and_replies_may_pass_the_cap() -> None:
    calls = Calls()
    limiter = PriorityRateLimiter(overall_per_second=1000, per_chat_interval=0, max_in_flight=2)
    gate = asyncio.Event()
    bulk = [calls.start(limiter, f"b{n}", n, bulk=True, gate=gate) for n in range(5)]
    await calls.wait_count(2)
    await asyncio.wait_for(calls.send(limiter, "reply", 99), DEADLINE)  # not held up by the cap
    assert limiter.queued_bulk == 3 and limiter.in_flight == 2
    gate.set()
    await asyncio.wait_for(asyncio.gather(*bulk), DEADLINE)
    assert limiter.stats.max_in_flight == 3 and limiter.stats.bulk_sends == 5


# -- 429 ------------------------------------------------------------------------------------------


async def test_retry_after_pauses_everyone_and_interactive_is_retried() -> None:
    calls = Calls()
    limiter = PriorityRateLimiter(overall_per_second=100, bulk_per_second=100, per_chat_interval=0)
    first = calls.start(limiter, "A", 1, errors=[retry_after(0.3)])
    await eventually(lambda: limiter.paused_until is not None)
    pause_end = limiter.paused_until
    assert pause_end is not None
    others = [calls.start(limiter, "B", 2, bulk=True), calls.start(limiter, "C", 3)]
    assert await asyncio.wait_for(first, DEADLINE) is True
    await asyncio.wait_for(asyncio.gather(*others), DEADLINE)
    assert calls.names() == ["A", "A", "C", "B"]  # the retry, then interactive, then bulk
    assert all(at >= pause_end for _, at in calls.log[1:])
    stats = limiter.stats
    assert stats.retry_after == 1 and stats.interactive_retries == 1 and stats.interactive_sends == 3
    assert stats.pause_seconds == pytest.approx(0.3) and stats.max_interactive_wait >= 0.3 - 0.01


async def test_bulk_send_reraises_retry_after_after_setting_the_pause() -> None:
    calls = Calls()
    limiter = PriorityRateLimiter(overall_per_second=100, bulk_per_second=100, per_chat_interval=0)
    with pytest.raises(RetryAfter):
        await calls.send(limiter, "B", 1, bulk=True, errors=[retry_after(0.2)])
    pause_end = limiter.paused_until
    assert pause_end is not None
    await asyncio.wait_for(calls.send(limiter, "I", 2), DEADLINE)
    assert calls.names() == ["B", "I"] and calls.times("I")[0] >= pause_end
    assert limiter.stats.bulk_retry_after_raised == 1 and limiter.stats.bulk_sends == 1


async def test_interactive_send_gives_up_after_max_retries() -> None:
    calls = Calls()
    limiter = PriorityRateLimiter(overall_per_second=100, per_chat_interval=0, max_interactive_retries=1)
    with pytest.raises(RetryAfter):
        await calls.send(limiter, "A", 1, errors=[retry_after(0.05), retry_after(0.05)])
    assert calls.names() == ["A", "A"] and limiter.stats.retry_after == 2


async def test_later_429_extends_the_pause_and_never_shortens_it() -> None:
    clock = FakeClock(0.0)
    calls = Calls(clock)
    limiter = PriorityRateLimiter(
        overall_per_second=1024, per_chat_interval=0, max_interactive_retries=0, clock=clock
    )
    gates = [asyncio.Event() for _ in range(3)]
    waits = [5.0, 1.0, 10.0]
    tasks = []
    for n in range(3):
        tasks.append(calls.start(limiter, f"m{n}", n, errors=[retry_after(waits[n])], gate=gates[n]))
        await calls.wait_count(n + 1)  # all three in flight
        clock.advance(1 / 1024)
    start = clock.now
    expected_ends = [start + 5.0, start + 5.0, start + 2.0 + 10.0]
    for n in range(3):
        gates[n].set()
        with pytest.raises(RetryAfter):
            await asyncio.wait_for(tasks[n], DEADLINE)
        assert limiter.paused_until == expected_ends[n]
        clock.advance(1.0)
    assert limiter.stats.retry_after == 3 and limiter.stats.pause_seconds == pytest.approx(12.0)


# -- cancellation ---------------------------------------------------------------------------------


async def test_cancelled_waiter_gives_its_place_to_the_next() -> None:
    clock = FakeClock(0.0)
    calls = Calls(clock)
    limiter = PriorityRateLimiter(overall_per_second=4, per_chat_interval=0, clock=clock)
    await calls.send(limiter, "A", 1)
    b = calls.start(limiter, "B", 2)
    c = calls.start(limiter, "C", 3)
    await eventually(lambda: limiter.queued_interactive == 2)
    b.cancel()
    with pytest.raises(asyncio.CancelledError):
        await b
    assert limiter.queued_interactive == 1
    clock.advance(0.25)
    limiter.wake()
    await asyncio.wait_for(c, DEADLINE)
    assert calls.log == [("A", 0.0), ("C", 0.25)]


async def test_waiter_cancelled_after_its_grant_gives_the_slot_back() -> None:
    clock = FakeClock(0.0)
    calls = Calls(clock)
    limiter = PriorityRateLimiter(overall_per_second=4, per_chat_interval=10, clock=clock)
    await calls.send(limiter, "A", 1)
    b = calls.start(limiter, "B", 2)
    await eventually(lambda: limiter.queued_interactive == 1)
    clock.advance(0.25)
    limiter.wake()  # grants B's slot ...
    b.cancel()  # ... but B is cancelled before it could send
    with pytest.raises(asyncio.CancelledError):
        await b
    # The slot and chat 2 are free again: C (same chat, same moment) goes at once.
    await asyncio.wait_for(calls.send(limiter, "C", 2), DEADLINE)
    assert calls.log == [("A", 0.0), ("C", 0.25)]


async def test_send_cancelled_in_flight_releases_its_chat() -> None:
    clock = FakeClock(0.0)
    calls = Calls(clock)
    limiter = PriorityRateLimiter(overall_per_second=4, per_chat_interval=0.5, clock=clock)
    hung = calls.start(limiter, "A", 1, gate=asyncio.Event())
    await calls.wait_count(1)
    hung.cancel()
    with pytest.raises(asyncio.CancelledError):
        await hung
    b = calls.start(limiter, "B", 1)
    await eventually(lambda: limiter.queued_interactive == 1)
    clock.advance(0.5)
    limiter.wake()
    await asyncio.wait_for(b, DEADLINE)
    assert calls.log == [("A", 0.0), ("B", 0.5)]


# -- through the real HTTP stack and the sandbox ----------------------------------------------------


@pytest.fixture
async def limited_sandbox() -> AsyncIterator[Sandbox]:
    """Telegram's limits scaled five times faster: 30 messages per 0.2 s overall, 1 per 0.2 s per chat."""
    limits = TelegramLimits(global_rate=30, global_window=0.2, per_chat_rate=1, per_chat_window=0.2)
    async with Sandbox(limits=limits) as sb:
        yield sb


def make_ext_bot(sb: Sandbox, limiter: PriorityRateLimiter) -> ExtBot[dict[str, Any]]:
    return ExtBot(
        sb.token,
        base_url=sb.base_url,
        base_file_url=sb.base_file_url,
        request=sandbox_request(),
        get_updates_request=sandbox_request(),
        rate_limiter=limiter,
    )


def fast_limiter(**options: Any) -> PriorityRateLimiter:
    """The production limiter scaled like :func:`limited_sandbox` (29/25 per second → 145/125)."""
    options = {"overall_per_second": 145, "bulk_per_second": 125, "per_chat_interval": 0.2, **options}
    return PriorityRateLimiter(**options)


def arrivals(sb: Sandbox) -> list[BotMessage]:
    received: list[BotMessage] = []
    sb.on_message(received.append)
    return received


async def test_broadcast_through_sandbox_is_smooth_and_provokes_no_429(limited_sandbox: Sandbox) -> None:
    sb = limited_sandbox
    users = [sb.new_user(f"U{n}") for n in range(60)]
    received = arrivals(sb)
    limiter = fast_limiter()
    async with make_ext_bot(sb, limiter) as bot:
        await asyncio.wait_for(
            asyncio.gather(
                *(bot.send_message(u.id, "Bimtek", rate_limit_args={"bulk": True}) for u in users)
            ),
            DEADLINE,
        )
    assert sb.stats.too_many_requests == 0 and sb.stats.rate_limited == 0
    assert sb.delivery_counts() == {u.id: 1 for u in users}
    span = received[-1].sent_at - received[0].sent_at
    assert span >= 59 / 125 - 0.03  # a smooth 125/s, not a burst
    assert limiter.stats.bulk_sends == 60 and limiter.stats.retry_after == 0


async def test_pace_above_the_window_still_provokes_no_429_through_the_sandbox() -> None:
    """The pace allows 60/s, Telegram 30 in any second: only the window, counted by answers, keeps the
    sandbox (which counts a send when it arrives, after its latency) from answering 429."""
    limits = TelegramLimits(global_rate=30, global_window=1.0, per_chat_rate=1, per_chat_window=1.0)
    async with Sandbox(latency=0.1, limits=limits) as sb:
        users = [sb.new_user(f"U{n}") for n in range(75)]
        limiter = PriorityRateLimiter(overall_per_second=60, bulk_per_second=60, window_limit=30)
        async with make_ext_bot(sb, limiter) as bot:
            await asyncio.wait_for(
                asyncio.gather(
                    *(bot.send_message(u.id, "Bimtek", rate_limit_args={"bulk": True}) for u in users)
                ),
                10,
            )
        assert sb.stats.too_many_requests == 0 and sb.stats.rate_limited == 0
        assert sb.delivery_counts() == {u.id: 1 for u in users}
        assert limiter.stats.retry_after == 0 and limiter.lead > 0


async def test_reply_through_sandbox_overtakes_the_broadcast(limited_sandbox: Sandbox) -> None:
    sb = limited_sandbox
    users = [sb.new_user(f"U{n}") for n in range(40)]
    member = sb.new_user("Siti")
    received = arrivals(sb)
    fifth = asyncio.Event()
    sb.on_message(lambda _message: fifth.set() if len(received) >= 5 else None)
    limiter = fast_limiter(bulk_per_second=100)
    async with make_ext_bot(sb, limiter) as bot:
        broadcast = asyncio.gather(
            *(bot.send_message(u.id, "Bimtek", rate_limit_args={"bulk": True}) for u in users)
        )
        await asyncio.wait_for(fifth.wait(), DEADLINE)
        await asyncio.wait_for(bot.send_message(member.id, "Hadir tercatat"), DEADLINE)
        assert limiter.queued_bulk > 0  # the broadcast is still queued
        await asyncio.wait_for(broadcast, DEADLINE)
    order = [message.chat_id for message in received]
    assert order.index(member.id) < 15 and len(order) == 41
    assert sb.stats.too_many_requests == 0


async def test_same_chat_through_sandbox_respects_the_interval(limited_sandbox: Sandbox) -> None:
    sb = limited_sandbox
    member = sb.new_user("Siti")
    received = arrivals(sb)
    async with make_ext_bot(sb, fast_limiter()) as bot:
        await asyncio.wait_for(
            asyncio.gather(*(bot.send_message(member.id, f"pesan {n}") for n in range(3))), DEADLINE
        )
    assert sb.stats.too_many_requests == 0 and sb.delivered(member.id) == 3
    times = [message.sent_at for message in received]
    assert times[1] - times[0] >= 0.2 and times[2] - times[1] >= 0.2


async def test_429_through_sandbox_pauses_retries_interactive_and_reraises_bulk() -> None:
    async with Sandbox(latency=0.05) as sb:
        member, other, later = sb.new_user("Siti"), sb.new_user("Budi"), sb.new_user("Asep")
        received = arrivals(sb)
        sb.faults.fail_next(method="sendMessage", status=429, retry_after=1, chat_id=member.id)
        sb.faults.fail_next(method="sendMessage", status=429, retry_after=1, chat_id=other.id)
        limiter = fast_limiter()
        async with make_ext_bot(sb, limiter) as bot:
            reply = asyncio.create_task(bot.send_message(member.id, "Hadir tercatat"))
            bulk = asyncio.create_task(bot.send_message(other.id, "Umum", rate_limit_args={"bulk": True}))
            with pytest.raises(RetryAfter):
                await asyncio.wait_for(bulk, DEADLINE)
            await eventually(lambda: limiter.stats.retry_after == 2)
            pause_end = limiter.paused_until
            assert pause_end is not None
            await asyncio.wait_for(
                bot.send_message(later.id, "Umum", rate_limit_args={"bulk": True}), DEADLINE
            )
            await asyncio.wait_for(reply, DEADLINE)
    assert [m.chat_id for m in received] == [member.id, later.id]  # the retried reply first
    assert all(m.sent_at >= pause_end for m in received)
    assert sb.stats.too_many_requests == 2 and sb.stats.rate_limited == 0
    assert limiter.stats.interactive_retries == 1 and limiter.stats.bulk_retry_after_raised == 1
