"""MOD009 contradictory-modifiers."""

from __future__ import annotations

from collections.abc import Iterator

from auditkit.plugins.modifiers import sources
from auditkit.plugins.modifiers.claim import billed
from auditkit.rules import Check, CheckContext, Finding, Rule
from auditkit.units import EncounterRecord

RULE = Rule(
    id="MOD009",
    name="contradictory-modifiers",
    summary="Contradictory modifiers on one line (26 with TC, GA with GZ).",
    severity="error",
    category="incorrect_coding",
    responsible="coder",
    rationale=(
        "26 bills the professional component and TC the technical component: together they "
        "are the global service, billed without either. GA says an advance beneficiary "
        "notice is on file, GZ that none is: one of them is false, and the patient's "
        "liability depends on which."
    ),
    education_topic="Component (26/TC) and ABN (GA/GZ) modifiers",
    references=(sources.PFS_RVU, sources.ABN),
    examines=("lines",),
)
# Pairs that cannot both be true of one line, with what each pair means together.
CONTRADICTIONS = (
    (("26", "TC"), "26 (professional component) with TC (technical component)", "global"),
    (("GA", "GZ"), "GA (ABN on file) with GZ (no ABN on file)", None),
)


class ContradictoryModifiers(Check):
    """Flags a line carrying two modifiers that exclude each other.

    ## What it does
    Reports each line of the encounter that carries both 26 and TC, or both GA and GZ,
    once per contradictory pair.

    ## Why it matters
    The line is rejected, or priced for a component that was not the service; a wrong ABN
    modifier shifts liability to or from the patient.

    ## Example
    ``71046-26-TC``; ``93000-GA-GZ``.

    ## Use instead
    ``71046`` (the global service) when the practice did both components, else the one
    component it did; GA or GZ, whichever the ABN file supports.
    """

    rules = (RULE,)

    def check(self, encounter: EncounterRecord, context: CheckContext) -> Iterator[Finding]:
        for line in encounter.lines:
            for pair, meaning, global_service in CONTRADICTIONS:
                if not set(pair) <= set(line.modifiers):
                    continue
                audited = (
                    billed(line, (m for m in line.modifiers if m not in pair))
                    if global_service
                    else None
                )
                yield Finding(
                    rule_id=RULE.id,
                    message=f"line {line.line_number}: {billed(line)} has {meaning} on one line",
                    line_number=line.line_number,
                    code=line.procedure_code,
                    coded=billed(line),
                    audited=audited,
                )
