"""Moving validated staging rows into the model's tables, set-based, in the import's transaction.

Re-import policy (docs/importing.md explains it to users):

* An encounter_id already in the database is *replaced*: its service lines and diagnoses are
  deleted and written anew, and its encounter-level fields are updated, but its internal id
  stays, so samples, rule evaluations and findings that point at it remain valid.
* A note is replaced when notes.csv brings a note for that encounter; an encounter without a
  row in notes.csv keeps the note it has (re-importing claims alone, say with updated paid
  amounts, must not throw documentation away). Notes are written by notes_store.
* Patients, providers and coders are upserted by their natural keys (MRN, NPI, coder_id).
  Names: per column, the newest non-empty value wins (later lines beat earlier ones, the
  file beats the database), and an empty cell never erases a stored name. The patient's dob
  and sex are required in every file, so the file's values replace the stored ones.

Every statement works on SQLite (3.35 or newer) and PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, insert, text, update

from auditkit.db.models import ImportBatch
from auditkit.ingest.columns import DX_COLUMNS, LINE_COLUMNS


@dataclass(frozen=True)
class Source:
    """Provenance of the batch: what was read."""

    name: str
    sha256: str
    lines: int


@dataclass(frozen=True)
class MergeCounts:
    batch_id: int
    encounters: int
    replaced: int


# Scattered runs of one encounter agree (the checks made sure); keep the first run of each
# and hang all lines on it.
_LATER_RUNS = """
    SELECT a.seq FROM stg_encounter a JOIN stg_encounter b
      ON b.encounter_key = a.encounter_key AND b.seq < a.seq
"""
_UNSCATTER = (
    f"""
    UPDATE stg_line SET seq = (
        SELECT min(b.seq) FROM stg_encounter a JOIN stg_encounter b
          ON b.encounter_key = a.encounter_key
        WHERE a.seq = stg_line.seq)
    WHERE seq IN ({_LATER_RUNS})
    """,
    f"DELETE FROM stg_encounter WHERE seq IN ({_LATER_RUNS})",
)


def _upsert(
    table: str, key: str, source_key: str, names: dict[str, str], facts: dict[str, str]
) -> str:
    """Upsert one row per natural key from the staged encounters.

    ``names`` (target: staging column) take their newest non-empty value and never
    overwrite a stored value with an empty one; ``facts`` come from the key's newest row
    and replace what is stored.
    """
    newest_names = "".join(
        f", max(CASE WHEN {source} IS NOT NULL THEN seq END) AS newest_{target}"
        for target, source in names.items()
    )
    picks = [f"n_{target}.{source}" for target, source in names.items()]
    picks += [f"d.{source}" for source in facts.values()]
    joins = "".join(
        f" LEFT JOIN stg_encounter n_{target} ON n_{target}.seq = g.newest_{target}"
        for target in names
    )
    updates = [f"{target} = coalesce(excluded.{target}, {table}.{target})" for target in names]
    updates += [f"{target} = excluded.{target}" for target in facts]
    return f"""
        INSERT INTO {table} ({key}, {", ".join([*names, *facts])})
        SELECT g.{source_key}, {", ".join(picks)}
        FROM (SELECT {source_key}, max(seq) AS newest{newest_names}
              FROM stg_encounter GROUP BY {source_key}) g
        JOIN stg_encounter d ON d.seq = g.newest{joins}
        WHERE true
        ON CONFLICT ({key}) DO UPDATE SET {", ".join(updates)}
    """


_UPSERTS = (
    _upsert(
        "patient",
        "mrn",
        "patient_id",
        names={"first_name": "patient_first_name", "last_name": "patient_last_name"},
        facts={"dob": "patient_dob", "sex": "patient_sex"},
    ),
    _upsert(
        "provider",
        "npi",
        "provider_npi",
        names={"name": "provider_name", "specialty": "provider_specialty"},
        facts={},
    ),
    _upsert("coder", "coder_key", "coder_id", names={"name": "coder_name"}, facts={}),
)

_KNOWN = "stg_encounter s JOIN encounter e ON e.encounter_key = s.encounter_key"

_REPLACED_CHILDREN = [
    f"DELETE FROM {table} WHERE encounter_id IN (SELECT e.id FROM {_KNOWN})"
    for table in ("service_line", "diagnosis")
]

_UPSERT_ENCOUNTERS = """
    INSERT INTO encounter (encounter_key, patient_id, provider_id, coder_id, date_of_service,
                           place_of_service, department, payer, import_batch_id)
    SELECT s.encounter_key, p.id, v.id, c.id, s.date_of_service,
           s.place_of_service, s.department, s.payer, :batch_id
    FROM stg_encounter s
    JOIN patient p ON p.mrn = s.patient_id
    JOIN provider v ON v.npi = s.provider_npi
    JOIN coder c ON c.coder_key = s.coder_id
    WHERE true
    ORDER BY s.seq
    ON CONFLICT (encounter_key) DO UPDATE SET
        patient_id = excluded.patient_id,
        provider_id = excluded.provider_id,
        coder_id = excluded.coder_id,
        date_of_service = excluded.date_of_service,
        place_of_service = excluded.place_of_service,
        department = excluded.department,
        payer = excluded.payer,
        import_batch_id = excluded.import_batch_id
