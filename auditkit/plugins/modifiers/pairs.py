"""NCCI PTP pairs on the provider's patient-day, and whether a modifier bypasses each."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from auditkit.plugins.modifiers.claim import (
    ANATOMIC,
    DISTINCT,
    E_M_BYPASS,
    DayLine,
    is_e_m,
    own,
    provider_day,
)
from auditkit.plugins.modifiers.reference import ptp_edits
from auditkit.rules import CheckContext
from auditkit.units import EncounterRecord

if TYPE_CHECKING:  # reference data types only: the refdata package loads on use
    from auditkit.refdata.ptp import PtpEdit


# PTP-associated modifiers that mark a non-E/M column 2 service as distinct (25 and 57
# belong to E/M services only, anatomic modifiers bypass only when the sites differ).
NON_E_M_BYPASS = DISTINCT | frozenset({"27", "91", "58", "78", "79"})


@dataclass(frozen=True)
class PairOnLine:
    """An edit in force whose column 2 code is a line of the encounter under review."""

    edit: PtpEdit
    column1: DayLine
    column2: DayLine

    @property
    def bypassed(self) -> bool:
        return bypasses(self.column1, self.column2)


def bypasses(column1: DayLine, column2: DayLine) -> bool:
    """Whether the lines' modifiers make the column 2 service separately reportable."""
    if is_e_m(column2.code):
        return bool(column2.modifiers & E_M_BYPASS)
    if (column1.modifiers | column2.modifiers) & NON_E_M_BYPASS:
        return True
    sites1, sites2 = column1.modifiers & ANATOMIC, column2.modifiers & ANATOMIC
    return bool(sites1) and bool(sites2) and sites1.isdisjoint(sites2)


def pairs_on_lines(
    encounter: EncounterRecord, context: CheckContext, indicator: int
) -> list[PairOnLine] | None:
    """For each line of the encounter that is column 2 of an edit with ``indicator``: the
    edit and the column 1 line that bills against it (the unbypassed one first). None when
    no PTP edition covers the date."""
    lines = provider_day(encounter)
    edits = ptp_edits(context, {line.code for line in lines}, encounter.date_of_service)
    if edits is None:
        return None
    found: dict[int, PairOnLine] = {}
    for edit in edits:
        if edit.modifier_indicator != indicator:
            continue
        firsts = [line for line in lines if line.code == edit.column1]
        for second in own(encounter, lines):
            if second.code != edit.column2 or not firsts:
                continue
            first = next((f for f in firsts if not bypasses(f, second)), firsts[0])
            pair = PairOnLine(edit, first, second)
            known = found.get(second.line.line_number)
            if known is None or (known.bypassed and not pair.bypassed):
                found[second.line.line_number] = pair
    return [found[number] for number in sorted(found)]
