"""Temporary staging tables, and the one writer of Arrow rows into any table.

Validated claim rows land in staging first. That lets every rule across rows (scattered
encounters, one patient's dob) and every normalisation (upserts, replacing re-imported
encounters, diagnosis rows) run set-based in SQL, instead of holding the file in memory or
asking the database once per row. Notes skip staging: they go straight to the note table
once the encounters exist (notes_file).

:class:`TableWriter` writes Arrow tables into a SQLAlchemy table through the raw DBAPI
connection, inside the import's transaction, with SQL made from the table itself: on SQLite
``insert(table)`` compiled once and ``executemany``; on PostgreSQL ``COPY ... FROM STDIN``
in CSV, which pyarrow writes in C.

The staging tables are temporary and private to the connection (on SQLite in its temporary
database, which SQLite deletes as soon as it creates the file, so nothing survives the
process). On PostgreSQL they drop themselves at commit; on SQLite :meth:`Staging.drop`
removes them before the connection returns to the pool (a rollback removes them on both).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
from sqlalchemy import Column, Connection, Date, Integer, MetaData, Numeric, Table, Text, insert

from auditkit.ingest.columns import ENCOUNTER_COLUMNS, LINE_COLUMNS

METADATA = MetaData()


def _temporary(name: str, *columns: Column[Any]) -> Table:
    return Table(name, METADATA, *columns, prefixes=["TEMPORARY"], postgresql_on_commit="DROP")


_LINE_TYPES: dict[str, Any] = {
    "line_number": Integer,
    "units": Integer,
    "charge": Numeric(12, 2),
    "paid_amount": Numeric(12, 2),
}

# One row per run of consecutive claim lines of an encounter (see claims_file). Columns are
# named after the claims columns, except encounter_key: the file's encounter_id.
ENCOUNTERS = _temporary(
    "stg_encounter",
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("encounter_key", Text),
    Column("line", Integer),
    *(
        Column(name, Date if name in ("patient_dob", "date_of_service") else Text)
        for name in ENCOUNTER_COLUMNS
    ),
)

LINES = _temporary(
    "stg_line",
    Column("seq", Integer),
    Column("line", Integer),
    *(Column(name, _LINE_TYPES.get(name, Text)) for name in LINE_COLUMNS),
)

# Each staged encounter's internal id, once the merge has written the encounters.
IDS = _temporary(
    "stg_id",
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("encounter_id", Integer),
)

# The encounters that received a note in this import, to refuse a second one.
NOTED = _temporary(
    "stg_noted",
    Column("encounter_id", Integer, primary_key=True, autoincrement=False),
    Column("line", Integer),
)

TABLES = (ENCOUNTERS, LINES, IDS, NOTED)

# Built after loading (cheaper than maintaining them row by row); the rules across rows and
# the merge join on these.
INDEXES = (
    "CREATE INDEX stg_encounter_key ON stg_encounter (encounter_key)",
    "CREATE INDEX stg_encounter_patient ON stg_encounter (patient_id, patient_dob, patient_sex)",
)


class TableWriter:
    """Appends Arrow tables (columns named as the table's) to one table of the database."""

    def __init__(self, connection: Connection, table: Table, columns: Sequence[str]) -> None:
        dbapi = connection.connection.dbapi_connection
        assert dbapi is not None  # a connection in use has its DBAPI connection
        self.dbapi = dbapi
        self.postgres = connection.dialect.name == "postgresql"
        preparer = connection.dialect.identifier_preparer
        if self.postgres:
            names = ", ".join(preparer.quote(name) for name in columns)
            self.columns = list(columns)
            self.sql = f"COPY {preparer.format_table(table)} ({names}) FROM STDIN (FORMAT csv)"
        else:
            compiled = insert(table).compile(dialect=connection.dialect, column_keys=list(columns))
            self.sql = str(compiled)
            self.columns = list(compiled.positiontup or columns)

    def write(self, rows: pa.Table) -> None:
        if not rows.num_rows:
            return
        rows = rows.select(self.columns)
        cursor = self.dbapi.cursor()
        try:
            if self.postgres:
                buffer = io.BytesIO()
                pacsv.write_csv(rows, buffer, _CSV_OPTIONS)
                with cursor.copy(self.sql) as copy:
                    copy.write(buffer.getbuffer())
            else:
                values = zip(*(column.to_pylist() for column in rows.columns), strict=True)
                cursor.executemany(self.sql, values)  # type: ignore[arg-type]  # any iterable
        finally:
            cursor.close()


# Nulls as unquoted empty cells, which COPY reads as NULL (an empty text never reaches it:
# empty cells are absent values).
_CSV_OPTIONS = pacsv.WriteOptions(include_header=False, quoting_style="needed")


class Staging:
    """The staging tables of one import and their writers."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.postgres = connection.dialect.name == "postgresql"

    def create(self) -> None:
        """Create empty staging tables (dropping leftovers of an interrupted import)."""
        self.drop()
        METADATA.create_all(self.connection, checkfirst=False)
        self.encounters = TableWriter(
            self.connection, ENCOUNTERS, [column.name for column in ENCOUNTERS.columns]
        )
        self.lines = TableWriter(self.connection, LINES, [column.name for column in LINES.columns])

    def index(self) -> None:
        """Index the loaded tables; on PostgreSQL also gather statistics for the planner."""
        for statement in INDEXES:
            self.connection.exec_driver_sql(statement)
        if self.postgres:
            for table in TABLES:
                self.connection.exec_driver_sql(f"ANALYZE {table.name}")

    def drop(self) -> None:
        """Remove the staging tables on SQLite, which keeps temporary tables until told."""
        if self.postgres:
            return
        for table in TABLES:
            self.connection.exec_driver_sql(f"DROP TABLE IF EXISTS temp.{table.name}")
