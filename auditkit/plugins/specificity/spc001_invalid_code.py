"""SPC001 invalid-code."""

from __future__ import annotations

import re
from collections.abc import Iterator

from auditkit.codesets import Icd10cmRelease
from auditkit.rules import Check, CheckContext, Finding, Rule
from auditkit.units import EncounterRecord, dotted

RULE = Rule(
    id="SPC001",
    name="invalid-code",
    summary=(
        "Diagnosis code not valid in the ICD-10-CM release in effect on the date of service, "
        "or a malformed procedure code."
    ),
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
    """Flags diagnosis codes the ICD-10-CM release in effect on the date of service lacks,
    and procedure codes that are not shaped like a CPT or HCPCS Level II code.

    ## What it does
    Looks every diagnosis code up in the release that governs the date of service (the
    fiscal-year release, October 1 to September 30). A code that is malformed, deleted, not
    yet effective or simply mistyped is reported, with the release that judged it and the
    longest valid start of the code to help find the intended one. Codes that only lack a
    placeholder X are left to SPC002, which names the corrected code. Codes are imported as
    the coder typed them, so a procedure code of the wrong shape (``992133``, ``9921``)
    reaches this check too and is reported on its line.

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
            if "." in dx.code:  # stored without its dot, unless the dot was misplaced
                yield Finding(
                    rule_id=RULE.id,
                    message=(
                        f"{dx.code!r} has its dot in the wrong place (ICD-10-CM puts it after "
                        "the third character); correct it from the documentation"
                    ),
                    evidence=choice.explanation,
                    code=dx.code,
                )
                continue
            if release.is_valid(dx.code) or release.with_placeholders(dx.code):
                continue
            yield Finding(
                rule_id=RULE.id,
                message=_message(dx.code, release),
                evidence=choice.explanation,
                code=dx.code,
            )


        for line in encounter.lines:
            if not _PROCEDURE_SHAPE.fullmatch(line.procedure_code):
                yield Finding(
                    rule_id=RULE.id,
                    message=(
                        f"procedure code {line.procedure_code!r} is not shaped like a CPT "
                        "(five digits, or four and a letter) or HCPCS Level II code (a letter "
                        "and four digits); correct it from the documentation"
                    ),
                    line_number=line.line_number,
                    code=line.procedure_code,
                )


# CPT: 99213, 0001U, 0521T (Category II/III: four digits and a letter); HCPCS II: J1100.
_PROCEDURE_SHAPE = re.compile(r"\d{4}[0-9A-Z]|[A-Z]\d{4}")


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
