"""HIP002 same-last-name."""

from __future__ import annotations

from typing import Any

from auditkit.db.models import AccessReviewCase
from auditkit.plugins.hipaa_access.base import CaseCheck, access_rule

RULE = access_rule(
    "HIP002",
    "same-last-name",
    "User and patient share a last name (possible family).",
    (
        "Looking up a relative's record is the most common form of snooping; the flag stays even "
        "when the access is explained, because family ties are not in the treatment data."
    ),
    severity="warning",
)


class SameLastName(CaseCheck):
    """User and patient share a last name (possible family).

    ## What it does
    Compares the user's and the patient's last names (trimmed, case-insensitive), leaving
    out the user's own record. Kept on explained accesses too. One finding per user, patient
    and day, on the first access; the evidence lists
    the explanations tried.

    ## Why it matters
    Looking up a relative's record is the most common form of snooping; the flag stays even
    when the access is explained, because family ties are not in the treatment data.

    ## Example
    A nurse named Garcia opens the record of patient Maria Garcia.

    ## Use instead
    Ask a colleague to care for relatives, or document the treatment relationship; family
    members get their records through the patient portal.
    """

    rules = (RULE,)

    def where(self) -> Any:
        return AccessReviewCase.same_name

    def message(self, row: Any) -> str:
        return f"{row.user_id} shares a last name with {row.patient_id}"
