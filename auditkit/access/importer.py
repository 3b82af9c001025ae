"""``auditkit import patients|workforce|care-team|access-log``: one file, one transaction.

Every row is validated before anything is kept: any problem rolls the whole import back
and raises :class:`~auditkit.errors.InputError` naming file, line and column. The import
and a trail entry (the file is PHI) are committed together.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from auditkit import trail
from auditkit.access import values
from auditkit.access.columnar import NotClean, clean_batches
from auditkit.access.events import stored_rows, validate, write_events
from auditkit.access.fhir import read_fhir
from auditkit.access.specs import ACCESS_LOG, PATIENTS, SPECS, WIDTHS
from auditkit.access.table import open_table, read_mapping
from auditkit.db.models import AccessEvent, CareTeam, ImportBatch, Patient, Workforce
from auditkit.db.session import session_scope
from auditkit.ingest.problems import ProblemLog

SEXES = frozenset({"M", "F", "U", "X"})


@dataclass
class ImportSummary:
    kind: str
    file: str
    batch_id: int
    rows: int  # records read that became rows (events, patients, …)
    inserted: int
    updated: int = 0
    already_present: int = 0
    skipped: dict[str, int] = field(default_factory=dict)  # FHIR: reason -> events
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _batch(session: Session, kind: str, path: Path) -> ImportBatch:
    batch = ImportBatch(
        kind=kind,
        source_name=path.name,
        source_sha256=_sha256(path),
        imported_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
        rows=0,
    )
    session.add(batch)
    session.flush()
    return batch


def _tabular_rows(
    path: Path, kind: str, mapping: Path | None, problems: ProblemLog, warnings: list[str]
) -> Iterator[tuple[int, list[str]]]:
    spec = SPECS[kind]
    renames = read_mapping(mapping, spec, problems)
    table = open_table(path, spec, renames, problems)
    if table is None:
        return
    warnings.extend(table.warnings)
    yield from table.rows(problems)


def import_access_log(
    engine: Engine, path: Path, mapping: Path | None = None, fhir: bool = False
) -> ImportSummary:
    """Import an access log: a clean CSV takes the column-wise path; anything else (XLSX,
    FHIR, or a CSV with a doubtful cell) is read row by row, which names every problem."""
    started = time.perf_counter()
    warnings: list[str] = []
    skipped: Counter[str] = Counter()
    with session_scope(engine) as session:
        batch = _batch(session, "access-log", path)
        connection = session.connection()
        result = None
        if not fhir and path.suffix.lower() != ".xlsx":
            result = _columnar(connection, path, mapping, batch.id, warnings)
        if result is None:
            problems = ProblemLog()
            rows: Iterable[tuple[int, list[str]]]
            if fhir:
                read = read_fhir(path, problems)
                skipped = read.skipped
                rows = (
                    (line, [row[name] for name in ACCESS_LOG.columns]) for line, row in read.rows
                )
            else:
                warnings.clear()
                rows = _tabular_rows(path, "access-log", mapping, problems, warnings)
            events = stored_rows(validate(path.name, rows, problems))
            result = write_events(connection, events, batch.id, problems)
            problems.raise_if_any()  # rolls the transaction back
        count, inserted = result
        batch_id = _close_batch(
            session,
            batch,
            "access-log",
            count,
            file=str(path),
            events=inserted,
            skipped=sum(skipped.values()),
        )
    return ImportSummary(
        "access-log",
        path.name,
        batch_id,
        count,
        inserted,
        already_present=count - inserted,
        skipped=dict(skipped),
        warnings=warnings,
        seconds=time.perf_counter() - started,
    )


def _columnar(
    connection: Any, path: Path, mapping: Path | None, batch_id: int, warnings: list[str]
) -> tuple[int, int] | None:
    """The fast path; None (and nothing written) when the file needs the row path."""
    problems = ProblemLog()
    renames = read_mapping(mapping, ACCESS_LOG, problems)
    table = open_table(path, ACCESS_LOG, renames, problems)
    if table is None or problems:
        return None
    table.records.close()  # type: ignore[attr-defined]
    warnings.extend(table.warnings)
    columns = clean_batches(path, table.positions, table.width)
    rows = (row for batch in columns for row in zip(*batch, strict=True))
    if connection.dialect.name == "postgresql":
        savepoint = connection.begin_nested()  # an aborted COPY must not end the transaction
        try:
            result = write_events(connection, rows, batch_id, problems)
        except NotClean:
            savepoint.rollback()
            return None
        savepoint.commit()
        return result
    try:
        return write_events(connection, rows, batch_id, problems)
    except NotClean:
        connection.execute(delete(AccessEvent).where(AccessEvent.import_batch_id == batch_id))
        return None


# --- patients, workforce, care team: small files, validated row by row ---------------------


def _cells(
    file: str,
    line: int,
    names: tuple[str, ...],
    cells: list[str],
    required: frozenset[str],
    problems: ProblemLog,
) -> dict[str, str] | None:
    row = {}
    ok = True
    for name, raw in zip(names, cells, strict=True):
        value = raw.strip()
        problem = values.control_problem(value, False)
        if problem:
            problems.add(file, line, name, problem)
            ok = False
        elif not value and name in required:
            problems.add(file, line, name, "is required but empty")
            ok = False
        elif name in WIDTHS and len(value) > WIDTHS[name]:
            problems.add(file, line, name, f"is longer than {WIDTHS[name]} characters")
            ok = False
        row[name] = value
    return row if ok else None


def _typed(
    file: str, line: int, row: dict[str, str], dates: tuple[str, ...], problems: ProblemLog
) -> dict[str, Any] | None:
    typed: dict[str, Any] = {name: (value or None) for name, value in row.items()}
    ok = True
    for name in dates:
        if row.get(name):
            try:
                typed[name] = values.date(row[name])
            except values.BadValue as error:
                problems.add(file, line, name, str(error))
                ok = False
    return typed if ok else None


def _read_rows(
    path: Path,
    kind: str,
    mapping: Path | None,
    problems: ProblemLog,
    warnings: list[str],
    dates: tuple[str, ...],
) -> list[tuple[int, dict[str, Any]]]:
    spec = SPECS[kind]
    good = []
    for line, cells in _tabular_rows(path, kind, mapping, problems, warnings):
        row = _cells(path.name, line, spec.columns, cells, spec.required, problems)
        typed = _typed(path.name, line, row, dates, problems) if row is not None else None
        if typed is not None:
            good.append((line, typed))
    return good


def _close_batch(session: Session, batch: ImportBatch, kind: str, rows: int, **detail: Any) -> int:
    """Count the batch's rows and record the import in the trail, in its transaction."""
    batch.rows = rows
    trail.record(session, f"import {kind}", "write", f"import_batch:{batch.id}", **detail)
    return batch.id


