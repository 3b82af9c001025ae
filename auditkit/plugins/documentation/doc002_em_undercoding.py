"""DOC002 em-level-below-documentation."""

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
    id="DOC002",
    name="em-level-below-documentation",
    summary="Office/outpatient E/M level below what the documented time or MDM supports.",
    severity="warning",
    category="incorrect_coding",
    responsible="provider",
    rationale=(
        "Undercoding is a compliance problem too: the practice loses revenue it earned, and "
        "a provider who habitually bills low distorts the level distribution that payers "
        "and auditors compare against peers (and may be avoiding scrutiny rather than coding "
        "what was done)."
    ),
    education_topic="Choosing the office E/M level from MDM or total time (2021+ rules)",
    references=(
        "CMS Medicare Claims Processing Manual, Chapter 12, §30.6.1 (selection of E/M level)",
        "AMA CPT E/M guidelines for office/outpatient services, 2021 and 2024 revisions",
    ),
    examines=("note",),
)


class EmLevelBelowDocumentation(Check):
    """Flags office/outpatient E/M levels below what the note supports.

    ## What it does
    Reads the documented total time and MDM level the same way as DOC001 and takes the
    higher level either supports. A billed level below it is flagged with the supported
    code and the underpayment as a negative amount (PFS RVUs × conversion factor when a
    fee schedule is loaded, else from the line's charge scaled by the levels' minimum
    times). A 99214 documented by time alone (35 minutes, no MDM statement) is supported,
    not flagged by either rule.

    ## Why it matters
    Lost revenue, and a skewed E/M profile: undercoding is as much a documentation-coding
    mismatch as overcoding, and often a sign the provider does not know the 2021 rules.

    ## Example
    99213 billed; the note says "Medical decision making: moderate. I spent 42 minutes".

    ## Use instead
    99215 (42 minutes meets 99215's 40), or 99214 if the time was not really spent.
    """

    rules = (RULE,)
    needs = ("pfs-rvu",)

    def check(self, encounter: EncounterRecord, context: CheckContext) -> Iterator[Finding]:
        line = em_line(encounter)
        if line is None or encounter.note is None:
            return
        codes = family(line.procedure_code) or ()
        support = supported_level(encounter, codes)
        if support.code is None:
            return
        if codes.index(line.procedure_code) >= codes.index(support.code):
            return
        impact = level_difference(line, support.code, encounter, context)
        yield Finding(
            rule_id=RULE.id,
            message=(
                f"{line.procedure_code} billed; the documentation supports {support.code} "
                f"({support.evidence}); underpaid by about ${-impact}"
            ),
            evidence=support.evidence,
            line_number=line.line_number,
            code=line.procedure_code,
            coded=line.procedure_code,
            audited=support.code,
            financial_impact=impact,
        )
