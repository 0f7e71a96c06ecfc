"""Telegram flood limits (429 with retry_after) and scripted or random fault injection."""

from __future__ import annotations

import math
import random as _random
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bot.sandbox.errors import ApiError, too_many_requests

__all__ = ["RANDOM_FAULT_KINDS", "Fault", "FaultInjector", "FloodControl", "TelegramLimits"]

RANDOM_FAULT_KINDS = frozenset({"5xx", "429", "timeout", "timeout_before", "timeout_after"})
_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request: injected fault",
    403: "Forbidden: bot was blocked by the user",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


@dataclass(frozen=True)
class TelegramLimits:
    """Flood limits: at most ``global_rate`` messages per ``global_window`` seconds for the bot and
    ``per_chat_rate`` per ``per_chat_window`` seconds per chat (sliding windows, send* methods only)."""

    global_rate: int = 30
    global_window: float = 1.0
    per_chat_rate: int = 1
    per_chat_window: float = 1.0


class FloodControl:
    """Sliding-window counters enforcing :class:`TelegramLimits`."""

    def __init__(self, limits: TelegramLimits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self._clock = clock
        self._global: deque[float] = deque()
        self._per_chat: dict[int, deque[float]] = {}

    @staticmethod
    def _wait(window: deque[float], rate: int, span: float, now: float) -> float:
        while window and window[0] <= now - span:
            window.popleft()
        if len(window) < rate:
            return 0.0
        return window[len(window) - rate] + span - now

    def check(self, chat_id: int | None) -> int | None:
        """``retry_after`` seconds if one more message now would exceed a limit, else ``None``."""
        now = self._clock()
        wait = self._wait(self._global, self.limits.global_rate, self.limits.global_window, now)
        if chat_id is not None:
            chat_window = self._per_chat.setdefault(chat_id, deque())
            wait = max(
                wait, self._wait(chat_window, self.limits.per_chat_rate, self.limits.per_chat_window, now)
            )
        return max(1, math.ceil(wait)) if wait > 0 else None

    def record(self, chat_id: int | None) -> None:
        """Count one delivered message."""
        now = self._clock()
        self._global.append(now)
        if chat_id is not None:
            self._per_chat.setdefault(chat_id, deque()).append(now)


@dataclass(frozen=True)
class Fault:
    """One injected failure: ``error`` (an HTTP error before delivery), ``timeout_before`` (request
    held, nothing delivered) or ``timeout_after`` (delivered, then the response is held)."""

    kind: str
    status: int = 0
    description: str = ""
    retry_after: int | None = None

    def error(self) -> ApiError:
        """The HTTP error to answer with (``kind == "error"``)."""
        if self.status == 429:
            error = too_many_requests(self.retry_after or 1)
            if self.description:
                error.description = self.description
            return error
        return ApiError(self.status, self.description, retry_after=self.retry_after)


@dataclass
class _Rule:
    fault: Fault
    method: str | None
    chat_id: int | None
    remaining: int

    def matches(self, method: str, chat_id: int | None) -> bool:
        return (self.method is None or self.method == method.lower()) and (
            self.chat_id is None or self.chat_id == chat_id
        )


class FaultInjector:
    """Scripted (``fail_next``/``timeout_next``) and seeded random faults, consulted per request."""

    def __init__(self, hang_seconds: float = 30.0) -> None:
        self.hang_seconds = hang_seconds
        self._rules: list[_Rule] = []
        self._rate = 0.0
        self._kinds: tuple[str, ...] = ()
        self._methods: frozenset[str] | None = None
        self._rng = _random.Random(1)

    def fail_next(
        self,
        method: str | None = "sendMessage",
        status: int = 500,
        description: str | None = None,
        retry_after: int | None = None,
        count: int = 1,
        chat_id: int | None = None,
    ) -> None:
        """Answer the next ``count`` matching requests (``method=None``: any) with HTTP ``status``."""
        if status == 429:
            retry_after = max(1, retry_after or 1)
            description = description or f"Too Many Requests: retry after {retry_after}"
        description = description or _DEFAULT_DESCRIPTIONS.get(status, f"Injected error {status}")
        self._add(Fault("error", status, description, retry_after), method, chat_id, count)

    def timeout_next(
        self,
        method: str | None = "sendMessage",
        *,
        delivered: bool = False,
        count: int = 1,
        chat_id: int | None = None,
    ) -> None:
        """Hold the next ``count`` matching requests for ``hang_seconds``; ``delivered=True`` delivers
        the message first (the response is lost: a duplicate risk when the client retries)."""
        self._add(Fault("timeout_after" if delivered else "timeout_before"), method, chat_id, count)

    def random(
        self,
        rate: float = 0.05,
        kinds: Iterable[str] = ("5xx", "timeout"),
        seed: int = 1,
        methods: Iterable[str] | None = ("sendMessage",),
    ) -> None:
        """Fail a seeded-random ``rate`` of requests to ``methods`` (``None``: all) with one of ``kinds``:
        ``5xx`` (502 before delivery), ``429``, ``timeout`` (either variant), ``timeout_before``,
        ``timeout_after``."""
        kinds = tuple(kinds)
        unknown = set(kinds) - RANDOM_FAULT_KINDS
        if unknown or not kinds:
            raise ValueError(
                f"unknown fault kinds {sorted(unknown)}; use some of {sorted(RANDOM_FAULT_KINDS)}"
            )
        if not 0.0 <= rate <= 1.0:
            raise ValueError("rate must be between 0 and 1")
        self._rate = rate
        self._kinds = kinds
        self._methods = None if methods is None else frozenset(m.lower() for m in methods)
        self._rng = _random.Random(seed)

    def clear(self) -> None:
        """Remove all scripted and random faults."""
        self._rules.clear()
        self._rate = 0.0
        self._kinds = ()

    @property
    def pending(self) -> int:
        """Scripted faults not yet used."""
        return sum(rule.remaining for rule in self._rules)

    def _add(self, fault: Fault, method: str | None, chat_id: int | None, count: int) -> None:
        if count < 1:
            raise ValueError("count must be at least 1")
        self._rules.append(_Rule(fault, method.lower() if method else None, chat_id, count))

    def pick(self, method: str, chat_id: int | None) -> Fault | None:
        """The fault to apply to this request, if any (consumes scripted faults)."""
        for rule in self._rules:
            if rule.matches(method, chat_id):
                rule.remaining -= 1
                if rule.remaining <= 0:
                    self._rules.remove(rule)
                return rule.fault
        if not self._rate or (self._methods is not None and method.lower() not in self._methods):
            return None
        if self._rng.random() >= self._rate:
            return None
        kind = self._rng.choice(self._kinds)
        if kind == "timeout":
            kind = self._rng.choice(("timeout_before", "timeout_after"))
        if kind == "5xx":
            return Fault("error", 502, _DEFAULT_DESCRIPTIONS[502])
        if kind == "429":
            return Fault("error", 429, "Too Many Requests: retry after 1", 1)
        return Fault(kind)
