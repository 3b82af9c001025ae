"""Specificity checks (SPC001-SPC006): is each diagnosis code valid, complete, sided,
compatible with the others, sequenced right and plausible for the patient?

Registered through the same ``auditkit_checks`` hook a third-party plugin uses.
"""

from __future__ import annotations

from auditkit.hookspecs import hookimpl
from auditkit.plugins.specificity.spc001_invalid_code import InvalidCode
from auditkit.plugins.specificity.spc002_non_billable_code import NonBillableCode
from auditkit.plugins.specificity.spc003_unspecified_laterality import UnspecifiedLaterality
from auditkit.plugins.specificity.spc004_excludes1_conflict import ExcludesOneConflict
from auditkit.plugins.specificity.spc005_code_first_sequencing import CodeFirstSequencing
from auditkit.plugins.specificity.spc006_age_sex_conflict import AgeSexConflict
from auditkit.rules import Check

CHECKS: tuple[type[Check], ...] = (
    InvalidCode,
    NonBillableCode,
    UnspecifiedLaterality,
    ExcludesOneConflict,
    CodeFirstSequencing,
    AgeSexConflict,
)


@hookimpl
def auditkit_checks() -> list[type[Check]]:
    return list(CHECKS)
