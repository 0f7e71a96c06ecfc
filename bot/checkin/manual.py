"""Check-in by hand: a coordinator records a member whose phone failed, with a reason, audit-logged."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.checkin.rules import (
    CheckedIn,
    MemberNotFound,
    NoSession,
    OutOfScope,
    record_check_in,
    session_of_kecamatan,
)
from bot.core.identity import CoordinatorScope
from bot.core.phones import InvalidPhoneNumber, to_e164
from models import ROSTER_POSITIONS, AuditLog, CheckInMethod, Member, TrainingSession


async def check_in_by_hand(
    session: AsyncSession,
    *,
    scope: CoordinatorScope,
    coordinator_user_id: int,
    member_phone: str,
    reason: str,
    now: datetime,
) -> CheckedIn:
    """A coordinator checks in a member whose phone failed; the reason is kept and audit-logged."""
    try:
        phone = to_e164(member_phone)
    except InvalidPhoneNumber:
        raise MemberNotFound() from None
    member = await session.scalar(select(Member).where(Member.phone == phone, Member.active.is_(True)))
    if (
        member is None or member.position not in ROSTER_POSITIONS
    ):  # the cascade's people: their PPS's /hadirkan
        raise MemberNotFound()
    if not scope.covers(member.kecamatan_id):
        raise OutOfScope()
    training = await session_of_kecamatan(session, member.kecamatan_id)
    if training is None:
        raise NoSession()
    return await record_by_hand(
        session, member, training, now=now, coordinator_user_id=coordinator_user_id, reason=reason
    )


async def record_by_hand(
    session: AsyncSession,
    member: Member,
    training: TrainingSession,
    *,
    now: datetime,
    coordinator_user_id: int,
    reason: str,
    cascade: bool = False,
) -> CheckedIn:
    """Record a check-in made by a coordinator (the PPS's or the kecamatan's), with its reason in the audit log;
    a member already checked in gets the earlier check-in and no second audit entry."""
    result = await record_check_in(
        session,
        member,
        training,
        now=now,
        method=CheckInMethod.MANUAL,
        recorded_by=coordinator_user_id,
        reason=reason,
    )
    if not result.already:
        detail: dict[str, object] = {"member_id": member.id, "session_id": training.id}
        if cascade:
            detail["cascade"] = True
        session.add(
            AuditLog(actor=f"tg:{coordinator_user_id}", action="checkin.manual", detail=detail, note=reason)
        )
    return result
