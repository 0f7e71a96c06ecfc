"""Coordinator grants: KPU staff for the whole regency, or PPK for one kecamatan, keyed by phone; listed and
revoked by the operator."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.phones import InvalidPhoneNumber, to_e164
from bot.core.regions import KecamatanNotFound, KecamatanRef, load_wilayah_index, resolve_kecamatan
from models import AuditLog, Coordinator, Kecamatan, Member


class CoordinatorError(Exception):
    """A coordinator grant was refused; nothing was written."""


class InvalidCoordinatorPhone(CoordinatorError):
    """The phone number cannot be read as a phone number."""

    def __init__(self, raw: str) -> None:
        super().__init__(raw)
        self.raw = raw


class NoSuchCoordinator(CoordinatorError):
    """No coordinator grant has this phone number (given in E.164)."""

    def __init__(self, phone: str) -> None:
        super().__init__(phone)
        self.phone = phone


class UnknownKecamatan(CoordinatorError):
    """No single kecamatan has this name; `suggestions` are names that look alike."""

    def __init__(self, name: str, suggestions: tuple[str, ...], ambiguous: bool = False) -> None:
        super().__init__(name)
        self.name = name
        self.suggestions = suggestions
        self.ambiguous = ambiguous


@dataclass(frozen=True)
class CoordinatorGrant:
    """The outcome of a grant: the coordinator's scope now and before (None scope = whole regency)."""

    phone: str
    kecamatan_code: str | None
    kecamatan_name: str | None
    created: bool
    changed: bool
    previous_kecamatan_name: str | None
    telegram_user_id: int | None


@dataclass(frozen=True)
class CoordinatorInfo:
    """A coordinator as plain data (kecamatan None = regency-wide)."""

    phone: str
    kecamatan_code: str | None
    kecamatan_name: str | None
    telegram_user_id: int | None  # None = the phone's owner has not signed in with /daftar yet
    name: str | None = None  # from the roster, when the phone is a member's

    @property
    def registered(self) -> bool:
        """True once the phone's owner has signed in to the bot as this coordinator."""
        return self.telegram_user_id is not None


async def _find_kecamatan(session: AsyncSession, name: str) -> KecamatanRef:
    index = await load_wilayah_index(session, with_desa=False)
    try:
        return resolve_kecamatan(index, name)
    except KecamatanNotFound as missing:
        if missing.candidates:
            candidates = tuple(f"{k.name} ({k.code})" for k in missing.candidates)
            raise UnknownKecamatan(name, candidates, ambiguous=True) from None
        raise UnknownKecamatan(name, tuple(k.name for k in missing.suggestions)) from None


async def grant_coordinator(
    session: AsyncSession, *, phone_raw: str, kecamatan_name: str | None, actor: str
) -> CoordinatorGrant:
    """Make the phone's owner a coordinator (regency-wide when kecamatan_name is None); granting again
    replaces the scope. Raises InvalidCoordinatorPhone, UnknownKecamatan or WilayahEmpty; no commit."""
    phone = _phone(phone_raw)
    kecamatan = await _find_kecamatan(session, kecamatan_name) if kecamatan_name is not None else None
    kecamatan_id = kecamatan.id if kecamatan else None

    row = (
        await session.execute(
            select(Coordinator, Kecamatan.name)
            .outerjoin(Kecamatan, Kecamatan.id == Coordinator.kecamatan_id)
            .where(Coordinator.phone == phone)
        )
    ).one_or_none()
    if row is None:
        coordinator = Coordinator(phone=phone, kecamatan_id=kecamatan_id)
        session.add(coordinator)
        created, changed, previous_name = True, True, None
    else:
        coordinator, previous_name = row._tuple()
        created, changed = False, coordinator.kecamatan_id != kecamatan_id
        coordinator.kecamatan_id = kecamatan_id

    session.add(
        AuditLog(
            actor=actor,
            action="coordinator.grant",
            detail={
                "phone": phone,
                "kecamatan_code": kecamatan.code if kecamatan else None,
                "created": created,
                "changed": changed,
                "previous_kecamatan": previous_name,
            },
        )
    )
    await session.flush()
    return CoordinatorGrant(
        phone=phone,
        kecamatan_code=kecamatan.code if kecamatan else None,
        kecamatan_name=kecamatan.name if kecamatan else None,
        created=created,
        changed=changed,
        previous_kecamatan_name=previous_name,
        telegram_user_id=coordinator.telegram_user_id,
    )


async def list_coordinators(session: AsyncSession) -> list[CoordinatorInfo]:
    """Every coordinator, regency-wide first, then by kecamatan name and phone; named from the roster."""
    result = await session.execute(
        select(Coordinator.phone, Kecamatan.code, Kecamatan.name, Coordinator.telegram_user_id, Member.name)
        .outerjoin(Kecamatan, Kecamatan.id == Coordinator.kecamatan_id)
        .outerjoin(Member, Member.phone == Coordinator.phone)
        .order_by(Kecamatan.name.is_not(None), Kecamatan.name, Coordinator.phone)
    )
    return [CoordinatorInfo(*row) for row in result.tuples()]


def _phone(phone_raw: str) -> str:
    try:
        return to_e164(phone_raw)
    except InvalidPhoneNumber as exc:
        raise InvalidCoordinatorPhone(phone_raw) from exc


async def remove_coordinator(session: AsyncSession, *, phone_raw: str, actor: str) -> CoordinatorInfo:
    """Revoke the coordinator role of this phone and write an audit row; returns the grant as it was.

    The person keeps their roster membership (if any); their next update is answered without the role,
    since identity is read from the database on every update. Raises InvalidCoordinatorPhone or
    NoSuchCoordinator; no commit."""
    phone = _phone(phone_raw)
    row = (
        await session.execute(
            select(Coordinator, Kecamatan.code, Kecamatan.name, Member.name)
            .outerjoin(Kecamatan, Kecamatan.id == Coordinator.kecamatan_id)
            .outerjoin(Member, Member.phone == Coordinator.phone)
            .where(Coordinator.phone == phone)
        )
    ).one_or_none()
    if row is None:
        raise NoSuchCoordinator(phone)
    coordinator, code, kecamatan_name, name = row._tuple()
    removed = CoordinatorInfo(phone, code, kecamatan_name, coordinator.telegram_user_id, name)
    await session.delete(coordinator)
    session.add(
        AuditLog(
            actor=actor,
            action="coordinator.remove",
            detail={
                "phone": phone,
                "kecamatan_code": code,
                "telegram_user_id": coordinator.telegram_user_id,
            },
        )
    )
    await session.flush()
    return removed
