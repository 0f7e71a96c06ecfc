"""When duty reminders go: the reminder specs of the plan file and /tugas_baru ("7d", "1d 18:00", "3h", "now")."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

# "7d" means 7 days before the due day at this time of day: a reminder at the due time of day (often 23:59)
# would wake people at night.
REMINDER_TIME = time(7, 0)
NOW_SPEC = "now"
DEFAULT_REMINDERS = ("7d", "1d", "07:00")
# "Remind me tomorrow" moves a member's next reminder by this much.
SNOOZE = timedelta(days=1)

_SPEC = re.compile(r"(?:(?P<days>\d{1,3})d)?\s*(?:(?P<hour>\d{1,2})[:.](?P<minute>\d{2}))?", re.ASCII)
_HOURS = re.compile(r"(?P<hours>\d{1,3})h", re.ASCII)


@dataclass(frozen=True)
class ReminderSpec:
    """When to remind, relative to the due time: days before the due day at a time of day (07:00 unless
    given), hours before the due time, or at once ("now", for a duty created in Telegram)."""

    days: int = 0
    at: time | None = None
    hours: int | None = None
    now: bool = False

    @property
    def text(self) -> str:
        """The canonical spelling, as stored on the duty."""
        if self.now:
            return NOW_SPEC
        if self.hours is not None:
            return f"{self.hours}h"
        clock = self.at.strftime("%H:%M") if self.at is not None else None
        if self.days == 0:
            return clock or REMINDER_TIME.strftime("%H:%M")
        return f"{self.days}d {clock}" if clock else f"{self.days}d"

    def moment(self, due_at: datetime, zone: ZoneInfo, now: datetime) -> datetime:
        """When this reminder goes for a duty due at `due_at` (UTC)."""
        if self.now:
            return now
        if self.hours is not None:
            return due_at - timedelta(hours=self.hours)
        day = due_at.astimezone(zone).date() - timedelta(days=self.days)
        return datetime.combine(day, self.at or REMINDER_TIME, tzinfo=zone).astimezone(UTC)


def parse_reminder(text: str) -> ReminderSpec | None:
    """A reminder spec as written in the plan file, or None when it is not one."""
    cleaned = " ".join(text.strip().lower().split())
    if cleaned == NOW_SPEC:
        return ReminderSpec(now=True)
    hours = _HOURS.fullmatch(cleaned)
    if hours:
        value = int(hours["hours"])
        return ReminderSpec(hours=value) if value > 0 else None
    match = _SPEC.fullmatch(cleaned)
    if not cleaned or match is None:
        return None
    at = None
    if match["hour"] is not None:
        hour, minute = int(match["hour"]), int(match["minute"])
        if hour > 23 or minute > 59:
            return None
        at = time(hour, minute)
    return ReminderSpec(days=int(match["days"] or 0), at=at)


@dataclass(frozen=True)
class PlannedReminder:
    """One reminder of a duty: its spec, its moment, and whether it will be sent (in the future, before due)."""

    spec: str
    at: datetime
    will_send: bool


def planned_reminders(
    reminders: Iterable[str], due_at: datetime, *, now: datetime, zone: ZoneInfo
) -> list[PlannedReminder]:
    """Each reminder's moment, in time order; only those after now (or 'now') and before due are sent."""
    planned = []
    for text in reminders:
        spec = parse_reminder(text)
        if spec is None:
            continue
        at = spec.moment(due_at, zone, now)
        planned.append(PlannedReminder(spec.text, at, will_send=(spec.now or at > now) and at < due_at))
    return sorted(planned, key=lambda r: r.at)


def days_left(due_at: datetime, at: datetime, zone: ZoneInfo) -> int:
    """Calendar days from `at` to the due day in the zone (0 = due today, negative = overdue)."""
    return (due_at.astimezone(zone).date() - at.astimezone(zone).date()).days


def snooze_possible(at: datetime, due_at: datetime) -> bool:
    """Whether a reminder sent at `at` may offer "remind me tomorrow" (tomorrow is still before due)."""
    return at + SNOOZE < due_at
