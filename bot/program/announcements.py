"""The synchronized program: the plan's [[announcement]] entries, turned into scheduled broadcasts per time."""

from __future__ import annotations

import difflib
import enum
import html
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from weakref import WeakKeyDictionary
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.broadcasts.acks import AckComposer, request_acknowledgement
from bot.broadcasts.audience import Audience, AudienceKind, count_audience
from bot.broadcasts.compose import (
    PLACEHOLDERS,
    TEXT_LIMIT,
    create_broadcast,
    first_line,
    unknown_placeholders,
)
from bot.core.choices import UnknownChoice, by_value, parse_choice
from bot.core.clock import SystemClock
from bot.core.problems import Place as PlanPlace
from bot.core.problems import Problem as PlanIssue
from bot.core.problems import Severity
from bot.plan.document import PlanDocument, SectionOutcome, TimelineLine
from bot.plan.parsing import ADDRESS_MAX, KECAMATAN_MAX, VENUE_MAX
from bot.plan.problems import IssueLog, PlanErrorCode
from bot.plan.reader import EntryReader, show_value
from bot.plan.views import SessionView, list_sessions
from bot.texts import DEFAULT_LANGUAGE, Phrase
from models import Broadcast, BroadcastStatus, Kecamatan

PROGRAM_TABLE = "announcement"
KEY_PREFIX = "program:"
NAME_MAX = 60  # "program:" + name + ":" + a UTC ISO time (25) stays far below Broadcast.program_key's 200
_NAME = re.compile(r"[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?")
EVENTS = ("starts", "ends", "checkin_opens", "checkin_closes")
DEFAULT_AUDIENCE = AudienceKind.ALL
ACK_REMINDER_MAX_HOURS = 72
# The cascade's audience is a PPS's own desa (handlers/cascade/announce.py), never a plan's.
AUDIENCES = {name: kind for name, kind in by_value(AudienceKind).items() if kind is not AudienceKind.CASCADE}

# The longest value each placeholder can take (the columns' lengths), for the worst-case message length.
_PLACEHOLDER_MAX = {
    "nama": 200,  # Member.name
    "desa": 100,  # Desa.name
    "kecamatan": KECAMATAN_MAX,
    "venue": VENUE_MAX,
    "alamat": ADDRESS_MAX,
    "jam_mulai": 16,  # "08.00 WIB"
}
assert set(_PLACEHOLDER_MAX) == set(PLACEHOLDERS)

# `at` as a string: relative to each member's own session (see the plan file's comment for the grammar).
_RELATIVE = re.compile(
    r"session\.(?P<event>[a-z_]+)"
    r"(?:\s*(?P<sign>[+-])\s*"
    r"(?:(?P<days>\d{1,2})d\s+(?P<clock>\d{1,2}:\d{2}(?::\d{2})?)"
    r"|(?P<duration>(?=\d)(?:(?P<d>\d{1,2})d)?(?:(?P<h>\d{1,3})h)?(?:(?P<m>\d{1,4})m)?)))?"
)
_AT_FORMS = (
    '18:00:00, 2024-06-02T18:00:00, "session.starts", "session.starts -30m", "session.starts -1d 18:00"'
)


class ProgramErrorCode(enum.StrEnum):
    """Why an [[announcement]] was refused (catalog key `plan.error.<code>`, in bot/texts/program_*.py)."""

    BAD_NAME = "announcement_bad_name"
    DUPLICATE_NAME = "announcement_duplicate_name"
    BAD_AUDIENCE = "announcement_bad_audience"
    BAD_AT = "announcement_bad_at"
    UNKNOWN_EVENT = "announcement_unknown_event"
    BAD_CLOCK = "announcement_bad_clock"
    UNKNOWN_PLACEHOLDER = "announcement_unknown_placeholder"
    TOO_LONG = "announcement_too_long"
    BAD_ACK = "announcement_bad_ack"
    BAD_ACK_REMINDER = "announcement_bad_ack_reminder"


class ProgramWarningCode(enum.StrEnum):
    """What the import of the program goes on with (catalog key `plan.warning.<code>`)."""

    PAST = "announcement_past"
    CANCELLED_KEPT = "announcement_cancelled_kept"


