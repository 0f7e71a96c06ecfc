"""several processes on one PostgreSQL: the claim owner of a delivery, the shared send budget

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 01:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("delivery") as batch:
        batch.add_column(sa.Column("claimed_by", sa.Integer(), nullable=True))
        batch.create_index("ix_delivery_status_claimed_by", ["status", "claimed_by"], unique=False)
    op.create_table(
        "send_budget",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("next_slot", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_send_budget")),
    )


def downgrade() -> None:
    op.drop_table("send_budget")
    with op.batch_alter_table("delivery") as batch:
        batch.drop_index("ix_delivery_status_claimed_by")
        batch.drop_column("claimed_by")
