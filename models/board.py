"""Projector links of the live board: a secret per link (stored as its hash), valid for one day, revocable."""

from datetime import datetime

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class BoardLink(Base):
    """A link a coordinator made with /papan: whoever holds it sees that coordinator's board until it expires."""

    __tablename__ = "board_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    # SHA-256 of the secret in the link (hex): the database never holds a working link.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    telegram_user_id: Mapped[int] = mapped_column(BigInteger, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
