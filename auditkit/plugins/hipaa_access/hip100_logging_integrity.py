"""HIP100 logging-integrity."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import and_, func, select

from auditkit.db.models import AccessEvent, AccessReviewCase, Workforce
from auditkit.plugins.hipaa_access.base import access_rule
from auditkit.plugins.hipaa_access.review import ensure_review, period_bounds
from auditkit.plugins.hipaa_access.settings import INTEGRITY, review_settings, value
from auditkit.plugins.hipaa_access.sql import minutes_between
from auditkit.rules import CheckContext, Finding, SetCheck, SetScope

RULE = access_rule(
    "HIP100",
    "logging-integrity",
    "Logging integrity: gaps, duplicate or out-of-order events, missing required fields.",
    "A review is only as good as the log: 45 CFR 164.312(b) and ONC 170.315(d)(2) expect a "
    "complete, unaltered record. Gaps, duplicates and events out of order point at lost or "
    "replayed logging; accounts unknown to the workforce list cannot be reviewed.",
    parameters=INTEGRITY,
    topic="Audit log integrity",
)


class LoggingIntegrity(SetCheck):
    """Flags signs that the access log itself is incomplete or altered.

    ## What it does
    Reports (1) duplicate events: the same user, patient, time and action logged more than
    once; (2) events out of order: logged (imported) after an event of the same source that
    is more than ``out_of_order_minutes`` later; (3) gaps: no event from a busy source
    (``gap_min_events_per_hour``) for ``gap_hours``; (4) events whose user is missing from
    the workforce list, so nothing about them can be reviewed. Rows missing a required
    field never enter: the import refuses them with file, line and column.

    ## Why it matters
    An access review of an incomplete log gives false comfort; the log must be complete and
    tamper-evident (ONC 170.315(d)(2)).

    ## Example
    The EHR's feed stops for eleven hours one night, then resumes.

    ## Use instead
    Fix the export (or its schedule) and re-import the missing span.
    """

    rules = (RULE,)
    unit_kind = "access_event"

    def check_set(self, scope: SetScope, context: CheckContext) -> Iterator[Finding]:
        yield from self._duplicates(scope)
        yield from self._out_of_order(
            scope, float(value(context, "HIP100", "out_of_order_minutes"))
        )
        yield from self._gaps(
            scope,
            float(value(context, "HIP100", "gap_hours")),
            float(value(context, "HIP100", "gap_min_events_per_hour")),
        )
        yield from self._unknown_users(scope, context)

    def _where(self, scope: SetScope) -> Any:
        start, end = period_bounds(scope)
        return and_(AccessEvent.timestamp >= start, AccessEvent.timestamp < end)

    def _duplicates(self, scope: SetScope) -> Iterator[Finding]:
        e = AccessEvent
        groups = (
            select(
                e.user_id,
                e.patient_id,
                e.timestamp,
                e.action,
                func.count().label("copies"),
                func.max(e.id).label("last"),
            )
            .where(self._where(scope))
            .group_by(e.user_id, e.patient_id, e.timestamp, e.action)
            .having(func.count() > 1)
            .subquery()
        )
        query = (
            select(groups.c.copies, e.event_id, e.user_id, e.patient_id, e.timestamp, e.action)
            .join(e, e.id == groups.c.last)
            .order_by(e.id)
        )
        for row in scope.connection.execute(query):
            yield Finding(
                "HIP100",
                f"duplicate event: {row.user_id} {row.action} {row.patient_id} logged "
                f"{row.copies} times at {row.timestamp:%Y-%m-%d %H:%M:%S}",
                evidence=f"{row.copies} events with the same user, patient, time and action",
                event_id=row.event_id,
                user_id=row.user_id,
                patient_id=row.patient_id,
                event_time=row.timestamp,
            )

    def _out_of_order(self, scope: SetScope, tolerance: float) -> Iterator[Finding]:
        e = AccessEvent
        source = func.coalesce(e.source, "")
        ordered = (
            select(
                e.id,
                e.event_id,
                e.user_id,
                e.patient_id,
                e.timestamp,
                func.lag(e.timestamp).over(partition_by=source, order_by=e.id).label("before"),
            )
            .where(self._where(scope))
            .subquery()
        )
        query = (
            select(ordered)
            .where(minutes_between(ordered.c.timestamp, ordered.c.before) > tolerance)
            .order_by(ordered.c.id)
        )
        for row in scope.connection.execute(query):
            yield Finding(
                "HIP100",
                f"event out of order: logged after an event of {row.before} "
                f"but timed {row.timestamp}",
                evidence=f"logged after a later event (tolerance {tolerance:g} minutes)",
                event_id=row.event_id,
                user_id=row.user_id,
                patient_id=row.patient_id,
                event_time=row.timestamp,
            )

    def _gaps(self, scope: SetScope, hours: float, busy: float) -> Iterator[Finding]:
        e = AccessEvent
        source = func.coalesce(e.source, "")
        period_hours = ((scope.period_to - scope.period_from).days + 1) * 24
        busy_sources = (
            select(source.label("source"))
            .where(self._where(scope))
            .group_by(source)
            .having(func.count() >= busy * period_hours)
        )
        ordered = (
            select(
                e.event_id,
                e.user_id,
                e.patient_id,
                e.timestamp,
                source.label("source"),
                func.lag(e.timestamp)
                .over(partition_by=source, order_by=e.timestamp)
                .label("before"),
            )
            .where(self._where(scope), source.in_(busy_sources))
            .subquery()
        )
        query = select(ordered).where(
            minutes_between(ordered.c.before, ordered.c.timestamp) > hours * 60
        )
        for row in scope.connection.execute(query):
            yield Finding(
                "HIP100",
                f"gap in the log of {row.source or 'the unnamed source'}: nothing from "
                f"{row.before} to {row.timestamp}",
                evidence=f"no event for more than {hours:g} hours from a source that logs "
                f"at least {busy:g} events an hour",
                event_id=row.event_id,
                user_id=None,
                patient_id=None,
                event_time=row.timestamp,
            )

    def _unknown_users(self, scope: SetScope, context: CheckContext) -> Iterator[Finding]:
        if not scope.connection.scalar(select(func.count()).select_from(Workforce)):
            return  # no workforce list loaded: nothing to compare with
        ensure_review(scope, review_settings(context))
        c = AccessReviewCase
        first = (
            select(
                c.user_id,
                func.min(c.first_event).label("first"),
                func.sum(c.events).label("events"),
            )
            .where(c.run_id == scope.run_id, c.known_user.is_(False))
            .group_by(c.user_id)
            .subquery()
        )
        query = select(
            first, AccessEvent.event_id, AccessEvent.patient_id, AccessEvent.timestamp
        ).join(AccessEvent, AccessEvent.id == first.c.first)
        for row in scope.connection.execute(query.order_by(first.c.user_id)):
            yield Finding(
                "HIP100",
                f"user {row.user_id} is not in the workforce list",
                evidence=f"{row.events} access(es) in the period by an account the workforce "
                "list does not know",
                event_id=row.event_id,
                user_id=row.user_id,
                patient_id=row.patient_id,
                event_time=row.timestamp,
            )
