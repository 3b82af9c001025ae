"""SPC005 manifestation-first-listed."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from auditkit.codesets import Icd10cmRelease
from auditkit.plugins.specificity.release_view import valid_diagnoses
from auditkit.rules import Check, CheckContext, Finding, Rule
from auditkit.units import DiagnosisRecord, EncounterRecord, dotted

RULE = Rule(
    id="SPC005",
    name="manifestation-first-listed",
    summary='Manifestation or "code first" code listed as the first diagnosis.',
    severity="error",
    category="incorrect_coding",
    responsible="coder",
    rationale=(
        "A manifestation code describes the effect of an underlying disease and may never be "
        'first-listed; a "code first" note asks for the cause to be sequenced before it. '
        "The first-listed diagnosis drives medical necessity and, for facilities, payment."
    ),
    education_topic='Etiology/manifestation sequencing: "code first" and "use additional code"',
    references=(
        (
            "ICD-10-CM Official Guidelines for Coding and Reporting, Section I.A (Conventions): "
            'etiology/manifestation convention ("code first", "use additional code" and '
            '"in diseases classified elsewhere" notes)'
        ),
        "CMS Medicare Code Editor (MCE): manifestation code as principal diagnosis edit",
    ),
)

_MANIFESTATION = re.compile(r"\bin (?:other )?diseases classified elsewhere\b", re.IGNORECASE)
# "Code first" notes that apply only when the cause exists ("Code first, if applicable, …",
# "Code first any associated …"): such a code may lead when nothing causal is coded.
_CONDITIONAL = re.compile(r"\bif (?:applicable|known)\b|^\s*,?\s*any\b", re.IGNORECASE)


class CodeFirstSequencing(Check):
    """Flags a manifestation or "code first" code listed as the first diagnosis.

    ## What it does
    Looks at the first-listed diagnosis only. It is reported when its title (or its
    category's) says "in diseases classified elsewhere", or when a "Code first" note on it
    or an enclosing code asks for another condition first. Conditional notes ("Code first,
    if applicable, …", "Code first any associated …") are reported only when a code the note
    names is on the encounter but listed later; without one, the code may lead.

    ## Why it matters
    Manifestation codes are never valid as the first-listed or principal diagnosis (the
    Medicare Code Editor rejects them), and sequencing the cause second misstates the
    reason for the visit.

    ## Example
    dx1 ``G63`` (polyneuropathy in diseases classified elsewhere), dx2 ``E85.4``
    (organ-limited amyloidosis).

    ## Use instead
    dx1 ``E85.4``, dx2 ``G63``; or a combination code where the classification has one
    (``E11.42`` for diabetic polyneuropathy).
    """

    rules = (RULE,)

    def check(self, encounter: EncounterRecord, context: CheckContext) -> Iterator[Finding]:
        release = context.codesets.for_date(encounter.date_of_service).release
        diagnoses = valid_diagnoses(encounter, release)
        if not diagnoses or diagnoses[0].position != 1:
            return
        first, later = diagnoses[0], diagnoses[1:]
        reason = _manifestation(first.code, release) or _code_first(first.code, later, release)
        if reason is None:
            return
        cause = _listed_cause(first.code, later, release)
        advice = (
            f"list {dotted(cause)} first" if cause else "sequence the underlying condition first"
        )
        yield Finding(
            rule_id=RULE.id,
            message=f"{first.display} is listed first but {reason}; {advice}",
            evidence=(
                f"{first.display}: {release.description(first.code)}. {_note(first.code, release)}"
            ),
            code=first.code,
        )


def _manifestation(code: str, release: Icd10cmRelease) -> str | None:
    for holder in (code, *release.ancestors(code)):
        found = _MANIFESTATION.search(release.description(holder) or "")
        if found:
            return f"it is a manifestation code (“{found.group()}”)"
    return None


def _code_first(code: str, later: Sequence[DiagnosisRecord], release: Icd10cmRelease) -> str | None:
    note = release.code_first(code)
    if note is None:
        return None
    if _CONDITIONAL.search(note.text) and _listed_cause(code, later, release) is None:
        return None
    return f"{dotted(note.source)} has a “Code first” note"


def _listed_cause(
    code: str, later: Sequence[DiagnosisRecord], release: Icd10cmRelease
) -> str | None:
    """A later-listed code that the "Code first" note names, if any."""
    note = release.code_first(code)
    if note is None:
        return None
    for dx in later:
        if any(reference.matches(dx.code) for reference in note.references):
            return dx.code
    return None


def _note(code: str, release: Icd10cmRelease) -> str:
    note = release.code_first(code)
    if note is None:
        return ""
    text = " ".join(note.text.split())
    return f"Code first (at {dotted(note.source)}): {text[:200]}"
