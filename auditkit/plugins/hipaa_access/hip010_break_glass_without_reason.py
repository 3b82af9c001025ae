"""HIP010 break-glass-without-reason."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import func, or_, select

from auditkit.db.models import AccessEvent
from auditkit.plugins.hipaa_access.base import access_rule
from auditkit.plugins.hipaa_access.review import period_bounds
from auditkit.rules import CheckContext, Finding, SetCheck, SetScope

RULE = access_rule(
    "HIP010",
    "break-glass-without-reason",
    "Break-the-glass with no reason given.",
    "Emergency access overrides the normal restrictions on purpose; the reason typed is what "
    "makes it reviewable. Without one the override cannot be justified afterwards.",
)


class BreakGlassWithoutReason(SetCheck):
    """Flags emergency (break-the-glass) accesses whose reason is empty.

    ## What it does
    Reports every access logged with ``break_glass = Y`` and an empty ``reason``.

    ## Why it matters
    Break-the-glass bypasses the access restrictions; the reason is the record of why.

    ## Example
    An ED nurse invokes break-the-glass on a restricted record and types nothing.

    ## Use instead
    Type the clinical reason each time emergency access is invoked.
    """

    rules = (RULE,)
    unit_kind = "access_event"

    def check_set(self, scope: SetScope, context: CheckContext) -> Iterator[Finding]:
        start, end = period_bounds(scope)
        query = (
            select(
                AccessEvent.event_id,
                AccessEvent.user_id,
                AccessEvent.patient_id,
                AccessEvent.timestamp,
            )
            .where(
                AccessEvent.timestamp >= start,
                AccessEvent.timestamp < end,
                AccessEvent.break_glass.is_(True),
                or_(AccessEvent.reason.is_(None), func.trim(AccessEvent.reason) == ""),
            )
            .order_by(AccessEvent.id)
        )
        for row in scope.connection.execute(query):
            yield Finding(
                "HIP010",
                f"{row.user_id} broke the glass on {row.patient_id}'s record with no reason",
                evidence="break_glass = Y, reason empty",
                event_id=row.event_id,
                user_id=row.user_id,
                patient_id=row.patient_id,
                event_time=row.timestamp,
            )
