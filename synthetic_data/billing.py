"""From a planned encounter to claim lines: the E/M level, service lines, modifiers,
diagnosis pointers, charges and (sometimes) the payer's answer.

Only CPT/HCPCS code numbers appear here, never descriptor text. Charges are the
organisation's own fee schedule, not a payer's rates.
"""

from __future__ import annotations

from synthetic_data.conditions import Line
from synthetic_data.dice import Dice
from synthetic_data.encounter import ClaimLine, Draft, Visit
from synthetic_data.organisation import MEDICARE_PAYERS

FEES: dict[str, float] = {
    "99202": 115.0,
    "99203": 175.0,
    "99204": 260.0,
    "99205": 340.0,
    "99211": 48.0,
    "99212": 92.0,
    "99213": 148.0,
    "99214": 210.0,
    "99215": 290.0,
    "11102": 165.0,
    "11200": 125.0,
    "17000": 112.0,
    "17003": 14.0,
    "17110": 150.0,
    "20526": 118.0,
    "20550": 98.0,
    "20600": 96.0,
    "20610": 140.0,
    "51798": 48.0,
    "69210": 68.0,
    "72100": 72.0,
    "73030": 62.0,
    "73110": 66.0,
    "73502": 78.0,
    "73562": 76.0,
    "73610": 70.0,
    "76830": 215.0,
    "80053": 38.0,
    "80061": 42.0,
    "81002": 11.0,
    "82306": 58.0,
    "83036": 36.0,
    "84443": 46.0,
    "85025": 26.0,
    "87086": 27.0,
    "87210": 22.0,
    "87880": 32.0,
    "90471": 29.0,
    "90686": 42.0,
    "93000": 62.0,
    "94010": 78.0,
    "94640": 46.0,
    "96127": 13.0,
    "96372": 41.0,
    "36415": 16.0,
    "G0008": 29.0,
    "J0561": 28.0,
    "J1030": 9.5,
    "J1885": 3.2,
    "J2405": 1.1,
    "J3301": 3.6,
    "J3420": 5.2,
    "J7613": 2.4,
    # codes only the modifier scenarios bill (synthetic_data.modifiers)
    "11104": 180.0,
    "20611": 185.0,
    "71046": 84.0,
    "93005": 34.0,
    "93010": 24.0,
    "99000": 12.0,
}
NEW_PATIENT = ("99202", "99203", "99204", "99205")
ESTABLISHED = ("99212", "99213", "99214", "99215")
MDM_LEVELS = ("straightforward", "low", "moderate", "high")
# Minimum total time per level (2024 rules), then the top of the band we document so the
# time supports exactly the billed level (and stays short of prolonged-service time).
_MINUTES = {
    "99202": (15, 29),
    "99203": (30, 44),
    "99204": (45, 59),
    "99205": (60, 74),
    "99212": (10, 19),
    "99213": (20, 29),
    "99214": (30, 39),
    "99215": (40, 54),
}
# Cumulative level weights by number of problems (1, 2, 3+): more problems, higher MDM.
_LEVEL_WEIGHTS = ((30, 80, 97, 100), (12, 60, 94, 100), (4, 38, 86, 100))
_NEW_SHARE = 0.2
_NURSE_VISIT = 0.03
_REMIT_SHARE = 0.5
_DENIAL_SHARE = 0.05
_DENIALS = ("CO-16", "CO-97", "CO-50", "CO-4", "CO-11", "CO-18", "CO-151", "PR-204")
_PAID_SHARE = {"Medicare": 0.42, "Humana Medicare Advantage": 0.45, "Medicaid": 0.36}
# Same-day services besides minor procedures after which the E/M carries modifier 25.
_SEPARATE_E_M = frozenset({"96372", "94640", "90471"})
_LETTERS = "ABCDEFGHIJKL"


