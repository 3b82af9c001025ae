"""codes as typed: wider procedure and diagnosis code columns

Malformed codes are imported as the coder typed them and reported by SPC001, so the
columns hold any value that could be a code: up to eight characters plus one dot.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# (table, column, length before, length after)
WIDENED = (("service_line", "procedure_code", 5, 9), ("diagnosis", "code", 8, 9))


def upgrade() -> None:
    for table, column, before, after in WIDENED:
        _retype(table, column, before, after)


def downgrade() -> None:
    for table, column, before, after in WIDENED:
        _retype(table, column, after, before)


def _retype(table: str, column: str, before: int, after: int) -> None:
    # SQLite cannot alter a column: batch mode rebuilds the table. Both tables are clustered
    # on their primary key (WITHOUT ROWID), which the rebuilt table must keep.
    with op.batch_alter_table(table, table_kwargs={"sqlite_with_rowid": False}) as batch:
        batch.alter_column(
            column,
            existing_type=sa.String(length=before),
            type_=sa.String(length=after),
            existing_nullable=False,
        )
