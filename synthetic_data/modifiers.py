"""Modifier and units errors (MOD001-MOD009): correct billing first, then one planted error
or one hard negative per chosen encounter, with its ground truth.

The generator is standalone, so it carries its own copy of the few NCCI PTP edits, MUEs
and fee-schedule indicators its claims touch. They mirror auditkit's shipped CMS-layout
fixtures (``auditkit/refdata/fixtures``), which the checks read: change both together.

Order on an encounter (after the diagnosis injectors): a hard negative, if drawn, adds
lines that look suspicious but are correct; ``tidy`` then bills every line the way the
edits require (modifier 25 beside a minor procedure, a distinct modifier on a bypassable
column 2 service, no bundled venipuncture, no 50 on an already-bilateral code, no duplicate
lines); an error, if drawn, is planted last. At most one MOD scenario per encounter, so a
planted error never meets another MOD rule's finding, and a patient is seen at most once a
day by one provider (the NCCI patient-day is then one encounter).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from synthetic_data.dice import Dice
from synthetic_data.encounter import ClaimLine, Draft, Truth
from synthetic_data.organisation import age_on

MOD_RULES = tuple(f"MOD{n:03d}" for n in range(1, 10))
DEFAULT_MOD_RATES: Mapping[str, float] = {rule: 0.03 for rule in MOD_RULES}
DEFAULT_HARD_NEGATIVE_RATE = 0.08

# (column 1, column 2, modifier indicator, effective, deletion): the fixture's edits.
_E_M = ("99202", "99203", "99204", "99205", "99211", "99212", "99213", "99214", "99215")
_EDITS: list[tuple[str, str, int, date, date | None]] = [
    ("11102", "11104", 1, date(2019, 1, 1), None),
    ("17000", "17110", 1, date(2010, 1, 1), None),
    ("20610", "20611", 0, date(2015, 1, 1), None),
    ("20610", "96372", 1, date(2015, 1, 1), None),
    ("20610", "J1030", 1, date(2022, 1, 1), date(2023, 12, 31)),
    ("36415", "99000", 9, date(2012, 1, 1), None),
    ("93000", "93005", 0, date(1996, 1, 1), None),
    ("93000", "93010", 0, date(1996, 1, 1), None),
    ("99213", "36415", 1, date(2026, 1, 1), None),
    ("99214", "36415", 1, date(2026, 1, 1), None),
]
for _first in ("11102", "17110", "20610", "69210", "96372"):
    _EDITS += [(_first, em, 1, date(2021, 1, 1), None) for em in _E_M]
# MUE value and adjudication indicator (1 line, 2 and 3 date of service).
MUE: dict[str, tuple[int, int]] = {
    "11102": (1, 2), "11103": (6, 3), "11104": (1, 2), "17110": (1, 2), "20610": (2, 1),
    "36415": (2, 3), "69210": (1, 1), "93000": (1, 3), "96372": (4, 3), "99000": (1, 2),
    "J1030": (8, 3), "J1100": (30, 3), "J3301": (16, 3),
    **{em: (1, 2) for em in _E_M},
}  # fmt: skip
# Fee schedule: global 000/010 codes, and BILAT SURG indicators.
MINOR = frozenset({"11102", "11104", "17000", "17110", "20610", "20611", "69210"})
BILATERAL = {"20610": "1", "20611": "1", "69210": "2", "73562": "3", "17110": "0"}
_DISTINCT = frozenset({"59", "XE", "XS", "XP", "XU"})
_SIDES = frozenset({"RT", "LT", "50"})


def is_e_m(code: str) -> bool:
    return code.isdigit() and "99202" <= code <= "99499"


def is_procedure(code: str) -> bool:
    """What justifies modifier 25 (the checks' definition): not E/M, lab, 36415 or a drug."""
    lab = code.isdigit() and "80047" <= code <= "89398"
    special = code.isdigit() and "99000" <= code <= "99199"
    if is_e_m(code) or lab or special or code == "36415":
        return False
    return code[:1].isdigit() or code[:1] == "G"


def edits_on(codes: set[str], dos: date, indicators: tuple[int, ...] = (0, 1)) -> list[tuple]:
    return [
        edit
        for edit in _EDITS
        if edit[0] in codes
        and edit[1] in codes
        and edit[2] in indicators
        and edit[3] <= dos
        and (edit[4] is None or dos <= edit[4])
    ]


@dataclass
class ModifierPlan:
    """State of the MOD part of one generation: rates, its own dice, the patient-days used."""

    rates: Mapping[str, float]
    hard_negative_rate: float
    rng: Dice
    seen: set[tuple[str, date, str]] = field(default_factory=set)
    hard_negatives: int = 0

    def one_visit_a_day(self, draft: Draft, days: list[date]) -> None:
        """Move a second same-day visit of the patient with the provider to a free day."""
        key = (draft.patient.patient_id, draft.dos, draft.provider.npi)
        if key in self.seen:
            for day in days:
                free = (draft.patient.patient_id, day, draft.provider.npi) not in self.seen
                if free and age_on(draft.patient.dob, day) == draft.age:
                    draft.dos = day
                    break
        self.seen.add((draft.patient.patient_id, draft.dos, draft.provider.npi))

    def bill(
        self, draft: Draft, coder_rates: Mapping[str, float], room: int | None = None
    ) -> list[str]:
        """Tidy the lines and plant at most one MOD error; returns the rules wanted.
        With ``room`` (lines left under a target), a scenario that would overflow it is
        dropped and the lines are only tidied."""
        wanted = [rule for rule in MOD_RULES if self.rng.random() < coder_rates.get(rule, 0.0)]
        chosen = self.rng.choice(wanted) if wanted else None
        before, truths = list(draft.lines), len(draft.truth)
        negative = False
        if chosen is None and self.rng.random() < self.hard_negative_rate:
            negatives = [n for n in HARD_NEGATIVES if n(draft, self.rng, True)]
            if negatives:
                self.rng.choice(negatives)(draft, self.rng, False)
                negative = True
        draft.lines = tidy(draft.lines, draft.dos)
        if chosen is not None:
            truth = INJECTORS[chosen](draft, self.rng)
            if truth is not None:
                draft.truth.append(truth)
        if room is not None and len(draft.lines) > room:
            draft.lines, draft.truth = tidy(before, draft.dos), draft.truth[:truths]
            return []
        self.hard_negatives += negative
        return [chosen] if chosen else []


def tidy(lines: list[ClaimLine], dos: date) -> list[ClaimLine]:
    """Bill the lines as the edits require (see the module docstring)."""
    merged: list[ClaimLine] = []
    for line in lines:
        same = next(
            (m for m in merged if m.code == line.code and m.modifiers == line.modifiers), None
        )
        if same is None:
            merged.append(line)
        elif line.code.startswith("J"):  # one drug line, its units added up
            total = min(same.units + line.units, MUE.get(line.code, (10**6, 3))[0])
            merged[merged.index(same)] = replace(same, units=total)
    em = merged[0] if merged and is_e_m(merged[0].code) else None
    if em is not None and em.code in ("99213", "99214"):
        merged = [line for line in merged if line.code != "36415"]  # bundled into the E/M
    result = []
    for line in merged:
        modifiers = tuple(line.modifiers)
        if "50" in modifiers and BILATERAL.get(line.code) == "2":
            modifiers = tuple(m for m in modifiers if m != "50")
        units = line.units
        if line.code in MUE and MUE[line.code][1] == 1:
            units = min(units, MUE[line.code][0])
        result.append(replace(line, modifiers=modifiers, units=units))
    for _, second, _, _, _ in edits_on({line.code for line in result}, dos, (1,)):
        for index, line in enumerate(result):
            if line.code == second and not is_e_m(second) and not _DISTINCT & set(line.modifiers):
                result[index] = replace(line, modifiers=(*line.modifiers, "59"))
    if em is not None:
        has_25 = "25" in em.modifiers
        if not has_25 and any(line.code in MINOR for line in result[1:]):
            result[0] = replace(em, modifiers=(*em.modifiers, "25"))
        elif has_25 and not any(is_procedure(line.code) for line in result[1:]):
            result[0] = replace(em, modifiers=tuple(m for m in em.modifiers if m != "25"))
    return result


# --- errors --------------------------------------------------------------------------------


def _truth(rule: str, draft: Draft, index: int, detail: str) -> Truth:
    line = draft.lines[index]
    return Truth(rule, line.code, detail, f"{rule}:{index + 1}", line_number=index + 1)


def _append(draft: Draft, code: str, modifiers: tuple[str, ...] = (), units: int = 1) -> int:
    draft.lines.append(ClaimLine(code, modifiers, units, -1))
    return len(draft.lines) - 1


def _codes(draft: Draft) -> set[str]:
    return {line.code for line in draft.lines}


def _e_m(draft: Draft) -> ClaimLine | None:
    return draft.lines[0] if draft.lines and is_e_m(draft.lines[0].code) else None


def _minor_present(draft: Draft) -> bool:
    return bool(_codes(draft) & MINOR)


def ptp_missing_modifier(draft: Draft, rng: Dice) -> Truth | None:
    em, codes = _e_m(draft), _codes(draft)
    if em is None or em.code not in _E_M:
        return None
    if "96372" in codes and "25" in em.modifiers and not _minor_present(draft):
        draft.lines[0] = replace(em, modifiers=tuple(m for m in em.modifiers if m != "25"))
        return _truth("MOD001", draft, 0, f"{em.code} without 25 beside 96372 (edit 96372/E/M)")
    if em.code in ("99213", "99214") and "36415" not in codes:
        index = _append(draft, "36415")
        return _truth("MOD001", draft, index, f"36415 bundled into {em.code}, no modifier")
    if "25" not in em.modifiers and not _minor_present(draft) and "96372" not in codes:
        _append(draft, "96372")
        return _truth("MOD001", draft, 0, f"{em.code} column 2 of 96372/{em.code}, no 25")
    return None


def ptp_never_bypassed(draft: Draft, rng: Dice) -> Truth | None:
    codes = _codes(draft)
    if codes & {"93005", "93010"}:
        return None
    if "93000" not in codes:
        _append(draft, "93000")
    index = _append(draft, "93010", ("59",) if rng.random() < 0.3 else ())
    return _truth("MOD002", draft, index, "93010 beside 93000: indicator 0, never bypassed")


def missing_25(draft: Draft, rng: Dice) -> Truth | None:
    em = _e_m(draft)
    if em is None:
        return None
    if not _minor_present(draft):
        codes = _codes(draft)
        if "17000" in codes or "69210" in codes:
            return None
        _append(draft, "69210")
    kept = tuple(m for m in em.modifiers if m != "25")
    if rng.random() < 0.2:
        kept = (*kept, "57")
    draft.lines[0] = replace(em, modifiers=kept)
    return _truth("MOD003", draft, 0, f"{em.code} beside a minor procedure without 25")


def needless_25(draft: Draft, rng: Dice) -> Truth | None:
    em = _e_m(draft)
    if em is None or any(is_procedure(line.code) for line in draft.lines):
        return None
    draft.lines[0] = replace(em, modifiers=(*em.modifiers, "25"))
    return _truth("MOD004", draft, 0, f"25 on {em.code} with no procedure that day")


def units_over_mue(draft: Draft, rng: Dice) -> Truth | None:
    candidates = [
        index
        for index, line in enumerate(draft.lines)
        if line.code in MUE and "50" not in line.modifiers
    ]
    drugs = [index for index in candidates if draft.lines[index].code.startswith("J")]
    if not candidates:
        return None
    index = rng.choice(drugs or candidates)
    line = draft.lines[index]
    value = MUE[line.code][0]
    units = value + rng.randint(1, max(1, value))
    draft.lines[index] = replace(line, units=units)
    return _truth("MOD005", draft, index, f"{units} units of {line.code}, MUE {value}")


def laterality_conflict(draft: Draft, rng: Dice) -> Truth | None:
    for index, line in enumerate(draft.lines):
        sides = set(line.modifiers) & _SIDES
        if sides == {"50"}:
            side = rng.choice(("RT", "LT"))
            draft.lines[index] = replace(line, modifiers=(*line.modifiers, side))
            return _truth("MOD006", draft, index, f"{line.code} with 50 and a side")
        if sides in ({"RT"}, {"LT"}) and not any(
            other.code == line.code for other in draft.lines if other is not line
        ):
            other = "LT" if "RT" in sides else "RT"
            draft.lines[index] = replace(line, modifiers=(*line.modifiers, other))
            return _truth("MOD006", draft, index, f"{line.code} with RT and LT on one line")
    if "73562" in _codes(draft):
        return None
    index = _append(draft, "73562", ("RT", "LT"))
    return _truth("MOD006", draft, index, "73562 with RT and LT on one line")


def repeat_without_modifier(draft: Draft, rng: Dice) -> Truth | None:
    codes = _codes(draft)
    paired = {code for edit in edits_on(codes, draft.dos) for code in edit[:2]}
    candidates = [
        index
        for index, line in enumerate(draft.lines)
        if index > 0
        and line.code not in paired
        and not set(line.modifiers) & (_SIDES | _DISTINCT)
        and _room_for_a_repeat(line)
    ]
    if candidates:
        line = draft.lines[rng.choice(candidates)]
        index = _append(draft, line.code, line.modifiers, line.units)
    else:
        if "81002" in codes:
            return None
        _append(draft, "81002")
        index = _append(draft, "81002")
    code = draft.lines[index].code
    return _truth("MOD007", draft, index, f"{code} repeated without 76/77/91/59")


def _room_for_a_repeat(line: ClaimLine) -> bool:
    """A second line of the code keeps the day within its MUE."""
    if line.code not in MUE:
        return True
    value, mai = MUE[line.code]
    return line.units <= value if mai == 1 else 2 * line.units <= value


def distinct_without_edit(draft: Draft, rng: Dice) -> Truth | None:
    codes = _codes(draft)
    paired = {code for edit in edits_on(codes, draft.dos) for code in edit[:2]}
    candidates = [
        index
        for index, line in enumerate(draft.lines)
        if index > 0
        and line.code not in paired
        and sum(other.code == line.code for other in draft.lines) == 1
        and not set(line.modifiers) & _DISTINCT
    ]
    modifier = rng.choice(("59", "59", "XS", "XU", "XE"))
    if candidates:
        index = rng.choice(candidates)
        line = draft.lines[index]
        draft.lines[index] = replace(line, modifiers=(*line.modifiers, modifier))
    else:
        if "87880" in codes or "87880" in paired:
            return None
        index = _append(draft, "87880", (modifier,))
    code = draft.lines[index].code
    return _truth("MOD008", draft, index, f"{modifier} on {code}, no PTP edit to bypass")


def contradictory_modifiers(draft: Draft, rng: Dice) -> Truth | None:
    radiology = [i for i, line in enumerate(draft.lines) if line.code in ("73562", "71046")]
    if radiology and rng.random() < 0.6:
        index = rng.choice(radiology)
        pair: tuple[str, ...] = ("26", "TC")
    else:
        index = rng.randint(0, len(draft.lines) - 1)
        pair = ("GA", "GZ")
    line = draft.lines[index]
    draft.lines[index] = replace(line, modifiers=(*line.modifiers, *pair))
    return _truth("MOD009", draft, index, f"{line.code} with {' and '.join(pair)}")


INJECTORS: dict[str, Callable[[Draft, Dice], Truth | None]] = {
    "MOD001": ptp_missing_modifier,
    "MOD002": ptp_never_bypassed,
    "MOD003": missing_25,
    "MOD004": needless_25,
    "MOD005": units_over_mue,
    "MOD006": laterality_conflict,
    "MOD007": repeat_without_modifier,
    "MOD008": distinct_without_edit,
    "MOD009": contradictory_modifiers,
}


# --- hard negatives: suspicious-looking but correct (checked with ``probe=True``) --------


def _minor_with_25(draft: Draft, rng: Dice, probe: bool) -> bool:
    if _e_m(draft) is None or _codes(draft) & {"17000", "17110"}:
        return False
    if not probe:
        _append(draft, "17110")  # tidy adds 25 to the E/M
    return True


def _distinct_bypass(draft: Draft, rng: Dice, probe: bool) -> bool:
    codes = _codes(draft)
    if "20610" not in codes or "96372" in codes:
        return False
    if not probe:
        _append(draft, "96372", (rng.choice(("59", "XU")),))
        _append(draft, "J1885", (), 2)
    return True


def _indicator_nine(draft: Draft, rng: Dice, probe: bool) -> bool:
    em = _e_m(draft)
    codes = _codes(draft)
    if em is None or em.code in ("99213", "99214") or codes & {"36415", "99000"}:
        return False
    if not probe:
        _append(draft, "36415")
        _append(draft, "99000")
    return True


def _deleted_edit(draft: Draft, rng: Dice, probe: bool) -> bool:
    codes = _codes(draft)
    if "20610" not in codes or "J1030" in codes:
        return False
    if not probe:
        _append(draft, "J1030", (), rng.randint(1, 2))
    return True


def _repeat_with_modifier(draft: Draft, rng: Dice, probe: bool) -> bool:
    if _codes(draft) & {"87880", "73562"}:
        return False
    if not probe:
        if rng.random() < 0.5:
            _append(draft, "87880")
            _append(draft, "87880", ("91",))
        else:
            _append(draft, "73562", ("RT",))
            _append(draft, "73562", ("LT",))
    return True


def _bilateral_one_unit(draft: Draft, rng: Dice, probe: bool) -> bool:
    if _e_m(draft) is None or _codes(draft) & {"20610", "20611", "96372"}:
        return False
    if not probe:
        _append(draft, "20610", ("50",))
    return True


HARD_NEGATIVES: tuple[Callable[[Draft, Dice, bool], bool], ...] = (
    _minor_with_25,
    _distinct_bypass,
    _indicator_nine,
    _deleted_edit,
    _repeat_with_modifier,
    _bilateral_one_unit,
)
