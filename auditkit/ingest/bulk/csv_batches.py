"""Reading a CSV file as Arrow record batches of strings, at C speed, or saying it can't.

pyarrow's CSV reader parses on background threads and releases the GIL, but it is more
lenient than the general reader (``csv.reader(strict=True)``): it reads ``"x"y`` as ``xy``
where we report a quoting error. :func:`quoting_is_plain` finds every quote that is not
where RFC 4180 puts one, so such files go to the general path, which reports them.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from auditkit.ingest.tabular import FIELD_SIZE_LIMIT, Table

QUOTE = ord('"')
# What may stand before an opening quote and after a closing one (besides another quote).
_BEFORE_OPENING = np.array([ord(","), ord("\n"), ord("\r"), QUOTE], dtype=np.uint8)
_AFTER_CLOSING = np.array([ord(","), ord("\n"), ord("\r"), QUOTE], dtype=np.uint8)
SCAN_CHUNK = 32 << 20


class Unreadable(Exception):
    """The file is not for the bulk reader; the general reader will say what is wrong."""


def quoting_is_plain(path: Path) -> bool:
    """Whether every quote in the file opens a field, closes one, or is doubled inside one.

    Counting quotes tells which ones open a quoted field (the 1st, 3rd, ...) and which close
    it; a doubled quote is a close immediately followed by an open. An opening quote must
    follow a delimiter or line break, a closing one must be followed by one, and the file
    must not end inside quotes. Anything else is left to the general reader.
    """
    seen = 0  # quotes before this chunk: their parity says whether we are inside quotes
    previous_byte = ord("\n")  # the file start counts as a line start
    with path.open("rb") as handle:
        chunk = handle.read(SCAN_CHUNK)
        while chunk:
            following = handle.read(SCAN_CHUNK)
            data = np.frombuffer(chunk, dtype=np.uint8)
            positions = np.flatnonzero(data == QUOTE)
            if positions.size:
                opening = (np.arange(positions.size) + seen) % 2 == 0
                before = np.where(
                    positions > 0, data[np.maximum(positions - 1, 0)], previous_byte
                ).astype(np.uint8)
                if not np.isin(before[opening], _BEFORE_OPENING).all():
                    return False
                last = positions == data.size - 1
                next_byte = following[0] if following else ord("\n")  # end of file closes
                after = np.where(
                    last, next_byte, data[np.minimum(positions + 1, data.size - 1)]
                ).astype(np.uint8)
                if not np.isin(after[~opening], _AFTER_CLOSING).all():
                    return False
                seen += positions.size
            previous_byte = int(data[-1])
            chunk = following
    return seen % 2 == 0


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
                column_names=names, skip_rows=1, block_size=block_size, use_threads=True
            ),
            parse_options=pacsv.ParseOptions(newlines_in_values=multiline),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        for batch in reader:
            if batch.nbytes > FIELD_SIZE_LIMIT:  # else no cell can be over the limit
                for column in batch.columns:
                    longest = pc.max(pc.binary_length(column)).as_py()
                    if longest is not None and longest > FIELD_SIZE_LIMIT:
                        raise Unreadable("a cell is larger than the CSV field limit")
            yield batch
    except (pa.ArrowInvalid, OSError) as error:
        raise Unreadable(str(error).splitlines()[0]) from None
