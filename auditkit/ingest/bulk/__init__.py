"""The bulk path of ``import claims``: a clean CSV import into SQLite at C speed.

Most imports are a well-formed export of new claims: every line valid, the lines of each
encounter together. For those the bulk path reads the CSV with pyarrow, validates column by
column (each distinct text once, with the general path's own parsers) and writes every row
once, straight into the model's tables (:mod:`~auditkit.ingest.bulk.sqlite_writer`).

It is an accelerator, not a second opinion. It accepts exactly what the general path
(:mod:`auditkit.ingest.claims`) accepts and writes the same rows; whenever it meets
anything else (a problem in the input, an encounter to replace, lines of one encounter
apart, a notes row for an older encounter, an .xlsx file, a quote where RFC 4180 puts
none) it rolls its transaction back and declines, and the general path imports the files
and reports every problem with its line and column. A declined bulk import costs time,
never data.
"""

from __future__ import annotations

import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import Engine

from auditkit.ingest.beside import FORK
from auditkit.ingest.bulk.claims import ClaimsBatches
from auditkit.ingest.bulk.csv_batches import Unreadable, header_is_first_line, quoting_is_plain
from auditkit.ingest.bulk.notes import NotesBatches
from auditkit.ingest.bulk.values import Rejected
from auditkit.ingest.bulk.writer_process import WriterGone, WriterProcess
from auditkit.ingest.columns import CLAIMS, NOTES, FileSpec
from auditkit.ingest.problems import ProblemLog
from auditkit.ingest.summary import ImportSummary, Progress
from auditkit.ingest.tabular import Table, open_table


class Declined(Exception):
    """The bulk path does not take these files; the reason is the message."""


def bulk_import(
    engine: Engine,
    claims_path: Path,
    notes_path: Path | None,
    mapping: dict[str, str],
    source_name: str,
    digest: Future[str],
    progress: Progress | None = None,
) -> ImportSummary:
    """Import through the bulk path or raise :class:`Declined` having written nothing."""
    started = time.perf_counter()
    database = _sqlite_file(engine)
    claims = _csv_table(claims_path, CLAIMS, mapping)
    notes = _csv_table(notes_path, NOTES, mapping) if notes_path is not None else None
    # The writer is forked before pyarrow starts threads of its own, and after the engine's
    # idle connections are closed, so that neither process holds an inherited SQLite handle.
    engine.dispose()
    writer = WriterProcess(database, source_name)
    with ThreadPoolExecutor(max_workers=1) as scanner:
        # numpy lets go of the GIL: the quoting scan runs beside the reading.
        plain = scanner.submit(_quoting_is_plain, [claims_path, notes_path])
        try:
            lines = 0
            for runs in ClaimsBatches(claims_path, claims):
                writer.write_claims(runs)
                lines += runs.lines
                if progress is not None:
                    progress(lines)
            if notes is not None and notes_path is not None:
                for rows in NotesBatches(notes_path, notes):
                    writer.write_notes(rows)
            if not plain.result():
                raise Rejected("quotes outside RFC 4180 quoting")
            batch_id, encounters, written_notes = writer.finish(digest.result(), lines)
        except (Rejected, Unreadable, WriterGone) as reason:
            raise Declined(str(reason)) from None
        finally:
            writer.close()
    return ImportSummary(
        batch_id=batch_id,
        lines=lines,
        encounters=encounters,
        notes=written_notes,
        replaced_encounters=0,
        warnings=[*claims.warnings, *(notes.warnings if notes is not None else [])],
        seconds=time.perf_counter() - started,
        method="bulk",
    )


def _sqlite_file(engine: Engine) -> str:
    if engine.dialect.name != "sqlite":
        raise Declined("the database is not SQLite")
    if not FORK:
        raise Declined("this platform cannot fork the writer process")
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise Declined("the SQLite database is not a plain file")
    # A connection of this process in use might hold a lock the writer would wait for.
    checked_out = getattr(engine.pool, "checkedout", None)
    if checked_out is None or checked_out():
        raise Declined("a connection to the database is in use")
    return database


def _csv_table(path: Path, spec: FileSpec, mapping: dict[str, str]) -> Table:
    if path.suffix.lower() == ".xlsx":
        raise Declined("an .xlsx file")
    problems = ProblemLog()
    table = open_table(path, spec, mapping, problems)
    if table is None or problems:
        raise Declined(f"{path.name}: its header has problems")
    table.close()
    if not header_is_first_line(path, table):
        raise Declined(f"{path.name}: the header is not the first line")
    return table


def _quoting_is_plain(paths: list[Path | None]) -> bool:
    return all(quoting_is_plain(path) for path in paths if path is not None)
