"""SPC006 age-sex-conflict."""

from __future__ import annotations

from collections.abc import Iterator

from auditkit.codesets import CodeReference
from auditkit.plugins.specificity.release_view import valid_diagnoses
from auditkit.plugins.specificity.sex_edits import sex_edit
from auditkit.rules import Check, CheckContext, Finding, Parameter, Rule
from auditkit.units import DiagnosisRecord, EncounterRecord

RULE = Rule(
    id="SPC006",
    name="age-sex-conflict",
    summary="Diagnosis implausible for the patient's sex or age (maternity, sex-specific codes).",
    severity="warning",
    category="incorrect_coding",
    responsible="coder",
    rationale=(
        "A pregnancy code for a male or a 70-year-old, or a prostate code for a female, "
        "means the code or the patient's demographics are wrong; payers' code editors deny "
        "such claims. Registration sex and anatomy can differ (transgender and intersex "
        "patients), so a finding asks for review rather than proving an error."
    ),
    education_topic="Age and sex edits: maternity and sex-specific diagnosis codes",
    references=(
        (
            "CMS Medicare Code Editor (MCE): age conflict (maternity diagnoses) and sex conflict "
            "edits"
        ),
        (
            "ICD-10-CM Official Guidelines for Coding and Reporting, Section I.C.15 (Pregnancy, "
            "childbirth, and the puerperium): chapter 15 codes on the maternal record only"
        ),
    ),
    parameters=(
        Parameter("maternity_min_age", 12, "Youngest age (years) for a maternity (O) code."),
        Parameter("maternity_max_age", 55, "Oldest age (years) for a maternity (O) code."),
    ),
)

_MATERNITY = CodeReference("O00", "O9A")
_SEX_NAMES = {"M": "male", "F": "female"}


class AgeSexConflict(Check):
    """Flags diagnoses that conflict with the patient's sex or with maternity ages.

    ## What it does
    Compares each valid code with the patient's sex and age on the date of service. Codes
    from a curated, conservative list of sex-specific ranges (male: prostate, testis,
    penis and other male genital organs; female: ovary, uterus, cervix, vulva, vagina,
    female infertility, pregnancy-related Z codes; breast cancer codes by their "male" /
    "female breast" title) are reported for a patient of the other sex. Maternity codes
    (chapter 15, O00-O9A) are reported for a male patient or outside the maternity ages
    (12 to 55 by default, parameters ``maternity_min_age`` / ``maternity_max_age``). Sex
    ``U`` or missing skips the sex edits; a missing date of birth skips the age edit. One
    finding per code.

    ## Why it matters
    These are edits the Medicare Code Editor applies; a claim failing them is denied, and
    the cause is either a wrong code or wrong demographics, both worth correcting at the
    source.

    ## Example
    ``O80`` (encounter for full-term uncomplicated delivery) for a 61-year-old patient;
    ``N40.0`` (benign prostatic hyperplasia) for a female patient.

    ## Use instead
    The code the documentation supports for this patient, or corrected demographics in
    registration (and the code left as is) when the registration was wrong.
    """

    rules = (RULE,)

    def check(self, encounter: EncounterRecord, context: CheckContext) -> Iterator[Finding]:
        release = context.codesets.for_date(encounter.date_of_service).release
        sex = (encounter.patient.sex or "").upper()
        age = encounter.patient_age
        youngest = context.parameter(RULE, "maternity_min_age")
        oldest = context.parameter(RULE, "maternity_max_age")
        for dx in valid_diagnoses(encounter, release):
            description = release.description(dx.code) or ""
            edit = sex_edit(dx.code, description) if sex in _SEX_NAMES else None
            if edit is not None and edit.sex != sex:
                yield _finding(
                    dx,
                    f"{dx.display} ({edit.label}; {_SEX_NAMES[edit.sex]} only) coded for a "
                    f"{_SEX_NAMES[sex]} patient; check the code and the patient's recorded sex",
                    f"{dx.display}: {description}. Curated sex edit (modelled on the CMS "
                    f"Medicare Code Editor): {edit.display} {edit.label}.",
                )
            elif _MATERNITY.matches(dx.code) and age is not None and not youngest <= age <= oldest:
                yield _finding(
                    dx,
                    f"{dx.display} (maternity, ages {youngest}-{oldest}) coded for a patient "
                    f"aged {age}; check the code and the date of birth",
                    f"{dx.display}: {description}. Maternity codes O00-O9A are expected for "
                    f"patients aged {youngest}-{oldest} (Medicare Code Editor age edit).",
                )


def _finding(dx: DiagnosisRecord, message: str, evidence: str) -> Finding:
    return Finding(rule_id=RULE.id, message=message, evidence=evidence, code=dx.code)
