"""HIP001 no-treatment-relationship."""

from __future__ import annotations

from typing import Any

from auditkit.plugins.hipaa_access.base import CaseCheck, access_rule, unexplained
from auditkit.plugins.hipaa_access.settings import EXPLANATION

RULE = access_rule(
    "HIP001",
    "no-treatment-relationship",
    "Access with no treatment relationship (no encounter, care-team entry or department "
    "link in the window).",
    "Most accesses are explained by care: an encounter in the user's department, the user as "
    "rendering provider, a care-team entry, or billing work. What nothing explains is what a "
    "privacy officer reviews.",
    parameters=EXPLANATION,
)


class NoTreatmentRelationship(CaseCheck):
    """Flags a user's accesses to a patient on a day that nothing in the data explains.

    ## What it does
    Tries, for each user, patient and day, every explanation auditkit knows: an encounter
    of the patient in the user's department or with the user as rendering provider (by
    NPI) within the window, a care-team entry covering the day, and, for billing and coding
    roles, an encounter in the billing window. One finding per user, patient and day, on
    the first access, with every explanation tried in the evidence.

    ## Why it matters
    45 CFR 164.308(a)(1)(ii)(D) requires regular review of access; explanation-based
    auditing leaves only the accesses no treatment relationship explains (Fabbri & LeFevre).

    ## Example
    A radiology clerk opens the record of a cardiology patient who has no encounter in
    radiology, no care-team entry and no radiology order in the window.

    ## Use instead
    Open records only for the patients you care for or bill; load care-team and
    departmental data so legitimate work is explained.
    """

    rules = (RULE,)

    def where(self) -> Any:
        return unexplained()

    def message(self, row: Any) -> str:
        return f"{row.user_id} opened {row.patient_id}'s record with no treatment relationship"
