"""'Sudah dibaca': acknowledgement requested on broadcasts, its reminder, and the time each recipient acknowledged

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 01:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("broadcast", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("ack_requested", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("ack_reminder_of", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_broadcast_ack_reminder_of"), ["ack_reminder_of"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_broadcast_ack_reminder_of_broadcast"), "broadcast", ["ack_reminder_of"], ["id"]
        )
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.add_column(sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.drop_column("acknowledged_at")
    with op.batch_alter_table("broadcast", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_broadcast_ack_reminder_of_broadcast"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_broadcast_ack_reminder_of"))
        batch_op.drop_column("ack_reminder_of")
        batch_op.drop_column("ack_requested")
