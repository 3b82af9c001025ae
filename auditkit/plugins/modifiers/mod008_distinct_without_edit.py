"""MOD008 distinct-modifier-without-edit."""

from __future__ import annotations

from collections.abc import Iterator

from auditkit.plugins.modifiers import sources
from auditkit.plugins.modifiers.claim import DISTINCT, billed, own, provider_day, without
from auditkit.plugins.modifiers.reference import ptp_edits
from auditkit.rules import Check, CheckContext, Finding, Rule
from auditkit.units import EncounterRecord

RULE = Rule(
    id="MOD008",
    name="distinct-modifier-without-edit",
    summary=(
        "59 or XE/XS/XP/XU appended where no PTP edit exists against any other code of that day."
    ),
    severity="warning",
    category="incorrect_coding",
    responsible="coder",
    rationale=(
        "59 and the X modifiers exist to bypass NCCI PTP edits. On a line no edit pairs "
        "with any other code of the day they bypass nothing: appended by habit they are "
        "the overuse signal OIG reviews look for, and they hide the cases where a distinct "
        "service really matters."
    ),
    education_topic="Proper use of modifiers 59, XE, XP, XS and XU",
    references=(sources.MODIFIER_59, sources.NCCI_MANUAL, sources.NCCI_PTP),
    examines=("lines",),
)


class DistinctModifierWithoutEdit(Check):
    """Flags 59/XE/XS/XP/XU on a line no PTP edit in force pairs with another code.

    ## What it does
    Reads the PTP edits in force on the date between the codes the same provider billed
    for the patient that day and reports each line of this encounter carrying 59, XE, XS,
    XP or XU whose code is in no edit (indicator 0 or 1, either column) with another code
    of that day. A code billed on more than one line that day is left out: there the
    modifier marks a distinct repeat (MOD007). Edits deleted before the date, and
    indicator 9 edits, do not count as edits.

    ## Why it matters
    Unnecessary distinct-procedure modifiers inflate the modifier-59 rate payers profile,
    and the habit carries over to the edits where it does change payment.

    ## Example
    ``87880-59`` (rapid strep test) billed beside ``99213``: no PTP edit pairs the two
    codes, so the 59 bypasses nothing.

    ## Use instead
    The code without the modifier (``87880``).
    """

    rules = (RULE,)
    needs = ("ncci-ptp",)

    def check(self, encounter: EncounterRecord, context: CheckContext) -> Iterator[Finding]:
        lines = provider_day(encounter)
        flagged = [line for line in own(encounter, lines) if line.modifiers & DISTINCT]
        if not flagged:
            return
        codes = [line.code for line in lines]
        edits = ptp_edits(context, set(codes), encounter.date_of_service)
        if edits is None:
            return
        paired = {edit.column1 for edit in edits} | {edit.column2 for edit in edits}
        for day_line in flagged:
            if day_line.code in paired or codes.count(day_line.code) > 1:
                continue
            line = day_line.line
            shown = ", ".join(sorted(day_line.modifiers & DISTINCT))
            yield Finding(
                rule_id=RULE.id,
                message=(
                    f"line {line.line_number}: {billed(line)} carries {shown} but no NCCI "
                    f"PTP edit in force pairs {line.procedure_code} with another code billed "
                    f"that day; remove {shown}"
                ),
                line_number=line.line_number,
                code=line.procedure_code,
                coded=billed(line),
                audited=without(line, *DISTINCT),
            )
