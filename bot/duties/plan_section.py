"""The [[duty]] section of the plan file: duties with their due time, audience, completion and reminders."""

import enum
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any, Protocol, TypeVar
from weakref import WeakKeyDictionary
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.broadcasts.audience import Audience, AudienceKind
from bot.core.choices import UnknownChoice, by_value, parse_choice
from bot.core.clock import SystemClock
from bot.core.problems import Place as PlanPlace
from bot.core.problems import Problem as PlanIssue
from bot.core.problems import Severity
from bot.core.regions import KecamatanNotFound, WilayahIndex, load_wilayah_index, resolve_kecamatan
from bot.core.scope import REGENCY
from bot.duties.audience import audience_size
from bot.duties.creating import (
    DESCRIPTION_MAX,
    LINK_MAX,
    TITLE_MAX,
    DutySpec,
    ReminderFacts,
    ReminderMessage,
    cancel_reminders,
    create_duty,
    schedule_reminders,
)
from bot.duties.reminder_specs import DEFAULT_REMINDERS, parse_reminder
from bot.plan.document import PlanDocument, SectionOutcome, TimelineLine
from bot.plan.problems import IssueLog, PlanErrorCode, PlanRejected
from bot.plan.reader import EntryReader, show_value
from bot.plan.sessions import check_kecamatan_names
from models import Broadcast, BroadcastStatus, Duty, DutyCompletion, DutyStatus

TABLE = "duty"
KEY_MAX = 64
_KEY = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}", re.ASCII)
# A due written as a date only means the end of that day.
END_OF_DAY = time(23, 59)
T = TypeVar("T")
AUDIENCES = {"pps": AudienceKind.PPS, "ketua": AudienceKind.KETUA}
COMPLETIONS = by_value(DutyCompletion)


class DutyPlanError(enum.StrEnum):
    """Why a [[duty]] entry was refused (catalog key `plan.error.<code>`)."""

    BAD_NAME = "duty_bad_name"
    DUPLICATE_NAME = "duty_duplicate_name"
    BAD_LINK = "duty_bad_link"
    BAD_AUDIENCE = "duty_bad_audience"
    BAD_DONE_BY = "duty_bad_done_by"
    NOT_A_LIST = "duty_not_a_list"
    BAD_REMINDER = "duty_bad_reminder"
    REMINDER_NOT_BEFORE_DUE = "duty_reminder_not_before_due"


class DutyPlanWarning(enum.StrEnum):
    """What looks wrong in a [[duty]] entry but is imported (catalog key `plan.warning.<code>`)."""

    PAST_DUE = "duty_past_due"


@dataclass(frozen=True)
class DutyEntry:
    """One checked [[duty]] entry (due time in UTC, kecamatan names still to be matched)."""

    place: PlanPlace
    key: str  # the entry's name (stored as Duty.plan_key): re-imports update the duty of the same name
    title: str
    description: str
    link: str | None
    due_at: datetime
    kind: AudienceKind
    kecamatan: tuple[str, ...]
    completion: DutyCompletion
    reminders: tuple[str, ...]


class DutyWording(Protocol):
    """What the duty section needs said in people's words: supplied by the Telegram side, which owns the
    texts and the buttons' callback format."""

    def reminder(self, facts: ReminderFacts, send_at: datetime, zone: ZoneInfo) -> ReminderMessage: ...

    def audience_label(self, language: str, kind: AudienceKind) -> str: ...

    def completion_label(self, language: str, completion: DutyCompletion) -> str: ...


