"""Deleting a person's account (/hapus): what is not the official record goes, the roster entry and attendance stay."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    AuditLog,
    Coordinator,
    Delivery,
    DeliveryStatus,
    Member,
    RegistrationAttempt,
    TelegramAccount,
)

# What an audit row names as its actor once that person's account is deleted.
DELETED_ACTOR = "tg:deleted"


@dataclass(frozen=True)
class AccountHolding:
    """What /hapus would touch for this account; `token` changes whenever the account's link does, so a
    confirmation button made before a re-registration (or after the deletion) no longer matches."""

    member_id: int | None
    member_name: str | None
    registered_at: datetime | None
    coordinator: bool
    deliveries: int

    @property
    def token(self) -> str:
        stamp = int(self.registered_at.timestamp()) if self.registered_at is not None else 0
        return f"{self.member_id or 0}-{stamp}"


@dataclass(frozen=True)
class Erased:
    """What /hapus deleted; `in_flight` deliveries were being sent at that moment and go with the next purge."""

    member_name: str | None
    coordinator_unlinked: bool
    account_deleted: bool
    deliveries: int
    registration_attempts: int
    in_flight: int


async def holding(session: AsyncSession, telegram_user_id: int) -> AccountHolding:
    """What the confirmation question shows before anything is deleted."""
    member = await session.scalar(select(Member).where(Member.telegram_user_id == telegram_user_id))
    coordinator = await session.scalar(
        select(Coordinator.id).where(Coordinator.telegram_user_id == telegram_user_id)
    )
    deliveries = 0
    if member is not None:
        counted = await session.scalar(select(func.count(Delivery.id)).where(Delivery.member_id == member.id))
        deliveries = int(counted or 0)
    return AccountHolding(
        member_id=member.id if member is not None else None,
        member_name=member.name if member is not None else None,
        registered_at=member.registered_at if member is not None else None,
        coordinator=coordinator is not None,
        deliveries=deliveries,
    )


async def erase_account(
    session: AsyncSession, telegram_user_id: int, *, now: datetime, accountable: bool
) -> Erased:
    """Unlink the Telegram account from the roster entry (and a coordinator grant) and delete the account.

    Deleted: the Telegram id and first name, the language choice, the proven phone, every delivery record
    (history and pending) and refused registration attempts of this account. Kept, as KPU's official record:
    the roster entry (marked `account_deleted_at`, so recaps say "akun dihapus"), check-ins (which never hold
    coordinates), duty marks, and the audit log (accountability; it goes with the retention purge). A
    delivery the outbox is sending at this very moment is left to finish and removed by the next purge.
    The audit rows this account acted in lose its id ('tg:deleted') unless it is `accountable` (a
    coordinator or admin, whose accesses must stay traceable until the retention purge).
    No commit: the caller owns the transaction.
    """
    member = await session.scalar(select(Member).where(Member.telegram_user_id == telegram_user_id))
    deliveries = in_flight = 0
    if member is not None:
        removed = await session.execute(
            delete(Delivery).where(Delivery.member_id == member.id, Delivery.status != DeliveryStatus.SENDING)
        )
        deliveries = removed.rowcount  # type: ignore[attr-defined]
        in_flight = int(
            await session.scalar(
                select(func.count(Delivery.id)).where(
                    Delivery.member_id == member.id, Delivery.status == DeliveryStatus.SENDING
                )
            )
            or 0
        )
        member.telegram_user_id = None
        member.account_deleted_at = now
    unlinked = await session.execute(
        update(Coordinator)
        .where(Coordinator.telegram_user_id == telegram_user_id)
        .values(telegram_user_id=None)
    )
    attempts = await session.execute(
        delete(RegistrationAttempt).where(RegistrationAttempt.telegram_user_id == telegram_user_id)
    )
    if not accountable:
        await session.execute(
            update(AuditLog).where(AuditLog.actor == f"tg:{telegram_user_id}").values(actor=DELETED_ACTOR)
        )
    await session.flush()
    account = await session.execute(delete(TelegramAccount).where(TelegramAccount.id == telegram_user_id))
    # Logged after the unlinking (a coordinator's role change included); the id itself is not kept.
    session.add(
        AuditLog(
            actor=DELETED_ACTOR,
            action="privacy.account_deleted",
            detail={
                "member_id": member.id if member is not None else None,
                "coordinator_unlinked": unlinked.rowcount > 0,  # type: ignore[attr-defined]
            },
        )
    )
    await session.flush()
    return Erased(
        member_name=member.name if member is not None else None,
        coordinator_unlinked=unlinked.rowcount > 0,  # type: ignore[attr-defined]
        account_deleted=account.rowcount > 0,  # type: ignore[attr-defined]
        deliveries=deliveries,
        registration_attempts=attempts.rowcount,  # type: ignore[attr-defined]
        in_flight=in_flight,
    )
