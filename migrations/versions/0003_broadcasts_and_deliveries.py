"""broadcasts and deliveries

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 17:49:44.409315
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "broadcast",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.Column("creator_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("media_kind", sa.String(length=16), nullable=True),
        sa.Column("media_file_id", sa.String(length=256), nullable=True),
        sa.Column("audience", sa.JSON(), nullable=False),
        sa.Column("send_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "scheduled",
                "sending",
                "done",
                "cancelled",
                "missed",
                "failed",
                name="broadcast_status",
                native_enum=False,
            ),
            nullable=False,
        ),
        sa.Column("include_late", sa.Boolean(), nullable=False),
        sa.Column("program_key", sa.String(length=200), nullable=True),
        sa.Column("progress_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("progress_message_id", sa.Integer(), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("resent_after_crash", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_broadcast")),
        sa.UniqueConstraint("program_key", name=op.f("uq_broadcast_program_key")),
    )
    with op.batch_alter_table("broadcast", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_broadcast_send_at"), ["send_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_broadcast_status"), ["status"], unique=False)

    op.create_table(
        "delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("broadcast_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "sending",
                "sent",
                "blocked",
                "failed",
                "cancelled",
                name="delivery_status",
                native_enum=False,
            ),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("telegram_message_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["broadcast_id"], ["broadcast.id"], name=op.f("fk_delivery_broadcast_id_broadcast")
        ),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"], name=op.f("fk_delivery_member_id_member")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery")),
        sa.UniqueConstraint("broadcast_id", "member_id", name=op.f("uq_delivery_broadcast_id_member_id")),
    )
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.create_index("ix_delivery_broadcast_status", ["broadcast_id", "status"], unique=False)
        batch_op.create_index(batch_op.f("ix_delivery_member_id"), ["member_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_delivery_member_id"))
        batch_op.drop_index("ix_delivery_broadcast_status")

    op.drop_table("delivery")
    with op.batch_alter_table("broadcast", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_broadcast_status"))
        batch_op.drop_index(batch_op.f("ix_broadcast_send_at"))

    op.drop_table("broadcast")
