"""Reference data as the checks see it: kinds, editions, and the edition in effect on a date.

A *kind* of reference data ("ncci-ptp", "mue", "pfs-rvu", a plugin's own …) is registered
through the ``auditkit_reference_kinds`` hook. Each file a user loads becomes an *edition*
of its kind (:class:`~auditkit.db.models.ReferenceEdition`: file, sha256, the dates of
service it governs). A check declares the kinds it needs (``Check.needs``); during a run the
engine answers ``context.reference(kind, date)`` with the *view* of the edition in effect on
that date: the newest load whose period covers it.

A kind implements :meth:`ReferenceKind.view`; built-in kinds keep their rows in tables of
their own and override :meth:`ReferenceKind.load` too. A plugin's kind may instead only
implement :meth:`ReferenceKind.read`, yielding ``(key, value)`` pairs: the default ``load``
keeps them in the generic ``reference_entry`` table and the default ``view`` is a
:class:`KeyedView` over them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from auditkit.errors import AuditkitError

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

# SQLAlchemy and the models are imported inside the functions that use them: plugins
# subclass ReferenceKind at registration, which must stay quick (`auditkit checks list`).


@dataclass(frozen=True)
class Edition:
    """One loaded file of a kind and the dates of service it governs."""

    id: int
    kind: str
    file_name: str
    sha256: str
    effective_from: dt.date
    effective_to: dt.date | None

    def covers(self, day: dt.date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )

    def describe(self) -> dict[str, Any]:
        """What a run records about the edition it used."""
        return {
            "id": self.id,
            "file": self.file_name,
            "sha256": self.sha256,
            "from": self.effective_from.isoformat(),
            "to": self.effective_to.isoformat() if self.effective_to else None,
        }


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class ReferenceKind:
    """Base class of a kind of reference data. Subclasses set ``name`` and ``description``."""

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""

    def read(self, path: Path) -> Iterable[tuple[str, Mapping[str, Any]]]:
        """The file's rows as ``(key, value)``; raise :class:`AuditkitError` naming the line."""
        raise NotImplementedError(f"reference kind {self.name!r} cannot read files")

    def load(
        self,
        session: Session,
        path: Path,
        effective_from: dt.date,
        effective_to: dt.date | None = None,
    ) -> Edition:
        """Record the file as a new edition and keep its rows, in the caller's transaction."""
        from sqlalchemy import insert

        from auditkit.db.models import ReferenceEdition, ReferenceEntry

        edition = record_edition(session, self.name, path, effective_from, effective_to)
        rows = [
            {"edition_id": edition.id, "key": key, "value": dict(value)}
            for key, value in self.read(path)
        ]
        if rows:
            session.execute(insert(ReferenceEntry), rows)
        session.get_one(ReferenceEdition, edition.id).rows = len(rows)
        return edition

    def view(self, connection: Connection, edition: Edition) -> Any:
        """What a check gets from ``context.reference(kind, date)`` for this edition."""
        return KeyedView(connection, edition)


def record_edition(
    session: Session,
    kind: str,
    path: Path,
    effective_from: dt.date,
    effective_to: dt.date | None = None,
    rows: int = 0,
    details: Mapping[str, Any] | None = None,
) -> Edition:
    """Add an edition row (its rows are counted by the loader) and return it."""
    from auditkit.db.models import ReferenceEdition

    if effective_to is not None and effective_to < effective_from:
        raise AuditkitError(f"{path}: effective period ends ({effective_to}) before it starts")
    row = ReferenceEdition(
        kind=kind,
        file_name=path.name,
        sha256=file_sha256(path),
        effective_from=effective_from,
        effective_to=effective_to,
        rows=rows,
        loaded_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
        details=dict(details or {}),
    )
    session.add(row)
    session.flush()
    return _edition(row)


def _edition(row: Any) -> Edition:
    return Edition(
        row.id, row.kind, row.file_name, row.sha256, row.effective_from, row.effective_to
    )


def editions(connection: Connection, kind: str) -> list[Edition]:
    """Every loaded edition of a kind, newest load first."""
    from sqlalchemy import select

    from auditkit.db.models import ReferenceEdition

    query = (
        select(ReferenceEdition)
        .where(ReferenceEdition.kind == kind)
        .order_by(ReferenceEdition.id.desc())
    )
    return [_edition(row) for row in connection.execute(query)]


class KeyedView:
    """A plugin kind's edition: its rows by key, read once, on first use."""

    def __init__(self, connection: Connection, edition: Edition) -> None:
        self.edition = edition
        self._connection = connection
        self._rows: dict[str, Mapping[str, Any]] | None = None

    def _all(self) -> dict[str, Mapping[str, Any]]:
        if self._rows is None:
            from sqlalchemy import select

            from auditkit.db.models import ReferenceEntry

            query = select(ReferenceEntry.key, ReferenceEntry.value).where(
                ReferenceEntry.edition_id == self.edition.id
            )
            self._rows = {key: value for key, value in self._connection.execute(query)}  # noqa: C416
        return self._rows

    def get(self, key: str) -> Mapping[str, Any] | None:
        return self._all().get(key)

    def __contains__(self, key: object) -> bool:
        return key in self._all()

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())


class ReferenceLibrary:
    """The editions of the kinds a run's checks need, and which of them were used.

    ``lookup(kind, day)`` is what ``CheckContext.reference`` calls: the newest edition whose
    period covers the day, as its kind's view (built once per edition), or None.
    """

    def __init__(
        self, connection: Connection, kinds: Mapping[str, ReferenceKind], needed: Sequence[str]
    ) -> None:
        self._connection = connection
        self._kinds = kinds
        self._editions = {kind: editions(connection, kind) for kind in needed if kind in kinds}
        self._views: dict[int, Any] = {}
        self.used: dict[str, dict[int, Edition]] = {}

    def lookup(self, kind: str, day: dt.date) -> Any:
        for edition in self._editions.get(kind, ()):
            if edition.covers(day):
                self.used.setdefault(kind, {})[edition.id] = edition
                if edition.id not in self._views:
                    self._views[edition.id] = self._kinds[kind].view(self._connection, edition)
                return self._views[edition.id]
        return None

    def describe_used(self) -> dict[str, list[dict[str, Any]]]:
        """The editions a run used, by kind, for the run's record."""
        return {
            kind: [edition.describe() for _, edition in sorted(used.items())]
            for kind, used in sorted(self.used.items())
        }
