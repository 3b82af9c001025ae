"""Ground truth against an independent re-check written directly on simple_icd_10_cm.

The re-check shares no code with the generator: its own Excludes1 parsing, laterality
reading, sex/age lists (the short ones from the brief) and side-word pattern. Every
encounter's findings must equal its ground-truth rows: clean encounters have none.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path

import simple_icd_10_cm as cm

from synthetic_data.generate import generate
from synthetic_data.rules import SPECIFICITY_RULES

SIDE = re.compile(r"\b((?i:right|left|bilateral|bilaterally|both|rt|lt)|R|L|OD|OS|OU)\b|b/l")
REFERENCE = re.compile(
    r"([A-Z]\d[\dA-Z](?:\.[\dA-Z]+)?)(?:\s*-\s*([A-Z]\d[\dA-Z](?:\.[\dA-Z]+)?))?"
)
MALE = (("N40", "N53"), ("C60", "C63"))
FEMALE = (("N70", "N98"), ("C51", "C58"), ("O00", "O9A"))


def _within(code: str, ranges) -> bool:
    raw = code.replace(".", "")
    return any(
        raw[: len(low.replace(".", ""))] >= low.replace(".", "")
        and raw[: len(high.replace(".", ""))] <= high.replace(".", "")
        for low, high in ranges
    )


@cache
def _family(code: str) -> list[str]:
    return [code, *cm.get_ancestors(code)]


@cache
def _excluded(code: str) -> tuple:
    found = []
    for item in _family(code):
        for note in cm.get_excludes1(item):
            for inside in re.findall(r"\(([^)]*)\)", note):
                for match in REFERENCE.finditer(inside):
                    found.append((match.group(1), match.group(2) or match.group(1)))
    return tuple(found)


@cache
def _unspecified_side(code: str) -> bool:
    text = cm.get_description(code).lower()
    if "unspecified" not in text or re.search(r"right|left|bilateral", text):
        return False
    parent = cm.get_parent(code)
    levels = [parent, cm.get_parent(parent)] if parent else []
    return any(
        "right" in cm.get_description(child).lower()
        for level in levels
        if level and cm.is_valid_item(level)
        for child in cm.get_children(level)
    )


def _placeholder_missing(code: str) -> bool:
    raw = code.replace(".", "")
    return any(
        cm.is_valid_item(candidate)
        for pos in range(3, len(raw))
        for candidate in [raw[:pos] + "X" * (7 - len(raw)) + raw[pos:]]
        if len(raw) < 7
    )


def _age(dob: str, day: str) -> int:
    return int(day[:4]) - int(dob[:4]) - (day[5:] < dob[5:])


def recheck(line: dict[str, str], note: str) -> Counter:
    """(rule, code) findings for one encounter; SPC004 counts the pair under both codes."""
    dx = [line[f"dx{n}"] for n in range(1, 13) if line[f"dx{n}"]]
    valid = [code for code in dx if cm.is_valid_item(code)]
    found: Counter = Counter()
    for code in dx:
        if not cm.is_valid_item(code):
            found["SPC002" if _placeholder_missing(code) else "SPC001", code] += 1
        elif not cm.is_leaf(code):
            found["SPC002", code] += 1
        elif _unspecified_side(code) and SIDE.search(note):
            found["SPC003", code] += 1
    for i, first in enumerate(valid):
        for second in valid[i + 1 :]:
            if _within(second, _excluded(first)) or _within(first, _excluded(second)):
                found["SPC004", first] += 1
                found["SPC004", second] += 1
    if valid and dx[0] == valid[0] and any(cm.get_code_first(a) for a in _family(dx[0])):
        found["SPC005", dx[0]] += 1
    sex, age = line["patient_sex"], _age(line["patient_dob"], line["date_of_service"])
    for code in valid:
        maternity = code.startswith("O")
        wrong_sex = (sex == "F" and _within(code, MALE)) or (sex == "M" and _within(code, FEMALE))
        if wrong_sex or (sex == "F" and maternity and not 12 <= age <= 55):
            found["SPC006", code] += 1
    return found


def test_every_encounter_matches_its_ground_truth(dataset) -> None:
    clean = 0
    for encounter_id, lines in dataset.encounters().items():
        found = recheck(lines[0], dataset.notes[encounter_id]["note_text"])
        rows = dataset.truth.get(encounter_id, [])
        expected: Counter = Counter()
        for row in rows:
            expected[row["rule_id"], row["code"]] += 1
            if row["rule_id"] == "SPC004":  # the other half of the pair
                partner = next(k for k in found if k[0] == "SPC004" and k[1] != row["code"])
                expected[partner] += 1
        assert found == expected, (encounter_id, rows)
        clean += not rows
    assert clean > 0.4 * len(dataset.notes)


def test_ground_truth_codes_appear_on_their_encounter(dataset) -> None:
    encounters = dataset.encounters()
    for encounter_id, rows in dataset.truth.items():
        dx = {encounters[encounter_id][0][f"dx{n}"] for n in range(1, 13)}
        for row in rows:
            assert row["code"] in dx and row["line_number"] == "" and row["detail"]


def test_clean_unspecified_side_codes_only_where_the_note_names_no_side(dataset) -> None:
    seen = 0
    for encounter_id, lines in dataset.encounters().items():
        dx = [lines[0][f"dx{n}"] for n in range(1, 13) if lines[0][f"dx{n}"]]
        unspecified = any(cm.is_valid_item(c) and _unspecified_side(c) for c in dx)
        if unspecified and encounter_id not in dataset.truth:
            seen += 1
            assert not SIDE.search(dataset.notes[encounter_id]["note_text"])
    assert seen > 5


def test_lateral_side_appears_in_note_and_modifiers(dataset) -> None:
    sided = {"M17.11": "RT", "M17.12": "LT", "H61.21": "RT", "H61.22": "LT"}
    checked = 0
    for encounter_id, lines in dataset.encounters().items():
        dx = {lines[0][f"dx{n}"] for n in range(1, 13)}
        for code, modifier in sided.items():
            if code in dx:
                assert SIDE.search(dataset.notes[encounter_id]["note_text"])
                lateral = [ln for ln in lines if ln["procedure_code"] in {"20610", "69210"}]
                assert all(ln["modifier1"] == modifier for ln in lateral)
                checked += 1
    assert checked > 10


def test_rates_roughly_as_requested(tmp_path: Path, reader) -> None:
    rates = {
        "SPC001": 0.05,
        "SPC002": 0.05,
        "SPC003": 0.10,
        "SPC004": 0.05,
        "SPC005": 0.03,
        "SPC006": 0.05,
    }
    data = reader(generate(tmp_path, encounters=4000, seed=21, error_rates=rates))
    counts = Counter(row["rule_id"] for rows in data.truth.values() for row in rows)
    for rule in SPECIFICITY_RULES:
        observed = counts[rule] / 4000
        assert 0.75 * rates[rule] <= observed <= 1.25 * rates[rule], (rule, observed)
    by_coder = Counter()
    spc003 = Counter()
    for encounter_id, lines in data.encounters().items():
        coder = lines[0]["coder_id"]
        by_coder[coder] += 1
        spc003[coder] += any(r["rule_id"] == "SPC003" for r in data.truth.get(encounter_id, []))
    habits = {c["coder_id"]: c["habit"] for c in data.manifest["coders"]}
    rate = {habits[c]: spc003[c] / by_coder[c] for c in by_coder}
    assert rate["laterality-blind"] > 3 * rate["steady"] > 0
    assert rate["meticulous"] < rate["steady"]
