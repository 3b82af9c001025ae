"""The referee: which specificity rules (SPC001-SPC006) a coded diagnosis list breaks.

The generator uses it to prove that a clean encounter really is clean and that every
injected error yields exactly the finding its ground-truth row claims, and nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from synthetic_data import icd

SPECIFICITY_RULES = ("SPC001", "SPC002", "SPC003", "SPC004", "SPC005", "SPC006")

Violation = tuple[str, str]
"""(rule id, key): the key is the code, or 'A|B' (sorted) for an Excludes1 pair."""


def pair_key(first: str, second: str) -> str:
    """Order-free key of an Excludes1 pair."""
    return "|".join(sorted((first, second)))


def code_violation(code: str, side: str | None) -> str | None:
    """The single-code rules: validity, billability, unspecified side against the note."""
    if not icd.is_valid(code):
        return "SPC002" if icd.placeholder_fix(code) else "SPC001"
    if not icd.is_billable(code):
        return "SPC002"
    if side in icd.SIDES and icd.is_unspecified_side(code):
        return "SPC003"
    return None


def violations(
    codes: Sequence[str], sex: str, age: int, sides: Mapping[str, str | None]
) -> set[Violation]:
    """All violations on one encounter.

    ``sides`` maps each code that belongs to a lateral condition to the side the note
    documents for that condition (None when the note names no side).
    """
    found: set[Violation] = set()
    valid = [code for code in codes if icd.is_valid(code)]
    for code in codes:
        rule = code_violation(code, sides.get(code))
        if rule:
            found.add((rule, code))
    for index, first in enumerate(valid):
        for second in valid[index + 1 :]:
            if icd.excludes1_conflict(first, second):
                found.add(("SPC004", pair_key(first, second)))
    if codes and icd.is_valid(codes[0]) and icd.has_code_first(codes[0]):
        found.add(("SPC005", codes[0]))
    for code in valid:
        if icd.demographic_conflict(code, sex, age):
            found.add(("SPC006", code))
    return found
