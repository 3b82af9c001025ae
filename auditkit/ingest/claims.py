"""``auditkit import claims``: claims.csv (and notes.csv) into the database, all or nothing.

The import runs in these steps inside one transaction:

1. read and validate every claim line, streaming, into temporary staging tables
   (claims_file, staging), and check the rules that span lines in SQL (checks); meanwhile
   a forked child reads and validates the notes into a spill file on the other core
   (beside, notes_file; on platforms without fork a thread does it during step 2);
2. if the claims are clean, merge them into the model's tables set-based (merge);
3. check the notes against the encounters and write them straight to the note table
   (notes_store);
4. if anything was wrong anywhere, raise :class:`~auditkit.errors.InputError` listing the
   problems: the transaction rolls back and the database is exactly as it was. Otherwise
   commit.
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import OperationalError

from auditkit.errors import DatabaseBusy
from auditkit.ingest import beside
from auditkit.ingest.beside import NotesReading
from auditkit.ingest.checks import check_staged
from auditkit.ingest.claims_file import ClaimsReader
from auditkit.ingest.columns import CLAIMS, NOTES
from auditkit.ingest.mapping import load_mapping
from auditkit.ingest.merge import Source, merge
from auditkit.ingest.notes_store import (
    NoteLoader,
    NoteSink,
    NoteSpill,
    NoteTable,
    NoteWriter,
    detach_notes,
)
from auditkit.ingest.problems import ProblemLog
from auditkit.ingest.staging import Staging
from auditkit.ingest.summary import ImportSummary, Progress
from auditkit.ingest.tabular import Table, open_table

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
    progress: Progress | None = None,
    *,
    bulk: bool = True,
) -> ImportSummary:
    """Import a claims file and, optionally, its notes file, in one transaction.

    Raises :class:`~auditkit.errors.InputError` listing every problem found (the first 50
    kept, the total counted) and leaves the database untouched when any input is bad.
    ``progress`` is called now and then with the number of claim lines read so far (it
    starts again from 0 when the bulk path declines). ``bulk=False`` skips the bulk path.
    Raises :class:`~auditkit.errors.DatabaseBusy` when another program holds the SQLite
    write lock longer than the busy timeout (5 s).
    """
    try:
        return _import_claims(engine, claims_path, notes_path, mapping_path, progress, bulk)
    except OperationalError as error:
        if getattr(error.orig, "sqlite_errorcode", None) in SQLITE_BUSY_CODES:
            raise DatabaseBusy from None
        raise


def _import_claims(
    engine: Engine,
    claims_path: Path,
    notes_path: Path | None,
    mapping_path: Path | None,
    progress: Progress | None,
    bulk: bool,
) -> ImportSummary:
    started = time.perf_counter()
    problems = ProblemLog()
    mapping = load_mapping(mapping_path, CLAIMS.columns + NOTES.columns, problems)
    declined: str | None = None
    with ThreadPoolExecutor(max_workers=1) as hasher:
        # Hashing releases the GIL, so it runs beside the parsing at no cost.
        digest = hasher.submit(_sha256, claims_path)
        if bulk and engine.dialect.name != "sqlite":
            declined = "the database is not SQLite"
        elif bulk and not problems:
            # Imported here: pyarrow takes a moment to load, and only SQLite imports need it.
            from auditkit.ingest.bulk import Declined, bulk_import

            try:
                summary = bulk_import(
                    engine,
                    claims_path,
                    notes_path,
                    mapping,
                    _source_name(claims_path, notes_path),
                    digest,
                    progress,
                )
            except Declined as reason:
                declined = str(reason)
            else:
                summary.seconds = time.perf_counter() - started
                return summary
        with engine.connect() as connection:
            try:
                with connection.begin():
                    _prepare(connection)
                    try:
                        summary = _import(
                            connection, claims_path, notes_path, mapping, problems, progress, digest
                        )
                    finally:
                        _finish(connection)
            finally:
                _restore(connection)
    summary.seconds = time.perf_counter() - started
    summary.bulk_declined = declined
    return summary


def _import(
    connection: Connection,
    claims_path: Path,
    notes_path: Path | None,
    mapping: dict[str, str],
    problems: ProblemLog,
    progress: Progress | None,
    digest: Future[str],
) -> ImportSummary:
    staging = Staging(connection)
    staging.create()
    claims = open_table(claims_path, CLAIMS, mapping, problems)
    notes = open_table(notes_path, NOTES, mapping, problems) if notes_path else None
    parked = tempfile.TemporaryFile()  # noqa: SIM115 - closed in the finally below
    scratch = tempfile.TemporaryDirectory(prefix="auditkit-import-")
    # On SQLite, with a forked reader, the notes are parked in a database file of their own
    # and copied over in SQL (notes_store.NoteLoader); otherwise pickled and replayed.
    in_sql = connection.dialect.name == "sqlite" and beside.FORK
    notes_db = Path(scratch.name) / "notes.sqlite"
    spill: NoteSink = NoteTable(notes_db) if in_sql else NoteSpill(parked)
    reading = NotesReading(notes, spill, problems)
    try:
        # The notes are parsed beside the claims (forked) or beside the merge (a thread).
        reading.start_beside_claims()
        lines = 0
        scattered = False
        names = None
        if claims is not None and claims.usable:
            reader = ClaimsReader(claims, problems, staging.add, progress)
            lines = reader.read().lines
            names = reader.names()
            staging.index()
            scattered = check_staged(connection, claims.file, problems)
        claims_clean = not problems
        merged = None
        reading.start_beside_merge()
        if claims_clean:
            source = Source(_source_name(claims_path, notes_path), digest.result(), lines)
            merged = merge(connection, source, scattered, names)
        reading.finish()
        written = 0
        if merged is not None and notes is not None and reading.notes is not None:
            if isinstance(spill, NoteTable):
                loader = NoteLoader(staging, notes.file, claims_path.name, problems)
                loader.load(notes_db)
                written = loader.written
            elif isinstance(spill, NoteSpill):
                writer = NoteWriter(staging, notes.file, claims_path.name, problems)
                spill.replay(writer)
                written = writer.written
    finally:
        reading.stop()
        parked.close()
        scratch.cleanup()  # an attached file goes once detached (see _restore)
        for table in (claims, notes):
            if table is not None:
                table.close()
    problems.raise_if_any()
    assert merged is not None  # no problems means the claims were merged
    staging.drop()
    return ImportSummary(
        batch_id=merged.batch_id,
        lines=lines,
        encounters=merged.encounters,
        notes=written,
        replaced_encounters=merged.replaced,
        warnings=_warnings(claims, notes),
    )


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
    """Foreign key checks back on for the pooled SQLite connection (see _prepare), and the
    parked notes detached from it."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("PRAGMA foreign_keys = ON")
        detach_notes(connection)


def _source_name(claims_path: Path, notes_path: Path | None) -> str:
    name = claims_path.name if notes_path is None else f"{claims_path.name} + {notes_path.name}"
    return name[:512]


def _warnings(*tables: Table | None) -> list[str]:
    return [warning for table in tables if table is not None for warning in table.warnings]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return ""  # the reader reports the unreadable file as a problem
    return digest.hexdigest()
