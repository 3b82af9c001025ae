"""DOC004 uncertain-diagnosis-coded."""

from __future__ import annotations

from collections.abc import Iterator

from auditkit.plugins.documentation.diagnosis_reading import (
    documented_symptom,
    quote,
    read_diagnoses,
)
from auditkit.rules import Check, CheckContext, Finding, Parameter, Rule
from auditkit.units import EncounterRecord

RULE = Rule(
    id="DOC004",
    name="uncertain-diagnosis-coded",
    summary=(
        "Uncertain diagnosis (probable, suspected, likely, rule out, questionable) coded in "
        "an outpatient setting."
    ),
    severity="error",
    category="incorrect_coding",
    responsible="provider",
    rationale=(
        "In outpatient and physician coding a diagnosis documented as probable, suspected, "
        "questionable, rule out or working is not coded: the signs and symptoms are. Coding "
        "the suspected condition labels the patient with a disease they may not have and "
        "misstates medical necessity."
    ),
    education_topic="Outpatient uncertain diagnoses: code the signs and symptoms",
    references=(
        "ICD-10-CM Official Guidelines for Coding and Reporting, Section IV.H (uncertain "
        "diagnosis) and IV.D (signs and symptoms)",
    ),
    parameters=(
        Parameter(
            "inpatient_places_of_service",
            ["21", "51", "61"],
            "Places of service where uncertain diagnoses may be coded (inpatient settings).",
        ),
    ),
    examines=("diagnoses",),
)


# Chapter 18 (R00-R99): signs and symptoms are what an uncertain diagnosis is coded as.
_SIGNS_AND_SYMPTOMS = ("R",)


class UncertainDiagnosisCoded(Check):
    """Flags diagnoses the note documents only as uncertain, in outpatient settings.

    ## What it does
    Reads every mention of the coded condition in the note. When every mention is
    qualified as uncertain (probable, possible, suspected, likely, questionable, rule
    out / r/o, versus, cannot be excluded) and none affirms it, the code is flagged. The
    finding proposes the sign or symptom to code instead when the note names one: in the
    same sentence ("cough, rule out pneumonia" → R05.9), else the note's only affirmed
    symptom. Sign and symptom codes (R00–R99) are never flagged: they are what the
    guideline says to code. Encounters at an inpatient place of service (21, 51, 61 by default) are
    skipped, because inpatient rules allow uncertain diagnoses at discharge.

    ## Why it matters
    The outpatient guidelines forbid coding an unconfirmed diagnosis; it follows the
    patient (problem lists, risk scores, insurance) and overstates severity.

    ## Example
    ``J18.9`` (pneumonia) coded; the note says "Productive cough, rule out pneumonia; chest
    X-ray ordered."

    ## Use instead
    ``R05.9`` (cough), the symptom the note documents.
    """

    rules = (RULE,)

    def check(self, encounter: EncounterRecord, context: CheckContext) -> Iterator[Finding]:
        inpatient = context.parameter(RULE, "inpatient_places_of_service")
        if encounter.place_of_service in {str(place) for place in inpatient}:
            return
        for read in read_diagnoses(encounter, context):
            if read.evidence.status != "uncertain_only" or encounter.note is None:
                continue
            if read.diagnosis.code.startswith(_SIGNS_AND_SYMPTOMS):
                continue  # what the guideline says to code; "fever, suspected flu" is no doubt
            uncertain = tuple(
                mention
                for mention in read.evidence.mentions
                if mention.assessment.negation == "possible"
            )
            symptom = documented_symptom(encounter.note.text, uncertain)
            instead = (
                f"; code the documented symptom {symptom}"
                if symptom
                else ("; code the signs or symptoms instead")
            )
            yield Finding(
                rule_id=RULE.id,
                message=(
                    f"{read.diagnosis.display} ({read.title}) coded; the note documents it "
                    f"only as uncertain (“{quote(read.evidence.best)}”){instead}"
                ),
                evidence=f"Note: “{quote(read.evidence.best)}”",
                code=read.diagnosis.code,
                coded=read.diagnosis.display,
                audited=symptom,
            )