def _first_wins(
    file: str, rows: list[tuple[int, dict[str, Any]]], key: str, problems: ProblemLog
) -> None:
    seen: dict[str, int] = {}
    for line, row in rows:
        if row[key] in seen:
            problems.add(file, line, key, f"{row[key]!r} is already on line {seen[row[key]]}")
        else:
            seen[row[key]] = line


def import_patients(engine: Engine, path: Path, mapping: Path | None = None) -> ImportSummary:
    started = time.perf_counter()
    problems, warnings = ProblemLog(), list[str]()
    rows = _read_rows(path, "patients", mapping, problems, warnings, ("dob", "deceased_date"))
    for line, row in rows:
        try:
            row["vip"] = values.flag(row["vip"] or "")
        except values.BadValue as error:
            problems.add(path.name, line, "vip", str(error))
        if row["sex"] is not None:
            row["sex"] = row["sex"].upper()
            if row["sex"] not in SEXES:
                problems.add(path.name, line, "sex", f"{row['sex']!r} is not M, F, U or X")
    _first_wins(path.name, rows, "patient_id", problems)
    problems.raise_if_any()
    with session_scope(engine) as session:
        batch = _batch(session, "patients", path)
        known = dict(session.execute(select(Patient.mrn, Patient.id)).all())
        records = [{**row, "mrn": row.pop("patient_id")} for _, row in rows]
        new = [record for record in records if record["mrn"] not in known]
        old = [
            {**record, "pid": known[record["mrn"]]} for record in records if record["mrn"] in known
        ]
        if new:
            session.execute(insert(Patient), new)
        if old:
            columns = [name for name in PATIENTS.columns if name != "patient_id"]
            statement = (
                update(Patient)
                .where(Patient.id == bindparam("pid"))
                .values({name: bindparam(name) for name in columns})
            )
            session.connection().execute(
                statement, [{name: record[name] for name in (*columns, "pid")} for record in old]
            )
        batch_id = _close_batch(
            session, batch, "patients", len(records), file=str(path), patients=len(records)
        )
    return ImportSummary(
        "patients",
        path.name,
        batch_id,
        len(rows),
        len(new),
        len(old),
        warnings=warnings,
        seconds=time.perf_counter() - started,
    )


