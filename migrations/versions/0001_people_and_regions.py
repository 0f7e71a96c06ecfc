"""people and regions

Revision ID: 0001
Revises:
Create Date: 2026-11-27 17:31:27.252330
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=100), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)

    op.create_table(
        "kecamatan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kecamatan")),
        sa.UniqueConstraint("code", name=op.f("uq_kecamatan_code")),
    )
    op.create_table(
        "telegram_account",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("first_name", sa.String(length=256), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("verified_phone", sa.String(length=20), nullable=True),
        sa.Column("reachable", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_telegram_account")),
    )
    op.create_table(
        "coordinator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("kecamatan_id", sa.Integer(), nullable=True),
        sa.Column("telegram_user_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["kecamatan_id"], ["kecamatan.id"], name=op.f("fk_coordinator_kecamatan_id_kecamatan")
        ),
        sa.ForeignKeyConstraint(
            ["telegram_user_id"],
            ["telegram_account.id"],
            name=op.f("fk_coordinator_telegram_user_id_telegram_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coordinator")),
        sa.UniqueConstraint("phone", name=op.f("uq_coordinator_phone")),
        sa.UniqueConstraint("telegram_user_id", name=op.f("uq_coordinator_telegram_user_id")),
    )
    op.create_table(
        "desa",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.Enum("desa", "kelurahan", name="desa_kind", native_enum=False), nullable=False),
        sa.Column("kecamatan_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["kecamatan_id"], ["kecamatan.id"], name=op.f("fk_desa_kecamatan_id_kecamatan")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_desa")),
        sa.UniqueConstraint("code", name=op.f("uq_desa_code")),
    )
    with op.batch_alter_table("desa", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_desa_kecamatan_id"), ["kecamatan_id"], unique=False)

    op.create_table(
        "member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "position", sa.Enum("ketua", "anggota", "ppk", name="position", native_enum=False), nullable=False
        ),
        sa.Column("kecamatan_id", sa.Integer(), nullable=False),
        sa.Column("desa_id", sa.Integer(), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("telegram_user_id", sa.BigInteger(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["desa_id"], ["desa.id"], name=op.f("fk_member_desa_id_desa")),
        sa.ForeignKeyConstraint(
            ["kecamatan_id"], ["kecamatan.id"], name=op.f("fk_member_kecamatan_id_kecamatan")
        ),
        sa.ForeignKeyConstraint(
            ["telegram_user_id"],
            ["telegram_account.id"],
            name=op.f("fk_member_telegram_user_id_telegram_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member")),
        sa.UniqueConstraint("phone", name=op.f("uq_member_phone")),
        sa.UniqueConstraint("telegram_user_id", name=op.f("uq_member_telegram_user_id")),
    )
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_member_desa_id"), ["desa_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_member_kecamatan_id"), ["kecamatan_id"], unique=False)

    op.create_table(
        "registration_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("telegram_user_id", sa.BigInteger(), nullable=False),
        sa.Column("first_name", sa.String(length=256), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=False),
        sa.Column(
            "reason",
            sa.Enum(
                "not_on_roster", "linked_to_other_account", name="registration_failure", native_enum=False
            ),
            nullable=False,
        ),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name=op.f("fk_registration_attempt_member_id_member")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration_attempt")),
    )
    with op.batch_alter_table("registration_attempt", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_registration_attempt_telegram_user_id"), ["telegram_user_id"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("registration_attempt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_registration_attempt_telegram_user_id"))

    op.drop_table("registration_attempt")
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_member_kecamatan_id"))
        batch_op.drop_index(batch_op.f("ix_member_desa_id"))

    op.drop_table("member")
    with op.batch_alter_table("desa", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_desa_kecamatan_id"))

    op.drop_table("desa")
    op.drop_table("coordinator")
    op.drop_table("telegram_account")
    op.drop_table("kecamatan")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))

    op.drop_table("audit_log")