def choose_visit(draft: Draft, rng: Dice) -> Visit:
    """E/M level from the visit's complexity; 99211 only for a simple nurse-type visit."""
    simple = len(draft.problems) == 1 and not draft.problems[0].services
    if simple and rng.random() < _NURSE_VISIT:
        return Visit("99211", None, None)
    codes = NEW_PATIENT if rng.random() < _NEW_SHARE else ESTABLISHED
    weights = _LEVEL_WEIGHTS[min(len(draft.problems), 3) - 1]
    level = rng.weighted(range(4), weights)
    low, high = _MINUTES[codes[level]]
    return Visit(codes[level], MDM_LEVELS[level], rng.randint(low, high))


def claim_lines(draft: Draft, visit: Visit, rng: Dice) -> list[ClaimLine]:
    """The E/M line first, then each service's lines with side and payer modifiers."""
    medicare = draft.payer in MEDICARE_PAYERS
    services: list[ClaimLine] = []
    needs_25 = False
    for index, problem in enumerate(draft.problems):
        for service in problem.services:
            for line in service.lines:
                needs_25 = needs_25 or line.minor or line.code in _SEPARATE_E_M
                services += _lines_for(
                    line, rng.randint(*line.units), problem.side, index, medicare
                )
    em = ClaimLine(visit.code, ("25",) if needs_25 else (), 1, -1)
    return [em, *services]


def _lines_for(
    line: Line, units: int, side: str | None, problem: int, medicare: bool
) -> list[ClaimLine]:
    code = "G0008" if line.code == "90471" and medicare else line.code
    extra = ("QW",) if line.waived and medicare else ()
    if line.per_side and side == "B":
        units *= 2
    if not line.lateral or side is None:
        return [ClaimLine(code, extra, units, problem)]
    if side == "B" and line.split_bilateral:
        return [ClaimLine(code, ("RT",), units, problem), ClaimLine(code, ("LT",), units, problem)]
    modifier = {"R": "RT", "L": "LT", "B": "50"}[side]
    return [ClaimLine(code, (modifier, *extra), units, problem)]


def pointers(draft: Draft, line: ClaimLine, numeric: bool) -> str:
    """Diagnosis pointers: the E/M points at the first four codes, a service at its own."""
    if line.problem < 0:
        positions = list(range(min(4, len(draft.dx))))
    else:
        positions = [i for i, who in enumerate(draft.owner) if who == line.problem][:4]
    if numeric:
        return ",".join(str(p + 1) for p in positions)
    return "".join(_LETTERS[p] for p in positions)


def claim_rows(draft: Draft, lines: list[ClaimLine], rng: Dice) -> list[list[str]]:
    """claims.csv rows: encounter-level columns repeated on every line, then the line."""
    patient, provider, coder = draft.patient, draft.provider, draft.coder
    head = [
        draft.encounter_id,
        patient.patient_id,
        patient.first_name,
        patient.last_name,
        patient.dob.isoformat(),
        patient.sex,
        draft.dos.isoformat(),
        provider.place_of_service,
        provider.department,
        draft.payer,
        provider.npi,
        provider.name,
        provider.specialty,
        coder.coder_id,
        coder.name,
        *draft.dx,
        *([""] * (12 - len(draft.dx))),
    ]
    remitted = draft.payer != "Self-pay" and rng.random() < _REMIT_SHARE
    share = _PAID_SHARE.get(draft.payer, 0.6)
    numeric = provider.place_of_service == "22"
    rows = []
    for number, line in enumerate(lines, start=1):
        charge = FEES[line.code] * line.units
        paid, denial = "", ""
        if remitted:
            if rng.random() < _DENIAL_SHARE:
                paid, denial = "0.00", ";".join(rng.sample(_DENIALS, rng.randint(1, 2)))
            else:
                paid = f"{charge * share * rng.uniform(0.9, 1.0):.2f}"
        modifiers = [*line.modifiers, "", "", "", ""][:4]
        rows.append(
            [
                *head,
                str(number),
                line.code,
                *modifiers,
                str(line.units),
                pointers(draft, line, numeric),
                f"{charge:.2f}",
                paid,
                denial,
            ]
        )
    return rows
