"""HIP004 self-access."""

from __future__ import annotations

from typing import Any

from auditkit.db.models import AccessReviewCase
from auditkit.plugins.hipaa_access.base import CaseCheck, access_rule

RULE = access_rule(
    "HIP004",
    "self-access",
    "Self-access: the user opened their own record.",
    (
        "Most organisations forbid employees from reading or changing their own chart through the"
        " EHR; they use the patient portal."
    ),
    severity="warning",
)


class SelfAccess(CaseCheck):
    """Self-access: the user opened their own record.

    ## What it does
    Flags accesses where the patient is the user's own MRN (workforce.patient_id). One
    finding per user, patient and day, on the first access; the evidence lists
    the explanations tried.

    ## Why it matters
    Most organisations forbid employees from reading or changing their own chart through the
    EHR; they use the patient portal.

    ## Example
    A physician opens their own lab results from a clinical workstation.

    ## Use instead
    Use the patient portal or request records through Health Information Management.
    """

    rules = (RULE,)

    def where(self) -> Any:
        return AccessReviewCase.self_access

    def message(self, row: Any) -> str:
        return f"{row.user_id} opened their own record ({row.patient_id})"
