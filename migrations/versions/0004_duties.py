"""duties and duty status; duty reminders on broadcasts

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 18:21:33.693542
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "duty",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_key", sa.String(length=64), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("link", sa.String(length=400), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("audience", sa.JSON(), nullable=False),
        sa.Column(
            "completion", sa.Enum("member", "desa", name="duty_completion", native_enum=False), nullable=False
        ),
        sa.Column("reminders", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.Column("creator_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("digest_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duty")),
        sa.UniqueConstraint("plan_key", name=op.f("uq_duty_plan_key")),
    )
    with op.batch_alter_table("duty", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_duty_due_at"), ["due_at"], unique=False)

    op.create_table(
        "duty_status",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("duty_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("snoozed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["duty_id"], ["duty.id"], name=op.f("fk_duty_status_duty_id_duty")),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"], name=op.f("fk_duty_status_member_id_member")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duty_status")),
        sa.UniqueConstraint("duty_id", "member_id", name=op.f("uq_duty_status_duty_id_member_id")),
    )
    with op.batch_alter_table("duty_status", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_duty_status_member_id"), ["member_id"], unique=False)

    with op.batch_alter_table("broadcast", schema=None) as batch_op:
        batch_op.add_column(sa.Column("duty_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("bodies", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("buttons", sa.JSON(), nullable=True))
        batch_op.create_index(batch_op.f("ix_broadcast_duty_id"), ["duty_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_broadcast_duty_id_duty"), "duty", ["duty_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("broadcast", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_broadcast_duty_id_duty"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_broadcast_duty_id"))
        batch_op.drop_column("buttons")
        batch_op.drop_column("bodies")
        batch_op.drop_column("duty_id")

    with op.batch_alter_table("duty_status", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_duty_status_member_id"))

    op.drop_table("duty_status")
    with op.batch_alter_table("duty", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_duty_due_at"))

    op.drop_table("duty")
