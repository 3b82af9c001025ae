"""A kind of reference data a plugin defines with one method: ``read`` a file into keyed rows.

Built-in kinds have tables of their own; a plugin cannot add a table to auditkit's
migrations, so its kind keeps ``(key, value)`` rows in ``refdata_entry`` and answers
through a :class:`KeyedView`. Loading, periods, editions and idempotent reloads work as for
the built-in kinds (:class:`~auditkit.refdata.kinds.RefdataKind`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

from sqlalchemy import Connection, Table, select

from auditkit.db.models import RefdataEntry
from auditkit.refdata.editions import Edition, choose_editions
from auditkit.refdata.kinds import Parsed, RefdataKind, all_loads, table_of
from auditkit.refdata.source import SourceFile

TABLE = table_of(RefdataEntry)


class KeyedKind(RefdataKind):
    """Subclass, set ``name`` and ``description``, and implement :meth:`read`."""

    layouts: ClassVar[tuple[str, ...]] = ("the plugin's own",)
    table: ClassVar[Table] = TABLE
    columns: ClassVar[tuple[str, ...]] = ("key", "value")

    def read(self, source: SourceFile) -> Iterator[tuple[str, Mapping[str, Any]]]:
        """The file's rows as ``(key, value)``; complain with ``source.fail(line, column, …)``."""
        raise NotImplementedError

    def parse(self, source: SourceFile) -> Parsed:
        rows = ((key, json.dumps(dict(value), sort_keys=True)) for key, value in self.read(source))
        return Parsed(rows)

    def view(self, connection: Connection) -> KeyedView:
        return KeyedView(connection, self.name)


class KeyedView:
    """``get(key, date_of_service)``: the row of the edition in effect on that date."""

    def __init__(self, connection: Connection, kind: str) -> None:
        self._connection = connection
        self._loads = all_loads(connection, kind)
        self._rows: dict[tuple[int, ...], dict[str, Mapping[str, Any]]] = {}

    def _edition_rows(self, edition: Edition) -> dict[str, Mapping[str, Any]]:
        if edition.load_ids not in self._rows:
            query = select(TABLE.c.key, TABLE.c.value).where(TABLE.c.load_id.in_(edition.load_ids))
            self._rows[edition.load_ids] = {
                key: json.loads(value) for key, value in self._connection.execute(query)
            }
        return self._rows[edition.load_ids]

    def get(self, key: str, date_of_service: dt.date) -> Mapping[str, Any] | None:
        edition = choose_editions(self._loads, [date_of_service])[date_of_service]
        return None if edition is None else self._edition_rows(edition).get(key)
