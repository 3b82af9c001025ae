"""DOC003 diagnosis-not-documented."""

from __future__ import annotations

from collections.abc import Iterator

from auditkit.plugins.documentation.diagnosis_reading import quote, read_diagnoses
from auditkit.rules import Check, CheckContext, Finding, Rule
from auditkit.units import EncounterRecord

RULE = Rule(
    id="DOC003",
    name="diagnosis-not-documented",
    summary="Coded diagnosis not found in the note.",
    severity="error",
    category="insufficient_documentation",
    responsible="provider",
    rationale=(
        "Every code on a claim must be supported by the record of that encounter. A "
        "diagnosis the note never names (or names only for a family member or as a "
        "possibility to watch for) cannot support medical necessity, and risk-adjustment "
        "and medical-review audits disallow it."
    ),
    education_topic="Documenting every condition that is coded: MEAT for each diagnosis",
    references=(
        "ICD-10-CM Official Guidelines for Coding and Reporting, Section IV.J (code all "
        "documented conditions that coexist and affect care)",
        "CMS Medicare Program Integrity Manual, Chapter 3, §3.3.2.1 (documentation to support "
        "the claim)",
    ),
    examines=("diagnoses",),
)

# Status and factor codes (Z), external causes (V-Y): notes rarely name them in the
# words of the classification, so their absence is no evidence.
_NOT_READ = ("V", "W", "X", "Y", "Z")
_WHY = {
    "not_found": "the note does not mention it",
    "other_person_only": "the note mentions it only for someone other than the patient",
    "hypothetical_only": "the note mentions it only as a possibility to watch for",
}


class DiagnosisNotDocumented(Check):
    """Flags coded diagnoses the note does not document for this patient.

    ## What it does
    Looks for the coded condition in the note under every name the reader knows: the
    code's title and its ancestors' titles, the tabular inclusion terms and the synonym
    table (HTN, T2DM, CHF, afib …). A code is flagged when the note never mentions it,
    mentions it only for another person ("mother had breast cancer") or only as something
    to watch for ("return if fever"). A negated mention is DOC005's, an uncertain one
    DOC004's, a past-history mention counts as documented (chronic conditions are often
    listed there). Z codes and external-cause codes are not read.

    ## Why it matters
    A code without documentation is the commonest CERT error and cannot be defended in a
    medical review or a risk-adjustment validation.

    ## Example
    ``E78.5`` (hyperlipidemia) coded; the note discusses knee pain and hypertension only.

    ## Use instead
    Remove the code, or have the provider document the condition (its monitoring,
    evaluation, assessment or treatment) in the note of this visit.
    """

    rules = (RULE,)

    def check(self, encounter: EncounterRecord, context: CheckContext) -> Iterator[Finding]:
        for read in read_diagnoses(encounter, context):
            code = read.diagnosis.code
            status = read.evidence.status
            if status not in _WHY or code.startswith(_NOT_READ) or not read.evidence.terms:
                continue
            said = quote(read.evidence.best)
            yield Finding(
                rule_id=RULE.id,
                message=f"{read.diagnosis.display} ({read.title}) coded; {_WHY[status]}",
                evidence=f"Note: “{said}”"
                if said
                else "looked for: " + ", ".join(read.evidence.terms[:6]),
                code=code,
                coded=read.diagnosis.display,
            )