def slug(title: str) -> str:
    """A key made from a title: 'Bentuk KPPS (TPS)' -> 'bentuk-kpps-tps'."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:KEY_MAX].strip("-")


def _text_list(reader: EntryReader, key: str) -> list[str] | None:
    """A list of strings (a single string is a list of one); None after logging an error, [] if absent."""
    reader.known(key)
    value = reader.values.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        reader.error(DutyPlanError.NOT_A_LIST, key, value=show_value(value))
        return None
    return [item.strip() for item in value]


def _choice(
    reader: EntryReader, key: str, written: str, choices: Mapping[str, T], code: DutyPlanError
) -> T | None:
    """One of a fixed set of words (any case), or None after logging `code` with what was written."""
    try:
        return parse_choice(written, choices)
    except UnknownChoice:
        reader.error(code, key, value=written)
        return None


def _due(reader: EntryReader) -> datetime | None:
    reader.known("due")
    if "due" not in reader:
        reader.error(PlanErrorCode.MISSING_KEY, "due")
        return None
    value = reader.values["due"]
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime.combine(value, END_OF_DAY)
    return reader.to_moment("due", value)


class DutyPlanSection:
    """Reads [[duty]] entries and applies them: new duties get their reminders; changed ones get them
    rewritten; duties no longer in the file are withdrawn (kept with their done marks, no more reminders).

    `now` tells the import moment: reminders before it are not written, a due time before it is a warning.
    `wording` composes the reminders and the labels of `plan show`; parsing alone does not need it."""

    table = TABLE

    def __init__(
        self, now: Callable[[], datetime] | None = None, *, wording: DutyWording | None = None
    ) -> None:
        self._now = now or SystemClock().now
        self._given_wording = wording
        # The names seen per parse (one IssueLog per parse_plan call), to refuse a name used twice.
        self._keys: WeakKeyDictionary[IssueLog, dict[str, int]] = WeakKeyDictionary()

    def parse_entry(self, reader: EntryReader) -> DutyEntry | None:
        title = reader.text("title", max_length=TITLE_MAX)
        key = reader.text("name", required=False, max_length=KEY_MAX)
        if key is not None and not _KEY.fullmatch(key):
            reader.error(DutyPlanError.BAD_NAME, "name", value=key)
        description = reader.text("description", required=False, max_length=DESCRIPTION_MAX) or ""
        link = reader.text("link", required=False, max_length=LINK_MAX)
        if link is not None and not link.startswith("https://"):
            reader.error(DutyPlanError.BAD_LINK, "link", value=link)
        due_at = _due(reader)
        audience = reader.text("audience", required=False) or "pps"
        kind = _choice(reader, "audience", audience, AUDIENCES, DutyPlanError.BAD_AUDIENCE)
        kecamatan = _text_list(reader, "kecamatan")
        done_by = reader.text("done_by", required=False) or DutyCompletion.DESA.value
        completion = _choice(reader, "done_by", done_by, COMPLETIONS, DutyPlanError.BAD_DONE_BY)
        reminders = _text_list(reader, "reminders") if "reminders" in reader else list(DEFAULT_REMINDERS)
        specs = []
        for text in reminders or []:
            spec = parse_reminder(text)
            if spec is None or spec.now:
                reader.error(DutyPlanError.BAD_REMINDER, "reminders", value=text)
                continue
            if due_at is not None and spec.moment(due_at, reader.context.zone, due_at) >= due_at:
                reader.error(DutyPlanError.REMINDER_NOT_BEFORE_DUE, "reminders", value=text)
                continue
            specs.append(spec.text)
        if not reader.ok or title is None or due_at is None or kind is None or completion is None:
            return None
        if kecamatan is None or reminders is None:
            return None
        key = key or slug(title) or f"duty-{reader.place.number}"
        first = self._keys.setdefault(reader.log, {}).setdefault(key, reader.place.number or 0)
        if first != reader.place.number:
            reader.error(DutyPlanError.DUPLICATE_NAME, "name", name=key, first=first)
            return None
        return DutyEntry(
            place=reader.place,
            key=key,
            title=title,
            description=description,
            link=link,
            due_at=due_at,
            kind=kind,
            kecamatan=tuple(kecamatan),
            completion=completion,
            reminders=tuple(dict.fromkeys(specs)),
        )

    @property
    def _wording(self) -> DutyWording:
        if self._given_wording is None:
            raise RuntimeError("DutyPlanSection needs a wording to write reminders or show duties")
        return self._given_wording

    async def apply(
        self, session: AsyncSession, document: PlanDocument, items: Sequence[DutyEntry], *, actor: str
    ) -> SectionOutcome:
        now = self._now()
        names = [(entry.place.at("kecamatan"), name) for entry in items for name in entry.kecamatan]
        errors = await check_kecamatan_names(session, names) if names else []
        if errors:
            raise PlanRejected(errors, document.warnings)
        index = await load_wilayah_index(session, with_desa=False) if names else None
        existing = {
            duty.plan_key: duty
            for duty in await session.scalars(select(Duty).where(Duty.plan_key.is_not(None)))
        }
        warnings: list[PlanIssue] = []
        counts = dict.fromkeys(("duties", "new", "updated", "unchanged", "withdrawn", "reminders"), 0)
        counts["duties"] = len(items)
        for entry in items:
            ids = tuple(sorted(_kecamatan_ids(index, entry.kecamatan)))
            spec = DutySpec(
                title=entry.title,
                due_at=entry.due_at,
                kind=entry.kind,
                kecamatan_ids=ids,
                completion=entry.completion,
                reminders=entry.reminders,
                description=entry.description,
                link=entry.link,
            )
            if entry.due_at <= now:
                warnings.append(
                    PlanIssue(
                        Severity.WARNING,
                        DutyPlanWarning.PAST_DUE,
                        entry.place.at("due"),
                        {"due": document.context.show(entry.due_at)},
                    )
                )
            duty = existing.pop(entry.key, None)
            if duty is None:
                created = await create_duty(
                    session,
                    spec,
                    scope=REGENCY,
                    compose=self._wording.reminder,
                    created_by=None,
                    creator_chat_id=None,
                    now=now,
                    zone=document.zone,
                    plan_key=entry.key,
                    actor=actor,
                )
                counts["new"] += 1
                counts["reminders"] += len(created.reminders)
                continue
            if not _update(duty, spec):
                counts["unchanged"] += 1
                continue
            counts["updated"] += 1
            counts["reminders"] += await _rewrite_reminders(
                session, duty, self._wording, now=now, zone=document.zone
            )
        for duty in existing.values():
            if duty.active:
                duty.active = False
                await cancel_reminders(session, duty.id)
                counts["withdrawn"] += 1
        await session.flush()
        return SectionOutcome(
            table=TABLE, counts=counts, summary_key="plan.duty.imported", warnings=tuple(warnings)
        )

    async def timeline(
        self, session: AsyncSession, *, zone: ZoneInfo, language: str
    ) -> Sequence[TimelineLine]:
        """Each active duty's reminders still waiting and its due time, for `plan show`."""
        lines: list[TimelineLine] = []
        duties = list(await session.scalars(select(Duty).where(Duty.active.is_(True)).order_by(Duty.due_at)))
        for duty in duties:
            audience = Audience.from_json(duty.audience)
            values: dict[str, str | int] = {
                "title": duty.title,
                "audience": self._wording.audience_label(language, audience.kind),
                "members": await audience_size(session, audience.kind, audience.kecamatan_ids),
            }
            sends = await session.scalars(
                select(Broadcast.send_at)
                .where(Broadcast.duty_id == duty.id, Broadcast.status == BroadcastStatus.SCHEDULED)
                .order_by(Broadcast.send_at)
            )
            lines.extend(TimelineLine(send_at, "plan.duty.show.reminder", values) for send_at in sends)
            done_by = self._wording.completion_label(language, duty.completion)
            lines.append(TimelineLine(duty.due_at, "plan.duty.show.due", {**values, "done_by": done_by}))
        return lines


