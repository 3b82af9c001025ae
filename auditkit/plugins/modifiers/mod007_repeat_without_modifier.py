"""MOD007 repeat-without-modifier."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from auditkit.plugins.modifiers import sources
from auditkit.plugins.modifiers.claim import (
    ANATOMIC,
    REPEAT,
    DayLine,
    billed,
    is_lab,
    provider_day,
    with_added,
)
from auditkit.rules import Check, CheckContext, Finding, Rule
from auditkit.units import EncounterRecord

RULE = Rule(
    id="MOD007",
    name="repeat-without-modifier",
    summary=(
        "The same code repeated on one day with no repeat or distinct modifier (76, 77, 91, "
        "59, XE/XS/XP/XU, RT/LT)."
    ),
    severity="warning",
    category="incorrect_coding",
    responsible="coder",
    rationale=(
        "A code billed twice for one patient on one day by one provider reads as a "
        "duplicate and is denied, unless a modifier says why it is a second service: "
        "76/77 a repeated procedure, 91 a repeated lab test, 59 or X{EPSU} a distinct one, "
        "or a different side or site."
    ),
    education_topic="Repeat procedures and duplicate lines: modifiers 76, 77, 91, 59",
    references=(sources.NCCI_MANUAL, sources.MODIFIER_59),
    examines=("lines",),
)


class RepeatWithoutModifier(Check):
    """Flags a repeated code that no modifier distinguishes from its first line.

    ## What it does
    Groups the lines the same provider billed for the patient that day (every encounter
    of that day) by code. The first line of a code, in encounter then line order, is the
    original; each later line of this encounter is reported unless it carries 76, 77, 91,
    59, XE, XS, XP or XU, or anatomic modifiers (RT, LT, F1, T2 …) that no earlier line of
    the code carries (a left knee after a right knee). More units on one line are not a
    repeat (see MOD005).

    ## Why it matters
    Duplicate lines are denied as duplicates or, when paid, are an overpayment; a real
    repeat without its modifier is denied and has to be corrected and resubmitted.

    ## Example
    ``93000`` on two lines the same day (a second ECG after chest pain recurred), the
    second without 76.

    ## Use instead
    ``93000`` and ``93000-76`` (``-77`` when another physician repeated it, ``-91`` for a
    repeated lab test); or one line with more units when the code is counted in units.
    """

    rules = (RULE,)

    def check(self, encounter: EncounterRecord, context: CheckContext) -> Iterator[Finding]:
        by_code: dict[str, list[DayLine]] = defaultdict(list)
        for day_line in provider_day(encounter):
            by_code[day_line.code].append(day_line)
        for code, same_code in sorted(by_code.items()):
            for position, repeat in enumerate(same_code[1:], start=1):
                earlier = same_code[:position]
                if repeat.encounter_id != encounter.id or _distinguished(repeat, earlier):
                    continue
                line = repeat.line
                modifier = "91" if is_lab(code) else "76"
                yield Finding(
                    rule_id=RULE.id,
                    message=(
                        f"line {line.line_number}: {billed(line)} repeats {code} billed "
                        f"earlier that day ({billed(same_code[0].line)}) with no modifier saying "
                        f"why; add {modifier} (77 by another physician, 59/X for a distinct "
                        "service, RT/LT for the other side) or remove the duplicate"
                    ),
                    line_number=line.line_number,
                    code=code,
                    coded=billed(line),
                    audited=with_added(line, modifier),
                )


def _distinguished(repeat: DayLine, earlier: list[DayLine]) -> bool:
    if repeat.modifiers & REPEAT:
        return True
    sites = repeat.modifiers & ANATOMIC
    return bool(sites) and all(sites != (line.modifiers & ANATOMIC) for line in earlier)
