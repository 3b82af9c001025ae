"""Writing notes straight into the note table, batch by batch, once the encounters exist.

While the claims are read (on the other core, see beside) the notes file is read and
validated into a :class:`NoteSpill`, a temporary file of pickled batches, so parsing the
biggest file costs little extra wall time and memory stays flat. The spill is then replayed
through :class:`NoteWriter`.

Each batch of validated note rows is resolved to encounter ids, and to the line of a note
this import already gave the encounter, with one query; rows whose
encounter_id is neither in the claims file nor in the database, and second notes for one
encounter, are problems. A note for an encounter that already has one replaces it (see the
re-import policy in merge). After the first problem nothing more is written; the import
will roll back, but the rest of the file is still checked so every problem is reported.
"""

from __future__ import annotations

import pickle
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from auditkit.ingest.problems import ProblemLog, quote
from auditkit.ingest.staging import NOTED, Staging

NOTE_COLUMNS = (
    "encounter_id",
    "signed_at",
    "author_npi",
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
_REPLACED = "DELETE FROM note WHERE encounter_id {ids}"


class NoteWriter:
    """A sink of validated note batches: checks each against the database, then writes it.

    The per-batch queries go straight to the DBAPI cursor: with thousands of keys per batch,
    compiling them through SQLAlchemy cost more than running them.
    """

    def __init__(self, staging: Staging, file: str, claims_file: str, problems: ProblemLog) -> None:
        self.staging = staging
        self.connection = staging.connection
        self.dbapi = staging.dbapi
        self.postgres = staging.postgres
        self.file = file
        self.claims_file = claims_file
        self.problems = problems
        self.written = 0
        # Notes written by this import are never replaced (a second one is a problem), so
        # replacing is only needed when the database held notes before.
        self.replacing = (
            self.connection.exec_driver_sql("SELECT 1 FROM note LIMIT 1").first() is not None
        )

    def __call__(self, kind: str, rows: list[tuple[Any, ...]]) -> None:
        resolved = self._resolve(rows)
        if resolved and not self.problems:
            self._write(resolved)

    def _query(self, statement: str, name: str, values: list[Any]) -> list[tuple[Any, ...]]:
        """Run ``statement`` with ``{name}`` standing for ``IN`` the list ``values``: one
        array parameter on PostgreSQL (``= ANY``), where thousands of separate parameters
        would make planning slow; a list of parameters on SQLite."""
        if self.postgres:
            sql, parameters = statement.format(**{name: "= ANY(%s)"}), [values]
        else:
            sql, parameters = (
                statement.format(**{name: f"IN ({', '.join('?' * len(values))})"}),
                values,
            )
        assert self.dbapi is not None  # the import's connection is open
        cursor = self.dbapi.cursor()
        try:
            cursor.execute(sql, parameters)
            return list(cursor.fetchall()) if cursor.description is not None else []
        finally:
            cursor.close()

    def _resolve(self, rows: Sequence[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """Rows with the encounter id in front; unknown and repeated encounters reported."""
        found = {
            key: (encounter_id, noted)
            for key, encounter_id, noted in self._query(
                _IDS, "keys", list(dict.fromkeys(row[0] for row in rows))
            )
        }
        resolved: list[tuple[Any, ...]] = []
        lines: dict[int, int] = {}
        noted_before: list[tuple[int, str, int]] = []  # (encounter id, key, first line)
        for row in rows:
            key, line = row[0], row[1]
            hit = found.get(key)
            if hit is None:
                self._add(
                    line, f"{quote(key)} is neither in {self.claims_file} nor in the database"
                )
                continue
            encounter_id, noted = hit
            if encounter_id in lines:
                self._repeated(line, key, lines[encounter_id])
                continue
            lines[encounter_id] = line
            if noted is None:
                resolved.append((encounter_id,) + row[2:])
            else:  # an earlier batch had a note for it
                noted_before.append((encounter_id, key, noted))
        for encounter_id, key, first in noted_before:
            self._repeated(lines.pop(encounter_id), key, first)
        self.staging.insert(NOTED.name, ("encounter_id", "line"), list(lines.items()))
        return resolved

    def _write(self, rows: list[tuple[Any, ...]]) -> None:
        if self.replacing:
            self._query(_REPLACED, "ids", [row[0] for row in rows])
        self.staging.insert("note", NOTE_COLUMNS, rows)
        self.written += len(rows)

    def _repeated(self, line: int, key: str, first: int) -> None:
        self._add(
            line,
            f"{quote(key)} already has a note on line {first}; at most one note row per encounter",
        )

    def _add(self, line: int, message: str) -> None:
        self.problems.add(self.file, line, "encounter_id", message)


class NoteSink(Protocol):
    """Where the notes reader parks validated rows: opened and closed by the reader."""

    def open(self) -> None: ...

    def __call__(self, kind: str, rows: list[tuple[Any, ...]]) -> None: ...

    def close(self) -> None: ...


class NoteSpill:
    """A sink for read_notes that parks the batches in ``file`` (temporary), to replay later."""

    def __init__(self, file: BinaryIO) -> None:
        self.file = file

    def open(self) -> None:
        pass

    def close(self) -> None:
        self.file.flush()

    def __call__(self, kind: str, rows: list[tuple[Any, ...]]) -> None:
        pickle.dump((kind, rows), self.file, protocol=pickle.HIGHEST_PROTOCOL)

    def replay(self, sink: Callable[[str, list[tuple[Any, ...]]], None]) -> None:
        """Hand every parked batch, in order, to ``sink``."""
        self.file.seek(0)
        while True:
            try:
                kind, rows = pickle.load(self.file)  # our own temporary file
            except EOFError:
                return
            sink(kind, rows)


# --- SQLite: notes parked in a database of their own, copied over in SQL -----------------

NOTE_INPUT = "note_input"  # the table in the parked database
NOTES_SCHEMA = "parked_notes"  # the name the import's connection attaches it under


class NoteTable:
    """A sink for read_notes that parks the rows in a SQLite file of their own (SQLite only).

    The reader (a forked child, see beside) writes them there on the other core; the import
    then attaches the file and checks and copies the notes in SQL (:class:`NoteLoader`), so
    the largest file is never turned back into Python objects. The file is scratch space:
    no journal, no syncing.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.database: sqlite3.Connection | None = None

    def open(self) -> None:
        self.database = database = sqlite3.connect(self.path, isolation_level=None)
        database.execute("PRAGMA journal_mode = OFF")
        database.execute("PRAGMA synchronous = OFF")
        database.execute(
            f"CREATE TABLE {NOTE_INPUT} (line INTEGER PRIMARY KEY, encounter_key TEXT, "
            "signed_at TEXT, author_npi TEXT, total_time_minutes INTEGER, mdm_level TEXT, "
            "note_text TEXT)"
        )
        database.execute("BEGIN")

    def __call__(self, kind: str, rows: list[tuple[Any, ...]]) -> None:
        assert self.database is not None
        self.database.executemany(
            f"INSERT INTO {NOTE_INPUT} (encounter_key, line, signed_at, author_npi, "
            "total_time_minutes, mdm_level, note_text) VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )

    def close(self) -> None:
        assert self.database is not None
        self.database.execute(f"CREATE INDEX {NOTE_INPUT}_key ON {NOTE_INPUT} (encounter_key)")
        self.database.execute("COMMIT")
        self.database.close()
        self.database = None


_PARKED = f"{NOTES_SCHEMA}.{NOTE_INPUT}"

# Notes whose encounter is unknown, and second notes of an encounter (with the first's line).
_PARKED_PROBLEMS = f"""
    SELECT n.line, n.encounter_key, e.id IS NULL, f.first
    FROM {_PARKED} n
    LEFT JOIN encounter e ON e.encounter_key = n.encounter_key
    LEFT JOIN (SELECT encounter_key, min(line) AS first FROM {_PARKED}
               GROUP BY encounter_key HAVING count(*) > 1) f
      ON f.encounter_key = n.encounter_key
    WHERE e.id IS NULL OR n.line > f.first
    ORDER BY n.line
"""
_PARKED_REPLACED = f"""
    DELETE FROM note WHERE encounter_id IN (
        SELECT e.id FROM {_PARKED} n JOIN encounter e ON e.encounter_key = n.encounter_key)
"""
_PARKED_COPY = f"""
    INSERT INTO note (encounter_id, signed_at, author_npi, total_time_minutes, mdm_level,
                      note_text)
    SELECT e.id, n.signed_at, n.author_npi, n.total_time_minutes, n.mdm_level, n.note_text
    FROM {_PARKED} n JOIN encounter e ON e.encounter_key = n.encounter_key
"""


class NoteLoader:
    """Checks the notes parked by :class:`NoteTable` against the encounters and copies them
    into the note table, in the import's transaction (SQLite only)."""

    def __init__(self, staging: Staging, file: str, claims_file: str, problems: ProblemLog) -> None:
        self.connection = staging.connection
        self.file = file
        self.claims_file = claims_file
        self.problems = problems
        self.written = 0

    def load(self, path: Path) -> None:
        """Copy the notes over, optimistically: only when the copy cannot have been complete
        (an unknown encounter left a note out, a second note hit the key) are the problems
        looked for, with the query that names them."""
        run = self.connection.exec_driver_sql
        run(f"ATTACH DATABASE ? AS {NOTES_SCHEMA}", (str(path),))
        if not self.problems:
            parked = run(f"SELECT count(*) FROM {_PARKED}").scalar_one()
            if run("SELECT 1 FROM note LIMIT 1").first() is not None:
                run(_PARKED_REPLACED)
            try:
                copied = run(_PARKED_COPY).rowcount
            except IntegrityError:  # a second note for one encounter (SQLite undoes the
                copied = -1  # statement alone; the import rolls back in the end anyway)
            if copied == parked:
                self.written = copied
                return
        self._report()

    def _report(self) -> None:
        for line, key, unknown, first in self.connection.exec_driver_sql(_PARKED_PROBLEMS):
            if unknown:
                message = f"{quote(key)} is neither in {self.claims_file} nor in the database"
            else:
                message = (
                    f"{quote(key)} already has a note on line {first}; "
                    "at most one note row per encounter"
                )
            self.problems.add(self.file, line, "encounter_id", message)


def detach_notes(connection: Connection) -> None:
    """Detach the parked notes, once the import's transaction is over (SQLite only)."""
    attached = connection.exec_driver_sql("PRAGMA database_list").all()
    if any(row[1] == NOTES_SCHEMA for row in attached):
        connection.exec_driver_sql(f"DETACH DATABASE {NOTES_SCHEMA}")