# --- When: absolute, or relative to each session --------------------------------------------------------


@dataclass(frozen=True)
class AbsoluteTime:
    """One moment for everyone (a TOML time or datetime in the file), in UTC."""

    moment: datetime


@dataclass(frozen=True)
class RelativeTime:
    """A moment of each member's own session: the event itself, shifted by a duration, or on the event's day
    shifted by `days` at a time of day (`clock`, in the plan's zone)."""

    event: str
    shift: timedelta = timedelta(0)
    days: int | None = None
    clock: time | None = None

    def resolve(self, view: SessionView, zone: ZoneInfo) -> datetime:
        """When this fires for one session, in UTC."""
        base: datetime = getattr(view, f"{self.event}_at")
        if self.clock is None or self.days is None:
            return (base + self.shift).astimezone(UTC)
        day = base.astimezone(zone).date() + timedelta(days=self.days)
        return datetime.combine(day, self.clock, tzinfo=zone).astimezone(UTC)


AnnouncementTime = AbsoluteTime | RelativeTime


class AtError(ValueError):
    """A relative `at` that cannot be read: the catalog code and the values of its message."""

    def __init__(self, code: ProgramErrorCode, **params: str) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params


def parse_relative(text: str) -> RelativeTime:
    """Read `session.EVENT [(+|-)DURATION | (+|-)Nd HH:MM[:SS]]`; raise AtError."""
    normalized = " ".join(text.split()).lower()
    match = _RELATIVE.fullmatch(normalized)
    if match is None:
        raise AtError(ProgramErrorCode.BAD_AT, value=text, forms=_AT_FORMS)
    event = match["event"]
    if event not in EVENTS:
        similar = difflib.get_close_matches(event, EVENTS, n=1, cutoff=0.6)
        raise AtError(
            ProgramErrorCode.UNKNOWN_EVENT,
            event=f"session.{event}",
            known=", ".join(f"session.{e}" for e in EVENTS),
            suggestion=f"session.{similar[0]}" if similar else "-",
        )
    sign = -1 if match["sign"] == "-" else 1
    if match["clock"] is not None:
        parts = [int(part) for part in match["clock"].split(":")]
        hour, minute, second = (*parts, 0) if len(parts) == 2 else parts
        if hour > 23 or minute > 59 or second > 59:
            raise AtError(ProgramErrorCode.BAD_CLOCK, value=match["clock"])
        return RelativeTime(event, days=sign * int(match["days"]), clock=time(hour, minute, second))
    shift = timedelta(days=int(match["d"] or 0), hours=int(match["h"] or 0), minutes=int(match["m"] or 0))
    return RelativeTime(event, shift=sign * shift)


def program_key(name: str, moment: datetime) -> str:
    """The stable key of one announcement's broadcast at one firing time (unique in the broadcast table)."""
    return f"{KEY_PREFIX}{name}:{moment.astimezone(UTC).isoformat()}"


def worst_length(text: str) -> int:
    """The visible length of a plain text once its placeholders hold their longest possible values."""
    return len(text) + sum(
        _PLACEHOLDER_MAX[name] - len(name) - 2
        for name in re.findall(r"\{([^{}\s]{0,40})\}", text)
        if name in _PLACEHOLDER_MAX
    )


# --- Reading [[announcement]] ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Announcement:
    """One checked [[announcement]] entry; the text is plain in the file and stored as escaped HTML."""

    place: PlanPlace
    name: str
    audience: AudienceKind
    at: AnnouncementTime
    body_html: str
    # "Sudah dibaca": recipients get the button; the reminder to those who have not, hours after it is sent.
    ack: bool = False
    ack_reminder_hours: int | None = None


@dataclass(frozen=True)
class _Firing:
    announcement: Announcement
    moment: datetime
    audience: Audience


