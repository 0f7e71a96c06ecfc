"""personal data: check-ins keep the distance (and within the radius), not coordinates; deleted accounts

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 01:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("check_in", schema=None) as batch_op:
        batch_op.add_column(sa.Column("within_radius", sa.Boolean(), nullable=True))
    # Location check-ins were only ever accepted within the radius; the others carry no distance.
    check_in = sa.table(
        "check_in", sa.column("distance_m", sa.Float()), sa.column("within_radius", sa.Boolean())
    )
    op.execute(check_in.update().where(check_in.c.distance_m.is_not(None)).values(within_radius=True))
    with op.batch_alter_table("check_in", schema=None) as batch_op:
        batch_op.drop_column("latitude")
        batch_op.drop_column("longitude")
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.add_column(sa.Column("account_deleted_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    # The coordinates are gone for good: the columns come back empty.
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_column("account_deleted_at")
    with op.batch_alter_table("check_in", schema=None) as batch_op:
        batch_op.add_column(sa.Column("latitude", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("longitude", sa.Float(), nullable=True))
        batch_op.drop_column("within_radius")
