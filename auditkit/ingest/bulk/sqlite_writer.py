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
from collections.abc import Iterable
from typing import Any

import apsw
import pyarrow.compute as pc

from auditkit.ingest.bulk.claims import LINE_ROW, Runs
from auditkit.ingest.bulk.notes import NOTE_ROW, NoteRows
from auditkit.ingest.bulk.values import Rejected

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
_INSERT_ENCOUNTERS = """
    INSERT INTO encounter (id, encounter_key, patient_id, provider_id, coder_id,
                           date_of_service, place_of_service, department, payer,
                           import_batch_id)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
_INSERT_DIAGNOSES = "INSERT INTO diagnosis (encounter_id, position, code) VALUES (?, ?, ?)"
_INSERT_LINES = "INSERT INTO service_line (encounter_id, {}) VALUES (?{})".format(
    ", ".join(LINE_ROW), ", ?" * len(LINE_ROW)
)
_INSERT_NOTES = "INSERT INTO note (encounter_id, {}) VALUES (?{})".format(
    ", ".join(NOTE_ROW), ", ?" * len(NOTE_ROW)
)


class People:
    """Patients, providers or coders, upserted by natural key as the import goes.

    Remembers (up to ``limit`` keys) the row last written for each key and its id, so a
    key that comes again with nothing new costs neither an upsert nor a lookup.
    """

    def __init__(
        self, connection: apsw.Connection, table: str, key: str, upsert: str, limit: int = 500_000
    ) -> None:
        self.connection = connection
        self.upsert = upsert
        self.lookup = (
            f"SELECT {key}, id FROM {table} WHERE {key} IN (SELECT value FROM json_each(?))"
        )
        self.limit = limit
        self.written: dict[Any, tuple[Any, ...]] = {}
        self.known_ids: dict[Any, int] = {}

    def write(self, rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """Upsert ``rows`` (key first, one per key) where they change something; returns
        the rows written."""
        if len(self.written) > self.limit:
            self.written.clear()
            self.known_ids.clear()
        changed = []
        for row in rows:
            before = self.written.get(row[0])
            if row == before:
                continue
            if before is not None:  # names are never erased: an empty value keeps the old
                row = tuple(
                    old if new is None else new for new, old in zip(row, before, strict=True)
                )
                if row == before:
                    continue
            changed.append(row)
            self.written[row[0]] = row
        self.connection.executemany(self.upsert, changed)
        return changed

    def ids(self, keys: Iterable[Any]) -> dict[Any, int]:
        """The id of every key (all written already)."""
        missing = [key for key in set(keys) if key not in self.known_ids]
        if missing:
            self.known_ids.update(self.connection.execute(self.lookup, (json.dumps(missing),)))
        return self.known_ids


def newest(rows: Iterable[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Per key (first value), each other value from the last row where it is not empty."""
    rows = list(rows)
    if not any(None in row for row in rows):  # the usual case: the last row says it all
        return list({row[0]: row for row in rows}.values())
    latest: dict[Any, list[Any]] = {}
    for key, *values in rows:
        kept = latest.get(key)
        if kept is None:
            latest[key] = values
        else:
            for position, value in enumerate(values):
                if value is not None:
                    kept[position] = value
    return [(key, *values) for key, values in latest.items()]


class SqliteWriter:
    """One bulk import into the SQLite file at ``path``: open, write, then finish or abort."""

    def __init__(self, path: str) -> None:
        self.connection = apsw.Connection(path)
        self.connection.set_busy_timeout(BUSY_TIMEOUT_MS)
        self.patients = People(self.connection, "patient", "mrn", _UPSERT_PATIENTS)
        self.providers = People(self.connection, "provider", "npi", _UPSERT_PROVIDERS)
        self.coders = People(self.connection, "coder", "coder_key", _UPSERT_CODERS)
        self.batch_id = 0
        self.next_id = 0
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

    def write_claims(self, runs: Runs) -> None:
        connection = self.connection
        values = runs.values
        mrns = values("patient_id")
        dobs = values("patient_dob")
        sexes = values("patient_sex")
        # A patient's dob and sex must be one throughout the file: every pair seen is kept
        # (a patient's recurring pair costs nothing) and compared at the end.
        connection.executemany(
            "INSERT OR IGNORE INTO temp.bulk_patient_fact VALUES (?, ?, ?)",
            set(zip(mrns, dobs, sexes, strict=True)),
        )
        names = (values("patient_first_name"), values("patient_last_name"))
        self.patients.write(newest(zip(mrns, *names, dobs, sexes, strict=True)))
        npis = values("provider_npi")
        self.providers.write(
            newest(zip(npis, values("provider_name"), values("provider_specialty"), strict=True))
        )
        coders = values("coder_id")
        self.coders.write(newest(zip(coders, values("coder_name"), strict=True)))
        patient_ids = self.patients.ids(mrns)
        provider_ids = self.providers.ids(npis)
        coder_ids = self.coders.ids(coders)

        first = self.next_id
        ids = range(first, first + runs.runs)
        try:
            connection.executemany(
                _INSERT_ENCOUNTERS,
                zip(
                    ids,
                    runs.keys,
                    map(patient_ids.__getitem__, mrns),
                    map(provider_ids.__getitem__, npis),
                    map(coder_ids.__getitem__, coders),
                    values("date_of_service"),
                    values("place_of_service"),
                    values("department"),
                    values("payer"),
                    [self.batch_id] * runs.runs,
                    strict=True,
                ),
            )
        except apsw.ConstraintError:
            raise Rejected(
                "an encounter_id is in the database already or twice in the file"
            ) from None
        connection.executemany(
            _INSERT_DIAGNOSES,
            zip(
                pc.add(runs.dx_run, first).to_pylist(),
                runs.dx_position.to_pylist(),
                runs.dx_code.to_pylist(),
                strict=True,
            ),
        )
        connection.executemany(
            _INSERT_LINES,
            zip(
                pc.add(runs.run_of_line, first).to_pylist(),
                *(column.to_pylist() for column in runs.line_values),
                strict=True,
            ),
        )
        self.next_id += runs.runs
        self.encounters += runs.runs

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
            self.connection.executemany(
                _INSERT_NOTES,
                ((encounter_id, *row) for encounter_id, row in zip(ids, notes.rows(), strict=True)),
            )
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
        run("DROP TABLE temp.bulk_patient_fact")
        run("COMMIT")

    def close(self) -> None:
        """Roll back whatever is not committed and let go of the file."""
        if not self.connection.get_autocommit():
            self.connection.execute("ROLLBACK")
        self.connection.close()
