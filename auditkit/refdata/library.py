"""The reference data of one run: the edition of each needed kind in effect on a date, and
a record of which editions the checks used.

``CheckContext.reference(kind, date)`` calls :meth:`ReferenceLibrary.lookup`: it answers
with the kind's read view when a loaded edition covers the date (None otherwise) and notes
the edition, so the run can record exactly which files its findings rest on. The loads of
each kind are read once per run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection

from auditkit.refdata.editions import Edition, choose_editions
from auditkit.refdata.kinds import LoadRecord, RefdataKind, all_loads


class ReferenceLibrary:
    def __init__(
        self, connection: Connection, kinds: Mapping[str, RefdataKind], needed: Sequence[str]
    ) -> None:
        self._connection = connection
        self._kinds = kinds
        self._loads: dict[str, list[LoadRecord]] = {
            kind: all_loads(connection, kind) for kind in needed if kind in kinds
        }
        self._views: dict[str, Any] = {}
        self._chosen: dict[tuple[str, dt.date], Edition | None] = {}
        self.used: dict[str, dict[tuple[int, ...], Edition]] = {}

    def lookup(self, kind: str, day: dt.date) -> Any:
        if (kind, day) not in self._chosen:
            loads = self._loads.get(kind, [])
            self._chosen[(kind, day)] = choose_editions(loads, [day])[day] if loads else None
        edition = self._chosen[(kind, day)]
        if edition is None:
            return None
        self.used.setdefault(kind, {})[edition.load_ids] = edition
        if kind not in self._views:
            self._views[kind] = self._kinds[kind].view(self._connection)
        return self._views[kind]

    def describe_used(self) -> dict[str, list[dict[str, Any]]]:
        """The editions the run used, by kind: their loads' files and hashes."""
        files = {load.id: load for loads in self._loads.values() for load in loads}
        return {
            kind: [
                {
                    "edition": edition.name,
                    "from": edition.period.start.isoformat(),
                    "to": edition.period.end.isoformat() if edition.period.end else None,
                    "files": [files[i].file_name for i in edition.load_ids],
                    "sha256": [files[i].sha256 for i in edition.load_ids],
                }
                for _, edition in sorted(used.items())
            ]
            for kind, used in sorted(self.used.items())
        }
