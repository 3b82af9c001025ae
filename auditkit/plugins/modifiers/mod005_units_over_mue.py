"""MOD005 units-over-mue."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from auditkit.plugins.modifiers import sources
from auditkit.plugins.modifiers.claim import DayLine, at_stake, own, provider_day
from auditkit.plugins.modifiers.reference import mue_limits
from auditkit.rules import Check, CheckContext, Finding, Rule
from auditkit.units import EncounterRecord

RULE = Rule(
    id="MOD005",
    name="units-over-mue",
    summary=(
        "Units above the Medically Unlikely Edit (MAI 1 per line; MAI 2 and 3 per code per day)."
    ),
    severity="error",
    category="incorrect_coding",
    responsible="coder",
    rationale=(
        "An MUE is the most units of a code one provider would report for one patient on "
        "one date in almost every case. Over it, all the units are denied: with MAI 1 per "
        "claim line, with MAI 2 (policy, absolute) and 3 (clinical, payable only on appeal "
        "with documentation) per day. Excess units are the typical keying or "
        "unit-of-measure error (milligrams billed as units)."
    ),
    education_topic="Units of service and Medically Unlikely Edits",
    references=(sources.MUE, sources.NCCI_MANUAL),
    examines=("lines",),
)


class UnitsOverMue(Check):
    """Flags units of service above the MUE in force on the date of service.

    ## What it does
    Reads the MUE of every code the same provider billed for the patient that day. For a
    code with adjudication indicator 1 (line edit) it reports each line of this encounter
    whose units exceed the MUE: repeating the code on another line with 76, 77, 91, RT/LT
    or an X modifier is how more units are legitimately billed. For indicators 2 and 3
    (date of service edits) it adds the code's units over all of that day's lines of the
    provider, every encounter included, and when the total exceeds the MUE reports the
    code once on this encounter's first line of it. Codes without an MUE are not judged.

    ## Why it matters
    Over the MUE the payer denies every unit of the line (MAI 1) or of the day (MAI 2, 3);
    units paid above it are an overpayment. The dollar impact is what this encounter's
    lines of the code were paid (or charged).

    ## Example
    ``J1030`` (methylprednisolone 40 mg) billed with 10 units for an 80 mg dose: the MUE
    is 8 per day and the right number is 2.

    ## Use instead
    The units the documentation supports, at most the MUE (``J1030`` x 2); for a real
    repeat of a line-edit code, a second line with the modifier that explains it.
    """

    rules = (RULE,)
    needs = ("mue",)

    def check(self, encounter: EncounterRecord, context: CheckContext) -> Iterator[Finding]:
        lines = provider_day(encounter)
        mine = own(encounter, lines)
        if not mine:
            return
        limits = mue_limits(context, {line.code for line in mine}, encounter.date_of_service)
        if not limits:
            return
        day_units: dict[str, int] = defaultdict(int)
        for day_line in lines:
            day_units[day_line.code] += day_line.line.units
        reported: set[str] = set()
        for day_line in mine:
            line, limit = day_line.line, limits.get(day_line.code)
            if limit is None:
                continue
            if limit.per_line:
                if line.units > limit.value:
                    yield _finding(
                        day_line,
                        line.units,
                        limit.value,
                        limit.mai,
                        "on this line",
                        at_stake(line),
                        limit.rationale,
                    )
            elif day_units[day_line.code] > limit.value and day_line.code not in reported:
                reported.add(day_line.code)
                stake = sum((at_stake(o.line) for o in mine if o.code == day_line.code), Decimal(0))
                yield _finding(
                    day_line,
                    day_units[day_line.code],
                    limit.value,
                    limit.mai,
                    "for the patient that day",
                    stake,
                    limit.rationale,
                )


_MAI = {1: "line edit", 2: "date of service edit: policy", 3: "date of service edit: clinical"}


def _finding(
    day_line: DayLine,
    units: int,
    value: int,
    mai: int,
    scope: str,
    stake: Decimal,
    rationale: str | None,
) -> Finding:
    line = day_line.line
    return Finding(
        rule_id=RULE.id,
        message=(
            f"line {line.line_number}: {units} units of {line.procedure_code} {scope}, above "
            f"the MUE of {value} (MAI {mai}, {_MAI.get(mai, 'unknown')})"
        ),
        evidence=f"MUE rationale: {rationale or 'not given'}",
        line_number=line.line_number,
        code=line.procedure_code,
        coded=str(units),
        audited=str(value),
        financial_impact=stake,
    )
