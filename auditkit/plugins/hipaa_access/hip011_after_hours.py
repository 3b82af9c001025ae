"""HIP011 after-hours."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, not_, or_

from auditkit.db.models import AccessReviewCase
from auditkit.plugins.hipaa_access.base import CaseCheck, access_rule, unexplained
from auditkit.plugins.hipaa_access.settings import USUAL_HOURS

# The flags that raise a finding on an explained access too (VIP and deceased need none).
RELATIONSHIP = ("same_name", "coworker", "self_access", "terminated", "same_address")

RULE = access_rule(
    "HIP011",
    "after-hours",
    "Access outside the user's usual hours (a modifier that raises priority, never alone).",
    "Snooping often happens when nobody is watching, but night work is normal in a "
    "hospital: hours alone flag too much, so they only raise the priority of other findings.",
    severity="info",
    parameters=USUAL_HOURS,
)


class AfterHours(CaseCheck):
    """Marks other access findings that happened outside the user's usual hours.

    ## What it does
    An access is after hours when it falls in an hour the user rarely works: less than
    ``min_share`` of their accesses in the period lie within an hour of it (so night staff
    at night are not flagged, day staff at night are). Users with fewer than
    ``min_events`` accesses are judged by the organisation's hours, ``day_starts`` to
    ``day_ends``; a case is judged by its first access that day. HIP011 never fires
    alone: it reports only cases that another access rule reports (unexplained, or a
    relationship flag), and those findings become errors.

    ## Why it matters
    Hedda et al. found that common rules flag many explainable accesses; hours alone are
    weak evidence, but combined with another flag they help rank what to review first.

    ## Example
    A day-shift clerk opens a co-worker's record at 23:40: HIP003 is raised to an error and
    HIP011 records the hour.

    ## Use instead
    Work on records during your shift; document the reason for off-hours work.
    """

    rules = (RULE,)
    raises_priority = False

    def where(self) -> Any:
        flagged = or_(
            unexplained(),
            not_(AccessReviewCase.known_user),
            *(getattr(AccessReviewCase, name) for name in RELATIONSHIP),
        )
        return and_(AccessReviewCase.after_hours, flagged)

    def message(self, row: Any) -> str:
        return f"{row.user_id} opened {row.patient_id}'s record outside their usual hours"
