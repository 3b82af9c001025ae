"""Writing validated runs and notes straight into the model's tables of a SQLite file.

Everything is written once, in one transaction of its own connection (apsw: it binds
parameters several times faster than the standard sqlite3 module, and the bulk path binds
millions). New encounters get the next free ids here, so lines and diagnoses are written
with their encounter id at once, with no staging tables and no merge. Patients, providers
and coders are upserted per batch with the general path's rules (newest non-empty name
wins, the file's date of birth and sex replace the stored ones).

What this writer does not handle it declines with
:class:`~auditkit.ingest.bulk.values.Rejected`: an encounter_id already in the database
(replacing is the general path's job), a note for an encounter not in this claims file or
a second note for one, a patient with two dates of birth or sexes in the file.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import apsw
import pyarrow as pa
import pyarrow.compute as pc

from auditkit.ingest.bulk.notes import NOTE_ROW, NoteRows
from auditkit.ingest.bulk.values import Rejected
from auditkit.ingest.columns import LINE_COLUMNS

CACHE_KIB = 64 * 1024
BUSY_TIMEOUT_MS = 5_000  # as the sqlite3 module waits by default

_UPSERT_PATIENTS = """
    INSERT INTO patient (mrn, first_name, last_name, dob, sex) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (mrn) DO UPDATE SET
        first_name = coalesce(excluded.first_name, patient.first_name),
        last_name = coalesce(excluded.last_name, patient.last_name),
        dob = excluded.dob,
        sex = excluded.sex
"""
_UPSERT_PROVIDERS = """
    INSERT INTO provider (npi, name, specialty) VALUES (?, ?, ?)
    ON CONFLICT (npi) DO UPDATE SET
        name = coalesce(excluded.name, provider.name),
        specialty = coalesce(excluded.specialty, provider.specialty)
"""
_UPSERT_CODERS = """
    INSERT INTO coder (coder_key, name) VALUES (?, ?)
    ON CONFLICT (coder_key) DO UPDATE SET name = coalesce(excluded.name, coder.name)
"""
# The encounter's columns after its key, as the writer receives them per run.
ENCOUNTER_ROW = (
    "patient_id",
    "provider_npi",
    "coder_id",
    "date_of_service",
    "place_of_service",
    "department",
    "payer",
)
_INSERT_ENCOUNTERS = """
    INSERT INTO encounter (id, encounter_key, patient_id, provider_id, coder_id,
                           date_of_service, place_of_service, department, payer,
                           import_batch_id)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
_INSERT_DIAGNOSES = "INSERT INTO diagnosis (encounter_id, position, code) VALUES (?, ?, ?)"
_INSERT_LINES = "INSERT INTO service_line (encounter_id, {}) VALUES (?{})".format(
    ", ".join(LINE_COLUMNS), ", ?" * len(LINE_COLUMNS)
)
_INSERT_NOTES = "INSERT INTO note (encounter_id, {}) VALUES (?{})".format(
    ", ".join(NOTE_ROW), ", ?" * len(NOTE_ROW)
)


class Ids:
    """The id of each natural key written, looked up once per key (up to ``limit`` keys)."""

    def __init__(self, connection: apsw.Connection, table: str, key: str, limit: int = 500_000):
        self.connection = connection
        self.lookup = (
            f"SELECT {key}, id FROM {table} WHERE {key} IN (SELECT value FROM json_each(?))"
        )
        self.limit = limit
        self.known: dict[Any, int] = {}

    def __call__(self, keys: Iterable[Any]) -> dict[Any, int]:
        if len(self.known) > self.limit:
            self.known.clear()
        missing = [key for key in set(keys) if key not in self.known]
        if missing:
            self.known.update(self.connection.execute(self.lookup, (json.dumps(missing),)))
        return self.known


@dataclass
class ClaimRows:
    """One batch of whole runs as the writer needs them (see writer_process.ClaimsOutbox).

    ``runs`` has encounter_key then ENCOUNTER_ROW per run; ``lines`` the run index then
    LINE_COLUMNS per line; ``diagnoses`` (run, position, code); the people batches hold only
    rows that change something (newest values first filled in), ``facts`` the (mrn, dob,
    sex) triples not seen before.
    """

    runs: pa.RecordBatch
    lines: pa.RecordBatch
    diagnoses: pa.RecordBatch
    patients: pa.RecordBatch
    providers: pa.RecordBatch
    coders: pa.RecordBatch
    facts: pa.RecordBatch


def _rows(batch: pa.RecordBatch) -> Iterator[tuple[Any, ...]]:
    return zip(*(column.to_pylist() for column in batch.columns), strict=True)


