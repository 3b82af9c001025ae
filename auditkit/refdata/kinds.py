"""What a kind of reference data is, and how one file of it is loaded.

A kind (``ncci-ptp``, ``mue`` …) knows the layouts it reads, the table its rows go to, the
effective period its publisher encodes in file names, and the read view the checks use.
Third parties add kinds by subclassing :class:`RefdataKind`.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, ClassVar, cast

import pyarrow as pa
from sqlalchemy import Connection, Table, insert, select, update

from auditkit.db.models import RefdataLoad
from auditkit.errors import AuditkitError
from auditkit.refdata.bulk import insert_rows
from auditkit.refdata.periods import Period
from auditkit.refdata.source import SourceFile


def table_of(model: type[Any]) -> Table:
    """The Core table of a mapped class, typed as one (the ORM types it loosely)."""
    return cast(Table, model.__table__)


LOADS = table_of(RefdataLoad)


@dataclass
class Parsed:
    """Rows of a file, streamed (or a pyarrow table of them, already checked);
    ``details`` is filled in as the rows are read."""

    rows: Iterator[tuple[Any, ...]] | pa.Table
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class LoadRecord:
    """A row of ``refdata_load``; ``already_loaded`` when this call wrote nothing new."""

    id: int
    kind: str
    edition: str
    file_name: str
    sha256: str
    effective_from: dt.date
    effective_to: dt.date | None
    rows: int
    loaded_at: dt.datetime
    details: dict[str, Any]
    already_loaded: bool = False

    @property
    def period(self) -> Period:
        return Period(self.effective_from, self.effective_to)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class RefdataKind(ABC):
    """One kind of reference file: parsing, effective period, storage and read view."""

    name: ClassVar[str]
    description: ClassVar[str]
    layouts: ClassVar[tuple[str, ...]]
    table: ClassVar[Table]
    columns: ClassVar[tuple[str, ...]]  # written after load_id, in the parser's row order

    @abstractmethod
    def parse(self, source: SourceFile) -> Parsed:
        """Rows ready for :attr:`columns`; raises ``InputError`` at the first bad cell."""

    @abstractmethod
    def view(self, connection: Connection) -> Any:
        """The read view checks use, answering for the edition in effect on each date."""

    def period_from_name(self, file_name: str) -> Period | None:
        """The effective period the publisher encodes in the file name, if it does."""
        return None

    def default_end(self, start: dt.date) -> dt.date | None:
        """Where a period starting on ``start`` ends when only the start is given."""
        return None

    def edition_of(self, file_name: str) -> str:
        """Name shared by the files of one publication (parts of one table, say)."""
        return Path(file_name).stem

    def load(
        self,
        connection: Connection,
        path: Path | str,
        effective_from: dt.date | None = None,
        effective_to: dt.date | None = None,
    ) -> LoadRecord:
        """Load one file in the caller's transaction (roll it back to undo everything).

        Loading a file already loaded (same kind, same bytes) for the same period is a
        no-op that returns the first load; for another period it is refused.
        """
        source = SourceFile(Path(path))
        if not source.path.is_file():
            raise AuditkitError(f"{source.path}: no such file")
        period = self._period(source.name, effective_from, effective_to)
        sha256 = source.sha256()
        existing = connection.execute(
            select(LOADS).where(LOADS.c.kind == self.name, LOADS.c.sha256 == sha256)
        ).first()
        if existing is not None:
            record = LoadRecord(**existing._mapping, already_loaded=True)
            if record.period != period:
                raise AuditkitError(
                    f"{source.name}: this file was already loaded as load {record.id} "
                    f"({record.file_name}, effective {record.period}); refusing to load it "
                    f"again for {period}. Nothing was written."
                )
            return record
        parsed = self.parse(source)
        loaded_at = dt.datetime.now().replace(microsecond=0)
        load_id = connection.execute(
            insert(LOADS).values(
                kind=self.name,
                edition=self.edition_of(source.name),
                file_name=source.name,
                sha256=sha256,
                effective_from=period.start,
                effective_to=period.end,
                rows=0,
                loaded_at=loaded_at,
                details={},
            )
        ).inserted_primary_key[0]  # type: ignore[index]
        rows = insert_rows(connection, self.table, self.columns, load_id, parsed.rows)
        if rows == 0:
            source.fail(None, None, f"no {self.name} rows found")
        connection.execute(
            update(LOADS).where(LOADS.c.id == load_id).values(rows=rows, details=parsed.details)
        )
        return LoadRecord(
            id=load_id,
            kind=self.name,
            edition=self.edition_of(source.name),
            file_name=source.name,
            sha256=sha256,
            effective_from=period.start,
            effective_to=period.end,
            rows=rows,
            loaded_at=loaded_at,
            details=parsed.details,
        )

    def _period(self, file_name: str, start: dt.date | None, end: dt.date | None) -> Period:
        named = self.period_from_name(file_name)
        if start is None:
            if named is None:
                raise AuditkitError(
                    f"{file_name}: the effective period cannot be read from the file name; "
                    "give it with --effective-from DATE (and --effective-to DATE)"
                )
            start = named.start
            end = end or named.end
        elif end is None:
            end = named.end if named is not None and named.start == start else None
            end = end or self.default_end(start)
        if end is not None and end < start:
            raise AuditkitError(
                f"{file_name}: effective period ends ({end}) before it starts ({start})"
            )
        return Period(start, end)


def all_loads(connection: Connection, kind: str | None = None) -> list[LoadRecord]:
    """Every load, oldest first (of one kind when ``kind`` is given)."""
    query = select(LOADS).order_by(LOADS.c.id)
    if kind is not None:
        query = query.where(LOADS.c.kind == kind)
    return [LoadRecord(**row._mapping) for row in connection.execute(query)]
