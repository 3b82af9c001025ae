"""Reading a CSV file as Arrow record batches of strings, at C speed, or saying it can't.

pyarrow's CSV reader parses on background threads and releases the GIL, but it is more
lenient than the general reader (``csv.reader(strict=True)``): it reads ``"x"y`` as ``xy``
where we report a quoting error. :func:`quoting_is_plain` finds every quote that is not
where RFC 4180 puts one, so such files go to the general path, which reports them.
"""

from __future__ import annotations

import codecs
import csv
import mmap
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from auditkit.ingest.bulk.ahead import prefetched
from auditkit.ingest.tabular import FIELD_SIZE_LIMIT, Table

QUOTE = ord('"')
# What may stand before an opening quote and after a closing one (besides another quote).
_BEFORE_OPENING = np.array([ord(","), ord("\n"), ord("\r"), QUOTE], dtype=np.uint8)
_AFTER_CLOSING = np.array([ord(","), ord("\n"), ord("\r"), QUOTE], dtype=np.uint8)
SCAN_CHUNK = 32 << 20  # a multiple of mmap.ALLOCATIONGRANULARITY
# Record batches parsed ahead of the one being checked. (pyarrow's own threaded reader
# reads ahead without a bound when its consumer is slower: a third of the notes file was in
# memory at once.)
PREFETCH = 2


class Unreadable(Exception):
    """The file is not for the bulk reader; the general reader will say what is wrong."""


def quoting_is_plain(path: Path) -> bool:
    """Whether every quote in the file opens a field, closes one, or is doubled inside one.

    Counting quotes tells which ones open a quoted field (the 1st, 3rd, ...) and which close
    it; a doubled quote is a close immediately followed by an open. An opening quote must
    follow a delimiter or line break, a closing one must be followed by one, and the file
    must not end inside quotes. Anything else is left to the general reader.
    """
    size = path.stat().st_size
    seen = 0  # quotes before this chunk: their parity says whether we are inside quotes
    previous = ord("\n")  # the byte before the chunk; the file start counts as a line start
    with path.open("rb") as handle:
        # One chunk mapped at a time (plus the byte after it), so the scan's memory stays
        # the same whatever the size of the file.
        for start in range(0, size, SCAN_CHUNK):
            end = min(start + SCAN_CHUNK, size)
            length = min(end + 1, size) - start
            with mmap.mmap(handle.fileno(), length, access=mmap.ACCESS_READ, offset=start) as view:
                data = np.frombuffer(view, dtype=np.uint8)
                try:
                    count = _chunk_quotes(data, end - start, seen, previous)
                    previous = int(data[end - start - 1])
                finally:
                    del data  # the map cannot close while a view of it lives
            if count is None:
                return False
            seen += count
    return seen % 2 == 0


def _chunk_quotes(data: np.ndarray, size: int, seen: int, previous: int) -> int | None:
    """The number of quotes in ``data[:size]``, or None if one is out of place; ``data`` may
    hold one byte more, the one after the chunk (else the file ends there)."""
    positions = np.flatnonzero(data[:size] == QUOTE)
    if not positions.size:
        return 0
    opening = (np.arange(positions.size) + seen) % 2 == 0
    before = np.where(positions > 0, data[np.maximum(positions - 1, 0)], previous)
    if not np.isin(before[opening], _BEFORE_OPENING).all():
        return None
    last = data.size - 1
    after = np.where(positions < last, data[np.minimum(positions + 1, last)], ord("\n"))
    if not np.isin(after[~opening], _AFTER_CLOSING).all():
        return None
    return int(positions.size)


def header_is_first_line(path: Path, table: Table) -> bool:
    """Whether the header is the file's first physical line (the bulk reader skips one row)."""
    with path.open("rb") as handle:
        first = handle.readline(1 << 20)
    if first.startswith(codecs.BOM_UTF8):
        first = first[len(codecs.BOM_UTF8) :]
    try:
        cells = next(csv.reader([first.decode("utf-8").rstrip("\r\n")], strict=True))
    except (UnicodeDecodeError, csv.Error, StopIteration):
        return False
    return cells == table.header


def record_batches(
    path: Path, table: Table, *, multiline: bool, block_size: int
) -> Iterator[pa.RecordBatch]:
    """The data rows of ``path`` in batches; column ``c{i}`` is header cell ``i``, as text.

    Every column is converted, known or not, so bytes that are not UTF-8 anywhere are
    caught (the general reader reports those). Raises :class:`Unreadable` for anything
    the bulk reader does not accept.
    """
    names = [f"c{position}" for position in range(len(table.header))]
    try:
        reader = pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(
                column_names=names, skip_rows=1, block_size=block_size, use_threads=False
            ),
            parse_options=pacsv.ParseOptions(newlines_in_values=multiline),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        for batch in prefetched(reader, PREFETCH, "auditkit-csv-parse"):
            if batch.nbytes > FIELD_SIZE_LIMIT:  # else no cell can be over the limit
                for column in batch.columns:
                    longest = pc.max(pc.binary_length(column)).as_py()
                    if longest is not None and longest > FIELD_SIZE_LIMIT:
                        raise Unreadable("a cell is larger than the CSV field limit")
            yield batch
    except (pa.ArrowInvalid, OSError) as error:
        raise Unreadable(str(error).splitlines()[0]) from None


def cells(rows: pa.RecordBatch | pa.Table, table: Table, name: str) -> pa.Array:
    """The column ``name`` of rows read by :func:`record_batches`; an absent optional column
    reads as empty cells."""
    position = table.index.get(name)
    if position is None:
        return pa.repeat("", rows.num_rows)
    column = rows.column(f"c{position}")
    return column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
