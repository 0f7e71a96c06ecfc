"""The access audit: who read personal data (exports, absentee lists) or changed a role, and when; its CSV."""

import csv
import getpass
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.phones import display
from models import AuditLog, Coordinator, Member

# Actions of the access audit (the audit table also holds every change coordinators make).
EXPORT_ATTENDANCE = "access.export_attendance"
ABSENTEES_WITH_PHONES = "access.absentees"
REPORT_ATTENDANCE = "access.report_attendance"
AUDIT_EXPORT = "access.audit_export"

CLI_ACTOR = "cli"


def telegram_actor(telegram_user_id: int) -> str:
    """How the audit table names a person acting through Telegram."""
    return f"tg:{telegram_user_id}"


def operator_name() -> str:
    """The login of whoever runs a command-line action, for the audit ('?' when the system cannot say)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "?"


async def record_access(
    session: AsyncSession, *, actor: str, action: str, detail: dict[str, object] | None = None
) -> None:
    """Write one audit row for an access to personal data; the caller commits."""
    session.add(AuditLog(actor=actor, action=action, detail=detail or {}))
    await session.flush()


@dataclass(frozen=True)
class AuditEntry:
    """One row of the audit as exported: when, who (as stored, and who that account is today), what, details."""

    at: datetime
    actor: str
    actor_name: str  # the roster name linked to a 'tg:<id>' actor today ('' if none)
    actor_coordinator_phone: str  # the coordinator grant linked to it today ('' if none)
    action: str
    detail: dict[str, object]
    note: str | None


async def _actors_today(session: AsyncSession, actors: set[str]) -> dict[str, tuple[str, str]]:
    """Who each 'tg:<id>' actor is today: (roster name, coordinator phone), '' where the account is unlinked."""
    ids = [int(a[3:]) for a in actors if a.startswith("tg:") and a[3:].isdigit() and len(a) < 23]
    if not ids:
        return {}
    names: dict[int, str] = {}
    phones: dict[int, str] = {}
    for user_id, name in await session.execute(
        select(Member.telegram_user_id, Member.name).where(Member.telegram_user_id.in_(ids))
    ):
        names[user_id] = name
    for user_id, phone in await session.execute(
        select(Coordinator.telegram_user_id, Coordinator.phone).where(Coordinator.telegram_user_id.in_(ids))
    ):
        phones[user_id] = display(phone)
    return {f"tg:{i}": (names.get(i, ""), phones.get(i, "")) for i in ids}


async def audit_entries(session: AsyncSession) -> list[AuditEntry]:
    """Every audit row, oldest first, with the actor resolved to who they are today."""
    rows = list(await session.scalars(select(AuditLog).order_by(AuditLog.at, AuditLog.id)))
    today = await _actors_today(session, {row.actor for row in rows})
    return [
        AuditEntry(
            at=row.at,
            actor=row.actor,
            actor_name=today.get(row.actor, ("", ""))[0],
            actor_coordinator_phone=today.get(row.actor, ("", ""))[1],
            action=row.action,
            detail=dict(row.detail or {}),
            note=row.note,
        )
        for row in rows
    ]


def _cell(text: str) -> str:
    # A spreadsheet runs a cell starting with = + - @ as a formula: quote it (as the attendance exports do).
    return "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text


def audit_csv(
    entries: Sequence[AuditEntry], *, header_line: str, columns: Sequence[str], zone: ZoneInfo
) -> bytes:
    """The audit as CSV (UTF-8 with a BOM, comma-separated): the personal-data line, the header, one row each."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([header_line])
    writer.writerow(columns)
    for entry in entries:
        writer.writerow(
            [
                entry.at.astimezone(zone).isoformat(timespec="seconds"),
                _cell(entry.actor),
                _cell(entry.actor_name),
                _cell(entry.actor_coordinator_phone),
                _cell(entry.action),
                _cell(json.dumps(entry.detail, ensure_ascii=False, sort_keys=True, default=str)),
                _cell(entry.note or ""),
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
