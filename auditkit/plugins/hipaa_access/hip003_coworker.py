"""HIP003 coworker-record."""

from __future__ import annotations

from typing import Any

from auditkit.db.models import AccessReviewCase
from auditkit.plugins.hipaa_access.base import CaseCheck, access_rule

RULE = access_rule(
    "HIP003",
    "coworker-record",
    "Patient is a co-worker (a workforce member).",
    "Co-workers' records draw curiosity; reviewing these accesses protects staff as patients.",
    severity="warning",
)


class Coworker(CaseCheck):
    """Patient is a co-worker (a workforce member).

    ## What it does
    Flags accesses to a patient whose MRN is the patient_id of another workforce member. One
    finding per user, patient and day, on the first access; the evidence lists
    the explanations tried.

    ## Why it matters
    Co-workers' records draw curiosity; reviewing these accesses protects staff as patients.

    ## Example
    A billing clerk opens the chart of a colleague from the same floor.

    ## Use instead
    Open a colleague's record only when you are part of their care.
    """

    rules = (RULE,)

    def where(self) -> Any:
        return AccessReviewCase.coworker

    def message(self, row: Any) -> str:
        return f"{row.user_id} opened the record of co-worker {row.patient_id}"
