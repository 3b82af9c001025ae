"""``auditkit import claims``: claims.csv (and notes.csv) into the database, all or nothing.

One path for every import, on SQLite and PostgreSQL, new claims or re-imported ones. Inside
one transaction:

1. the claims are read with pyarrow and validated column by column (claims_file); the valid
   rows of each batch are appended to temporary staging tables (staging), and the rules
   across rows are checked in SQL once every line is read (consistency);
2. if the claims are clean, they are merged into the model's tables with a handful of
   set-based statements: upserts of patients, providers and coders, replaced encounters
   keeping their ids, lines and diagnoses (merge);
3. the notes are read and validated the same way, batch by batch, and written straight into
   the note table (notes_file, notes_store): note texts are never parked in a scratch file;
4. if anything was wrong anywhere, :class:`~auditkit.errors.InputError` lists the problems,
   the transaction rolls back and the database is exactly as it was. Otherwise it commits.

Beside this, one thread hashes the claims file and scans both files' quoting (hashlib and
numpy let go of the GIL), and pyarrow parses the next batch on another while this one is
validated and written.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from auditkit import trail
from auditkit.errors import DatabaseBusy
from auditkit.ingest.claims_file import ClaimsFile
from auditkit.ingest.columns import CLAIMS, NOTES
from auditkit.ingest.consistency import check_across_rows
from auditkit.ingest.mapping import load_mapping
from auditkit.ingest.merge import Source, merge
from auditkit.ingest.notes_file import NotesFile
from auditkit.ingest.notes_store import NoteWriter
from auditkit.ingest.problems import ProblemLog
from auditkit.ingest.reading import InputFile, open_input
from auditkit.ingest.staging import Staging
from auditkit.ingest.strict_csv import quoting_is_plain, report_csv_problems
from auditkit.ingest.summary import ImportSummary

SQLITE_BUSY_CODES = (5, 6)  # SQLITE_BUSY, SQLITE_LOCKED

# SQLite's default page cache (2 MiB) thrashes on a bulk load's index inserts. 64 MiB (for
# the database and again for the staging tables) is as fast as 256 MiB was, at less than
# half the peak memory; it is given back when the import ends.
SQLITE_IMPORT_CACHE_KIB = 64 * 1024


def import_claims(
    engine: Engine,
    claims_path: Path,
    notes_path: Path | None = None,
    mapping_path: Path | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Import a claims file and, optionally, its notes file, in one transaction.

    Raises :class:`~auditkit.errors.InputError` listing every problem found (the first 50
    kept, the total counted) and leaves the database untouched when any input is bad.
    ``progress`` is called now and then with the number of claim lines read so far.
    Raises :class:`~auditkit.errors.DatabaseBusy` when another program holds the SQLite
    write lock longer than the busy timeout (5 s).
    """
    try:
        return _import_claims(engine, claims_path, notes_path, mapping_path, progress)
    except OperationalError as error:
        if getattr(error.orig, "sqlite_errorcode", None) in SQLITE_BUSY_CODES:
            raise DatabaseBusy from None
        raise


def _import_claims(
    engine: Engine,
    claims_path: Path,
    notes_path: Path | None,
    mapping_path: Path | None,
    progress: Callable[[int], None] | None,
) -> ImportSummary:
    started = time.perf_counter()
    problems = ProblemLog()
    mapping = load_mapping(mapping_path, CLAIMS.columns + NOTES.columns, problems)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="auditkit-scan") as scanner:
        digest = scanner.submit(_sha256, claims_path)
        with engine.connect() as connection:
            try:
                with connection.begin():
                    _prepare(connection)
                    try:
                        summary = _import(
                            connection,
                            claims_path,
                            notes_path,
                            mapping,
                            problems,
                            progress,
                            digest,
                            scanner,
                        )
                    finally:
                        _finish(connection)
            finally:
                _restore(connection)
    summary.seconds = time.perf_counter() - started
    return summary


