"""SPC004 excludes1-conflict."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations

from auditkit.codesets import CodeReference, Icd10cmRelease
from auditkit.plugins.specificity.release_view import valid_diagnoses
from auditkit.rules import Check, CheckContext, Finding, Rule
from auditkit.units import EncounterRecord, dotted

RULE = Rule(
    id="SPC004",
    name="excludes1-conflict",
    summary="Two codes on one encounter that an Excludes1 note says are never coded together.",
    severity="warning",
    category="incorrect_coding",
    responsible="coder",
    rationale=(
        "An Excludes1 note means the two conditions cannot occur together (a congenital and "
        "an acquired form, type 1 and type 2 diabetes): coding both is contradictory, "
        "usually one of them is wrong, and payers' code editors deny the pair."
    ),
    education_topic="Excludes1 and Excludes2 notes: which conditions may be coded together",
    references=(
        (
            "ICD-10-CM Official Guidelines for Coding and Reporting, Section I.A (Conventions): "
            "Excludes notes (Excludes1, Excludes2)"
        ),
    ),
)


class ExcludesOneConflict(Check):
    """Flags pairs of diagnosis codes joined by an Excludes1 note.

    ## What it does
    For every pair of valid codes on the encounter, reads the Excludes1 notes of each code
    and of every category, block and chapter enclosing it, in both directions, and reports
    the pair once when a note names the other code (a single code, a family such as
    ``E11.-`` or a range such as ``C00-C96``). Excludes2 notes ("not included here", both
    may be coded) are never reported. A note that names the code carrying it is ignored.

    ## Why it matters
    Excludes1 means "never together": the pair is internally contradictory and is one of
    the commonest code-editor denials. The one exception the guidelines allow (the two
    conditions are unrelated to each other) needs documentation, so the finding is a
    warning for a reviewer to confirm.

    ## Example
    ``E10.9`` (type 1 diabetes mellitus without complications) with ``E11.9`` (type 2):
    category E10 has Excludes1 "type 2 diabetes mellitus (E11.-)".

    ## Use instead
    The one code the documentation supports (``E11.9`` with ``Z79.4`` for a type 2
    patient on insulin).
    """

    rules = (RULE,)

    def check(self, encounter: EncounterRecord, context: CheckContext) -> Iterator[Finding]:
        release = context.codesets.for_date(encounter.date_of_service).release
        for first, second in combinations(valid_diagnoses(encounter, release), 2):
            if first.code == second.code:
                continue
            found = _excluding_note(first.code, second.code, release)
            if found is not None:
                holder, excluded = first.code, second.code
            else:
                found = _excluding_note(second.code, first.code, release)
                holder, excluded = second.code, first.code
            if found is None:
                continue
            where = _where(found.source, release)
            yield Finding(
                rule_id=RULE.id,
                message=(
                    f"{dotted(holder)} and {dotted(excluded)} are coded together, but {where} "
                    f"has Excludes1 “{found.note}”; keep only the code the documentation "
                    "supports"
                ),
                evidence=(
                    f"Excludes1 note at {where}: “{found.note}”. "
                    f"{dotted(holder)}: {release.description(holder)}; "
                    f"{dotted(excluded)}: {release.description(excluded)}."
                ),
                code=excluded,
            )


def _excluding_note(holder: str, other: str, release: Icd10cmRelease) -> CodeReference | None:
    """The Excludes1 reference of ``holder`` (or its ancestors) that names ``other``."""
    for reference in release.excludes1(holder):
        if reference.matches(other) and not reference.matches(holder):
            return reference
    return None


def _where(source: str, release: Icd10cmRelease) -> str:
    """How to name the holder of a note: a code, a block (``A15-A19``) or a chapter."""
    if release.is_valid(source):
        return dotted(source)
    return f"block {source}" if "-" in source else f"chapter {source}"
