"""Note rows, batch by batch, validated column-wise with the general reader's parsers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from auditkit.ingest.bulk.csv_batches import cells, record_batches
from auditkit.ingest.bulk.values import ColumnParser, Rejected, TimestampParser
from auditkit.ingest.claims_file import KEY
from auditkit.ingest.notes_file import DETAIL_PARSERS, parse_signed_at
from auditkit.ingest.tabular import Table

# Notes are long: about 1,600 per batch. (pyarrow reads dozens of blocks ahead, so the
# block size bounds memory too.)
BLOCK_SIZE = 2 << 20

# The note columns the bulk writer fills, after the encounter key, in this order.
NOTE_ROW = ("author_npi", "signed_at", "total_time_minutes", "mdm_level", "note_text")


@dataclass
class NoteRows:
    """Validated notes: ``encounter_id`` then the NOTE_ROW columns, one row per note."""

    batch: pa.RecordBatch

    @property
    def keys(self) -> list[str]:
        return self.batch.column(0).to_pylist()  # type: ignore[no-any-return]

    def rows(self, ids: list[int]) -> Iterator[tuple[Any, ...]]:
        """Rows of (encounter id, NOTE_ROW values), given each note's encounter id."""
        columns = (column.to_pylist() for column in self.batch.columns[1:])
        return zip(ids, *columns, strict=True)


class NotesBatches:
    """Reads one notes CSV (its header already resolved) into :class:`NoteRows`."""

    def __init__(self, path: Path, table: Table) -> None:
        self.path = path
        self.table = table
        self.key = ColumnParser(KEY)
        self.parsers = {
            "signed_at": TimestampParser(parse_signed_at),
            **{name: ColumnParser(parse, _type(name)) for name, parse in DETAIL_PARSERS.items()},
        }

    def __iter__(self) -> Iterator[NoteRows]:
        for batch in record_batches(self.path, self.table, multiline=True, block_size=BLOCK_SIZE):
            yield self._rows(batch)

    def _rows(self, batch: pa.RecordBatch) -> NoteRows:
        keys = self.key(cells(batch, self.table, "encounter_id"))
        text = cells(batch, self.table, "note_text")
        # A note must hold more than white space, as str.strip() sees it; any note with a
        # letter or digit does, the rest (rare) are asked directly.
        plain = pc.invert(pc.match_substring_regex(text, "[0-9A-Za-z]"))
        for candidate in text.filter(plain).to_pylist():
            if not candidate.strip():
                raise Rejected("a note is empty")
        values = [
            self.parsers[name](cells(batch, self.table, name))
            for name in NOTE_ROW
            if name != "note_text"
        ]
        return NoteRows(
            pa.RecordBatch.from_arrays([keys, *values, text], ["encounter_id", *NOTE_ROW])
        )


def _type(name: str) -> pa.DataType:
    return pa.int64() if name == "total_time_minutes" else pa.string()
