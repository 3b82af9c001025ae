"""Patients, providers and coders as claim runs mention them: only what changes is written.

A patient comes back in encounter after encounter, mostly with the same names. Per batch
the newest non-empty values of each key are taken (:func:`auditkit.ingest.names.newest`),
and :class:`Changes` passes on only the rows that tell the database something new.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

CHANGES_LIMIT = 200_000  # keys remembered; past that it starts afresh (and resends)


class Changes:
    """Remembers the row last passed on per key; passes on a row only if it changes that.

    An upsert never erases a value with an empty one, so a row is first filled from the
    one before; if nothing differs then, the database already holds it.
    """

    def __init__(self, limit: int = CHANGES_LIMIT) -> None:
        self.limit = limit
        self.sent: dict[Any, tuple[Any, ...]] = {}

    def __call__(self, rows: Iterable[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        if len(self.sent) > self.limit:
            self.sent.clear()
        changed = []
        for row in rows:
            before = self.sent.get(row[0])
            if row == before:
                continue
            if before is not None:
                row = tuple(
                    old if new is None else new for new, old in zip(row, before, strict=True)
                )
                if row == before:
                    continue
            changed.append(row)
            self.sent[row[0]] = row
        return changed