class SqliteWriter:
    """One bulk import into the SQLite file at ``path``: open, write, then finish or abort."""

    def __init__(self, path: str) -> None:
        self.connection = apsw.Connection(path)
        self.connection.set_busy_timeout(BUSY_TIMEOUT_MS)
        self.patient_ids = Ids(self.connection, "patient", "mrn")
        self.provider_ids = Ids(self.connection, "provider", "npi")
        self.coder_ids = Ids(self.connection, "coder", "coder_key")
        self.batch_id = 0
        self.next_id = 0
        self.deferred_indexes: list[str] = []
        self.encounters = 0
        self.notes = 0

    def begin(self, source_name: str) -> None:
        run = self.connection.execute
        # Every id written comes from this writer or a lookup, so SQLite need not check
        # them one by one; the pragma only works outside a transaction.
        run("PRAGMA foreign_keys = OFF")
        run("BEGIN IMMEDIATE")
        run(f"PRAGMA main.cache_size = -{CACHE_KIB}")
        run(
            "CREATE TEMP TABLE bulk_patient_fact (mrn TEXT, dob TEXT, sex TEXT,"
            " PRIMARY KEY (mrn, dob, sex)) WITHOUT ROWID"
        )
        imported_at = dt.datetime.now().replace(microsecond=0)
        run(
            "INSERT INTO import_batch (kind, source_name, source_sha256, imported_at, rows,"
            " encounters, replaced) VALUES ('claims', ?, '', ?, 0, 0, 0)",
            (source_name, imported_at.strftime("%Y-%m-%d %H:%M:%S.%f")),
        )
        self.batch_id = self.connection.last_insert_rowid()
        (self.next_id,) = next(run("SELECT coalesce(max(id), 0) + 1 FROM encounter"))
        if self.next_id == 1:
            # Into an empty table, building the encounter's secondary indexes once at the
            # end (sorting) is cheaper than growing them row by row.
            indexes = run(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
                " AND tbl_name = 'encounter' AND sql IS NOT NULL"
            ).fetchall()
            for name, sql in indexes:
                run(f'DROP INDEX "{name}"')
                self.deferred_indexes.append(str(sql))

    def write_claims(self, claims: ClaimRows) -> None:
        connection = self.connection
        # A patient's dob and sex must be one throughout the file: every triple is kept
        # and the keys are compared at the end.
        connection.executemany(
            "INSERT OR IGNORE INTO temp.bulk_patient_fact VALUES (?, ?, ?)", _rows(claims.facts)
        )
        connection.executemany(_UPSERT_PATIENTS, _rows(claims.patients))
        connection.executemany(_UPSERT_PROVIDERS, _rows(claims.providers))
        connection.executemany(_UPSERT_CODERS, _rows(claims.coders))
        keys, mrns, npis, coders, *visit = (column.to_pylist() for column in claims.runs.columns)
        patient_ids = self.patient_ids(mrns)
        provider_ids = self.provider_ids(npis)
        coder_ids = self.coder_ids(coders)
        count = len(keys)
        first = self.next_id
        try:
            connection.executemany(
                _INSERT_ENCOUNTERS,
                zip(
                    range(first, first + count),
                    keys,
                    map(patient_ids.__getitem__, mrns),
                    map(provider_ids.__getitem__, npis),
                    map(coder_ids.__getitem__, coders),
                    *visit,
                    [self.batch_id] * count,
                    strict=True,
                ),
            )
        except apsw.ConstraintError:
            raise Rejected(
                "an encounter_id is in the database already or twice in the file"
            ) from None
        diagnoses = claims.diagnoses
        connection.executemany(
            _INSERT_DIAGNOSES,
            zip(
                pc.add(diagnoses.column(0), first).to_pylist(),
                diagnoses.column(1).to_pylist(),
                diagnoses.column(2).to_pylist(),
                strict=True,
            ),
        )
        lines = claims.lines
        connection.executemany(
            _INSERT_LINES,
            zip(
                pc.add(lines.column(0), first).to_pylist(),
                *(column.to_pylist() for column in lines.columns[1:]),
                strict=True,
            ),
        )
        self.next_id += count
        self.encounters += count

    def write_notes(self, notes: NoteRows) -> None:
        """Notes for encounters this import wrote; anything else is the general path's."""
        keys = notes.keys
        found = dict(
            self.connection.execute(
                "SELECT encounter_key, id FROM encounter WHERE import_batch_id = ?"
                " AND encounter_key IN (SELECT value FROM json_each(?))",
                (self.batch_id, json.dumps(keys)),
            )
        )
        try:
            ids = [found[key] for key in keys]
        except KeyError:
            raise Rejected("a note for an encounter not in this claims file") from None
        try:
            self.connection.executemany(_INSERT_NOTES, notes.rows(ids))
        except apsw.ConstraintError:
            raise Rejected("two notes for one encounter") from None
        self.notes += len(ids)

    def finish(self, sha256: str, lines: int) -> None:
        """Check what spans the whole file, record the batch and commit."""
        run = self.connection.execute
        twice = list(
            run("SELECT 1 FROM temp.bulk_patient_fact GROUP BY mrn HAVING count(*) > 1 LIMIT 1")
        )
        if twice:
            raise Rejected("a patient has two dates of birth or sexes in the file")
        run(
            "UPDATE import_batch SET source_sha256 = ?, rows = ?, encounters = ? WHERE id = ?",
            (sha256, lines, self.encounters, self.batch_id),
        )
        for sql in self.deferred_indexes:
            run(sql)
        run("DROP TABLE temp.bulk_patient_fact")
        run("COMMIT")

    def close(self) -> None:
        """Roll back whatever is not committed and let go of the file."""
        if not self.connection.get_autocommit():
            self.connection.execute("ROLLBACK")
        self.connection.close()
