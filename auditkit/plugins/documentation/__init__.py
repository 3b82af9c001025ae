"""Documentation checks (DOC001-DOC008): does the note support what was billed and coded,
is it the note of this visit, and is it signed in time? Responsible: the provider.

Registered through the same ``auditkit_checks`` hook a third-party plugin uses.
"""

from __future__ import annotations

from auditkit.hookspecs import hookimpl
from auditkit.plugins.documentation.doc001_em_overcoding import EmLevelAboveDocumentation
from auditkit.plugins.documentation.doc002_em_undercoding import EmLevelBelowDocumentation
from auditkit.plugins.documentation.doc003_diagnosis_not_documented import (
    DiagnosisNotDocumented,
)
from auditkit.plugins.documentation.doc004_uncertain_diagnosis import UncertainDiagnosisCoded
from auditkit.plugins.documentation.doc005_negated_condition import NegatedConditionCoded
from auditkit.plugins.documentation.doc006_service_not_documented import ServiceNotDocumented
from auditkit.plugins.documentation.doc007_cloned_note import ClonedNote
from auditkit.plugins.documentation.doc008_note_signature import NoteUnsignedOrLate
from auditkit.rules import Check, SetCheck

CHECKS: tuple[type[Check] | type[SetCheck], ...] = (
    EmLevelAboveDocumentation,
    EmLevelBelowDocumentation,
    DiagnosisNotDocumented,
    UncertainDiagnosisCoded,
    NegatedConditionCoded,
    ServiceNotDocumented,
    ClonedNote,
    NoteUnsignedOrLate,
)


@hookimpl
def auditkit_checks() -> list[type[Check] | type[SetCheck]]:
    return list(CHECKS)
