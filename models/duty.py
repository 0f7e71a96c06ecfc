"""Duties after the Bimtek (title, due time, audience, reminders) and each member's done/snoozed state."""

import enum
from datetime import datetime

from sqlalchemy import JSON, BigInteger, Boolean, Enum, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    return Enum(cls, name=name, native_enum=False, values_callable=lambda e: [m.value for m in e])


class DutyCompletion(enum.StrEnum):
    """Who a duty is done by: each member for themselves, or once for the whole desa (any of its PPS)."""

    MEMBER = "member"
    DESA = "desa"


class Duty(Base):
    """A task PPS members carry after the Bimtek, with a due time; from the plan file or a coordinator."""

    __tablename__ = "duty"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The [[duty]] key in the plan file (re-imports update the same duty); None for /tugas_baru duties.
    plan_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str | None] = mapped_column(String(400))
    due_at: Mapped[datetime] = mapped_column(index=True)
    # An audience filter (bot.broadcasts.audience.Audience JSON): kind pps or ketua, and the kecamatan (empty = all).
    audience: Mapped[dict[str, object]] = mapped_column(JSON)
    completion: Mapped[DutyCompletion] = mapped_column(_enum(DutyCompletion, "duty_completion"))
    # Reminder specs as written ("7d", "1d", "07:00", "now"); their broadcasts carry duty_id.
    reminders: Mapped[list[str]] = mapped_column(JSON, default=list)
    # False once the plan file no longer lists it: kept for the record, no longer shown or reminded.
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[int | None] = mapped_column(BigInteger)
    creator_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    digest_sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class DutyStatus(Base):
    """One member's state of one duty: done (when, and so who, for a per-desa duty) and snoozed until."""

    __tablename__ = "duty_status"
    __table_args__ = (UniqueConstraint("duty_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    duty_id: Mapped[int] = mapped_column(ForeignKey("duty.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    done_at: Mapped[datetime | None]
    snoozed_until: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
