"""Who is talking to the bot: their Telegram account, roster record, coordinator scope and language."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from bot.core.scope import REGENCY, CoordinatorScope, DesaScope
from bot.texts import normalize_language
from models import PPS_POSITIONS, Coordinator, Member, Position, TelegramAccount


@dataclass(frozen=True)
class MemberView:
    """A roster member as the bot shows them."""

    id: int
    name: str
    position: Position
    kecamatan_id: int
    kecamatan: str
    desa_id: int | None
    desa: str | None
    phone: str
    registered_at: datetime | None


@dataclass(frozen=True)
class Identity:
    """Everything a handler needs to know about the person behind an update."""

    telegram_user_id: int
    language: str
    member: MemberView | None
    coordinator: CoordinatorScope | None

    @property
    def registered(self) -> bool:
        return self.member is not None or self.coordinator is not None

    @property
    def desa_scope(self) -> DesaScope | None:
        """The desa whose next level this person coordinates: a PPS member's own (None for anyone else)."""
        member = self.member
        if member is None or member.position not in PPS_POSITIONS or member.desa_id is None:
            return None
        return DesaScope(member.desa_id, member.desa or "", member.kecamatan_id, member.kecamatan)


def member_view(member: Member) -> MemberView:
    """Plain data of a member loaded with its kecamatan and desa."""
    return MemberView(
        id=member.id,
        name=member.name,
        position=member.position,
        kecamatan_id=member.kecamatan_id,
        kecamatan=member.kecamatan.name,
        desa_id=member.desa_id,
        desa=member.desa.name if member.desa is not None else None,
        phone=member.phone,
        registered_at=member.registered_at,
    )


def coordinator_scope(coordinator: Coordinator) -> CoordinatorScope:
    """Plain data of a coordinator grant loaded with its kecamatan."""
    if coordinator.kecamatan is None:
        return REGENCY
    return CoordinatorScope(kecamatan_id=coordinator.kecamatan_id, kecamatan=coordinator.kecamatan.name)


async def account_is_current(session: AsyncSession, telegram_user_id: int) -> bool:
    """Whether the person's account exists and is marked reachable (so touch_account has nothing to do)."""
    reachable = await session.scalar(
        select(TelegramAccount.reachable).where(TelegramAccount.id == telegram_user_id)
    )
    return bool(reachable)


async def touch_account(
    session: AsyncSession, telegram_user_id: int, first_name: str, language_code: str | None
) -> TelegramAccount:
    """The person's account row, created on first contact with the language Telegram reports for them."""
    account = await session.get(TelegramAccount, telegram_user_id)
    if account is None:
        account = TelegramAccount(
            id=telegram_user_id,
            first_name=first_name[:256],
            language=normalize_language(language_code) if language_code else None,
            reachable=True,
        )
        session.add(account)
        await session.flush()
    elif not account.reachable:
        # They wrote to us, so they have (re)started the bot and can be messaged again.
        account.reachable = True
    return account


async def identify(
    session: AsyncSession,
    telegram_user_id: int,
    *,
    admins: frozenset[int],
    default_language: str,
) -> Identity:
    """Look up the person behind a Telegram user id (admins from the config are regency coordinators)."""
    account = await session.get(TelegramAccount, telegram_user_id)
    member = await session.scalar(
        select(Member)
        .options(joinedload(Member.kecamatan), joinedload(Member.desa))
        .where(Member.telegram_user_id == telegram_user_id, Member.active.is_(True))
    )
    coordinator = await session.scalar(
        select(Coordinator)
        .options(joinedload(Coordinator.kecamatan))
        .where(Coordinator.telegram_user_id == telegram_user_id)
    )
    scope = coordinator_scope(coordinator) if coordinator is not None else None
    if telegram_user_id in admins:
        scope = REGENCY
    language = account.language if account is not None and account.language else default_language
    return Identity(
        telegram_user_id=telegram_user_id,
        language=normalize_language(language),
        member=member_view(member) if member is not None else None,
        coordinator=scope,
    )


async def set_language(session: AsyncSession, telegram_user_id: int, language: str) -> str:
    """Remember the person's language choice; returns the language actually stored."""
    account = await session.get(TelegramAccount, telegram_user_id)
    if account is None:
        account = TelegramAccount(id=telegram_user_id, first_name="", reachable=True)
        session.add(account)
    account.language = normalize_language(language)
    await session.flush()
    return account.language
