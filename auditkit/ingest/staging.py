"""Temporary staging tables, and bulk writes through the raw connection of the import.

Validated claim rows land in staging first. That lets every cross-row rule (scattered
encounters, one patient's dob) and every normalisation (upserts, replacing re-imported
encounters, diagnosis rows) run set-based in SQL, instead of holding the file in memory or
asking the database once per row. Notes skip staging (copying their text twice would cost
more than all the rest): they go straight to the note table once the encounters exist.

Bulk rows go in through the raw DBAPI connection, inside the SQLAlchemy transaction:
``executemany`` on SQLite, ``COPY`` on PostgreSQL.

The tables are temporary and private to the connection. On PostgreSQL they drop themselves
at commit; on SQLite :meth:`Staging.drop` removes them before the connection returns to the
pool (a rollback removes them on both).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Date,
    Integer,
    MetaData,
    Numeric,
    Table,
    Text,
)

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

# Built after loading (cheaper than maintaining them row by row); the checks and the merge
# join on these.
INDEXES = (
    "CREATE INDEX stg_encounter_key ON stg_encounter (encounter_key)",
    "CREATE INDEX stg_encounter_patient ON stg_encounter (patient_id, patient_dob, patient_sex)",
)


class Staging:
    """The staging tables of one import, and bulk inserts on its connection."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        dbapi = connection.connection.dbapi_connection
        assert dbapi is not None  # a connection in use has its DBAPI connection
        self.dbapi = dbapi
        self.postgres = connection.dialect.name == "postgresql"
        self.statements: dict[tuple[str, tuple[str, ...]], str] = {}

    def create(self) -> None:
        """Create empty staging tables (dropping leftovers of an interrupted import)."""
        self.drop()
        METADATA.create_all(self.connection, checkfirst=False)

    def add(self, kind: str, rows: Sequence[tuple[Any, ...]]) -> None:
        """Append claim rows to the staging table of ``kind`` (encounters or lines)."""
        table = ENCOUNTERS if kind == "encounters" else LINES
        self.insert(table.name, [column.name for column in table.columns], rows)

    def insert(self, table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
        """Bulk-insert ``rows`` (tuples in the order of ``columns``) into ``table``."""
        statement = self._statement(table, tuple(columns))
        cursor = self.dbapi.cursor()
        try:
            if self.postgres:
                with cursor.copy(statement) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(statement, rows)
        finally:
            cursor.close()

    def _statement(self, table: str, columns: tuple[str, ...]) -> str:
        key = (table, columns)
        if key not in self.statements:
            names = ", ".join(columns)
            if self.postgres:
                self.statements[key] = f"COPY {table} ({names}) FROM STDIN"
            else:
                marks = ", ".join("?" for _ in columns)
                self.statements[key] = f"INSERT INTO {table} ({names}) VALUES ({marks})"
        return self.statements[key]

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