class ProgramSection:
    """The [[announcement]] table, plugged into the plan's parse and import (a PlanSection and TimelineSection).

    `now` tells the import moment: firing times before it are not scheduled (warning)."""

    table = PROGRAM_TABLE

    def __init__(
        self,
        now: Callable[[], datetime] | None = None,
        *,
        language: str = DEFAULT_LANGUAGE,
        ack_wording: AckComposer | None = None,
    ) -> None:
        self._now = now or SystemClock().now
        self._language = language
        # Words the "Sudah dibaca" button and reminder (handlers.broadcasts.acks.compose_ack): the Telegram
        # side owns the texts and the callback format; parsing, and a plan without `ack`, do not need it.
        self._ack_wording = ack_wording
        # The names seen per parse (one IssueLog per parse_plan call), to refuse a name used twice.
        self._names: WeakKeyDictionary[IssueLog, dict[str, int]] = WeakKeyDictionary()

    def parse_entry(self, reader: EntryReader) -> Announcement | None:
        """Check one entry: name, audience, at, text."""
        name = self._read_name(reader)
        audience = self._read_audience(reader)
        at = self._read_at(reader)
        text = reader.text("text")
        if text is not None:
            unknown = unknown_placeholders(text)
            if unknown:
                reader.error(
                    ProgramErrorCode.UNKNOWN_PLACEHOLDER,
                    "text",
                    names=", ".join(f"{{{n}}}" for n in unknown),
                    known=", ".join(f"{{{n}}}" for n in PLACEHOLDERS),
                )
            elif worst_length(text) > TEXT_LIMIT:
                reader.error(ProgramErrorCode.TOO_LONG, "text", length=worst_length(text), limit=TEXT_LIMIT)
        ack, reminder_hours = self._read_ack(reader)
        if not reader.ok or name is None or audience is None or at is None or text is None:
            return None
        return Announcement(
            reader.place, name, audience, at, html.escape(text, quote=False), ack, reminder_hours
        )

    def _read_ack(self, reader: EntryReader) -> tuple[bool, int | None]:
        """`ack = true` and, with it, `ack_reminder_hours = N` (1 to ACK_REMINDER_MAX_HOURS)."""
        reader.known("ack", "ack_reminder_hours")
        ack = reader.values.get("ack", False)
        if not isinstance(ack, bool):
            reader.error(ProgramErrorCode.BAD_ACK, "ack", value=show_value(ack))
            return False, None
        if "ack_reminder_hours" not in reader:
            return ack, None
        hours = reader.values["ack_reminder_hours"]
        if (
            not ack
            or isinstance(hours, bool)
            or not isinstance(hours, int)
            or not 1 <= hours <= ACK_REMINDER_MAX_HOURS
        ):
            reader.error(
                ProgramErrorCode.BAD_ACK_REMINDER,
                "ack_reminder_hours",
                value=show_value(hours),
                most=ACK_REMINDER_MAX_HOURS,
            )
            return ack, None
        return ack, hours

    def _read_name(self, reader: EntryReader) -> str | None:
        name = reader.text("name", max_length=NAME_MAX)
        if name is None:
            return None
        if not _NAME.fullmatch(name):
            reader.error(ProgramErrorCode.BAD_NAME, "name", value=show_value(name))
            return None
        seen = self._names.setdefault(reader.log, {})
        first = seen.setdefault(name, reader.place.number or 0)
        if first != (reader.place.number or 0):
            reader.error(ProgramErrorCode.DUPLICATE_NAME, "name", name=name, first=first)
            return None
        return name

    def _read_audience(self, reader: EntryReader) -> AudienceKind | None:
        if "audience" not in reader:
            reader.known("audience")
            return DEFAULT_AUDIENCE
        value = reader.text("audience")
        if value is None:
            return None
        try:
            return parse_choice(value, AUDIENCES)
        except UnknownChoice as error:
            reader.error(
                ProgramErrorCode.BAD_AUDIENCE,
                "audience",
                value=show_value(value),
                known=", ".join(error.known),
            )
            return None

    def _read_at(self, reader: EntryReader) -> AnnouncementTime | None:
        reader.known("at")
        if "at" not in reader:
            reader.error(PlanErrorCode.MISSING_KEY, "at")
            return None
        value = reader.values["at"]
        if isinstance(value, str):
            try:
                return parse_relative(value)
            except AtError as error:
                reader.error(error.code, "at", **error.params)
                return None
        if isinstance(value, datetime | time):
            moment = reader.to_moment("at", value)  # warns about another zone's offset
            return AbsoluteTime(moment) if moment is not None else None
        reader.error(ProgramErrorCode.BAD_AT, "at", value=show_value(value), forms=_AT_FORMS)
        return None

    # --- Import ------------------------------------------------------------------------------------------

    async def apply(
        self, session: AsyncSession, document: PlanDocument, items: Sequence[Announcement], *, actor: str
    ) -> SectionOutcome:
        """Make the program's scheduled broadcasts match the file: one per (announcement, firing time), for
        the kecamatan whose sessions fire then. Broadcasts already sending/sent are never touched."""
        now = self._now()
        views = await list_sessions(session)  # after the sessions' upsert in this transaction
        firings: dict[str, _Firing] = {}
        past: list[_Firing] = []
        for item in items:
            for firing in _firings(item, views, document.zone):
                if firing.moment <= now:
                    past.append(firing)
                else:
                    firings[program_key(item.name, firing.moment)] = firing

        rows = {
            row.program_key: row
            for row in await session.scalars(
                select(Broadcast).where(Broadcast.program_key.startswith(KEY_PREFIX, autoescape=True))
            )
            if row.program_key is not None
        }
        warnings: list[PlanIssue] = []
        counts = dict.fromkeys(("new", "updated", "unchanged", "removed", "past"), 0)
        show = document.context.show
        for key, firing in firings.items():
            row = rows.pop(key, None)
            body = firing.announcement.body_html
            if row is None:
                broadcast_id = await create_broadcast(
                    session,
                    body_html=body,
                    media_kind=None,
                    media_file_id=None,
                    audience=firing.audience,
                    send_at=firing.moment,
                    now=now,
                    created_by=None,
                    creator_chat_id=None,
                    language=self._language,
                    include_late=False,
                    progress=None,
                    program_key=key,
                )
                await self._ask_acknowledgement(session, broadcast_id, firing)
                counts["new"] += 1
            elif row.status == BroadcastStatus.SCHEDULED:
                if (
                    row.body_html != body
                    or Audience.from_json(row.audience) != firing.audience
                    or await _ack_state(session, row) != _wanted_ack(firing)
                ):
                    row.body_html = body
                    row.audience = firing.audience.to_json()
                    # The button and the reminder (which quotes the text) are made again as the file says.
                    await _drop_ack_reminders(session, row.id)
                    row.ack_requested, row.buttons = False, None
                    await self._ask_acknowledgement(session, row.id, firing)
                    counts["updated"] += 1
                else:
                    counts["unchanged"] += 1
            elif row.status == BroadcastStatus.CANCELLED:
                # A coordinator cancelled it (/terjadwal): a re-import does not send it after all.
                warnings.append(_warning(firing, ProgramWarningCode.CANCELLED_KEPT, time=show(firing.moment)))
            else:
                counts["unchanged"] += 1  # already started (the clock of another machine ran ahead)
        for firing in past:
            counts["past"] += 1
            if rows.pop(program_key(firing.announcement.name, firing.moment), None) is None:
                warnings.append(_warning(firing, ProgramWarningCode.PAST, time=show(firing.moment)))
        for row in rows.values():
            # No longer in the file: only what is still waiting goes; what was sent stays on record.
            if row.status == BroadcastStatus.SCHEDULED and row.send_at > now:
                await _drop_ack_reminders(session, row.id)
                await session.delete(row)
                counts["removed"] += 1
        await session.flush()
        return SectionOutcome(
            table=PROGRAM_TABLE,
            counts={"announcements": len(items), **counts},
            summary_key="program.imported",
            warnings=tuple(warnings),
        )

    async def _ask_acknowledgement(self, session: AsyncSession, broadcast_id: int, firing: _Firing) -> None:
        """With `ack = true`: the button, and the reminder `ack_reminder_hours` after it is sent."""
        item = firing.announcement
        if not item.ack:
            return
        if self._ack_wording is None:
            raise RuntimeError(
                "ProgramSection needs an ack_wording to import an announcement with ack = true"
            )
        hours = item.ack_reminder_hours
        await request_acknowledgement(
            session,
            broadcast_id,
            compose=self._ack_wording,
            reminder_at=firing.moment + timedelta(hours=hours) if hours else None,
        )

    # --- plan show ---------------------------------------------------------------------------------------

    async def timeline(self, session: AsyncSession, *, zone: ZoneInfo, language: str) -> list[TimelineLine]:
        """Every broadcast of the program: name, audience, recipients now (the not-checked-in read on the
        firing day), status when it is no longer waiting, and the first line of the message."""
        rows = (
            await session.scalars(
                select(Broadcast)
                .where(Broadcast.program_key.startswith(KEY_PREFIX, autoescape=True))
                .order_by(Broadcast.send_at, Broadcast.id)
            )
        ).all()
        names = dict((await session.execute(select(Kecamatan.id, Kecamatan.name))).tuples().all())
        lines = []
        for row in rows:
            assert row.program_key is not None
            audience = Audience.from_json(row.audience)
            count = await count_audience(session, audience, now=row.send_at, zone=zone)
            if not audience.kecamatan_ids:
                where: str | Phrase = Phrase("program.show.everywhere")
            elif len(audience.kecamatan_ids) == 1:
                where = names.get(audience.kecamatan_ids[0], "?")
            else:
                where = Phrase("program.show.kecamatan_count", {"count": len(audience.kecamatan_ids)})
            values: dict[str, str | int | Phrase] = {
                "name": row.program_key.removeprefix(KEY_PREFIX).split(":", 1)[0],
                "audience": Phrase(f"program.audience.{audience.kind.value}"),
                "where": where,
                "recipients": count.recipients,
                "first_line": first_line(row.body_html),
            }
            if row.status == BroadcastStatus.SCHEDULED:
                lines.append(TimelineLine(row.send_at, "program.show.announcement", values))
            else:
                values["status"] = Phrase(f"program.status.{row.status.value}")
                lines.append(TimelineLine(row.send_at, "program.show.announcement_status", values))
        return lines


