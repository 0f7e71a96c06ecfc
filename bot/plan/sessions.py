"""Writing a checked plan: match its kecamatan, upsert one Bimtek session each, apply the later sections."""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.problems import Place, Problem, Severity
from bot.core.regions import (
    KecamatanNotFound,
    KecamatanRef,
    WilayahEmpty,
    WilayahIndex,
    load_wilayah_index,
    resolve_kecamatan,
)
from bot.plan.document import PlanDocument, SectionOutcome
from bot.plan.problems import IssueLog, PlanErrorCode, PlanRejected, PlanWarningCode
from bot.plan.views import active_members_by_kecamatan
from models import AuditLog, CheckIn, TrainingSession


def _match_kecamatan(
    index: WilayahIndex, names: Sequence[tuple[Place, str]]
) -> tuple[list[KecamatanRef], list[Problem]]:
    """The kecamatan of each name (complete only when there are no problems), and the problems."""
    refs: list[KecamatanRef] = []
    problems: list[Problem] = []
    for place, name in names:
        try:
            refs.append(resolve_kecamatan(index, name))
        except KecamatanNotFound as missing:
            if missing.candidates:
                candidates = ", ".join(f"{k.name} ({k.code})" for k in missing.candidates)
                code, params = PlanErrorCode.AMBIGUOUS_KECAMATAN, {"name": name, "candidates": candidates}
            elif missing.suggestions:
                suggestions = ", ".join(k.name for k in missing.suggestions)
                code, params = (
                    PlanErrorCode.UNKNOWN_KECAMATAN_SIMILAR,
                    {"name": name, "suggestions": suggestions},
                )
            else:
                code, params = PlanErrorCode.UNKNOWN_KECAMATAN, {"name": name}
            problems.append(Problem(Severity.ERROR, code, place, params))
    return refs, problems


_WILAYAH_EMPTY = Problem(Severity.ERROR, PlanErrorCode.WILAYAH_EMPTY)


async def check_kecamatan_names(session: AsyncSession, names: Sequence[tuple[Place, str]]) -> list[Problem]:
    """The errors of these kecamatan names against the region list (read only), e.g. for a file that was
    refused for other reasons, so the operator sees every problem at once."""
    try:
        index = await load_wilayah_index(session, with_desa=False)
    except WilayahEmpty:
        return [_WILAYAH_EMPTY]
    return _match_kecamatan(index, names)[1]


@dataclass(frozen=True)
class PlanSummary:
    """What a plan import found and changed."""

    name: str
    date: date
    sessions: int
    sessions_new: int
    sessions_updated: int
    sessions_unchanged: int
    sessions_removed: int
    # Sessions whose kecamatan the file no longer lists but members already checked in to: kept.
    sessions_kept: int
    entries: Mapping[str, int]  # entries of each later table ([[announcement]], [[duty]]) in the file
    sections: tuple[SectionOutcome, ...]
    warnings: tuple[Problem, ...]


_SESSION_FIELDS = (
    "venue",
    "address",
    "latitude",
    "longitude",
    "radius_m",
    "starts_at",
    "ends_at",
    "checkin_opens_at",
    "checkin_closes_at",
)


