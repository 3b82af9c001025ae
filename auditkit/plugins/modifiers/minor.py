"""E/M services billed on the day of a minor procedure (global period 000 or 010)."""

from __future__ import annotations

from auditkit.plugins.modifiers.claim import MINOR_GLOBALS, DayLine, is_e_m, provider_day
from auditkit.plugins.modifiers.reference import rvu_rows
from auditkit.rules import CheckContext
from auditkit.units import EncounterRecord


def minor_procedures(encounter: EncounterRecord, context: CheckContext) -> list[DayLine] | None:
    """The provider's patient-day lines whose fee-schedule global period is 000 or 010;
    None when no fee-schedule edition covers the date."""
    lines = provider_day(encounter)
    codes = {line.code for line in lines if not is_e_m(line.code)}
    rows = rvu_rows(context, codes, encounter.date_of_service)
    if rows is None:
        return None
    return [
        line for line in lines if line.code in rows and rows[line.code].global_days in MINOR_GLOBALS
    ]


def lacks_25_beside_minor(
    encounter: EncounterRecord, context: CheckContext, e_m: DayLine
) -> DayLine | None:
    """The minor procedure an E/M line without modifier 25 sits beside, if any."""
    if not is_e_m(e_m.code) or "25" in e_m.modifiers:
        return None
    minors = minor_procedures(encounter, context)
    return minors[0] if minors else None