def _import(
    connection: Connection,
    claims_path: Path,
    notes_path: Path | None,
    mapping: dict[str, str],
    problems: ProblemLog,
    progress: Callable[[int], None] | None,
    digest: Future[str],
    scanner: ThreadPoolExecutor,
) -> ImportSummary:
    staging = Staging(connection)
    staging.create()
    claims = open_input(claims_path, CLAIMS, mapping, problems)
    notes = open_input(notes_path, NOTES, mapping, problems) if notes_path else None
    plain = {
        source.path: scanner.submit(_plain, source)
        for source in (claims, notes)
        if source is not None and source.usable
    }
    lines = 0
    scattered = False
    if claims is not None and claims.usable:
        for staged in ClaimsFile(claims, problems):
            lines += staged.records
            staging.encounters.write(staged.encounters)
            staging.lines.write(staged.lines)
            if progress is not None:
                progress(lines)
        _check_quoting(claims, plain, problems)
        staging.index()
        scattered = check_across_rows(connection, claims.file, problems)
    merged = None
    if not problems:
        source = Source(_source_name(claims_path, notes_path), digest.result(), lines)
        merged = merge(connection, source, scattered)
        _record_in_trail(connection, merged.batch_id, claims_path, notes_path, lines)
    written = 0
    if notes is not None and notes.usable:
        writer = NoteWriter(connection, notes.file, claims_path.name, problems) if merged else None
        for rows in NotesFile(notes, problems):
            if writer is not None:
                writer.write(rows)
        _check_quoting(notes, plain, problems)
        written = writer.written if writer is not None else 0
    problems.raise_if_any()
    assert merged is not None  # no problems means the claims were merged
    staging.drop()
    return ImportSummary(
        batch_id=merged.batch_id,
        lines=lines,
        encounters=merged.encounters,
        notes=written,
        replaced_encounters=merged.replaced,
        warnings=[*_warnings(claims), *_warnings(notes)],
    )


def _record_in_trail(
    connection: Connection,
    batch_id: int,
    claims_path: Path,
    notes_path: Path | None,
    lines: int,
) -> None:
    """The import's entry in auditkit's access trail, in the import's own transaction."""
    with Session(bind=connection) as session:
        trail.record(
            session,
            "import claims",
            "write",
            f"import_batch:{batch_id}",
            claims=str(claims_path),
            notes=str(notes_path) if notes_path else None,
            lines=lines,
        )


def _plain(source: InputFile) -> bool:
    return source.is_xlsx or quoting_is_plain(source.path)


def _check_quoting(
    source: InputFile, plain: dict[Path, Future[bool]], problems: ProblemLog
) -> None:
    """A quote where RFC 4180 puts none: pyarrow read past it, the strict reader names it."""
    if not plain[source.path].result():
        report_csv_problems(source, problems, line_breaks=source.spec.kind == "claims")


def _prepare(connection: Connection) -> None:
    """On SQLite, take the write lock now and give the load a page cache worth having.

    ``BEGIN IMMEDIATE`` makes the staging DDL part of the transaction (the sqlite3 module
    would otherwise run it outside one) and keeps other writers out while we validate
    against the database's current encounters.
    """
    if connection.dialect.name == "sqlite":
        # The merge takes every id it writes from a join, so SQLite need not look each one
        # up again. The pragma is ignored inside a transaction: it goes first, and
        # _restore turns the checks back on once the transaction is over.
        connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
        connection.exec_driver_sql("BEGIN IMMEDIATE")
        for schema in ("main", "temp"):
            connection.exec_driver_sql(f"PRAGMA {schema}.cache_size = -{SQLITE_IMPORT_CACHE_KIB}")


def _finish(connection: Connection) -> None:
    """Give the pooled SQLite connection its default page cache back."""
    if connection.dialect.name == "sqlite":
        for schema in ("main", "temp"):
            connection.exec_driver_sql(f"PRAGMA {schema}.cache_size = -2000")


def _restore(connection: Connection) -> None:
    """Foreign key checks back on for the pooled SQLite connection (see _prepare)."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("PRAGMA foreign_keys = ON")


def _source_name(claims_path: Path, notes_path: Path | None) -> str:
    name = claims_path.name if notes_path is None else f"{claims_path.name} + {notes_path.name}"
    return name[:512]


def _warnings(source: InputFile | None) -> list[str]:
    return source.warnings if source is not None else []


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return ""  # the reader reports the unreadable file as a problem
    return digest.hexdigest()
