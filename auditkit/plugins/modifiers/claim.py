"""What the modifier checks read from a claim: the patient-day lines of one provider, the
modifier families NCCI names, E/M codes, and what a line is worth.

NCCI PTP and MUE edits apply to one patient, one date of service and one provider, so
every rule judges the lines of all the patient's encounters that day with the same
rendering provider, and reports only on lines of the encounter under review (the other
encounters get their own findings when they are reviewed).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from auditkit.units import EncounterRecord, LineRecord

# NCCI PTP-associated modifiers, by family (NCCI Policy Manual, chapter I).
ANATOMIC = frozenset(
    {"E1", "E2", "E3", "E4", "FA", "F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9"}
    | {"TA", "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9"}
    | {"LT", "RT", "LC", "LD", "RC", "LM", "RI"}
)
GLOBAL_SURGERY = frozenset({"24", "25", "57", "58", "78", "79"})
DISTINCT = frozenset({"59", "XE", "XS", "XP", "XU"})
OTHER_PTP = frozenset({"27", "91"}) | DISTINCT
PTP_ASSOCIATED = ANATOMIC | GLOBAL_SURGERY | OTHER_PTP
# Modifiers that bypass an edit whose column 2 code is an E/M service.
E_M_BYPASS = frozenset({"24", "25", "57"})
# Modifiers saying a repeated code is a separate service (besides a different side/site).
REPEAT = frozenset({"76", "77", "91"}) | DISTINCT
SIDES = frozenset({"RT", "LT"})
MINOR_GLOBALS = frozenset({"000", "010"})


def is_e_m(code: str) -> bool:
    """Evaluation and management services (CPT 99202-99499)."""
    return len(code) == 5 and code.isdigit() and "99202" <= code <= "99499"


def is_lab(code: str) -> bool:
    """Pathology and laboratory codes (CPT 80047-89398): a repeat takes 91, not 76."""
    return len(code) == 5 and code.isdigit() and "80047" <= code <= "89398"


def is_procedure(code: str) -> bool:
    """A service that can justify modifier 25 on a same-day E/M: not an E/M, not a lab
    test, not venipuncture, not a special service or handling code (99000-99199), not a
    drug or supply (HCPCS Level II other than G codes)."""
    special = code.isdigit() and "99000" <= code <= "99199"
    if is_e_m(code) or is_lab(code) or special or code == "36415":
        return False
    return code[:1].isdigit() or code[:1] == "G"


@dataclass(frozen=True)
class DayLine:
    """A line of the provider's patient-day, with the encounter it belongs to."""

    encounter_id: int
    line: LineRecord

    @property
    def code(self) -> str:
        return self.line.procedure_code

    @property
    def modifiers(self) -> frozenset[str]:
        return frozenset(self.line.modifiers)


def provider_day(encounter: EncounterRecord) -> list[DayLine]:
    """Every line the encounter's provider billed for the patient that day, in encounter
    then line order. The nine checks ask in turn about the same encounter: the last answer
    is kept."""
    last = _last_day
    if last and last[0] is encounter:
        return last[1]
    if encounter.same_day:
        encounters = [
            other for other in encounter.patient_day if other.provider_npi == encounter.provider_npi
        ]
    else:
        encounters = [encounter]
    found = [
        DayLine(other.id, line)
        for other in encounters
        for line in sorted(other.lines, key=lambda line: line.line_number)
    ]
    _last_day[:] = [encounter, found]
    return found


_last_day: list[Any] = []


def own(encounter: EncounterRecord, lines: Iterable[DayLine]) -> list[DayLine]:
    return [day_line for day_line in lines if day_line.encounter_id == encounter.id]


def at_stake(line: LineRecord) -> Decimal:
    """What the line brought in (its paid amount) or asked for (its charge)."""
    return line.paid_amount if line.paid_amount is not None else line.charge


def billed(line: LineRecord, modifiers: Iterable[str] | None = None) -> str:
    """The line as a coder writes it: code and modifiers joined by hyphens."""
    shown = line.modifiers if modifiers is None else tuple(modifiers)
    return "-".join((line.procedure_code, *shown))


def without(line: LineRecord, *removed: str) -> str:
    return billed(line, (m for m in line.modifiers if m not in removed))


def with_added(line: LineRecord, modifier: str) -> str:
    return billed(line, (*line.modifiers, modifier))
