"""MOD004 modifier-25-without-procedure."""

from __future__ import annotations

from collections.abc import Iterator

from auditkit.plugins.modifiers import sources
from auditkit.plugins.modifiers.claim import (
    billed,
    is_e_m,
    is_procedure,
    own,
    provider_day,
    without,
)
from auditkit.rules import Check, CheckContext, Finding, Rule
from auditkit.units import EncounterRecord

RULE = Rule(
    id="MOD004",
    name="modifier-25-without-procedure",
    summary="Modifier 25 on an E/M with no other procedure billed that day.",
    severity="warning",
    category="incorrect_coding",
    responsible="coder",
    rationale=(
        "Modifier 25 says the E/M was separate from a procedure done the same day. With no "
        "procedure there is nothing to be separate from: the modifier is wrong, and "
        "routine use of 25 is a known audit target."
    ),
    education_topic="Modifier 25: when it applies and when it does not",
    references=(sources.GLOBAL_SURGERY, sources.NCCI_MANUAL),
    examines=("lines",),
)


class Modifier25WithoutProcedure(Check):
    """Flags modifier 25 on an E/M when the provider billed no procedure that day.

    ## What it does
    Looks at every line the same provider billed for the patient that day (all of that
    day's encounters) and reports each E/M line of this encounter carrying modifier 25
    when none of those lines is a procedure. Other E/M services, laboratory tests
    (80047-89398), venipuncture (36415), special services and handling codes (99000-99199)
    and drugs or supplies (HCPCS Level II other than G codes) are not procedures for this
    purpose; injections, immunization administration, ECGs, imaging and surgery are.

    ## Why it matters
    An unsupported 25 misstates the claim and inflates a pattern payers and the OIG watch;
    it is also how coders learn to append 25 by habit.

    ## Example
    ``99214-25`` with only ``83036`` and ``36415`` (an A1c drawn in the office).

    ## Use instead
    ``99214`` without a modifier.
    """

    rules = (RULE,)

    def check(self, encounter: EncounterRecord, context: CheckContext) -> Iterator[Finding]:
        lines = provider_day(encounter)
        if any(is_procedure(line.code) for line in lines):
            return
        for e_m in own(encounter, lines):
            if not is_e_m(e_m.code) or "25" not in e_m.modifiers:
                continue
            line = e_m.line
            yield Finding(
                rule_id=RULE.id,
                message=(
                    f"line {line.line_number}: {billed(line)} carries modifier 25 but no "
                    "procedure was billed by this provider for the patient that day; "
                    "remove 25"
                ),
                line_number=line.line_number,
                code=line.procedure_code,
                coded=billed(line),
                audited=without(line, "25"),
            )
