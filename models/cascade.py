"""The cascade: the next level of people (Pantarlih, KPPS with their TPS) on a roster per desa."""

import enum
from datetime import datetime

from sqlalchemy import Boolean, Enum, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow
from models.people import Member
from models.wilayah import Desa


class CascadeRole(enum.StrEnum):
    """A role of the next level, trained by the desa's PPS (also the level of a desa's session)."""

    PANTARLIH = "pantarlih"
    KPPS = "kpps"


class CascadeMember(Base):
    """One next-level role of a person (a Member row, found by phone) on one desa's roster."""

    __tablename__ = "cascade_member"
    __table_args__ = (UniqueConstraint("member_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    desa_id: Mapped[int] = mapped_column(ForeignKey("desa.id"), index=True)
    kecamatan_id: Mapped[int] = mapped_column(ForeignKey("kecamatan.id"), index=True)
    role: Mapped[CascadeRole] = mapped_column(
        Enum(
            CascadeRole,
            name="cascade_role",
            native_enum=False,
            values_callable=lambda e: [m.value for m in e],
        )
    )
    # The name as the desa's roster writes it (the Member row keeps the KPU roster's name for a PPS).
    name: Mapped[str] = mapped_column(String(200))
    tps: Mapped[str | None] = mapped_column(String(10))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    member: Mapped[Member] = relationship(lazy="raise")
    desa: Mapped[Desa] = relationship(lazy="raise")
