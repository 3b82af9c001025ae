"""DOC001 em-level-above-documentation."""

from __future__ import annotations

from collections.abc import Iterator

from auditkit.plugins.documentation.em_levels import (
    em_line,
    family,
    level_difference,
    supported_level,
)
from auditkit.rules import Check, CheckContext, Finding, Rule
from auditkit.units import EncounterRecord

RULE = Rule(
    id="DOC001",
    name="em-level-above-documentation",
    summary="Office/outpatient E/M level above what the documented time and MDM support.",
    severity="error",
    category="insufficient_documentation",
    responsible="provider",
    rationale=(
        "An office visit level must be supported by the medical decision making or by the "
        "total time the practitioner documents on the date of service. A level above both is "
        "an overpayment the payer recovers, and E/M overcoding is a standing OIG and CERT "
        "target."
    ),
    education_topic="Choosing the office E/M level from MDM or total time (2021+ rules)",
    references=(
        "CMS Medicare Claims Processing Manual, Chapter 12, §30.6.1 (selection of E/M level)",
        "AMA CPT E/M guidelines for office/outpatient services, 2021 and 2024 revisions",
        "CMS CERT: insufficient documentation error category",
    ),
    examines=("note",),
)


class EmLevelAboveDocumentation(Check):
    """Flags office/outpatient E/M levels above what the note supports.

    ## What it does
    For an encounter billing 99202–99205 or 99212–99215, reads the total time and the MDM
    level from the note's columns (or, when a column is empty, from the note text: "Total
    time spent: 32 minutes", "MDM: moderate complexity"). The supported level is the higher
    of the two: time meets a code's minimum (99212 10, 99213 20, 99214 30, 99215 40; 99202
    15, 99203 30, 99204 45, 99205 60 minutes), MDM straightforward/low/moderate/high maps
    to levels 2/3/4/5. A billed level above it is flagged with the supported code and the
    overpayment: PFS RVUs × conversion factor when a fee schedule is loaded, else the
    line's paid amount or charge scaled by the levels' minimum times. When the note states
    neither time nor MDM the rule says nothing (there is nothing to compare).

    ## Why it matters
    A level the documentation does not support is an overpayment; E/M level selection is
    among the most audited areas and errors repeat across a provider's visits.

    ## Example
    99214 billed; the note says "MDM: low complexity. Total time spent: 24 minutes."

    ## Use instead
    99213 (low MDM; 24 minutes meets 99213's 20 but not 99214's 30), or document the
    moderate MDM or the 30 minutes that were really spent.
    """

    rules = (RULE,)
    needs = ("pfs-rvu",)

    def check(self, encounter: EncounterRecord, context: CheckContext) -> Iterator[Finding]:
        line = em_line(encounter)
        if line is None or encounter.note is None:
            return
        codes = family(line.procedure_code) or ()
        support = supported_level(encounter, codes)
        if not support.documented:
            return
        supported = support.code or codes[0]
        if codes.index(line.procedure_code) <= codes.index(supported):
            return
        impact = level_difference(line, supported, encounter, context)
        yield Finding(
            rule_id=RULE.id,
            message=(
                f"{line.procedure_code} billed; the documentation supports {supported} "
                f"({support.evidence}); overpaid by about ${impact}"
            ),
            evidence=support.evidence,
            line_number=line.line_number,
            code=line.procedure_code,
            coded=line.procedure_code,
            audited=supported,
            financial_impact=impact,
        )
