"""Set-based writing of parsed rows: ``executemany`` on SQLite, ``COPY`` on PostgreSQL.

A quarterly PTP table holds over a million rows; going through the ORM row by row would
take minutes. Rows stream from the parser straight into the driver, inside the caller's
transaction, so a problem found on the last line still leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Table


def insert_rows(
    connection: Connection,
    table: Table,
    columns: Sequence[str],
    load_id: int,
    rows: Iterable[tuple[Any, ...]],
) -> int:
    """Insert ``(load_id, *row)`` for every row; returns how many were written."""
    counted = _Counter(load_id, rows)
    names = ", ".join(("load_id", *columns))
    driver = connection.connection.driver_connection
    dialect = connection.dialect.name
    if dialect == "sqlite":
        marks = ", ".join("?" * (len(columns) + 1))
        cursor = driver.cursor()  # type: ignore[union-attr]
        try:
            cursor.executemany(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", counted)
        finally:
            cursor.close()
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
