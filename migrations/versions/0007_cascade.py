"""the cascade: next-level roster per desa (Pantarlih, KPPS), desa sessions owned by a desa and a level

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 01:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_POSITIONS = ("ketua", "anggota", "ppk")
NEW_POSITIONS = ("ketua", "anggota", "ppk", "pantarlih", "kpps")


def upgrade() -> None:
    with op.batch_alter_table("member", schema=None) as batch_op:
        # "pantarlih" is longer than the longest position before it (the enum column is a VARCHAR).
        batch_op.alter_column(
            "position",
            existing_type=sa.Enum(*OLD_POSITIONS, name="position", native_enum=False),
            type_=sa.Enum(*NEW_POSITIONS, name="position", native_enum=False),
            existing_nullable=False,
        )
    op.create_table(
        "cascade_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("desa_id", sa.Integer(), nullable=False),
        sa.Column("kecamatan_id", sa.Integer(), nullable=False),
        sa.Column(
            "role", sa.Enum("pantarlih", "kpps", name="cascade_role", native_enum=False), nullable=False
        ),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("tps", sa.String(length=10), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["desa_id"], ["desa.id"], name=op.f("fk_cascade_member_desa_id_desa")),
        sa.ForeignKeyConstraint(
            ["kecamatan_id"], ["kecamatan.id"], name=op.f("fk_cascade_member_kecamatan_id_kecamatan")
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name=op.f("fk_cascade_member_member_id_member")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cascade_member")),
        sa.UniqueConstraint("member_id", "role", name=op.f("uq_cascade_member_member_id_role")),
    )
    with op.batch_alter_table("cascade_member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cascade_member_desa_id"), ["desa_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cascade_member_kecamatan_id"), ["kecamatan_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cascade_member_member_id"), ["member_id"], unique=False)

    with op.batch_alter_table("training_session", schema=None) as batch_op:
        batch_op.drop_constraint("uq_training_session_kecamatan_id", type_="unique")
        batch_op.add_column(sa.Column("desa_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("level", sa.String(length=16), server_default="pps", nullable=False))
        batch_op.add_column(sa.Column("created_by", sa.BigInteger(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_training_session_desa_id_desa"), "desa", ["desa_id"], ["id"]
        )
        batch_op.create_index(batch_op.f("ix_training_session_desa_id"), ["desa_id"], unique=False)
        batch_op.create_unique_constraint(
            batch_op.f("uq_training_session_desa_id_level"), ["desa_id", "level"]
        )
    # One KPU session per kecamatan, as before; a desa's sessions are not counted in it.
    op.create_index(
        "uq_training_session_kecamatan_pps",
        "training_session",
        ["kecamatan_id"],
        unique=True,
        sqlite_where=sa.text("desa_id IS NULL"),
        postgresql_where=sa.text("desa_id IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("uq_training_session_kecamatan_pps", table_name="training_session")
    op.execute(
        "DELETE FROM check_in WHERE session_id IN (SELECT id FROM training_session WHERE desa_id IS NOT NULL)"
    )
    op.execute("DELETE FROM training_session WHERE desa_id IS NOT NULL")
    with op.batch_alter_table("training_session", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_training_session_desa_id_level"), type_="unique")
        batch_op.drop_index(batch_op.f("ix_training_session_desa_id"))
        batch_op.drop_constraint(batch_op.f("fk_training_session_desa_id_desa"), type_="foreignkey")
        batch_op.drop_column("created_by")
        batch_op.drop_column("level")
        batch_op.drop_column("desa_id")
        batch_op.create_unique_constraint("uq_training_session_kecamatan_id", ["kecamatan_id"])
    op.drop_table("cascade_member")
    op.execute(
        "UPDATE member SET active = false, position = 'anggota' WHERE position IN ('pantarlih', 'kpps')"
    )
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.alter_column(
            "position",
            existing_type=sa.Enum(*NEW_POSITIONS, name="position", native_enum=False),
            type_=sa.Enum(*OLD_POSITIONS, name="position", native_enum=False),
            existing_nullable=False,
        )
