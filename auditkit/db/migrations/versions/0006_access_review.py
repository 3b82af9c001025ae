"""access review: workforce, care team, patient relationship columns, review working tables

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-03 19:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("access_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("day", sa.Integer(), nullable=True))
    with op.batch_alter_table("patient", schema=None) as batch_op:
        batch_op.add_column(sa.Column("address", sa.String(length=256), nullable=True))
        batch_op.add_column(sa.Column("postal_code", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("vip", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("deceased_date", sa.Date(), nullable=True))

    op.create_table(
        "workforce",
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("first_name", sa.String(length=128), nullable=True),
        sa.Column("last_name", sa.String(length=128), nullable=False),
        sa.Column("role", sa.String(length=64), nullable=True),
        sa.Column("department", sa.String(length=128), nullable=True),
        sa.Column("npi", sa.String(length=10), nullable=True),
        sa.Column("address", sa.String(length=256), nullable=True),
        sa.Column("postal_code", sa.String(length=16), nullable=True),
        sa.Column("hire_date", sa.Date(), nullable=True),
        sa.Column("termination_date", sa.Date(), nullable=True),
        sa.Column("patient_id", sa.String(length=64), nullable=True),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batch.id"],
            name=op.f("fk_workforce_import_batch_id_import_batch"),
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_workforce")),
    )
    with op.batch_alter_table("workforce", schema=None) as batch_op:
        batch_op.create_index("ix_workforce_patient", ["patient_id"], unique=False)
    op.create_table(
        "care_team",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batch.id"],
            name=op.f("fk_care_team_import_batch_id_import_batch"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_care_team")),
    )
    with op.batch_alter_table("care_team", schema=None) as batch_op:
        batch_op.create_index("ix_care_team_user_patient", ["user_id", "patient_id"], unique=False)

    op.create_table(
        "access_review_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("department", sa.String(length=128), nullable=True),
        sa.Column("npi", sa.String(length=10), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_review_link")),
    )
    with op.batch_alter_table("access_review_link", schema=None) as batch_op:
        batch_op.create_index(
            "ix_access_review_link_patient", ["run_id", "patient_id", "day"], unique=False
        )

    op.create_table(
        "access_review_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("patient_id", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("first_event", sa.Integer(), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        *(
            sa.Column(name, sa.Boolean(), nullable=False)
            for name in (
                "after_hours",
                "by_department",
                "by_provider",
                "by_care_team",
                "by_role",
                "known_user",
                "same_name",
                "coworker",
                "self_access",
                "vip",
                "terminated",
                "same_address",
                "deceased",
            )
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_review_case")),
    )
    with op.batch_alter_table("access_review_case", schema=None) as batch_op:
        batch_op.create_index("ix_access_review_case_run", ["run_id", "user_id"], unique=False)

    op.create_table(
        "access_review_user_day",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("patients", sa.Integer(), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("off_hours", sa.Integer(), nullable=False),
        sa.Column("first_event", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("run_id", "user_id", "day", name=op.f("pk_access_review_user_day")),
    )
    op.create_table(
        "access_review_user_hour",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("run_id", "user_id", "hour", name=op.f("pk_access_review_user_hour")),
    )


def downgrade() -> None:
    op.drop_table("access_review_user_hour")
    op.drop_table("access_review_user_day")
    op.drop_table("access_review_case")
    op.drop_table("access_review_link")
    op.drop_table("care_team")
    op.drop_table("workforce")
    with op.batch_alter_table("patient", schema=None) as batch_op:
        batch_op.drop_column("deceased_date")
        batch_op.drop_column("vip")
        batch_op.drop_column("postal_code")
        batch_op.drop_column("address")
    with op.batch_alter_table("access_event", schema=None) as batch_op:
        batch_op.drop_column("day")
