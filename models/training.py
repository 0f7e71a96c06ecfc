"""Bimtek training sessions (one venue per kecamatan) and check-ins."""

import enum
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow
from models.people import Member
from models.wilayah import Desa, Kecamatan

# The level of the kecamatan Bimtek the KPU plans for its PPS; a desa's session has its cascade role's level.
PPS_LEVEL = "pps"


class CheckInMethod(enum.StrEnum):
    """How a member proved presence."""

    QR = "qr"
    CODE = "code"
    LOCATION = "location"
    MANUAL = "manual"


class TrainingSession(Base):
    """A Bimtek: venue, times, check-in window and the secret its rotating codes come from.

    The KPU's session of a kecamatan for its PPS (desa_id None, level "pps", one per kecamatan), or a desa's
    session its PPS run for the next level (desa_id set, level "pantarlih" or "kpps", one per desa and level).
    """

    __tablename__ = "training_session"
    __table_args__ = (
        UniqueConstraint("desa_id", "level"),
        Index(
            "uq_training_session_kecamatan_pps",
            "kecamatan_id",
            unique=True,
            sqlite_where=text("desa_id IS NULL"),
            postgresql_where=text("desa_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kecamatan_id: Mapped[int] = mapped_column(ForeignKey("kecamatan.id"))
    desa_id: Mapped[int | None] = mapped_column(ForeignKey("desa.id"), index=True)
    level: Mapped[str] = mapped_column(String(16), default=PPS_LEVEL, server_default=PPS_LEVEL)
    created_by: Mapped[int | None] = mapped_column(BigInteger)
    venue: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(400), default="")
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    radius_m: Mapped[int | None] = mapped_column(Integer)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    checkin_opens_at: Mapped[datetime]
    checkin_closes_at: Mapped[datetime]
    secret: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    kecamatan: Mapped[Kecamatan] = relationship(lazy="raise")
    desa: Mapped[Desa | None] = relationship(lazy="raise")


class CheckIn(Base):
    """A member's presence at a session; at most one per member and session."""

    __tablename__ = "check_in"
    __table_args__ = (UniqueConstraint("session_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_session.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    method: Mapped[CheckInMethod] = mapped_column(
        Enum(
            CheckInMethod,
            name="check_in_method",
            native_enum=False,
            values_callable=lambda e: [m.value for m in e],
        )
    )
    # Data minimisation (UU PDP): the distance from the venue and whether it was within the radius, never
    # the member's coordinates; None for a check-in without a location (code, QR without radius, manual).
    distance_m: Mapped[float | None] = mapped_column(Float)
    within_radius: Mapped[bool | None] = mapped_column(Boolean)
    recorded_by: Mapped[int | None] = mapped_column(BigInteger)
    reason: Mapped[str | None] = mapped_column(Text)

    member: Mapped[Member] = relationship(lazy="raise")
    session: Mapped[TrainingSession] = relationship(lazy="raise")
