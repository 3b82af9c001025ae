"""Kinds of unit under review: what a check looks at, counted and loaded per audit.

A unit kind is registered through the ``auditkit_unit_kinds`` hook. It counts its units in
an audit (the rule-coverage denominators) and, for per-unit checks, loads them as immutable
records in batches. auditkit's own kinds:

* ``encounter``: the audit's sampled encounters (spares excluded), as
  :class:`~auditkit.units.EncounterRecord` with the patient-day view;
* ``access_event``: the EHR access events in the audit's period, as
  :class:`~auditkit.units.AccessEventRecord`; reviewed mostly by set-based checks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, ClassVar

from auditkit.rules import SetScope

# SQLAlchemy is imported inside the methods: registering kinds must stay quick.


class UnitKind:
    """Base class of a unit kind. Subclasses set ``name`` and ``description``."""

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""

    def count(self, scope: SetScope) -> int:
        """How many units of this kind the audit reviews."""
        raise NotImplementedError

    def records(self, scope: SetScope) -> Iterator[Any]:
        """The units as records, for per-unit checks (in batches, not one query each)."""
        raise NotImplementedError(f"unit kind {self.name!r} has no per-unit records")


class EncounterKind(UnitKind):
    name = "encounter"
    description = "a sampled encounter with its diagnoses, lines, note and patient-day view"

    def count(self, scope: SetScope) -> int:
        from sqlalchemy import func, select

        if scope.sampled_encounters is None:
            return 0
        subquery = scope.sampled_encounters.subquery()
        return int(scope.connection.scalar(select(func.count()).select_from(subquery)) or 0)

    def records(self, scope: SetScope) -> Iterator[Any]:
        from auditkit.audits.loading import load_encounters

        if scope.sampled_encounters is None:
            return iter(())
        ids = scope.connection.scalars(scope.sampled_encounters).all()
        return load_encounters(scope.connection, ids)


def _period_bounds(scope: SetScope) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(scope.period_from, dt.time.min)
    end = dt.datetime.combine(scope.period_to + dt.timedelta(days=1), dt.time.min)
    return start, end


class AccessEventKind(UnitKind):
    name = "access_event"
    description = "an access to a patient's record in the audit's period (EHR access log)"

    def _in_period(self, scope: SetScope) -> Any:
        from auditkit.db.models import AccessEvent

        start, end = _period_bounds(scope)
        return (AccessEvent.timestamp >= start) & (AccessEvent.timestamp < end)

    def count(self, scope: SetScope) -> int:
        from sqlalchemy import func, select

        from auditkit.db.models import AccessEvent

        query = select(func.count()).select_from(AccessEvent).where(self._in_period(scope))
        return int(scope.connection.scalar(query) or 0)

    def records(self, scope: SetScope) -> Iterator[Any]:
        from sqlalchemy import select

        from auditkit.db.models import AccessEvent
        from auditkit.units import AccessEventRecord

        query = (
            select(AccessEvent)
            .where(self._in_period(scope))
            .order_by(AccessEvent.timestamp, AccessEvent.id)
            .execution_options(yield_per=5000)
        )
        for row in scope.connection.execute(query):
            yield AccessEventRecord(
                id=row.id,
                event_id=row.event_id,
                timestamp=row.timestamp,
                user_id=row.user_id,
                patient_id=row.patient_id,
                action=row.action,
                workstation=row.workstation,
                source=row.source,
                break_glass=row.break_glass,
                reason=row.reason,
            )
