"""A person's own data (the right of access): everything the bot holds about one Telegram account, and nobody else's."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import String, cast, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from bot.broadcasts.compose import first_line
from models import (
    AuditLog,
    Broadcast,
    CheckIn,
    Coordinator,
    Delivery,
    Duty,
    DutyStatus,
    Member,
    RegistrationAttempt,
    TelegramAccount,
    TrainingSession,
)

JsonObject = dict[str, Any]


def _when(moment: datetime | None, zone: ZoneInfo) -> str | None:
    return moment.astimezone(zone).isoformat(timespec="seconds") if moment is not None else None


def _names_person(detail: Mapping[str, object], member: Member | None, telegram_user_id: int) -> bool:
    """Whether an audit row's details name this person (their roster entry, phone or Telegram account)."""
    if detail.get("telegram_user_id") == telegram_user_id:
        return True
    if member is None:
        return False
    deactivated = detail.get("deactivated_ids")
    return (
        detail.get("member_id") == member.id
        or detail.get("phone") == member.phone
        or (isinstance(deactivated, list) and member.id in deactivated)
    )


def _own_actor(actor: str, telegram_user_id: int) -> str:
    """An audit row's actor as the person may see it: themselves, or a role, never another person's id."""
    if actor == f"tg:{telegram_user_id}":
        return "self"
    return "coordinator" if actor.startswith("tg:") else actor


def _own_detail(detail: Mapping[str, object], member: Member | None) -> dict[str, object]:
    """An audit row's details without other people's: a list of member ids keeps only this member's."""
    own: dict[str, object] = {}
    for key, value in detail.items():
        if isinstance(value, list):
            if member is not None and member.id in value:
                own[key] = [member.id]
            continue
        own[key] = value
    return own


async def _audit_rows(
    session: AsyncSession, telegram_user_id: int, member: Member | None, coordinator: Coordinator | None
) -> list[AuditLog]:
    # The database narrows by text (the id or phone appears in the row); the exact test is done here.
    needles = [str(telegram_user_id)]
    if member is not None:
        needles += [str(member.id), member.phone]
    if coordinator is not None:
        needles.append(coordinator.phone)
    detail_text = cast(AuditLog.detail, String)
    candidates = await session.scalars(
        select(AuditLog)
        .where(or_(AuditLog.actor == f"tg:{telegram_user_id}", *(detail_text.contains(n) for n in needles)))
        .order_by(AuditLog.at, AuditLog.id)
    )
    phones = {member.phone if member else None, coordinator.phone if coordinator else None} - {None}
    return [
        row
        for row in candidates
        if row.actor == f"tg:{telegram_user_id}"
        or _names_person(row.detail or {}, member, telegram_user_id)
        or (row.detail or {}).get("phone") in phones
    ]


async def own_data(
    session: AsyncSession, telegram_user_id: int, *, zone: ZoneInfo, now: datetime
) -> JsonObject:
    """Everything held about this Telegram account and the roster entry linked to it, as JSON-ready data.

    Check-ins carry the distance, never coordinates (none are stored). Times are ISO 8601 in `zone`.
    """
    account = await session.get(TelegramAccount, telegram_user_id)
    member = await session.scalar(
        select(Member)
        .options(joinedload(Member.kecamatan), joinedload(Member.desa))
        .where(Member.telegram_user_id == telegram_user_id)
    )
    coordinator = await session.scalar(
        select(Coordinator)
        .options(joinedload(Coordinator.kecamatan))
        .where(Coordinator.telegram_user_id == telegram_user_id)
    )
    data: JsonObject = {"generated_at": _when(now, zone)}
    data["telegram_account"] = (
        {
            "telegram_user_id": account.id,
            "first_name": account.first_name,
            "language": account.language,
            "verified_phone": account.verified_phone,
            "reachable": account.reachable,
            "first_contact_at": _when(account.created_at, zone),
        }
        if account is not None
        else None
    )
    data["roster_entry"] = (
        {
            "name": member.name,
            "position": member.position.value,
            "kecamatan": member.kecamatan.name,
            "desa": member.desa.name if member.desa is not None else None,
            "phone": member.phone,
            "active": member.active,
            "on_roster_since": _when(member.created_at, zone),
            "registered_at": _when(member.registered_at, zone),
        }
        if member is not None
        else None
    )
    data["coordinator"] = (
        {
            "phone": coordinator.phone,
            "kecamatan": coordinator.kecamatan.name if coordinator.kecamatan is not None else None,
            "regency_wide": coordinator.kecamatan_id is None,
            "granted_at": _when(coordinator.created_at, zone),
        }
        if coordinator is not None
        else None
    )
    data["check_ins"] = await _check_ins(session, member, zone) if member is not None else []
    data["deliveries"] = await _deliveries(session, member, zone) if member is not None else []
    data["duties"] = await _duties(session, member, zone) if member is not None else []
    attempts = await session.scalars(
        select(RegistrationAttempt)
        .where(RegistrationAttempt.telegram_user_id == telegram_user_id)
        .order_by(RegistrationAttempt.created_at, RegistrationAttempt.id)
    )
    data["refused_registrations"] = [
        {"at": _when(a.created_at, zone), "phone": a.phone, "reason": a.reason.value} for a in attempts
    ]
    data["audit_entries"] = [
        {
            "at": _when(row.at, zone),
            "actor": _own_actor(row.actor, telegram_user_id),
            "action": row.action,
            "detail": _own_detail(row.detail or {}, member),
            "note": row.note,
        }
        for row in await _audit_rows(session, telegram_user_id, member, coordinator)
    ]
    return data


async def _check_ins(session: AsyncSession, member: Member, zone: ZoneInfo) -> list[JsonObject]:
    rows = await session.execute(
        select(CheckIn, TrainingSession.venue)
        .join(TrainingSession, TrainingSession.id == CheckIn.session_id)
        .where(CheckIn.member_id == member.id)
        .order_by(CheckIn.at)
    )
    return [
        {
            "at": _when(check_in.at, zone),
            "venue": venue,
            "method": check_in.method.value,
            "distance_m": round(check_in.distance_m) if check_in.distance_m is not None else None,
            "within_radius": check_in.within_radius,
            "recorded_by_coordinator": check_in.recorded_by is not None,
            "reason": check_in.reason,
        }
        for check_in, venue in rows
    ]


async def _deliveries(session: AsyncSession, member: Member, zone: ZoneInfo) -> list[JsonObject]:
    rows = await session.execute(
        select(Delivery, Broadcast.body_html, Broadcast.send_at)
        .join(Broadcast, Broadcast.id == Delivery.broadcast_id)
        .where(Delivery.member_id == member.id)
        .order_by(Broadcast.send_at, Delivery.id)
    )
    return [
        {
            "announcement": first_line(body, limit=120),
            "send_at": _when(send_at, zone),
            "status": delivery.status.value,
            "attempts": delivery.attempts,
            "last_update": _when(delivery.updated_at, zone),
        }
        for delivery, body, send_at in rows
    ]


async def _duties(session: AsyncSession, member: Member, zone: ZoneInfo) -> list[JsonObject]:
    rows = await session.execute(
        select(DutyStatus, Duty.title, Duty.due_at)
        .join(Duty, Duty.id == DutyStatus.duty_id)
        .where(DutyStatus.member_id == member.id)
        .order_by(Duty.due_at, Duty.id)
    )
    return [
        {
            "duty": title,
            "due_at": _when(due_at, zone),
            "done_at": _when(status.done_at, zone),
            "snoozed_until": _when(status.snoozed_until, zone),
        }
        for status, title, due_at in rows
    ]
