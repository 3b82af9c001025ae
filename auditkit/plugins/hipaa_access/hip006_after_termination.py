"""HIP006 access-after-termination."""

from __future__ import annotations

from typing import Any

from auditkit.db.models import AccessReviewCase
from auditkit.plugins.hipaa_access.base import CaseCheck, access_rule

RULE = access_rule(
    "HIP006",
    "access-after-termination",
    "Access after the user's termination date.",
    (
        "An account used after its owner left means the account was not disabled, or is shared; "
        "either is a security incident."
    ),
    severity="error",
)


class AfterTermination(CaseCheck):
    """Access after the user's termination date.

    ## What it does
    Flags accesses on days after the user's termination_date in workforce.csv. One finding
    per user, patient and day, on the first access; the evidence lists
    the explanations tried.

    ## Why it matters
    An account used after its owner left means the account was not disabled, or is shared;
    either is a security incident.

    ## Example
    A former nurse's account opens records two weeks after the termination date.

    ## Use instead
    Disable accounts on the termination date; never share credentials.
    """

    rules = (RULE,)

    def where(self) -> Any:
        return AccessReviewCase.terminated

    def message(self, row: Any) -> str:
        return f"account {row.user_id} opened {row.patient_id} after its termination date"
