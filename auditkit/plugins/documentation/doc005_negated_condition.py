"""DOC005 negated-condition-coded."""

from __future__ import annotations

from collections.abc import Iterator

from auditkit.plugins.documentation.diagnosis_reading import quote, read_diagnoses
from auditkit.rules import Check, CheckContext, Finding, Rule
from auditkit.units import EncounterRecord

RULE = Rule(
    id="DOC005",
    name="negated-condition-coded",
    summary="Condition coded although the note negates it (denies, no, negative for, ruled out).",
    severity="error",
    category="incorrect_coding",
    responsible="provider",
    rationale=(
        "A condition the note explicitly denies or rules out cannot be coded. It is usually "
        "a template or problem-list slip (the code came from a pick list, the note says the "
        "opposite) and a payer reviewer reads it as an unsupported, even false, diagnosis."
    ),
    education_topic="Coding only confirmed conditions: negations and ruled-out diagnoses",
    references=(
        "ICD-10-CM Official Guidelines for Coding and Reporting, Section IV.H and IV.J",
        "CMS Medicare Program Integrity Manual, Chapter 3, §3.3.2.1",
    ),
    examines=("diagnoses",),
)


class NegatedConditionCoded(Check):
    """Flags coded conditions the note mentions only as absent.

    ## What it does
    Reads every mention of the coded condition in the note; when each one is negated ("no
    chest pain", "denies dysuria", "negative for strep", "pneumonia was ruled out", "DVT
    not seen") and none affirms it, the code is flagged with the sentence that negates it.
    Negated review-of-systems items that are not coded are no concern of this rule.

    ## Why it matters
    A code for a condition the record says the patient does not have is a false
    statement on the claim and a frequent finding in medical reviews.

    ## Example
    ``N39.0`` (urinary tract infection) coded; the note says "Urinalysis negative; no
    evidence of urinary tract infection."

    ## Use instead
    Remove the code; code what the note does document (the symptom, or the condition that
    was confirmed).
    """

    rules = (RULE,)

    def check(self, encounter: EncounterRecord, context: CheckContext) -> Iterator[Finding]:
        for read in read_diagnoses(encounter, context):
            if read.evidence.status != "negated_only":
                continue
            said = quote(read.evidence.best)
            yield Finding(
                rule_id=RULE.id,
                message=(
                    f"{read.diagnosis.display} ({read.title}) coded; the note negates it (“{said}”)"
                ),
                evidence=f"Note: “{said}”",
                code=read.diagnosis.code,
                coded=read.diagnosis.display,
            )
