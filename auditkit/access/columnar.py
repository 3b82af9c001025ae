"""The fast path of a clean CSV access log: read and checked column-wise with pyarrow, in
batches (flat memory), written with ``executemany`` / ``COPY``.

It only decides "clean, and here are the typed columns" or "not clean": any doubt (an empty
required cell, a control character, an over-long value, a timestamp with an offset, a
missing event id, a row of the wrong width, bytes that are not UTF-8) makes the caller roll
this path back and read the file row by row, which names each problem's line and column
or handles the unusual rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from auditkit.access.specs import ACCESS_LOG, WIDTHS

MICROSECONDS_PER_DAY = 86_400_000_000
BLOCK = 8 << 20  # bytes of CSV per batch


class NotClean(Exception):
    """The file needs the row-by-row path."""


def clean_batches(path: Path, positions: list[int], width: int) -> Iterator[list[list[Any]]]:
    """Per batch of rows, the typed columns: event_id, timestamp text, day, user_id,
    patient_id, action, workstation, source, break_glass (0/1), reason."""
    import pyarrow as pa
    import pyarrow.compute as pc
    from pyarrow import csv

    names = [f"c{position}" for position in range(width)]
    try:
        reader = csv.open_csv(
            path,
            read_options=csv.ReadOptions(skip_rows=1, column_names=names, block_size=BLOCK),
            parse_options=csv.ParseOptions(newlines_in_values=True),
            convert_options=csv.ConvertOptions(
                column_types={name: pa.string() for name in names}, strings_can_be_null=False
            ),
        )
    except (pa.ArrowInvalid, OSError) as error:
        raise NotClean(str(error)) from None
    columns = ACCESS_LOG.columns
    empty = pa.array([""], pa.string())
    control = r"[\x00-\x1f\x7f]"
    control_free_text = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
    while True:
        try:
            batch = reader.read_next_batch()
        except StopIteration:
            return
        except pa.ArrowInvalid as error:
            raise NotClean(str(error)) from None
        rows = batch.num_rows
        cells: dict[str, Any] = {}
        for index, name in enumerate(columns):
            position = positions[index]
            if position >= width:
                cells[name] = pa.repeat(empty[0], rows)
                continue
            column = pc.utf8_trim_whitespace(batch.column(position))
            pattern = control_free_text if name in ACCESS_LOG.free_text else control
            if pc.any(pc.match_substring_regex(column, pattern)).as_py():
                raise NotClean(f"control character in {name}")
            lengths = pc.utf8_length(column)
            required = name in ACCESS_LOG.required or name == "event_id"
            if required and rows and pc.min(lengths).as_py() == 0:
                raise NotClean(f"empty {name}")
            if name in WIDTHS and rows and pc.max(lengths).as_py() > WIDTHS[name]:
                raise NotClean(f"{name} too long")
            cells[name] = column
        try:
            stamps = pc.cast(cells["timestamp"], pa.timestamp("us"))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            raise NotClean("timestamp needs the row path") from None
        glass = pc.utf8_lower(cells["break_glass"])
        yes = pc.is_in(glass, pa.array(["y", "yes", "true", "1"]))
        no = pc.is_in(glass, pa.array(["n", "no", "false", "0", ""]))
        if not pc.all(pc.or_(yes, no)).as_py():
            raise NotClean("break_glass")
        days = pc.divide(pc.cast(stamps, pa.int64()), MICROSECONDS_PER_DAY)  # after 1970

        def text(name: str, cells: dict[str, Any] = cells) -> list[Any]:
            column = cells[name]
            values: list[Any] = pc.if_else(pc.equal(column, ""), None, column).to_pylist()
            return values

        yield [
            cells["event_id"].to_pylist(),
            pc.strftime(stamps, "%Y-%m-%d %H:%M:%S").to_pylist(),
            days.to_pylist(),
            cells["user_id"].to_pylist(),
            cells["patient_id"].to_pylist(),
            pc.utf8_lower(cells["action"]).to_pylist(),
            text("workstation"),
            text("source"),
            pc.cast(yes, pa.int8()).to_pylist(),
            text("reason"),
        ]
