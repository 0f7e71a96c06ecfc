"""Registration: a shared contact proves a phone number, which is matched to the roster and linked."""

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from bot.core.identity import CoordinatorScope, MemberView, coordinator_scope, member_view
from bot.core.phones import InvalidPhoneNumber, to_e164
from models import AuditLog, Coordinator, Member, RegistrationAttempt, RegistrationFailure, TelegramAccount
from models.base import utcnow


class RegistrationError(Exception):
    """A registration step was refused; subclasses say why."""


class ContactWithoutUser(RegistrationError):
    """A contact card not tied to a Telegram account proves nothing."""


class ForeignContact(RegistrationError):
    """Someone shared another person's contact card."""


class InvalidPhone(RegistrationError):
    """The shared number is not a valid phone number."""

    def __init__(self, phone: str) -> None:
        super().__init__(phone)
        self.phone = phone


class NotOnRoster(RegistrationError):
    """The number is on neither the roster nor the coordinator list."""

    def __init__(self, phone: str) -> None:
        super().__init__(phone)
        self.phone = phone


class LinkedToOtherAccount(RegistrationError):
    """The roster entry with this number is already linked to another Telegram account."""

    def __init__(self, phone: str) -> None:
        super().__init__(phone)
        self.phone = phone


class AlreadyRegistered(RegistrationError):
    """This Telegram account is already linked to a roster member."""

    def __init__(self, member: MemberView) -> None:
        super().__init__(member.name)
        self.member = member


class ConfirmationExpired(RegistrationError):
    """The confirmation button no longer matches the number this account proved."""


@dataclass(frozen=True)
class RegistrationMatch:
    """What a proven phone number matched: a roster member, a coordinator grant, or both."""

    phone: str
    member: MemberView | None
    coordinator: CoordinatorScope | None


async def _member_by(session: AsyncSession, *criteria: object) -> Member | None:
    return await session.scalar(
        select(Member)
        .options(joinedload(Member.kecamatan), joinedload(Member.desa))
        .where(Member.active.is_(True), *criteria)  # type: ignore[arg-type]
    )


async def _coordinator_by_phone(session: AsyncSession, phone: str) -> Coordinator | None:
    return await session.scalar(
        select(Coordinator).options(joinedload(Coordinator.kecamatan)).where(Coordinator.phone == phone)
    )


async def _record_failure(
    session: AsyncSession,
    account: TelegramAccount,
    phone: str,
    reason: RegistrationFailure,
    member_id: int | None = None,
) -> None:
    session.add(
        RegistrationAttempt(
            telegram_user_id=account.id,
            first_name=account.first_name,
            phone=phone,
            reason=reason,
            member_id=member_id,
        )
    )
    await session.flush()


async def registered_member(session: AsyncSession, telegram_user_id: int) -> MemberView | None:
    """The roster member this account is linked to, if any."""
    member = await _member_by(session, Member.telegram_user_id == telegram_user_id)
    return member_view(member) if member is not None else None


async def verify_contact(
    session: AsyncSession,
    account: TelegramAccount,
    *,
    contact_user_id: int | None,
    contact_phone: str,
) -> RegistrationMatch:
    """Check a shared contact and match its number; the account remembers the proven number.

    Refusals that a coordinator should review (not on the roster, linked to someone else) are
    recorded before the error is raised, so the caller must still commit.
    """
    if contact_user_id is None:
        raise ContactWithoutUser()
    if contact_user_id != account.id:
        raise ForeignContact()
    already = await registered_member(session, account.id)
    if already is not None:
        raise AlreadyRegistered(already)
    try:
        phone = to_e164(contact_phone)
    except InvalidPhoneNumber:
        raise InvalidPhone(contact_phone) from None
    account.verified_phone = phone

    member = await _member_by(session, Member.phone == phone)
    coordinator = await _coordinator_by_phone(session, phone)
    if member is not None and member.telegram_user_id not in (None, account.id):
        await _record_failure(session, account, phone, RegistrationFailure.LINKED_TO_OTHER_ACCOUNT, member.id)
        raise LinkedToOtherAccount(phone)
    if member is None and coordinator is None:
        await _record_failure(session, account, phone, RegistrationFailure.NOT_ON_ROSTER)
        raise NotOnRoster(phone)
    if member is None and coordinator is not None and coordinator.telegram_user_id not in (None, account.id):
        await _record_failure(session, account, phone, RegistrationFailure.LINKED_TO_OTHER_ACCOUNT)
        raise LinkedToOtherAccount(phone)
    await session.flush()
    return RegistrationMatch(
        phone=phone,
        member=member_view(member) if member is not None else None,
        coordinator=coordinator_scope(coordinator) if coordinator is not None else None,
    )


async def confirm_registration(
    session: AsyncSession, telegram_user_id: int, member_id: int | None
) -> RegistrationMatch:
    """Link the account to the roster entry it proved; the button's member id is checked, never trusted."""
    account = await session.get(TelegramAccount, telegram_user_id)
    if account is None or account.verified_phone is None:
        raise ConfirmationExpired()
    already = await registered_member(session, telegram_user_id)
    if already is not None:
        raise AlreadyRegistered(already)
    phone = account.verified_phone
    member = await _member_by(session, Member.phone == phone)
    if (member.id if member is not None else None) != member_id:
        raise ConfirmationExpired()
    now = utcnow()
    if member is not None:
        # A conditional update: of two accounts confirming the same entry at once, only one wins.
        linked = await session.execute(
            update(Member)
            .where(Member.id == member.id, Member.telegram_user_id.is_(None))
            .values(telegram_user_id=telegram_user_id, registered_at=now, account_deleted_at=None)
        )
        if linked.rowcount != 1:  # type: ignore[attr-defined]
            await _record_failure(
                session, account, phone, RegistrationFailure.LINKED_TO_OTHER_ACCOUNT, member.id
            )
            raise LinkedToOtherAccount(phone)
    coordinator = await _coordinator_by_phone(session, phone)
    if coordinator is not None and coordinator.telegram_user_id is None:
        coordinator.telegram_user_id = telegram_user_id
    elif coordinator is not None and coordinator.telegram_user_id != telegram_user_id:
        coordinator = None
    if member is None and coordinator is None:
        raise ConfirmationExpired()
    session.add(
        AuditLog(
            actor=f"tg:{telegram_user_id}",
            action="registration.linked",
            detail={"member_id": member.id if member else None, "coordinator": coordinator is not None},
        )
    )
    await session.flush()
    return RegistrationMatch(
        phone=phone,
        member=member_view(member) if member is not None else None,
        coordinator=coordinator_scope(coordinator) if coordinator is not None else None,
    )
