"""Office/outpatient E/M levels: what the documented time and MDM support, and what the
difference is worth.

Since 2021 an office visit's level is chosen by medical decision making (MDM) or by the
practitioner's total time on the date of service, whichever supports more; since 2024 each
code has one minimum time. 99211 is never chosen by time and has no MDM requirement, so
these checks leave it alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

from auditkit.notes.visit_level import (
    DocumentedMdm,
    DocumentedTime,
    documented_mdm_level,
    documented_total_time,
)
from auditkit.rules import CheckContext
from auditkit.units import EncounterRecord, LineRecord

NEW_PATIENT = ("99202", "99203", "99204", "99205")
ESTABLISHED = ("99212", "99213", "99214", "99215")
# Minimum total minutes on the date of service (CPT 2024 onward), per code.
MINIMUM_MINUTES: dict[str, int] = {
    "99202": 15,
    "99203": 30,
    "99204": 45,
    "99205": 60,
    "99212": 10,
    "99213": 20,
    "99214": 30,
    "99215": 40,
}
# MDM level -> position in the family (0 = the lowest code of NEW_PATIENT / ESTABLISHED).
MDM_RANK: dict[str, int] = {"straightforward": 0, "minimal": 0, "low": 1, "moderate": 2, "high": 3}
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class Support:
    """The level the documentation supports, and how it was read."""

    code: str | None  # None: the documentation supports no level of the family
    minutes: int | None
    mdm: str | None
    evidence: str  # what the note or the note's columns say, for the finding

    @property
    def documented(self) -> bool:
        return self.minutes is not None or self.mdm is not None


def family(code: str) -> tuple[str, ...] | None:
    if code in NEW_PATIENT:
        return NEW_PATIENT
    if code in ESTABLISHED:
        return ESTABLISHED
    return None


def em_line(encounter: EncounterRecord) -> LineRecord | None:
    """The encounter's office/outpatient E/M line (levels 2-5), if it bills one."""
    return next((line for line in encounter.lines if family(line.procedure_code)), None)


def supported_level(encounter: EncounterRecord, codes: tuple[str, ...]) -> Support:
    """The highest code of ``codes`` the documented time or MDM supports.

    The note's columns win; the note text is read only where a column is empty."""
    note = encounter.note
    minutes: int | None = None
    mdm: str | None = None
    said: list[str] = []
    if note is not None:
        minutes = note.total_time_minutes
        if minutes is not None:
            said.append(f"total time {minutes} min (notes column)")
        elif note.text:
            time = _time(note.text)
            if time is not None:
                minutes = time.minutes
                said.append(f"“{_short(time.sentence)}”")
        mdm = (note.mdm_level or "").strip().lower() or None
        if mdm is not None and mdm in MDM_RANK:
            said.append(f"MDM {mdm} (notes column)")
        elif note.text:
            stated = _mdm(note.text)
            mdm = stated.level if stated else None
            if stated is not None:
                said.append(f"“{_short(stated.sentence)}”")
    by_time = -1
    if minutes is not None:
        by_time = max(
            (rank for rank, code in enumerate(codes) if minutes >= MINIMUM_MINUTES[code]),
            default=-1,
        )
    by_mdm = MDM_RANK.get(mdm, -1) if mdm else -1
    best = max(by_time, by_mdm)
    return Support(
        codes[best] if best >= 0 else None, minutes, mdm, "; ".join(said) or "nothing stated"
    )


@lru_cache(maxsize=8)  # DOC001 and DOC002 read the same note in turn
def _time(text: str) -> DocumentedTime | None:
    return documented_total_time(text)


@lru_cache(maxsize=8)
def _mdm(text: str) -> DocumentedMdm | None:
    return documented_mdm_level(text)


def _short(sentence: str, limit: int = 90) -> str:
    text = " ".join(sentence.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def level_difference(
    line: LineRecord, supported: str, encounter: EncounterRecord, context: CheckContext
) -> Decimal:
    """What billing ``line`` instead of ``supported`` is worth (positive = overpaid).

    From the PFS RVUs × conversion factor in effect on the date of service when an edition
    is loaded (non-facility rates unless the place of service is a facility), else from
    the line's charge, scaled by the two codes' minimum times."""
    billed = line.procedure_code
    view = context.reference("pfs-rvu", encounter.date_of_service)
    if view is not None:
        rows = _payments(view, encounter.date_of_service)
        facility = encounter.place_of_service in _FACILITY_POS
        paid, due = rows.get((billed, facility)), rows.get((supported, facility))
        if paid is not None and due is not None:
            return ((paid - due) * line.units).quantize(_CENT, ROUND_HALF_UP)
    base = line.paid_amount if line.paid_amount else line.charge
    ratio = Decimal(MINIMUM_MINUTES[supported]) / Decimal(MINIMUM_MINUTES[billed])
    return (base - base * ratio).quantize(_CENT, ROUND_HALF_UP)


def _payments(view: Any, on: dt.date) -> dict[tuple[str, bool], Decimal]:
    """National amounts of every office E/M code on a date, non-facility and facility,
    kept on the view (asked once per edition view and date)."""
    cache: dict[dt.date, dict[tuple[str, bool], Decimal]] = view.__dict__.setdefault(
        "_documentation_em_payments", {}
    )
    if on not in cache:
        rows = view.values(NEW_PATIENT + ESTABLISHED, on)
        cache[on] = {
            (code, facility): row.payment(facility)
            for (code, modifier), row in rows.items()
            if not modifier
            for facility in (False, True)
        }
    return cache[on]


# Places of service paid at the facility rate (hospital outpatient, ED, inpatient …).
_FACILITY_POS = frozenset({"19", "21", "22", "23", "24", "26", "31", "34", "51", "52", "56", "61"})
