"""MOD002 ptp-pair-not-bypassable."""

from __future__ import annotations

from collections.abc import Iterator

from auditkit.plugins.modifiers import sources
from auditkit.plugins.modifiers.claim import at_stake, billed
from auditkit.plugins.modifiers.pairs import pairs_on_lines
from auditkit.rules import Check, CheckContext, Finding, Rule
from auditkit.units import EncounterRecord

RULE = Rule(
    id="MOD002",
    name="ptp-pair-not-bypassable",
    summary=(
        "An NCCI PTP pair with modifier indicator 0 billed the same day (no modifier can "
        "bypass it)."
    ),
    severity="error",
    category="incorrect_coding",
    responsible="coder",
    rationale=(
        "Indicator 0 means the two codes are never paid together for one patient, provider "
        "and date, whatever the modifiers: typically mutually exclusive services or a "
        "component billed beside the comprehensive code. The column 2 line is not payable."
    ),
    education_topic="NCCI edits that no modifier bypasses (modifier indicator 0)",
    references=(sources.NCCI_MANUAL, sources.NCCI_PTP),
    examines=("lines",),
)


class PtpNeverBypassed(Check):
    """Flags the column 2 line of an indicator-0 PTP pair.

    ## What it does
    Reads the PTP edits in force on the date between the codes the same provider billed
    for the patient that day and reports each line of this encounter that is the column 2
    code of an edit with modifier indicator 0, whether or not it carries a modifier (59,
    X{EPSU} or RT/LT change nothing). Indicator 9 edits and edits deleted before the date
    of service never fire.

    ## Why it matters
    The pair cannot be paid together; a paid column 2 line is an overpayment, and a
    modifier appended to force it through is a compliance problem of its own. The dollar
    impact is the column 2 line's paid amount (or its charge).

    ## Example
    ``93000`` (ECG with interpretation and report) with ``93010`` (interpretation only) the
    same day: 93010 is part of 93000, indicator 0.

    ## Use instead
    Only the column 1 code (``93000``), or the one code that describes what was done.
    """

    rules = (RULE,)
    needs = ("ncci-ptp",)

    def check(self, encounter: EncounterRecord, context: CheckContext) -> Iterator[Finding]:
        for pair in pairs_on_lines(encounter, context, indicator=0) or ():
            second = pair.column2.line
            yield Finding(
                rule_id=RULE.id,
                message=(
                    f"line {second.line_number}: {billed(second)} is column 2 of the NCCI "
                    f"edit {pair.edit.column1}/{pair.edit.column2} (modifier indicator 0) "
                    f"with {billed(pair.column1.line)} the same day; no modifier bypasses "
                    f"it, bill {pair.edit.column1} alone"
                ),
                evidence=(
                    f"PTP edit in force since {pair.edit.effective_date}; rationale: "
                    f"{pair.edit.rationale or 'not given'}"
                ),
                line_number=second.line_number,
                code=second.procedure_code,
                coded=billed(second),
                audited=None,
                financial_impact=at_stake(second),
            )
