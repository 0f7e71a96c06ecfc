"""board links: the live board's projector links (/papan)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 01:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "board_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("telegram_user_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_board_link")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_board_link_token_hash")),
    )
    with op.batch_alter_table("board_link", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_board_link_telegram_user_id"), ["telegram_user_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("board_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_board_link_telegram_user_id"))
    op.drop_table("board_link")
