"""SPC001 invalid-code."""

from __future__ import annotations

from collections.abc import Iterator

from auditkit.codesets import Icd10cmRelease
from auditkit.rules import Check, CheckContext, Finding, Rule
from auditkit.units import EncounterRecord, dotted

RULE = Rule(
    id="SPC001",
    name="invalid-code",
    summary="Diagnosis code not valid in the ICD-10-CM release in effect on the date of service.",
    severity="error",
    category="incorrect_coding",
    responsible="coder",
    rationale=(
        "A claim whose diagnosis code is not in the release in effect on the date of service "
        "is rejected before any review: the code was deleted, is not yet effective, or was "
        "mistyped. Either way the service is unpaid until the claim is corrected."
    ),
    education_topic="ICD-10-CM code validity and the annual (October) and April updates",
    references=(
        (
            "ICD-10-CM Official Guidelines for Coding and Reporting, Section I.A (Conventions): "
            "use of codes for reporting purposes"
        ),
        "CMS Medicare Code Editor (MCE): invalid diagnosis code edit",
        "CDC/CMS ICD-10-CM code files for the fiscal year of the date of service",
    ),
)


class InvalidCode(Check):
    """Flags diagnosis codes the ICD-10-CM release in effect on the date of service lacks.

    ## What it does
    Looks every diagnosis code up in the release that governs the date of service (the
    fiscal-year release, October 1 to September 30). A code that is malformed, deleted, not
    yet effective or simply mistyped is reported, with the release that judged it and the
    longest valid start of the code to help find the intended one. Codes that only lack a
    placeholder X are left to SPC002, which names the corrected code.

    ## Why it matters
    Payers reject claims with invalid diagnosis codes outright (the Medicare Code Editor
    runs this edit first); a deleted code that stays in a charge master or a pick list
    keeps producing denials until someone fixes the source.

    ## Example
    ``E11.99`` for a patient with type 2 diabetes: ``E11.9`` has no children, so there is
    no ``E11.99``.

    ## Use instead
    The code as it stands in the release for the date of service: ``E11.9`` (type 2 diabetes
    mellitus without complications), or the complication code the note supports.
    """

    rules = (RULE,)

    def check(self, encounter: EncounterRecord, context: CheckContext) -> Iterator[Finding]:
        choice = context.codesets.for_date(encounter.date_of_service)
        release = choice.release
        for dx in encounter.diagnoses:
            if release.is_valid(dx.code) or release.with_placeholders(dx.code):
                continue
            yield Finding(
                rule_id=RULE.id,
                message=_message(dx.code, release),
                evidence=choice.explanation,
                code=dx.code,
            )


def _message(code: str, release: Icd10cmRelease) -> str:
    if not release.is_well_formed(code):
        return (
            f"{code!r} is not shaped like an ICD-10-CM code (letter, digit, then up to five "
            "characters); correct it from the documentation"
        )
    message = f"{dotted(code)} is not in {release.name}: deleted, not yet effective or mistyped"
    start = _longest_valid_start(code, release)
    if start is not None:
        message += f"; the longest valid start is {dotted(start)} ({release.description(start)})"
    return message


def _longest_valid_start(code: str, release: Icd10cmRelease) -> str | None:
    for length in range(len(code) - 1, 2, -1):
        if release.is_valid(code[:length]):
            return code[:length]
    return None