def _kecamatan_ids(index: WilayahIndex | None, written: Sequence[str]) -> set[int]:
    """The ids of kecamatan named in an entry (the names were checked before: an unknown one is skipped)."""
    ids = set()
    for name in written:
        if index is None:
            continue
        try:
            ids.add(resolve_kecamatan(index, name).id)
        except KecamatanNotFound:
            continue
    return ids


def _wanted(spec: DutySpec) -> dict[str, Any]:
    return {
        "title": spec.title,
        "description": spec.description,
        "link": spec.link,
        "due_at": spec.due_at.astimezone(UTC),
        "audience": spec.audience.to_json(),
        "completion": spec.completion,
        "reminders": list(spec.reminders),
        "active": True,
    }


def _update(duty: Duty, spec: DutySpec) -> bool:
    """Bring the duty in line with the file; True when anything changed."""
    changed = False
    for name, value in _wanted(spec).items():
        if getattr(duty, name) != value:
            setattr(duty, name, value)
            changed = True
    return changed


async def _rewrite_reminders(
    session: AsyncSession, duty: Duty, wording: DutyWording, *, now: datetime, zone: ZoneInfo
) -> int:
    """A changed duty: its waiting reminders (snoozes too) are replaced by the new plan's."""
    await cancel_reminders(session, duty.id)
    await session.execute(update(DutyStatus).where(DutyStatus.duty_id == duty.id).values(snoozed_until=None))
    await session.flush()
    return len(await schedule_reminders(session, duty, compose=wording.reminder, now=now, zone=zone))
