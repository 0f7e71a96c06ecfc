"""Coordinator grants: KPU staff for the whole regency, or PPK for one kecamatan, keyed by phone."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.phones import InvalidPhoneNumber, to_e164
from bot.core.regions import KecamatanNotFound, KecamatanRef, load_wilayah_index, resolve_kecamatan
from models import AuditLog, Coordinator, Kecamatan


class CoordinatorError(Exception):
    """A coordinator grant was refused; nothing was written."""


class InvalidCoordinatorPhone(CoordinatorError):
    """The phone number cannot be read as a phone number."""

    def __init__(self, raw: str) -> None:
        super().__init__(raw)
        self.raw = raw


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
    telegram_user_id: int | None


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
    try:
        phone = to_e164(phone_raw)
    except InvalidPhoneNumber as exc:
        raise InvalidCoordinatorPhone(phone_raw) from exc
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
    """Every coordinator, regency-wide first, then by kecamatan name and phone."""
    result = await session.execute(
        select(Coordinator.phone, Kecamatan.code, Kecamatan.name, Coordinator.telegram_user_id)
        .outerjoin(Kecamatan, Kecamatan.id == Coordinator.kecamatan_id)
        .order_by(Kecamatan.name.is_not(None), Kecamatan.name, Coordinator.phone)
    )
    return [CoordinatorInfo(phone, code, name, user_id) for phone, code, name, user_id in result]
