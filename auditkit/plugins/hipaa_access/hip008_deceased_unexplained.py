"""HIP008 deceased-record-unexplained."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_

from auditkit.db.models import AccessReviewCase
from auditkit.plugins.hipaa_access.base import CaseCheck, access_rule, unexplained

RULE = access_rule(
    "HIP008",
    "deceased-record-unexplained",
    "Access to a deceased patient's record after death without treatment relationship.",
    (
        "After death, records are still protected for 50 years; unexplained accesses after the "
        "date of death have no care purpose."
    ),
    severity="warning",
)


class DeceasedUnexplained(CaseCheck):
    """Access to a deceased patient's record after death without treatment relationship.

    ## What it does
    Flags unexplained accesses on days after the patient's deceased_date. One finding per
    user, patient and day, on the first access; the evidence lists
    the explanations tried.

    ## Why it matters
    After death, records are still protected for 50 years; unexplained accesses after the
    date of death have no care purpose.

    ## Example
    A clerk opens the record of a patient who died last month and had no encounter since.

    ## Use instead
    Release information about deceased patients through Health Information Management.
    """

    rules = (RULE,)

    def where(self) -> Any:
        return and_(AccessReviewCase.deceased, unexplained())

    def message(self, row: Any) -> str:
        return f"{row.user_id} opened the record after the death of {row.patient_id}"