def import_workforce(engine: Engine, path: Path, mapping: Path | None = None) -> ImportSummary:
    started = time.perf_counter()
    problems, warnings = ProblemLog(), list[str]()
    rows = _read_rows(
        path, "workforce", mapping, problems, warnings, ("hire_date", "termination_date")
    )
    for line, row in rows:
        if row["npi"] is not None and not (row["npi"].isdigit() and len(row["npi"]) == 10):
            problems.add(path.name, line, "npi", f"{row['npi']!r} is not a 10-digit NPI")
    _first_wins(path.name, rows, "user_id", problems)
    problems.raise_if_any()
    with session_scope(engine) as session:
        batch = _batch(session, "workforce", path)
        ids = [row["user_id"] for _, row in rows]
        existing = 0
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            result = session.connection().execute(
                delete(Workforce).where(Workforce.user_id.in_(chunk))
            )
            existing += result.rowcount
        if rows:
            session.execute(
                insert(Workforce), [{**row, "import_batch_id": batch.id} for _, row in rows]
            )
        batch_id = _close_batch(
            session, batch, "workforce", len(rows), file=str(path), users=len(rows)
        )
    return ImportSummary(
        "workforce",
        path.name,
        batch_id,
        len(rows),
        len(rows) - existing,
        existing,
        warnings=warnings,
        seconds=time.perf_counter() - started,
    )


def import_care_team(engine: Engine, path: Path, mapping: Path | None = None) -> ImportSummary:
    started = time.perf_counter()
    problems, warnings = ProblemLog(), list[str]()
    rows = _read_rows(path, "care-team", mapping, problems, warnings, ("start_date", "end_date"))
    for line, row in rows:
        if row["start_date"] and row["end_date"] and row["end_date"] < row["start_date"]:
            problems.add(path.name, line, "end_date", "is before start_date")
    problems.raise_if_any()
    key = (CareTeam.patient_id, CareTeam.user_id, CareTeam.start_date, CareTeam.end_date)
    with session_scope(engine) as session:
        batch = _batch(session, "care-team", path)
        existing = {tuple(row) for row in session.execute(select(*key))}
        fresh, seen = [], set(existing)
        for _, row in rows:
            identity = (row["patient_id"], row["user_id"], row["start_date"], row["end_date"])
            if identity not in seen:
                seen.add(identity)
                fresh.append({**row, "import_batch_id": batch.id})
        if fresh:
            session.execute(insert(CareTeam), fresh)
        batch_id = _close_batch(
            session, batch, "care-team", len(rows), file=str(path), entries=len(fresh)
        )
    return ImportSummary(
        "care-team",
        path.name,
        batch_id,
        len(rows),
        len(fresh),
        already_present=len(rows) - len(fresh),
        warnings=warnings,
        seconds=time.perf_counter() - started,
    )


IMPORTERS = {
    "patients": import_patients,
    "workforce": import_workforce,
    "care-team": import_care_team,
}
