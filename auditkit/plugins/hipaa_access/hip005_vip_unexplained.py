"""HIP005 vip-record-unexplained."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_

from auditkit.db.models import AccessReviewCase
from auditkit.plugins.hipaa_access.base import CaseCheck, access_rule, unexplained

RULE = access_rule(
    "HIP005",
    "vip-record-unexplained",
    "VIP record accessed without treatment relationship.",
    (
        "Celebrity and VIP snooping led to OCR settlements (UCLA $865,500); VIP records deserve "
        "the closest review."
    ),
    severity="error",
)


class VipUnexplained(CaseCheck):
    """VIP record accessed without treatment relationship.

    ## What it does
    Flags unexplained accesses to patients marked vip = Y in patients.csv. One finding per
    user, patient and day, on the first access; the evidence lists
    the explanations tried.

    ## Why it matters
    Celebrity and VIP snooping led to OCR settlements (UCLA $865,500); VIP records deserve
    the closest review.

    ## Example
    A registrar opens a celebrity's chart the day the news reports their admission.

    ## Use instead
    Open VIP records only when caring for the patient; expect every access to be reviewed.
    """

    rules = (RULE,)

    def where(self) -> Any:
        return and_(AccessReviewCase.vip, unexplained())

    def message(self, row: Any) -> str:
        return f"{row.user_id} opened VIP record {row.patient_id} with no treatment relationship"
