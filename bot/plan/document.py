"""A checked plan file as plain data, and the protocol its later sections ([[announcement]], [[duty]]) plug into."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol, TypeVar, runtime_checkable
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.problems import Place, Problem
from bot.plan.reader import EntryReader, PlanContext
from bot.texts import Phrase

PLAN_TABLE = "plan"
DEFAULTS_TABLE = "session_defaults"
SESSION_TABLE = "session"
# Accepted and counted now; interpreted once a PlanSection for them is passed to parse_plan.
LATER_TABLES = ("announcement", "duty", "desa_bimtek")


@dataclass(frozen=True)
class PlanEntry:
    """One [[table]] entry as written (checked to be a table, its keys not interpreted), with its place."""

    place: Place
    values: Mapping[str, Any]


@dataclass(frozen=True)
class SessionSpec:
    """One [[session]] of the file, checked, with defaults applied and times in UTC."""

    place: Place
    kecamatan: str
    venue: str
    address: str
    latitude: float
    longitude: float
    radius_m: int | None  # None = no location check
    starts_at: datetime
    ends_at: datetime
    checkin_opens_at: datetime
    checkin_closes_at: datetime


@dataclass(frozen=True)
class SectionOutcome:
    """What a plugged-in section changed: counts for the audit row, the catalog line the CLI prints with
    those counts as {placeholders}, and its warnings."""

    table: str
    counts: Mapping[str, int]
    summary_key: str
    warnings: tuple[Problem, ...] = ()


ItemT = TypeVar("ItemT")


class PlanSection(Protocol[ItemT]):
    """A later part of the plan file ([[announcement]], [[duty]]), plugged into parse_plan and import_plan.

    parse_entry reads one entry through the reader (problems logged there; unknown keys are reported by the
    frame afterwards) and returns its plain value; apply writes all of them in the caller's transaction
    (no commit; raise PlanRejected to refuse, which rolls the sessions back too)."""

    @property
    def table(self) -> str: ...

    def parse_entry(self, reader: EntryReader) -> ItemT | None: ...

    async def apply(
        self, session: AsyncSession, document: PlanDocument, items: Sequence[ItemT], *, actor: str
    ) -> SectionOutcome: ...


@dataclass(frozen=True)
class TimelineLine:
    """A line a plugged-in section adds to `plan show`'s timeline: its moment and catalog entry. The frame
    fills `{time}` and `{zone}`; int values are printed as numbers of the language (1.035), Phrase values
    as their catalog entry in the reader's language."""

    at: datetime
    text_key: str
    values: Mapping[str, str | int | Phrase]


@runtime_checkable
class TimelineSection(Protocol):
    """Optional for a PlanSection: what it stored, as lines of `plan show`'s timeline (read only)."""

    async def timeline(
        self, session: AsyncSession, *, zone: ZoneInfo, language: str
    ) -> Sequence[TimelineLine]: ...


_Day = date  # the field `date` below shadows the type inside the class body


@dataclass(frozen=True)
class PlanDocument:
    """A checked plan file: the sessions, the raw entries of the other tables, what plugged-in sections
    parsed from them, and the warnings found so far."""

    source: str
    name: str
    zone: ZoneInfo
    date: date
    sessions: tuple[SessionSpec, ...]
    entries: Mapping[str, tuple[PlanEntry, ...]]
    items: Mapping[str, tuple[Any, ...]]
    sections: tuple[PlanSection[Any], ...]
    warnings: tuple[Problem, ...]
    written_date: _Day | None = None  # [plan] date as written, when the plan was moved to `date` (--on)

    @property
    def moved_days(self) -> int:
        """How many whole days every time of the file was moved (0 unless imported with --on)."""
        return (self.date - self.written_date).days if self.written_date is not None else 0

    @property
    def context(self) -> PlanContext:
        """The zone and day times are read against (for later parsers)."""
        return PlanContext(self.zone, self.date, self.moved_days)

    @property
    def ends_at(self) -> datetime:
        """When the plan's training day is over: the last session's end."""
        return max(spec.ends_at for spec in self.sessions)


_TABLE_ORDER: dict[str | None, int] = {None: 0, PLAN_TABLE: 1, DEFAULTS_TABLE: 2, SESSION_TABLE: 3}


def sorted_issues(issues: Iterable[Problem]) -> list[Problem]:
    """Issues in the order of the file's sections and entries (stable within one entry)."""
    return sorted(issues, key=lambda i: (_TABLE_ORDER.get(i.place.table, 4), i.place.number or 0))
