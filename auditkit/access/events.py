"""Validating access-log rows and writing them set-based (SQLite ``executemany`` on the raw
driver connection, PostgreSQL ``COPY`` through a staging table), in the caller's
transaction. An event id already in the database is not imported twice."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import Connection

from auditkit.access import values
from auditkit.access.specs import ACCESS_LOG, WIDTHS
from auditkit.ingest.problems import ProblemLog

COLUMNS = ACCESS_LOG.columns
EVENT_ID, TIMESTAMP, USER, PATIENT, ACTION, WORKSTATION, SOURCE, BREAK_GLASS, REASON = range(9)
Event = tuple[str, Any, str, str, str, str | None, str | None, bool, str | None, int]
BATCH = 20_000


def generated_id(cells: list[str]) -> str:
    """An id from a hash of the row's canonical cells: re-importing the same row finds it."""
    digest = hashlib.blake2b("\x1f".join(cells[:9]).encode(), digest_size=12)
    return "h" + digest.hexdigest()


def validate(
    file: str, rows: Iterable[tuple[int, list[str]]], problems: ProblemLog
) -> Iterator[tuple[str, dt.datetime, str, str, str, str | None, str | None, bool, str | None]]:
    """Each row checked; good rows yielded as typed tuples, problems logged with line and
    column (the reading goes on, so one run reports every problem)."""
    check_controls = values.CONTROL_OR_BREAK.search
    for line, cells in rows:
        cells = [cell.strip() for cell in cells]
        if check_controls("".join(cells[:REASON])) or values.control_problem(cells[REASON], True):
            for position, name in enumerate(COLUMNS):
                problem = values.control_problem(cells[position], name in ACCESS_LOG.free_text)
                if problem:
                    problems.add(file, line, name, problem)
            continue
        bad = False
        for position in (TIMESTAMP, USER, PATIENT, ACTION):
            if not cells[position]:
                problems.add(file, line, COLUMNS[position], "is required but empty")
                bad = True
        for position in (EVENT_ID, USER, PATIENT, ACTION, WORKSTATION, SOURCE):
            if len(cells[position]) > WIDTHS[COLUMNS[position]]:
                problems.add(
                    file,
                    line,
                    COLUMNS[position],
                    f"is longer than {WIDTHS[COLUMNS[position]]} characters",
                )
                bad = True
        try:
            when = values.timestamp(cells[TIMESTAMP]) if cells[TIMESTAMP] else None
            glass = values.flag(cells[BREAK_GLASS])
        except values.BadValue as error:
            column = "timestamp" if "timestamp" in str(error) else "break_glass"
            problems.add(file, line, column, str(error))
            continue
        if bad or when is None:
            continue
        yield (
            cells[EVENT_ID] or generated_id(cells),
            when,
            cells[USER],
            cells[PATIENT],
            cells[ACTION].lower(),
            cells[WORKSTATION] or None,
            cells[SOURCE] or None,
            glass,
            cells[REASON] or None,
        )


EPOCH_ORDINAL = 719163  # date(1970, 1, 1).toordinal()
INSERT_COLUMNS = (
    "event_id, timestamp, day, user_id, patient_id, action, workstation, source, break_glass,"
    " reason"
)


def stored_rows(events: Iterable[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """Validated events as stored: timestamp text (SQLAlchemy's SQLite layout, which
    PostgreSQL's COPY reads too), day number, break_glass as 0/1."""
    for e in events:
        when = e[1]
        yield (
            e[0],
            when.isoformat(" ", "microseconds"),
            when.toordinal() - EPOCH_ORDINAL,
            *e[2:7],
            int(e[7]),
            e[8],
        )


def write_events(
    connection: Connection,
    rows: Iterable[tuple[Any, ...]],
    batch_id: int,
    problems: ProblemLog,
) -> tuple[int, int]:
    """Write stored rows (until the first problem: then only validation goes on).
    Returns (rows read, rows inserted); an event id already stored is not inserted."""
    if connection.dialect.name == "postgresql":
        return _write_postgres(connection, rows, batch_id, problems)
    return _write_sqlite(connection, rows, batch_id, problems)


def _batches(rows: Iterable[tuple[Any, ...]]) -> Iterator[list[tuple[Any, ...]]]:
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _write_sqlite(
    connection: Connection, rows: Iterable[tuple[Any, ...]], batch_id: int, problems: ProblemLog
) -> tuple[int, int]:
    raw = connection.connection.driver_connection
    assert raw is not None
    cursor = raw.cursor()
    # A larger page cache for this import: the unique index on event_id is random-ordered.
    cursor.execute("PRAGMA cache_size = -262144")
    before = raw.total_changes
    read = 0
    statement = (
        f"INSERT OR IGNORE INTO access_event ({INSERT_COLUMNS}, import_batch_id)"
        f" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, {int(batch_id)})"
    )
    for batch in _batches(rows):
        read += len(batch)
        if not problems:
            cursor.executemany(statement, batch)
    inserted = raw.total_changes - before
    cursor.close()
    return read, inserted


def _write_postgres(
    connection: Connection, rows: Iterable[tuple[Any, ...]], batch_id: int, problems: ProblemLog
) -> tuple[int, int]:
    raw = connection.connection.driver_connection
    assert raw is not None
    read = 0
    with raw.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE IF NOT EXISTS access_event_staging"
            " (LIKE access_event INCLUDING DEFAULTS) ON COMMIT DROP"
        )
        cursor.execute("TRUNCATE access_event_staging")
        with cursor.copy(f"COPY access_event_staging ({INSERT_COLUMNS}) FROM STDIN") as copy:
            for batch in _batches(rows):
                read += len(batch)
                if problems:
                    continue
                for row in batch:
                    copy.write_row(row)
        if problems:
            return read, 0
        cursor.execute(
            f"INSERT INTO access_event ({INSERT_COLUMNS}, import_batch_id)"
            f" SELECT DISTINCT ON (event_id) {INSERT_COLUMNS}, %s FROM access_event_staging"
            " ORDER BY event_id ON CONFLICT (event_id) DO NOTHING",
            (batch_id,),
        )
        inserted = cursor.rowcount
        cursor.execute("TRUNCATE access_event_staging")
    return read, inserted
