"""People: Telegram accounts, roster members, coordinators, failed registrations and the audit log."""

import enum
from datetime import datetime

from sqlalchemy import JSON, BigInteger, Boolean, Enum, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow
from models.wilayah import Desa, Kecamatan


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    return Enum(cls, name=name, native_enum=False, values_callable=lambda e: [m.value for m in e])


class Position(enum.StrEnum):
    """A roster member's position (jabatan)."""

    KETUA = "ketua"
    ANGGOTA = "anggota"
    PPK = "ppk"
    # Someone only on a desa's next-level roster (the cascade): their roles are in CascadeMember.
    PANTARLIH = "pantarlih"
    KPPS = "kpps"


# The positions of the KPU's own roster (PPS and PPK): every PPS-level feature counts only these.
ROSTER_POSITIONS = (Position.KETUA, Position.ANGGOTA, Position.PPK)
# The PPS of a desa: the coordinators of its cascade.
PPS_POSITIONS = (Position.KETUA, Position.ANGGOTA)


class RegistrationFailure(enum.StrEnum):
    """Why a registration attempt was refused."""

    NOT_ON_ROSTER = "not_on_roster"
    LINKED_TO_OTHER_ACCOUNT = "linked_to_other_account"


class TelegramAccount(Base):
    """A Telegram user who has talked to the bot: language choice, verified phone, reachability."""

    __tablename__ = "telegram_account"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    first_name: Mapped[str] = mapped_column(String(256), default="")
    language: Mapped[str | None] = mapped_column(String(8))
    verified_phone: Mapped[str | None] = mapped_column(String(20))
    reachable: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Member(Base):
    """A person on a roster: a PPS member of one desa, a PPK member of one kecamatan, or (position pantarlih
    or kpps) someone only on a desa's next-level roster. One row per phone: a PPS who is also a Pantarlih
    keeps their PPS position and gains a CascadeMember row."""

    __tablename__ = "member"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[Position] = mapped_column(_enum(Position, "position"))
    kecamatan_id: Mapped[int] = mapped_column(ForeignKey("kecamatan.id"), index=True)
    desa_id: Mapped[int | None] = mapped_column(ForeignKey("desa.id"), index=True)
    phone: Mapped[str] = mapped_column(String(20), unique=True)
    telegram_user_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("telegram_account.id"), unique=True
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    registered_at: Mapped[datetime | None]
    # When the member removed their Telegram account with /hapus (recaps say "akun dihapus"); cleared when
    # they register again.
    account_deleted_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    kecamatan: Mapped[Kecamatan] = relationship(lazy="raise")
    desa: Mapped[Desa | None] = relationship(lazy="raise")
    account: Mapped[TelegramAccount | None] = relationship(lazy="raise")


class Coordinator(Base):
    """A coordinator grant: KPU staff (regency-wide, no kecamatan) or PPK (one kecamatan)."""

    __tablename__ = "coordinator"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(20), unique=True)
    kecamatan_id: Mapped[int | None] = mapped_column(ForeignKey("kecamatan.id"))
    telegram_user_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("telegram_account.id"), unique=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    kecamatan: Mapped[Kecamatan | None] = relationship(lazy="raise")


class RegistrationAttempt(Base):
    """A refused registration, kept for coordinators to review."""

    __tablename__ = "registration_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_user_id: Mapped[int] = mapped_column(BigInteger, index=True)
    first_name: Mapped[str] = mapped_column(String(256), default="")
    phone: Mapped[str] = mapped_column(String(32))
    reason: Mapped[RegistrationFailure] = mapped_column(_enum(RegistrationFailure, "registration_failure"))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditLog(Base):
    """Who did what, when: every change a coordinator or a command-line operator makes."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(100))
    detail: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    note: Mapped[str | None] = mapped_column(Text)