"""

_IDS = f"INSERT INTO stg_id (seq, encounter_id) SELECT s.seq, e.id FROM {_KNOWN}"

_INSERT_LINES = f"""
    INSERT INTO service_line (encounter_id, {", ".join(LINE_COLUMNS)})
    SELECT i.encounter_id, {", ".join(f"l.{name}" for name in LINE_COLUMNS)}
    FROM stg_line l JOIN stg_id i ON i.seq = l.seq
"""

# One pass over the staged encounters, each crossed with the twelve positions, so the rows
# come out in (encounter_id, position) order: appended to diagnosis's clustered key on
# SQLite instead of inserted all over it (twelve scans, one per column, were slower still).
_POSITIONS = " UNION ALL ".join(
    f"SELECT {position} AS position" for position in range(1, len(DX_COLUMNS) + 1)
)
_DX_CELL = "CASE p.position {} END".format(
    " ".join(f"WHEN {position} THEN s.{name}" for position, name in enumerate(DX_COLUMNS, 1))
)
_INSERT_DIAGNOSES = f"""
    INSERT INTO diagnosis (encounter_id, position, code)
    SELECT d.encounter_id, d.position, d.code
    FROM (SELECT i.encounter_id, p.position, {_DX_CELL} AS code
          FROM stg_encounter s
          JOIN stg_id i ON i.seq = s.seq
          CROSS JOIN ({_POSITIONS}) p) d
    WHERE d.code IS NOT NULL
"""


def merge(connection: Connection, source: Source, scattered: bool) -> MergeCounts:
    """Write the staged import into the model's tables; returns what it wrote."""
    run = connection.exec_driver_sql
    batch_id = _open_batch(connection, source)
    if scattered:
        for statement in _UNSCATTER:
            run(statement)
    for statement in _UPSERTS:
        run(statement)
    replaced = _count(connection, _KNOWN)
    if replaced:
        for statement in _REPLACED_CHILDREN:
            run(statement)
    connection.execute(text(_UPSERT_ENCOUNTERS), {"batch_id": batch_id})
    run(_IDS)
    run(_INSERT_LINES)
    run(_INSERT_DIAGNOSES)
    encounters = _count(connection, "stg_encounter")
    connection.execute(
        update(ImportBatch)
        .where(ImportBatch.id == batch_id)
        .values(encounters=encounters, replaced=replaced)
    )
    return MergeCounts(batch_id, encounters, replaced)


def _open_batch(connection: Connection, source: Source) -> int:
    result = connection.execute(
        insert(ImportBatch).values(
            kind="claims",
            source_name=source.name,
            source_sha256=source.sha256,
            imported_at=dt.datetime.now().replace(microsecond=0),
            rows=source.lines,
            encounters=0,
            replaced=0,
        )
    )
    (batch_id,) = result.inserted_primary_key or (None,)
    if batch_id is None:
        raise RuntimeError("the database returned no id for the import batch")
    return int(batch_id)


def _count(connection: Connection, source: str) -> int:
    return int(connection.exec_driver_sql(f"SELECT count(*) FROM {source}").scalar_one())
