"""Bimtek training sessions (one venue per kecamatan) and check-ins."""

import enum
from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Enum, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow
from models.people import Member
from models.wilayah import Kecamatan


class CheckInMethod(enum.StrEnum):
    """How a member proved presence."""

    QR = "qr"
    CODE = "code"
    LOCATION = "location"
    MANUAL = "manual"


class TrainingSession(Base):
    """One kecamatan's Bimtek: venue, times, check-in window and the secret its rotating codes come from."""

    __tablename__ = "training_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    kecamatan_id: Mapped[int] = mapped_column(ForeignKey("kecamatan.id"), unique=True)
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
