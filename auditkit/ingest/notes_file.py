"""Reading notes.csv: one documentation row per encounter, validated column-wise in batches.

The notes are read once the claims are merged, so each batch is resolved to encounter ids
and written straight into the note table (notes_store) without being parked anywhere: no
scratch copy of the note texts exists at any time.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from auditkit.ingest import validate as v
from auditkit.ingest.claims_file import KEY
from auditkit.ingest.columnwise import (
    NOTE_CONTROLS,
    ColumnParser,
    Where,
    any_of,
    control_characters,
    report_controls,
)
from auditkit.ingest.problems import ProblemLog
from auditkit.ingest.reading import InputFile

# Notes are long: about 1,600 per batch.
BLOCK_SIZE = 2 << 20

PARSERS: dict[str, v.Parser] = {
    "encounter_id": KEY,
    "author_npi": v.optional(v.npi),
    "signed_at": v.optional(v.timestamp),
    "total_time_minutes": v.optional(v.integer(0)),
    "mdm_level": v.optional(v.mdm_level),
}


@dataclass
class NoteRows:
    """Valid notes of one batch: encounter_key, line, then the note table's own columns."""

    rows: pa.Table


class NotesFile:
    """Reads one notes file into :class:`NoteRows`, reporting every problem."""

    def __init__(self, source: InputFile, problems: ProblemLog) -> None:
        self.source = source
        self.problems = problems
        self.parsers = {
            name: TimestampParser(name, parse)
            if name == "signed_at"
            else ColumnParser(name, parse, pa.int64() if name == "total_time_minutes" else None)
            for name, parse in PARSERS.items()
        }

    def __iter__(self) -> Iterator[NoteRows]:
        for batch in self.source.batches(self.problems, BLOCK_SIZE, multiline=True):
            where = Where(self.source.file, batch.lines, self.problems)
            bad = None
            values: dict[str, pa.Array] = {}
            for name in (*PARSERS, "note_text"):
                column = batch.columns[name]
                if name == "note_text":
                    # The other columns' parsers refuse control characters themselves.
                    found = control_characters(column, NOTE_CONTROLS)
                    if found is not None:
                        report_controls(where, name, column, found)
                        column = pc.if_else(found, pa.scalar(None, pa.string()), column)
                        bad = any_of(bad, found)
                    values[name] = column
                    bad = any_of(bad, self._empty_notes(column, where))
                else:
                    values[name], invalid = self.parsers[name](column, where)
                    bad = any_of(bad, invalid)
            rows = pa.table(
                {
                    "encounter_key": values.pop("encounter_id"),
                    "line": batch.lines,
                    **values,
                }
            )
            if bad is not None:
                rows = rows.filter(pc.invert(bad))
            yield NoteRows(rows)

    def _empty_notes(self, texts: pa.Array, where: Where) -> pa.Array | None:
        """A note must hold more than white space (as str.strip sees it): any note with a
        letter or digit does; the rest, rare, are asked directly."""
        plain = pc.fill_null(pc.invert(pc.match_substring_regex(texts, "[0-9A-Za-z]")), False)
        if not pc.any(plain).as_py():
            return None
        empty = [
            bool(is_plain) and not (text or "").strip() and text is not None
            for is_plain, text in zip(plain.to_pylist(), texts.to_pylist(), strict=True)
        ]
        mask = pa.array(empty, pa.bool_())
        where.report("note_text", mask, lambda index: "is empty, but a note is required")
        return mask


class TimestampParser(ColumnParser):
    """signed_at: the usual form, ``YYYY-MM-DDTHH:MM:SS`` without offset, converted column-wise
    to what validate.timestamp returns for it (``YYYY-MM-DD HH:MM:SS.000000``); every other
    text goes to that parser. Nearly every note has a time of its own, so a cache of
    distinct texts would not help.

    A text is taken only if Arrow reads it as a date and time and writes it back unchanged:
    Arrow rolls ``02-30`` over to March and a 60th second into the next minute, so the round
    trip leaves exactly the real calendar dates and times, as Python's parser does.
    """

    USUAL = r"^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$"
    FORMAT = "%Y-%m-%dT%H:%M:%S"

    def __call__(self, texts: pa.Array, where: Where) -> tuple[pa.Array, pa.Array | None]:
        usual = pc.fill_null(pc.match_substring_regex(texts, self.USUAL), False)
        moments = pc.strptime(
            pc.if_else(usual, texts, pa.scalar(None, pa.string())),
            format=self.FORMAT,
            unit="s",
            error_is_null=True,
        )
        real = pc.fill_null(pc.equal(pc.strftime(moments, format=self.FORMAT), texts), False)
        date_time = pc.binary_join_element_wise(
            pc.utf8_slice_codeunits(texts, 0, 10), pc.utf8_slice_codeunits(texts, 11, 19), " "
        )
        converted = pc.binary_join_element_wise(date_time, ".000000", "")
        if pc.all(real).as_py():
            return converted, None
        others = pc.if_else(real, pa.scalar(None, pa.string()), texts)
        parsed, invalid = self._parsed(others, where)
        return pc.if_else(real, converted, parsed), invalid