def _firings(item: Announcement, views: Sequence[SessionView], zone: ZoneInfo) -> list[_Firing]:
    """An absolute announcement fires once for the whole regency; a relative one once per distinct time, for
    the kecamatan whose sessions fire then (28 sessions that start together make one broadcast)."""
    if isinstance(item.at, AbsoluteTime):
        return [_Firing(item, item.at.moment, Audience(item.audience))]
    groups: dict[datetime, set[int]] = defaultdict(set)
    for view in views:
        groups[item.at.resolve(view, zone)].add(view.kecamatan_id)
    return [
        _Firing(item, moment, Audience(item.audience, tuple(sorted(ids))))
        for moment, ids in sorted(groups.items())
    ]


def _wanted_ack(firing: _Firing) -> tuple[bool, int | None]:
    return firing.announcement.ack, firing.announcement.ack_reminder_hours


async def _ack_state(session: AsyncSession, row: Broadcast) -> tuple[bool, int | None]:
    """What a stored broadcast asks: "Sudah dibaca", and its reminder's hours after it."""
    reminder_at = await session.scalar(
        select(Broadcast.send_at).where(
            Broadcast.ack_reminder_of == row.id, Broadcast.status == BroadcastStatus.SCHEDULED
        )
    )
    if reminder_at is None:
        return row.ack_requested, None
    return row.ack_requested, round((reminder_at - row.send_at) / timedelta(hours=1))


async def _drop_ack_reminders(session: AsyncSession, broadcast_id: int) -> None:
    """Delete a program broadcast's waiting "Sudah dibaca" reminders (before it changes or goes)."""
    await session.execute(
        delete(Broadcast).where(
            Broadcast.ack_reminder_of == broadcast_id, Broadcast.status == BroadcastStatus.SCHEDULED
        )
    )


def _warning(firing: _Firing, code: ProgramWarningCode, **params: str | int) -> PlanIssue:
    return PlanIssue(Severity.WARNING, code, firing.announcement.place.at("at"), params)
