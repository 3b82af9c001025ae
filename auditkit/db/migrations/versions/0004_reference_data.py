"""reference data: CMS/NCHS files loaded by `auditkit refdata load`

Revision ID: 0004
Revises: 0001
Create Date: 2026-12-03 18:46:55.067127
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "refdata_entry",
        sa.Column("load_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("load_id", "key", name=op.f("pk_refdata_entry")),
    )
    op.create_table(
        "refdata_hcpcs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("load_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=5), nullable=False),
        sa.Column("is_modifier", sa.Boolean(), nullable=False),
        sa.Column("long_description", sa.Text(), nullable=False),
        sa.Column("short_description", sa.String(length=28), nullable=False),
        sa.Column("add_date", sa.Date(), nullable=True),
        sa.Column("action_effective_date", sa.Date(), nullable=True),
        sa.Column("termination_date", sa.Date(), nullable=True),
        sa.Column("action_code", sa.String(length=1), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refdata_hcpcs")),
    )
    with op.batch_alter_table("refdata_hcpcs", schema=None) as batch_op:
        batch_op.create_index("ix_refdata_hcpcs_code", ["load_id", "code"], unique=False)

    op.create_table(
        "refdata_icd10cm",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("load_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=7), nullable=False),
        sa.Column("billable", sa.Boolean(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refdata_icd10cm")),
    )
    with op.batch_alter_table("refdata_icd10cm", schema=None) as batch_op:
        batch_op.create_index("ix_refdata_icd10cm_code", ["load_id", "code"], unique=False)

    op.create_table(
        "refdata_load",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("edition", sa.String(length=128), nullable=False),
        sa.Column("file_name", sa.String(length=512), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("effective_to", sa.Date(), nullable=True),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refdata_load")),
        sa.UniqueConstraint("kind", "sha256", name=op.f("uq_refdata_load_kind")),
    )
    op.create_table(
        "refdata_mue",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("load_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=5), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("adjudication_indicator", sa.Integer(), nullable=False),
        sa.Column("rationale", sa.String(length=256), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refdata_mue")),
    )
    with op.batch_alter_table("refdata_mue", schema=None) as batch_op:
        batch_op.create_index("ix_refdata_mue_code", ["load_id", "code"], unique=False)

    op.create_table(
        "refdata_ptp_edit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("load_id", sa.Integer(), nullable=False),
        sa.Column("column1", sa.String(length=5), nullable=False),
        sa.Column("column2", sa.String(length=5), nullable=False),
        sa.Column("prior_1996", sa.Boolean(), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=False),
        sa.Column("deletion_date", sa.Date(), nullable=True),
        sa.Column("modifier_indicator", sa.Integer(), nullable=False),
        sa.Column("rationale", sa.String(length=256), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refdata_ptp_edit")),
    )
    with op.batch_alter_table("refdata_ptp_edit", schema=None) as batch_op:
        batch_op.create_index(
            "ix_refdata_ptp_edit_pair", ["load_id", "column1", "column2"], unique=False
        )

    op.create_table(
        "refdata_rvu",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("load_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=5), nullable=False),
        sa.Column("modifier", sa.String(length=2), nullable=False),
        sa.Column("status", sa.String(length=1), nullable=False),
        sa.Column("work_rvu", sa.Numeric(precision=9, scale=2), nullable=False),
        sa.Column("non_facility_pe_rvu", sa.Numeric(precision=9, scale=2), nullable=False),
        sa.Column("facility_pe_rvu", sa.Numeric(precision=9, scale=2), nullable=False),
        sa.Column("mp_rvu", sa.Numeric(precision=9, scale=2), nullable=False),
        sa.Column("non_facility_total", sa.Numeric(precision=9, scale=2), nullable=False),
        sa.Column("facility_total", sa.Numeric(precision=9, scale=2), nullable=False),
        sa.Column("pctc_indicator", sa.String(length=1), nullable=False),
        sa.Column("global_days", sa.String(length=3), nullable=False),
        sa.Column("multiple_procedure", sa.String(length=1), nullable=False),
        sa.Column("bilateral_surgery", sa.String(length=1), nullable=False),
        sa.Column("assistant_surgery", sa.String(length=1), nullable=False),
        sa.Column("co_surgery", sa.String(length=1), nullable=False),
        sa.Column("team_surgery", sa.String(length=1), nullable=False),
        sa.Column("conversion_factor", sa.Numeric(precision=9, scale=4), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refdata_rvu")),
    )
    with op.batch_alter_table("refdata_rvu", schema=None) as batch_op:
        batch_op.create_index("ix_refdata_rvu_code", ["load_id", "code"], unique=False)


def downgrade() -> None:
    op.drop_table("refdata_entry")
    with op.batch_alter_table("refdata_rvu", schema=None) as batch_op:
        batch_op.drop_index("ix_refdata_rvu_code")

    op.drop_table("refdata_rvu")
    with op.batch_alter_table("refdata_ptp_edit", schema=None) as batch_op:
        batch_op.drop_index("ix_refdata_ptp_edit_pair")

    op.drop_table("refdata_ptp_edit")
    with op.batch_alter_table("refdata_mue", schema=None) as batch_op:
        batch_op.drop_index("ix_refdata_mue_code")

    op.drop_table("refdata_mue")
    op.drop_table("refdata_load")
    with op.batch_alter_table("refdata_icd10cm", schema=None) as batch_op:
        batch_op.drop_index("ix_refdata_icd10cm_code")

    op.drop_table("refdata_icd10cm")
    with op.batch_alter_table("refdata_hcpcs", schema=None) as batch_op:
        batch_op.drop_index("ix_refdata_hcpcs_code")

    op.drop_table("refdata_hcpcs")
