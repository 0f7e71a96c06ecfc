"""Time as the bot sees it: the real clock in production, a controllable one in tests and rehearsals."""

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Anything that tells the current time as an aware UTC datetime."""

    def now(self) -> datetime: ...


class SystemClock:
    """The machine's clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """A clock that only moves when told to (tests of "the evening before" do not wait for the evening)."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def set(self, moment: datetime) -> None:
        """Jump to a moment (aware)."""
        self._now = moment.astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        """Move forward by delta."""
        self._now += delta


class ScaledClock:
    """A clock that starts at a chosen moment and runs `speed` times faster than real time (rehearsals)."""

    def __init__(self, start: datetime, speed: float) -> None:
        import time

        self._start = start.astimezone(UTC)
        self._real_start = time.monotonic()
        self._monotonic = time.monotonic
        self.speed = speed

    def now(self) -> datetime:
        return self._start + timedelta(seconds=(self._monotonic() - self._real_start) * self.speed)

    def jump_to(self, moment: datetime) -> None:
        """Skip ahead over a quiet stretch (jobs must be rescheduled by the caller)."""
        self._start = moment.astimezone(UTC)
        self._real_start = self._monotonic()
