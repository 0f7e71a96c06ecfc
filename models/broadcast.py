"""Broadcasts (announcements, now or scheduled) and their per-recipient deliveries: the outbox."""

import enum
from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    return Enum(cls, name=name, native_enum=False, values_callable=lambda e: [m.value for m in e])


class BroadcastStatus(enum.StrEnum):
    """Where a broadcast is in its life."""

    SCHEDULED = "scheduled"
    SENDING = "sending"
    DONE = "done"
    CANCELLED = "cancelled"
    MISSED = "missed"
    FAILED = "failed"


class DeliveryStatus(enum.StrEnum):
    """Where one recipient's message is."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    BLOCKED = "blocked"
    FAILED = "failed"
    CANCELLED = "cancelled"


class Broadcast(Base):
    """One announcement to an audience: text (HTML with placeholders) or a photo/document with a caption."""

    __tablename__ = "broadcast"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_by: Mapped[int | None] = mapped_column(BigInteger)
    creator_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    body_html: Mapped[str] = mapped_column(Text)
    media_kind: Mapped[str | None] = mapped_column(String(16))
    media_file_id: Mapped[str | None] = mapped_column(String(256))
    audience: Mapped[dict[str, object]] = mapped_column(JSON)
    send_at: Mapped[datetime] = mapped_column(index=True)
    status: Mapped[BroadcastStatus] = mapped_column(_enum(BroadcastStatus, "broadcast_status"), index=True)
    include_late: Mapped[bool] = mapped_column(Boolean, default=False)
    program_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    progress_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    progress_message_id: Mapped[int | None] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(8), default="id")
    error: Mapped[str | None] = mapped_column(Text)
    resent_after_crash: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    # A duty reminder: its duty, the text per recipient language ({"id": html, "en": html}; body_html is
    # the fallback) and its inline buttons per language ({"id": [[{"text", "callback_data" | "url"}]]}).
    duty_id: Mapped[int | None] = mapped_column(ForeignKey("duty.id"), index=True)
    bodies: Mapped[dict[str, str] | None] = mapped_column(JSON)
    buttons: Mapped[dict[str, list[list[dict[str, str]]]] | None] = mapped_column(JSON)
    # "Sudah dibaca": recipients get a button to acknowledge it (Delivery.acknowledged_at); a reminder to
    # those who have not is its own scheduled broadcast, pointing back here with ack_reminder_of.
    ack_requested: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    ack_reminder_of: Mapped[int | None] = mapped_column(ForeignKey("broadcast.id"), index=True)


class Delivery(Base):
    """One recipient of one broadcast; at most one per member and broadcast."""

    __tablename__ = "delivery"
    __table_args__ = (
        UniqueConstraint("broadcast_id", "member_id"),
        Index("ix_delivery_broadcast_status", "broadcast_id", "status"),
        # The few 'sending' rows and their owners, found without a scan (bot/delivery/owner.py).
        Index("ix_delivery_status_claimed_by", "status", "claimed_by"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    broadcast_id: Mapped[int] = mapped_column(ForeignKey("broadcast.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[DeliveryStatus] = mapped_column(_enum(DeliveryStatus, "delivery_status"))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    telegram_message_id: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    acknowledged_at: Mapped[datetime | None]
    claimed_by: Mapped[int | None] = mapped_column(Integer)
    """The process whose outbox claimed the row while it is 'sending' (its advisory-lock key, PostgreSQL)."""


class TelegramBudget(Base):
    """Telegram's send budget shared by every process on one PostgreSQL: the next free send slot."""

    __tablename__ = "send_budget"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    next_slot: Mapped[datetime]
