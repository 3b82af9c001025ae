"""SPC002 non-billable-code."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from auditkit.codesets import Icd10cmRelease
from auditkit.rules import Check, CheckContext, Finding, Parameter, Rule
from auditkit.units import EncounterRecord, dotted

RULE = Rule(
    id="SPC002",
    name="non-billable-code",
    summary=(
        "Category or subcategory coded where more specific codes exist, including a missing "
        "7th character or placeholder X."
    ),
    severity="error",
    category="incorrect_coding",
    responsible="coder",
    rationale=(
        "Only codes carried to their full length are valid on a claim. A header code, a "
        "code without its 7th character or without the placeholder X is rejected, and "
        "shows the coder stopped before the level of detail the classification requires."
    ),
    education_topic="Coding to the highest level of specificity: 7th characters and placeholders",
    references=(
        (
            "ICD-10-CM Official Guidelines for Coding and Reporting, Section I.A (Conventions): "
            "placeholder character; 7th characters"
        ),
        (
            "ICD-10-CM Official Guidelines for Coding and Reporting, Section I.B (General coding "
            "guidelines): level of detail in coding"
        ),
        "CMS Medicare Code Editor (MCE): invalid diagnosis code edit",
    ),
    parameters=(
        Parameter(
            name="children_listed",
            default=4,
            description="How many of the more specific codes the message lists.",
        ),
    ),
)


class NonBillableCode(Check):
    """Flags codes that stop short of a billable code.

    ## What it does
    Reports a valid category or subcategory that has more specific codes below it, listing
    some of them; a code that lacks its 7th character, listing the 7th characters the
    classification defines for it; and a code that is only invalid because its placeholder
    X is missing (``T36.01A``), naming the valid code (``T36.0X1A``) instead of calling it
    invalid under SPC001.

    ## Why it matters
    Claims must carry codes to their full length. Header codes and incomplete injury or
    poisoning codes are rejected, and the fix is usually one character the documentation
    already supports (laterality, encounter type, placeholder).

    ## Example
    ``S52.521`` (torus fracture of lower end of right radius) on an initial visit; ``M17.1``
    (unilateral primary osteoarthritis of knee); ``T36.01A``.

    ## Use instead
    ``S52.521A`` (initial encounter for closed fracture); ``M17.11`` for the right knee;
    ``T36.0X1A``.
    """

    rules = (RULE,)

    def check(self, encounter: EncounterRecord, context: CheckContext) -> Iterator[Finding]:
        choice = context.codesets.for_date(encounter.date_of_service)
        release = choice.release
        listed = context.parameter(RULE, "children_listed")
        for dx in encounter.diagnoses:
            if release.is_valid(dx.code):
                if release.is_billable(dx.code):
                    continue
                message, detail = _incomplete(dx.code, release, listed)
            else:
                fixed = release.with_placeholders(dx.code)
                if fixed is None:
                    continue  # SPC001 reports it
                message, detail = _missing_placeholder(dx.code, fixed, release, listed)
            yield Finding(
                rule_id=RULE.id,
                message=message,
                evidence=f"{detail} {choice.explanation}",
                code=dx.code,
            )


def _incomplete(code: str, release: Icd10cmRelease, listed: int) -> tuple[str, str]:
    """Message and evidence for a valid code that has more specific codes below it."""
    children = release.children(code)
    description = f"{dotted(code)}: {release.description(code)}."
    seventh = release.seven_chr_def(code)
    if seventh and all(len(child) == 7 for child in children):
        return (
            (
                f"{dotted(code)} lacks its 7th character ({', '.join(seventh)}); "
                f"e.g. {dotted(children[0])} for {seventh[children[0][-1]]}"
            ),
            f"{description} 7th characters: {_characters(seventh)}.",
        )
    more = "" if len(children) <= listed else f" … ({len(children)} in all)"
    return (
        (
            f"{dotted(code)} is a header code, not billable; code one of "
            f"{', '.join(dotted(child) for child in children[:listed])}{more}"
        ),
        f"{description} {len(children)} more specific code(s) below it.",
    )


def _missing_placeholder(
    code: str, fixed: str, release: Icd10cmRelease, listed: int
) -> tuple[str, str]:
    """Message and evidence for a code that is valid only with placeholder X's."""
    description = f"{dotted(fixed)}: {release.description(fixed)}."
    if release.is_billable(fixed):
        return f"{dotted(code)} lacks the placeholder X: code {dotted(fixed)}", description
    children = release.children(fixed)
    return (
        (
            f"{dotted(code)} lacks the placeholder X and is incomplete; code one of "
            f"{', '.join(dotted(child) for child in children[:listed])}"
        ),
        description,
    )


def _characters(seventh: Mapping[str, str]) -> str:
    return "; ".join(f"{character} = {meaning}" for character, meaning in seventh.items())
