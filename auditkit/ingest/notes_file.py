"""Reading notes.csv: one documentation row per encounter, validated and staged in batches.

Whether each encounter_id exists (in the claims file or the database) and appears only once
is decided afterwards in SQL over the staged rows, so nothing per note is kept in memory.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from auditkit.ingest import validate as v
from auditkit.ingest.claims_file import KEY_LENGTH
from auditkit.ingest.problems import ProblemLog, quote
from auditkit.ingest.records import ColumnGroup, GroupInvalid
from auditkit.ingest.tabular import Table

BATCH_ROWS = 5_000  # notes are large: smaller batches keep memory flat

# Columns whose values repeat (cached); signed_at is nearly unique, so it is parsed per row.
DETAIL_PARSERS: dict[str, v.Parser] = {
    "author_npi": v.optional(v.npi),
    "total_time_minutes": v.optional(v.integer(0)),
    "mdm_level": v.optional(v.mdm_level),
}
parse_signed_at = v.optional(v.timestamp)

Sink = Callable[[str, list[tuple[Any, ...]]], None]


def read_notes(table: Table, problems: ProblemLog, sink: Sink) -> int:
    """Validate every note row and stage the valid ones; returns the number of rows read.

    Staged rows follow the column order of the ``stg_note`` table.
    """
    key_position, signed_position, text_position = table.positions(
        ["encounter_id", "signed_at", "note_text"]
    )
    details = ColumnGroup(tuple(DETAIL_PARSERS), DETAIL_PARSERS, table.positions(DETAIL_PARSERS))
    rows: list[tuple[Any, ...]] = []
    count = 0
    for number, record in table.records:
        count += 1
        key = record[key_position].strip()
        text = record[text_position]
        try:
            signed_at = parse_signed_at(record[signed_position])
            values = details(record)
        except (v.Invalid, GroupInvalid):
            values = None
        if values is None or not key or len(key) > KEY_LENGTH or not text.strip():
            _report(table, number, record, details, problems)
            continue
        rows.append((key, number, signed_at, *values, text))
        if len(rows) >= BATCH_ROWS:
            sink("notes", rows)
            rows = []
    if rows:
        sink("notes", rows)
    return count


def _report(
    table: Table,
    number: int,
    record: list[str],
    details: ColumnGroup,
    problems: ProblemLog,
) -> None:
    """Say everything that is wrong with a rejected note row."""
    key_position, signed_position, text_position = table.positions(
        ["encounter_id", "signed_at", "note_text"]
    )
    raw_key = record[key_position]
    if not raw_key.strip():
        problems.add(table.file, number, "encounter_id", "is empty, but a value is required")
    elif len(raw_key.strip()) > KEY_LENGTH:
        problems.add(table.file, number, "encounter_id", f"{quote(raw_key)} is too long")
    try:
        parse_signed_at(record[signed_position])
    except v.Invalid as error:
        problems.add(table.file, number, "signed_at", f"{quote(record[signed_position])} {error}")
    try:
        details(record)
    except GroupInvalid as error:
        for column, raw, reason in error.errors:
            problems.add(table.file, number, column, f"{quote(raw)} {reason}")
    if not record[text_position].strip():
        problems.add(table.file, number, "note_text", "is empty, but a note is required")
