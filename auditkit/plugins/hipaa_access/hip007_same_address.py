"""HIP007 same-address."""

from __future__ import annotations

from typing import Any

from auditkit.db.models import AccessReviewCase
from auditkit.plugins.hipaa_access.base import CaseCheck, access_rule

RULE = access_rule(
    "HIP007",
    "same-address",
    "User and patient share a home address (household / neighbour).",
    "Household members and neighbours are the people users are most tempted to look up.",
    severity="warning",
)


class SameAddress(CaseCheck):
    """User and patient share a home address (household / neighbour).

    ## What it does
    Compares the user's and the patient's address (trimmed, case-insensitive) and postal
    code where both have one; the user's own record is left out. Kept on explained accesses
    too. One finding per user, patient and day, on the first access; the evidence lists
    the explanations tried.

    ## Why it matters
    Household members and neighbours are the people users are most tempted to look up.

    ## Example
    A technician opens the chart of the patient living at the same street address.

    ## Use instead
    Ask a colleague to care for household members and neighbours.
    """

    rules = (RULE,)

    def where(self) -> Any:
        return AccessReviewCase.same_address

    def message(self, row: Any) -> str:
        return f"{row.user_id} shares a home address with {row.patient_id}"
