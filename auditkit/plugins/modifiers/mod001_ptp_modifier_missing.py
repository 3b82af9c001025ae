"""MOD001 ptp-modifier-missing."""

from __future__ import annotations

from collections.abc import Iterator

from auditkit.plugins.modifiers import sources
from auditkit.plugins.modifiers.claim import at_stake, billed, is_e_m, with_added
from auditkit.plugins.modifiers.minor import lacks_25_beside_minor
from auditkit.plugins.modifiers.pairs import pairs_on_lines
from auditkit.rules import Check, CheckContext, Finding, Rule
from auditkit.units import EncounterRecord

RULE = Rule(
    id="MOD001",
    name="ptp-modifier-missing",
    summary=(
        "An NCCI PTP pair with modifier indicator 1 billed the same day with no "
        "PTP-associated modifier on either code."
    ),
    severity="error",
    category="incorrect_coding",
    responsible="coder",
    rationale=(
        "The column 2 code of a PTP edit is bundled into the column 1 code when both are "
        "billed for one patient by one provider on one date. Indicator 1 lets a modifier "
        "show that the second service was distinct; without one the column 2 line is "
        "denied, or was paid in error."
    ),
    education_topic="NCCI procedure-to-procedure edits and the modifiers that bypass them",
    references=(sources.NCCI_MANUAL, sources.NCCI_PTP, sources.MODIFIER_59),
    examines=("lines",),
)


class PtpModifierMissing(Check):
    """Flags the column 2 line of an indicator-1 PTP pair that no modifier separates.

    ## What it does
    Reads the NCCI PTP edits in force on the date of service between the codes the same
    provider billed for the patient that day (every encounter of that day, not only this
    one) and reports each line of this encounter that is the column 2 code of an edit with
    modifier indicator 1 when nothing bypasses the edit: for an E/M column 2 code, modifier
    25, 57 or 24 on the E/M; otherwise 59, XE, XS, XP, XU, 27, 91, 58, 78 or 79 on either
    line, or anatomic modifiers naming different sites on the two lines (RT with LT, F1
    with F2). Indicator 0 pairs are MOD002's, indicator 9 edits never apply, and edits
    deleted before the date of service are not in force. An E/M without 25 beside a minor
    procedure is MOD003's finding when the fee schedule is loaded.

    ## Why it matters
    PTP edits are the commonest bundling denials; a column 2 line paid without a valid
    bypass is an overpayment the payer recovers. The dollar impact is the column 2 line's
    paid amount (or its charge when no payment is known).

    ## Example
    ``96372`` (therapeutic injection) with ``99213`` and no modifier: 96372/99213 is an
    indicator-1 edit, so the E/M is bundled unless it carries 25.

    ## Use instead
    When the documentation supports a separate service, the modifier that says why
    (``99213-25``, ``96372-XU``, ``20610-RT`` with ``20610-LT``); otherwise do not bill the
    column 2 code.
    """

    rules = (RULE,)
    needs = ("ncci-ptp", "pfs-rvu")

    def check(self, encounter: EncounterRecord, context: CheckContext) -> Iterator[Finding]:
        for pair in pairs_on_lines(encounter, context, indicator=1) or ():
            if pair.bypassed:
                continue
            second = pair.column2.line
            if lacks_25_beside_minor(encounter, context, pair.column2) is not None:
                continue  # MOD003 reports the missing 25
            modifier = "25" if is_e_m(second.procedure_code) else "59"
            yield Finding(
                rule_id=RULE.id,
                message=(
                    f"line {second.line_number}: {billed(second)} is column 2 of the NCCI "
                    f"edit {pair.edit.column1}/{pair.edit.column2} (modifier indicator 1) "
                    f"with {billed(pair.column1.line)} the same day and no PTP-associated "
                    f"modifier; add {modifier} (or the X modifier that applies) if the "
                    "service was distinct, else do not bill it"
                ),
                evidence=_evidence(pair.edit.effective_date, pair.edit.rationale),
                line_number=second.line_number,
                code=second.procedure_code,
                coded=billed(second),
                audited=with_added(second, modifier),
                financial_impact=at_stake(second),
            )


def _evidence(effective: object, rationale: str | None) -> str:
    return f"PTP edit in force since {effective}; rationale: {rationale or 'not given'}"
