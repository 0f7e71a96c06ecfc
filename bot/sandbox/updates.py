"""The bot's pending update queue: getUpdates semantics (offset, limit, long polling, allowed_updates)."""

from __future__ import annotations

from typing import Any

from bot.sandbox.waiting import Signal

__all__ = ["DEFAULT_EXCLUDED_UPDATES", "UpdateQueue"]

DEFAULT_EXCLUDED_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


def _update_kind(update: dict[str, Any]) -> str:
    return next((key for key in update if key != "update_id"), "")


class UpdateQueue:
    """Updates waiting for the bot, numbered like Telegram's update_id."""

    def __init__(self, first_update_id: int = 1) -> None:
        self._pending: list[dict[str, Any]] = []
        self._next_id = first_update_id
        self._fetched_upto = first_update_id - 1
        self._poll_generation = 0
        self.allowed_updates: list[str] | None = None
        self.waiting_polls = 0
        self.changed = Signal()

    @property
    def pending_count(self) -> int:
        """Updates not yet acknowledged by an offset."""
        return len(self._pending)

    @property
    def last_update_id(self) -> int:
        """The id of the newest update ever queued (first id minus one when none)."""
        return self._next_id - 1

    @property
    def all_fetched(self) -> bool:
        """Whether every queued update has been returned by some getUpdates call."""
        return self._fetched_upto >= self.last_update_id

    def push(self, body: dict[str, Any]) -> dict[str, Any]:
        """Queue an update (``body`` without update_id) and wake a long-polling getUpdates."""
        update = {"update_id": self._next_id, **body}
        self._next_id += 1
        self._pending.append(update)
        self.changed.notify()
        return update

    def acknowledge(self, offset: int | None) -> None:
        """Forget updates confirmed by ``offset`` (negative: keep only the last ``-offset``)."""
        if offset is None or offset == 0:
            return
        if offset < 0:
            self._pending = self._pending[offset:]
        else:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        self.changed.notify()

    def set_allowed(self, allowed: list[str] | None) -> None:
        """Remember allowed_updates (Telegram keeps the last list given)."""
        if allowed is not None:
            self.allowed_updates = list(allowed)

    def _allowed(self, update: dict[str, Any]) -> bool:
        kind = _update_kind(update)
        if self.allowed_updates:
            return kind in self.allowed_updates
        return kind not in DEFAULT_EXCLUDED_UPDATES

    def take(self, limit: int) -> list[dict[str, Any]]:
        """Return up to ``limit`` pending updates (they stay pending until acknowledged)."""
        self._pending = [u for u in self._pending if self._allowed(u)]
        batch = self._pending[:limit]
        if len(batch) == len(self._pending):
            self._fetched_upto = self.last_update_id
        else:
            self._fetched_upto = max(self._fetched_upto, batch[-1]["update_id"])
        if batch:
            self.changed.notify()
        return batch

    def deliverable(self) -> list[dict[str, Any]]:
        """Pending updates in order, those of kinds not allowed dropped (webhook delivery)."""
        self._pending = [u for u in self._pending if self._allowed(u)]
        return list(self._pending)

    def remove(self, update_id: int) -> None:
        """Forget one update the webhook acknowledged with a 2xx answer."""
        self._pending = [u for u in self._pending if u["update_id"] != update_id]
        if not self._pending:
            self._fetched_upto = self.last_update_id
        self.changed.notify()

    def drop_pending(self) -> None:
        """deleteWebhook/setWebhook with drop_pending_updates."""
        self._pending.clear()
        self._fetched_upto = self.last_update_id
        self.changed.notify()

    def begin_poll(self) -> int:
        """Register a new getUpdates call; an older call still waiting is superseded (409)."""
        self._poll_generation += 1
        self.changed.notify()
        return self._poll_generation

    def poll_parked(self, delta: int) -> None:
        """Count long polls waiting for an update (+1 when one parks, -1 when it returns)."""
        self.waiting_polls += delta
        self.changed.notify()

    def superseded(self, generation: int) -> bool:
        """Whether a newer getUpdates call started after ``generation``."""
        return generation != self._poll_generation
