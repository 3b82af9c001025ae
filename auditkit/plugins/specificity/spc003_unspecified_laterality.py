"""SPC003 unspecified-laterality."""

from __future__ import annotations

from collections.abc import Iterator

from auditkit.codesets import SideAlternatives
from auditkit.notes.sides import SideEvidence, documented_side
from auditkit.notes.vocabulary import ConditionTerms
from auditkit.plugins.specificity.release_view import valid_diagnoses
from auditkit.rules import Check, CheckContext, Finding, Rule
from auditkit.units import EncounterRecord, dotted

RULE = Rule(
    id="SPC003",
    name="unspecified-laterality",
    summary="Unspecified-side code used while the note documents the side.",
    severity="warning",
    category="incorrect_coding",
    responsible="coder",
    rationale=(
        "When the record says which side is affected the code must say it too. Unspecified "
        "laterality is acceptable only when the documentation is silent; payers increasingly "
        "deny unspecified-side codes, and the side drives medical necessity for procedures "
        "billed with RT/LT."
    ),
    education_topic="Laterality: coding right, left and bilateral from the documentation",
    references=(
        (
            "ICD-10-CM Official Guidelines for Coding and Reporting, Section I.B (General coding "
            "guidelines): laterality"
        ),
        (
            "ICD-10-CM Official Guidelines for Coding and Reporting, Section I.A (Conventions): "
            "other and unspecified codes"
        ),
    ),
)

_MESSAGE_QUOTE = 70
_SIDE_PHRASES = {"right": "the right side", "left": "the left side", "bilateral": "both sides"}


class UnspecifiedLaterality(Check):
    """Flags unspecified-side codes when the note names the side.

    ## What it does
    Finds codes that leave the side open: their description says "unspecified" where
    sibling codes say right, left or bilateral (read from the release, so it covers every
    chapter). It then reads the note for sentences about that condition or body part that
    state a side, skipping negated mentions ("no left knee swelling"), another person's
    history and sides that belong to another body part ("right shoulder" says nothing about
    the knee). When the note names the side, the message quotes it and names the code to
    use; right and left together, or "bilateral", suggest the bilateral code (or the right
    and left codes where none exists).

    ## Why it matters
    The guidelines allow unspecified laterality only when the record does not say. Coding
    it anyway loses information the provider documented, invites denials for
    side-specific services, and is a pattern auditors and payers track by coder.

    ## Example
    ``M17.10`` (unilateral primary osteoarthritis, unspecified knee) with the note
    "Right knee pain and stiffness; X-rays consistent with osteoarthritis."

    ## Use instead
    ``M17.11`` (unilateral primary osteoarthritis, right knee).
    """

    rules = (RULE,)

    def check(self, encounter: EncounterRecord, context: CheckContext) -> Iterator[Finding]:
        if encounter.note is None or not encounter.note.text.strip():
            return
        release = context.codesets.for_date(encounter.date_of_service).release
        for dx in valid_diagnoses(encounter, release):
            alternatives = release.side_alternatives(dx.code)
            if alternatives is None:
                continue
            description = release.description(dx.code) or ""
            terms = ConditionTerms.from_description(description, alternatives.site)
            evidence = documented_side(encounter.note.text, terms)
            if evidence is None:
                continue
            suggestion = _suggestion(evidence, alternatives)
            if suggestion is None:
                continue
            yield Finding(
                rule_id=RULE.id,
                message=(
                    f"{dx.display} unspecified {alternatives.site} coded; note documents "
                    f"{_SIDE_PHRASES[evidence.side]} (“{evidence.excerpt(_MESSAGE_QUOTE)}”); "
                    f"code {suggestion}"
                ),
                evidence=f"{dx.display}: {description}. Note: “{evidence.excerpt()}”",
                code=dx.code,
            )


def _suggestion(evidence: SideEvidence, alternatives: SideAlternatives) -> str | None:
    codes = alternatives.for_side(evidence.side)
    if not codes:
        return None
    if evidence.side == "bilateral" and not alternatives.codes.get("bilateral"):
        return " and ".join(dotted(code) for code in codes)
    return " or ".join(dotted(code) for code in codes)
