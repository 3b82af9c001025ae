"""Writing notes into the note table, batch by batch, once the encounters exist.

Each batch of validated notes is resolved to encounter ids, and to the line of a note this
import already gave the encounter, with one query; notes whose encounter_id is neither in the
claims file nor in the database, and second notes for one encounter, are problems. A note for
an encounter that already has one replaces it (see the re-import policy in merge). After the
first problem nothing more is written (the import will roll back), but the rest of the file
is still checked so every problem is reported.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
from sqlalchemy import Connection

from auditkit.db.models import Note
from auditkit.ingest.notes_file import NoteRows
from auditkit.ingest.problems import ProblemLog, quote
from auditkit.ingest.staging import NOTED, TableWriter

NOTE_COLUMNS = (
    "encounter_id",
    "author_npi",
    "signed_at",
    "total_time_minutes",
    "mdm_level",
    "note_text",
)

# Each key's encounter id, and the line of the note this import already gave it (if any).
_IDS = f"""
    SELECT e.encounter_key, e.id, n.line
    FROM encounter e LEFT JOIN {NOTED.name} n ON n.encounter_id = e.id
    WHERE e.encounter_key {{keys}}
"""
QUERY_KEYS = 10_000
_REPLACED = "DELETE FROM note WHERE encounter_id {ids}"


class NoteWriter:
    """Checks each batch of notes against the database, then writes it.

    The per-batch queries go straight to the DBAPI cursor: with thousands of keys per batch,
    compiling them through SQLAlchemy cost more than running them.
    """

    def __init__(self, connection: Connection, file: str, claims_file: str, problems: ProblemLog):
        self.dbapi = connection.connection.dbapi_connection
        self.postgres = connection.dialect.name == "postgresql"
        self.file = file
        self.claims_file = claims_file
        self.problems = problems
        self.written = 0
        self.notes = TableWriter(connection, Note.__table__, NOTE_COLUMNS)  # type: ignore[arg-type]
        self.noted = TableWriter(connection, NOTED, ("encounter_id", "line"))
        # Notes written by this import are never replaced (a second one is a problem), so
        # replacing is only needed when the database held notes before.
        self.replacing = (
            connection.exec_driver_sql("SELECT 1 FROM note LIMIT 1").first() is not None
        )

    def write(self, notes: NoteRows) -> None:
        ids = self._resolve(notes.rows)
        if self.problems:
            return
        rows = notes.rows.drop_columns(["encounter_key", "line"]).add_column(
            0, "encounter_id", pa.array(ids, pa.int64())
        )
        if self.replacing:
            self._query(_REPLACED, "ids", ids)
        self.notes.write(rows)
        self.written += rows.num_rows

    def _resolve(self, rows: pa.Table) -> list[int]:
        """Each note's encounter id; unknown and repeated encounters reported."""
        keys = rows.column("encounter_key").to_pylist()
        lines = rows.column("line").to_pylist()
        found = {
            key: (encounter_id, noted)
            for key, encounter_id, noted in self._query(_IDS, "keys", list(dict.fromkeys(keys)))
        }
        ids: list[int] = []
        first_lines: dict[int, int] = {}
        for key, line in zip(keys, lines, strict=True):
            hit = found.get(key)
            if hit is None:
                self._add(
                    line, f"{quote(key)} is neither in {self.claims_file} nor in the database"
                )
                continue
            encounter_id, noted = hit
            first = noted if noted is not None else first_lines.get(encounter_id)
            if first is not None:
                self._add(
                    line,
                    f"{quote(key)} already has a note on line {first}; "
                    "at most one note row per encounter",
                )
                continue
            first_lines[encounter_id] = line
            ids.append(encounter_id)
        self.noted.write(
            pa.table(
                {
                    "encounter_id": pa.array(list(first_lines), pa.int64()),
                    "line": pa.array(list(first_lines.values()), pa.int64()),
                }
            )
        )
        return ids

    def _query(self, statement: str, name: str, values: list[Any]) -> list[tuple[Any, ...]]:
        """Run ``statement`` with ``{name}`` standing for ``IN`` the list ``values``: one
        array parameter on PostgreSQL (``= ANY``), where thousands of separate parameters
        would make planning slow; a list of parameters on SQLite."""
        if len(values) > QUERY_KEYS:  # SQLite allows 32,766 parameters per statement
            return [
                row
                for start in range(0, len(values), QUERY_KEYS)
                for row in self._query(statement, name, values[start : start + QUERY_KEYS])
            ]
        if not values:
            return []
        if self.postgres:
            sql, parameters = statement.format(**{name: "= ANY(%s)"}), [values]
        else:
            marks = ", ".join("?" * len(values))
            sql, parameters = statement.format(**{name: f"IN ({marks})"}), values
        assert self.dbapi is not None  # the import's connection is open
        cursor = self.dbapi.cursor()
        try:
            cursor.execute(sql, parameters)
            return list(cursor.fetchall()) if cursor.description is not None else []
        finally:
            cursor.close()

    def _add(self, line: int, message: str) -> None:
        self.problems.add(self.file, line, "encounter_id", message)
