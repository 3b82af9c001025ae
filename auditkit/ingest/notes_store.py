"""Writing notes straight into the note table, batch by batch, once the encounters exist.

While the encounters are being merged (long SQL statements that release the GIL), the notes
file is already read and validated on another thread into a :class:`NoteSpill`, a temporary
file of pickled batches, so parsing the biggest file costs no extra wall time and memory
stays flat. The spill is then replayed through :class:`NoteWriter`.

Each batch of validated note rows is resolved to encounter ids with one query; rows whose
encounter_id is neither in the claims file nor in the database, and second notes for one
encounter, are problems. A note for an encounter that already has one replaces it (see the
re-import policy in merge). After the first problem nothing more is written; the import
will roll back, but the rest of the file is still checked so every problem is reported.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Sequence
from typing import Any, BinaryIO

from sqlalchemy import TextClause, bindparam, text

from auditkit.ingest.problems import ProblemLog, quote
from auditkit.ingest.staging import NOTED, Staging

NOTE_COLUMNS = (
    "encounter_id",
    "signed_at",
    "author_npi",
    "total_time_minutes",
    "mdm_level",
    "note_text",
)

_IDS = "SELECT encounter_key, id FROM encounter WHERE encounter_key IN :keys"
_NOTED_BEFORE = f"SELECT encounter_id, line FROM {NOTED.name} WHERE encounter_id IN :ids"
_REPLACED = "DELETE FROM note WHERE encounter_id IN :ids"


def _in_list(statement: str, postgres: bool) -> TextClause:
    """``column IN :name`` for a list: one array parameter on PostgreSQL (``= ANY``), where
    thousands of separate parameters would make planning slow; an expanded list on SQLite."""
    name = statement.rsplit(":", 1)[1]
    if postgres:
        return text(statement.replace(f"IN :{name}", f"= ANY(:{name})"))
    return text(statement).bindparams(bindparam(name, expanding=True))


class NoteWriter:
    """A sink of validated note batches: checks each against the database, then writes it."""

    def __init__(self, staging: Staging, file: str, claims_file: str, problems: ProblemLog) -> None:
        self.staging = staging
        self.connection = staging.connection
        self.file = file
        self.claims_file = claims_file
        self.problems = problems
        self.written = 0
        self.queries = {
            statement: _in_list(statement, staging.postgres)
            for statement in (_IDS, _NOTED_BEFORE, _REPLACED)
        }

    def __call__(self, kind: str, rows: list[tuple[Any, ...]]) -> None:
        ids = self._encounter_ids(rows)
        resolved = self._resolve(rows, ids)
        if resolved and not self.problems:
            self._write(resolved)

    def _encounter_ids(self, rows: Sequence[tuple[Any, ...]]) -> dict[str, int]:
        keys = list({row[0] for row in rows})
        return dict(self.connection.execute(self.queries[_IDS], {"keys": keys}).all())

    def _resolve(
        self, rows: Sequence[tuple[Any, ...]], ids: dict[str, int]
    ) -> list[tuple[Any, ...]]:
        """Rows with the encounter id in front; unknown and repeated encounters reported."""
        resolved: dict[int, tuple[Any, ...]] = {}
        lines: dict[int, int] = {}
        for key, line, *values in rows:
            encounter_id = ids.get(key)
            if encounter_id is None:
                self._add(
                    line, f"{quote(key)} is neither in {self.claims_file} nor in the database"
                )
            elif encounter_id in lines:
                self._repeated(line, key, lines[encounter_id])
            else:
                lines[encounter_id] = line
                resolved[encounter_id] = (encounter_id, *values)
        noted = self.connection.execute(self.queries[_NOTED_BEFORE], {"ids": list(lines)}).all()
        for encounter_id, first in noted:
            line = lines.pop(encounter_id)
            self._repeated(line, _key_of(rows, line), first)
            del resolved[encounter_id]
        self.staging.insert(NOTED.name, ("encounter_id", "line"), list(lines.items()))
        return list(resolved.values())

    def _write(self, rows: list[tuple[Any, ...]]) -> None:
        self.connection.execute(self.queries[_REPLACED], {"ids": [row[0] for row in rows]})
        self.staging.insert("note", NOTE_COLUMNS, rows)
        self.written += len(rows)

    def _repeated(self, line: int, key: str, first: int) -> None:
        self._add(
            line,
            f"{quote(key)} already has a note on line {first}; at most one note row per encounter",
        )

    def _add(self, line: int, message: str) -> None:
        self.problems.add(self.file, line, "encounter_id", message)


class NoteSpill:
    """A sink for read_notes that parks the batches in ``file`` (temporary), to replay later."""

    def __init__(self, file: BinaryIO) -> None:
        self.file = file

    def __call__(self, kind: str, rows: list[tuple[Any, ...]]) -> None:
        pickle.dump((kind, rows), self.file, protocol=pickle.HIGHEST_PROTOCOL)

    def replay(self, sink: Callable[[str, list[tuple[Any, ...]]], None]) -> None:
        """Hand every parked batch, in order, to ``sink``."""
        self.file.seek(0)
        while True:
            try:
                kind, rows = pickle.load(self.file)  # our own temporary file
            except EOFError:
                return
            sink(kind, rows)


def _key_of(rows: Sequence[tuple[Any, ...]], line: int) -> str:
    return next(str(row[0]) for row in rows if row[1] == line)
