"""Set-based writing of parsed rows: ``executemany`` on SQLite, ``COPY`` on PostgreSQL.

A quarterly PTP table holds over a million rows; going through the ORM row by row would
take minutes. Rows stream from the parser straight into the driver, inside the caller's
transaction, so a problem found on the last line still leaves nothing behind. A parser
that checked its file column-wise hands over a pyarrow table instead: PostgreSQL then
takes it as CSV text, with no Python object per value.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import pyarrow as pa
from pyarrow import csv as pa_csv
from sqlalchemy import Connection, Table

BATCH_ROWS = 100_000
SQLITE_ROWS_PER_STATEMENT = 100  # 100 rows x 9 values stays far below SQLite's bind limit


def insert_rows(
    connection: Connection,
    table: Table,
    columns: Sequence[str],
    load_id: int,
    rows: Iterable[tuple[Any, ...]] | pa.Table,
) -> int:
    """Insert ``(load_id, *row)`` for every row; returns how many were written.

    ``rows`` is an iterable of tuples or a pyarrow table with ``columns`` in that order.
    """
    names = ", ".join(("load_id", *columns))
    driver = connection.connection.driver_connection
    dialect = connection.dialect.name
    if isinstance(rows, pa.Table) and dialect == "postgresql":
        _copy_csv(driver, f"COPY {table.name} ({names}) FROM STDIN (FORMAT csv)", load_id, rows)
        return rows.num_rows
    if isinstance(rows, pa.Table):
        rows = _python_rows(rows)
    counted = _Counter(load_id, rows)
    if dialect == "sqlite":
        _sqlite_insert(driver, f"INSERT INTO {table.name} ({names}) VALUES ", counted)
    elif dialect == "postgresql":
        with (
            driver.cursor() as cursor,  # type: ignore[union-attr]
            cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy,
        ):
            for row in counted:
                copy.write_row(row)
    else:  # any other database SQLAlchemy speaks: slower, but correct
        keys = ("load_id", *columns)
        batch: list[dict[str, Any]] = []
        for row in counted:
            batch.append(dict(zip(keys, row, strict=True)))
            if len(batch) == 10_000:
                connection.execute(table.insert(), batch)
                batch = []
        if batch:
            connection.execute(table.insert(), batch)
    return counted.count


def _sqlite_insert(driver: Any, statement: str, rows: Iterable[tuple[Any, ...]]) -> None:
    """Rows in statements of ``SQLITE_ROWS_PER_STATEMENT`` rows each (then the rest one by
    one): about a third faster than one statement per row, with the same values bound."""
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        return
    row = "(" + ", ".join("?" * len(first)) + ")"
    rest: list[tuple[Any, ...]] = []

    def chunks() -> Iterator[tuple[Any, ...]]:
        pending = itertools.chain([first], iterator)
        while chunk := list(itertools.islice(pending, SQLITE_ROWS_PER_STATEMENT)):
            if len(chunk) < SQLITE_ROWS_PER_STATEMENT:
                rest.extend(chunk)
                return
            yield tuple(itertools.chain.from_iterable(chunk))

    cursor = driver.cursor()
    try:
        many = ", ".join([row] * SQLITE_ROWS_PER_STATEMENT)
        cursor.executemany(statement + many, chunks())
        cursor.executemany(statement + row, rest)
    finally:
        cursor.close()


def _python_rows(table: pa.Table) -> Iterator[tuple[Any, ...]]:
    for batch in table.to_batches(max_chunksize=BATCH_ROWS):
        yield from zip(*(column.to_pylist() for column in batch.columns), strict=True)


def _copy_csv(driver: Any, statement: str, load_id: int, table: pa.Table) -> None:
    options = pa_csv.WriteOptions(include_header=False)
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        for batch in table.to_batches(max_chunksize=BATCH_ROWS):
            ids = pa.array(itertools.repeat(load_id, batch.num_rows), pa.int64())
            buffer = io.BytesIO()
            pa_csv.write_csv(
                pa.RecordBatch.from_arrays(
                    [ids, *batch.columns], names=["load_id", *batch.schema.names]
                ),
                buffer,
                options,
            )
            copy.write(buffer.getvalue())


class _Counter:
    """Prefixes each row with the load id and counts them as the driver pulls them."""

    def __init__(self, load_id: int, rows: Iterable[tuple[Any, ...]]) -> None:
        self.count = 0
        self._load_id = load_id
        self._rows = iter(rows)

    def __iter__(self) -> _Counter:
        return self

    def __next__(self) -> tuple[Any, ...]:
        row = next(self._rows)
        self.count += 1
        return (self._load_id, *row)