async def import_plan(
    session: AsyncSession, document: PlanDocument, *, actor: str, source_name: str
) -> PlanSummary:
    """Upsert one session per kecamatan (re-import updates in place and keeps each session's secret), remove
    sessions the plan no longer lists unless members checked in there, apply plugged-in sections, and write
    one audit row. Raise PlanRejected when a kecamatan is unknown or the region list is empty; no commit."""
    try:
        index = await load_wilayah_index(session, with_desa=False)
    except WilayahEmpty:
        raise PlanRejected([_WILAYAH_EMPTY], document.warnings) from None
    refs, errors = _match_kecamatan(
        index, [(spec.place.at("kecamatan"), spec.kecamatan) for spec in document.sessions]
    )
    if errors:
        raise PlanRejected(errors, document.warnings)
    log = IssueLog()

    # The KPU's sessions only: a desa's own sessions (the cascade) belong to its PPS, not to the plan.
    existing = {
        row.kecamatan_id: row
        for row in await session.scalars(select(TrainingSession).where(TrainingSession.desa_id.is_(None)))
    }
    checkins: dict[int, int] = {
        session_id: count
        for session_id, count in (
            await session.execute(select(CheckIn.session_id, func.count()).group_by(CheckIn.session_id))
        ).tuples()
    }
    new = updated = unchanged = 0
    for spec, ref in zip(document.sessions, refs, strict=True):
        wanted = {name: getattr(spec, name) for name in _SESSION_FIELDS}
        row = existing.pop(ref.id, None)
        if row is None:
            # The secret seeds the rotating check-in codes: made once here, never changed by a re-import.
            session.add(TrainingSession(kecamatan_id=ref.id, secret=secrets.token_hex(32), **wanted))
            new += 1
            continue
        changed = [name for name, value in wanted.items() if getattr(row, name) != value]
        if not changed:
            unchanged += 1
            continue
        if checkins.get(row.id):
            log.warning(
                PlanWarningCode.CHANGED_WITH_CHECKINS,
                spec.place,
                kecamatan=ref.name,
                checkins=checkins[row.id],
            )
        for name in changed:
            setattr(row, name, wanted[name])
        updated += 1

    removed = 0
    kept: set[int] = set()
    for kecamatan_id, row in sorted(existing.items(), key=lambda item: index.kecamatan_by_id[item[0]].name):
        name = index.kecamatan_by_id[kecamatan_id].name
        if checkins.get(row.id):
            # Deleting would take the attendance record with it.
            log.warning(
                PlanWarningCode.KEPT_WITH_CHECKINS, Place(), kecamatan=name, checkins=checkins[row.id]
            )
            kept.add(kecamatan_id)
        else:
            await session.delete(row)
            removed += 1

    members = await active_members_by_kecamatan(session)
    planned = {ref.id for ref in refs}
    for kecamatan in sorted(index.kecamatan_by_id.values(), key=lambda k: k.name):
        if kecamatan.id in planned or kecamatan.id in kept:
            continue
        if members.get(kecamatan.id):
            log.warning(
                PlanWarningCode.MISSING_SESSION,
                Place(),
                kecamatan=kecamatan.name,
                members=members[kecamatan.id],
            )
        else:
            log.warning(PlanWarningCode.MISSING_SESSION_NO_MEMBERS, Place(), kecamatan=kecamatan.name)
    await session.flush()

    outcomes = []
    for section in document.sections:
        outcome = await section.apply(session, document, document.items.get(section.table, ()), actor=actor)
        outcomes.append(outcome)
        log.warnings.extend(outcome.warnings)

    summary = PlanSummary(
        name=document.name,
        date=document.date,
        sessions=len(document.sessions),
        sessions_new=new,
        sessions_updated=updated,
        sessions_unchanged=unchanged,
        sessions_removed=removed,
        sessions_kept=len(kept),
        entries={table: len(entries) for table, entries in document.entries.items()},
        sections=tuple(outcomes),
        warnings=(*document.warnings, *log.warnings),
    )
    session.add(
        AuditLog(
            actor=actor,
            action="plan.import",
            detail={
                "file": source_name,
                "plan": document.name,
                "date": document.date.isoformat(),
                "timezone": document.zone.key,
                "sessions": summary.sessions,
                "sessions_new": new,
                "sessions_updated": updated,
                "sessions_unchanged": unchanged,
                "sessions_removed": removed,
                "sessions_kept": len(kept),
                "entries": dict(summary.entries),
                "sections": {outcome.table: dict(outcome.counts) for outcome in outcomes},
                "warnings": len(summary.warnings),
                **({"moved_from": document.written_date.isoformat()} if document.written_date else {}),
            },
        )
    )
    await session.flush()
    return summary
