"""MOD006 laterality-modifier-conflict."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from auditkit.plugins.modifiers import sources
from auditkit.plugins.modifiers.claim import billed, own, provider_day, without
from auditkit.plugins.modifiers.reference import rvu_rows
from auditkit.rules import Check, CheckContext, Finding, Rule
from auditkit.units import EncounterRecord, LineRecord

if TYPE_CHECKING:  # reference data types only: the refdata package loads on use
    from auditkit.refdata.rvu import RvuRow


RULE = Rule(
    id="MOD006",
    name="laterality-modifier-conflict",
    summary=(
        "Laterality modifier conflict: RT with LT on one line, 50 with RT or LT, or 50 "
        "where the fee schedule's bilateral indicator does not allow it."
    ),
    severity="error",
    category="incorrect_coding",
    responsible="coder",
    rationale=(
        "How a bilateral service is billed follows the PFS bilateral surgery indicator: 1 "
        "means one line with 50 and one unit (payment 150%), 0 means the bilateral "
        "adjustment does not apply, 2 means the code is already bilateral, 3 means each "
        "side is paid in full. RT with LT on one line, or 50 beside a side, is "
        "contradictory; 50 where the indicator forbids it overstates the service."
    ),
    education_topic="Bilateral procedures: modifier 50 versus RT/LT",
    references=(sources.PFS_RVU, sources.NCCI_MANUAL),
    examines=("lines",),
)
_NO_50 = {
    "0": "the bilateral adjustment does not apply to it (indicator 0)",
    "2": "its values are already bilateral (indicator 2)",
    "9": "the bilateral concept does not apply to it (indicator 9)",
}


class LateralityConflict(Check):
    """Flags contradictory side modifiers and modifier 50 the code does not allow.

    ## What it does
    For each line of this encounter reports, once per line and in this order: RT with LT
    on the same line; 50 with RT or LT; 50 on a code whose ``BILAT SURG`` indicator in the
    fee schedule in effect is 0, 2 or 9; 50 with more than one unit on a code with
    indicator 1 (one line, one unit). Modifier 50 with one unit on an indicator-1 or -3
    code, and a right and a left line of one code, are correct and never reported. The
    indicator checks need the fee schedule; without it only the contradictions are
    reported.

    ## Why it matters
    Payers price bilateral services by the indicator: a wrong 50 raises the payment by half
    or is denied, a contradictory line is rejected.

    ## Example
    ``69210-50`` (cerumen removal): indicator 2, the code already covers both ears.
    ``20610-50-RT``: both sides and the right side at once.

    ## Use instead
    ``69210`` alone; ``20610-50`` with one unit for both knees, or ``20610-RT`` for one.
    """

    rules = (RULE,)
    needs = ("pfs-rvu",)

    def check(self, encounter: EncounterRecord, context: CheckContext) -> Iterator[Finding]:
        mine = [day_line.line for day_line in own(encounter, provider_day(encounter))]
        bilateral = [
            line for line in mine if "50" in line.modifiers or {"RT", "LT"} <= set(line.modifiers)
        ]
        rows: dict[str, RvuRow] = {}
        if bilateral:
            rows = (
                rvu_rows(
                    context, {line.procedure_code for line in bilateral}, encounter.date_of_service
                )
                or {}
            )
        for line in mine:
            found = _conflict(line, rows.get(line.procedure_code))
            if found is not None:
                problem, audited = found
                yield Finding(
                    rule_id=RULE.id,
                    message=f"line {line.line_number}: {billed(line)}: {problem}",
                    line_number=line.line_number,
                    code=line.procedure_code,
                    coded=billed(line),
                    audited=audited,
                )


def _conflict(line: LineRecord, row: RvuRow | None) -> tuple[str, str | None] | None:
    modifiers = set(line.modifiers)
    indicator = row.bilateral_surgery if row is not None else None
    if {"RT", "LT"} <= modifiers:
        if indicator == "1":
            return "RT and LT on one line; bill one line with 50", without(line, "RT", "LT") + "-50"
        return "RT and LT on one line; bill one line per side", None
    if "50" in modifiers and modifiers & {"RT", "LT"}:
        return "50 (both sides) with a side modifier; drop RT/LT", without(line, "RT", "LT")
    if "50" in modifiers and indicator in _NO_50:
        return f"modifier 50 is not allowed: {_NO_50[indicator]}", without(line, "50")
    if "50" in modifiers and indicator == "1" and line.units > 1:
        return (
            f"50 with {line.units} units; a bilateral service is one line with one unit",
            f"{billed(line)} x 1",
        )
    return None
