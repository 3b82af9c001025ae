"""ICD-10-CM facts the generator needs, answered from simple_icd_10_cm.

The library takes about two seconds to import, so it is loaded once, on first use. Every
answer is memoised because a large run asks about the same few hundred codes millions of
times; the per-encounter cost must stay a dictionary lookup.
"""

from __future__ import annotations

import re
from functools import cache
from types import ModuleType

SIDES = ("R", "L", "B")
"""Documented laterality: right, left, bilateral. ``None`` means the note names no side."""

_CODE_TOKEN = re.compile(r"^[A-Z][0-9][0-9A-Z](?:\.?[0-9A-Z]{1,4})?$")
_PARENTHESISED = re.compile(r"\(([^()]*)\)")

# Sex-specific and maternity code ranges, as (low, high) prefixes without the dot. Our own
# short list in the spirit of the CMS Medicare Code Editor; it covers every code the
# generator can emit, which the library validation checks.
_MALE_ONLY = (
    ("C60", "C63"),
    ("D29", "D29"),
    ("D40", "D40"),
    ("E29", "E29"),
    ("N40", "N53"),
    ("Q53", "Q55"),
    ("R86", "R86"),
    ("Z125", "Z125"),
)
_FEMALE_ONLY = (
    ("C51", "C58"),
    ("D06", "D06"),
    ("D25", "D28"),
    ("D39", "D39"),
    ("E28", "E28"),
    ("N70", "N98"),
    ("Q50", "Q52"),
    ("R87", "R87"),
    ("Z0141", "Z0141"),
    ("Z124", "Z124"),
)
_MATERNITY = (("O", "O"), ("Z34", "Z34"), ("Z3A", "Z3A"))
MATERNITY_AGES = (12, 55)


@cache
def lib() -> ModuleType:
    """Import simple_icd_10_cm on first use only (it costs ~2 s)."""
    import simple_icd_10_cm

    return simple_icd_10_cm


def plain(code: str) -> str:
    """The code without its dot, upper case: the form used for prefix comparisons."""
    return code.replace(".", "").strip().upper()


def dotted(code: str) -> str:
    """The code with the dot after the third character, the form written to claims."""
    raw = plain(code)
    return raw if len(raw) <= 3 else f"{raw[:3]}.{raw[3:]}"


def has_code_shape(code: str) -> bool:
    """Letter, digit, alphanumeric, optional dot, up to four more alphanumerics."""
    return bool(_CODE_TOKEN.match(code))


@cache
def is_valid(code: str) -> bool:
    """True when the code (category, subcategory or billable code) exists in the release."""
    code = dotted(code)
    return has_code_shape(code) and lib().is_valid_item(code)


@cache
def is_billable(code: str) -> bool:
    """Billable means a valid leaf: nothing more specific exists below it."""
    return is_valid(code) and lib().is_leaf(dotted(code))


@cache
def description(code: str) -> str:
    """Official description ('' for codes that are not in the release)."""
    return lib().get_description(dotted(code)) if is_valid(code) else ""


@cache
def children(code: str) -> tuple[str, ...]:
    """Direct children of a valid code, dotted."""
    return tuple(lib().get_children(dotted(code))) if is_valid(code) else ()


@cache
def parent(code: str) -> str | None:
    """Parent code, or None when the parent is a block or chapter rather than a code."""
    if not is_valid(code):
        return None
    up = lib().get_parent(dotted(code))
    return up if up and has_code_shape(up) else None


@cache
def lineage(code: str) -> tuple[str, ...]:
    """The code and every ancestor (codes, blocks, chapter): notes are inherited."""
    return (dotted(code), *lib().get_ancestors(dotted(code))) if is_valid(code) else ()


@cache
def has_code_first(code: str) -> bool:
    """A 'code first' note on the code or an ancestor: it may not be listed first."""
    return any(lib().get_code_first(item) for item in lineage(code))


def _range_token(token: str) -> tuple[str, str] | None:
    """Turn one reference from a note, e.g. 'E10.-', 'E08-E13', 'P70.2', into prefixes."""
    token = token.split(" with ")[0].strip().rstrip("-").rstrip(".")
    low, _, high = token.partition("-")
    high = high or low
    if not (has_code_shape(low) and has_code_shape(high)):
        return None
    return plain(low), plain(high)


@cache
def excludes1_ranges(code: str) -> tuple[tuple[str, str], ...]:
    """Every code range named by an Excludes1 note on the code or its ancestors."""
    ranges = []
    for item in lineage(code):
        for note in lib().get_excludes1(item):
            for group in _PARENTHESISED.findall(note):
                for token in group.split(","):
                    parsed = _range_token(token)
                    if parsed:
                        ranges.append(parsed)
    return tuple(ranges)


def _covered(ranges: tuple[tuple[str, str], ...], code: str) -> bool:
    raw = plain(code)
    return any(raw[: len(low)] >= low and raw[: len(high)] <= high for low, high in ranges)


@cache
def excludes1_conflict(first: str, second: str) -> bool:
    """True when either code's Excludes1 notes (inherited ones included) name the other."""
    if not (is_valid(first) and is_valid(second)) or dotted(first) == dotted(second):
        return False
    return _covered(excludes1_ranges(first), second) or _covered(excludes1_ranges(second), first)


@cache
def sex_restriction(code: str) -> str | None:
    """'M' or 'F' when the code only applies to that sex, else None."""
    for sex, ranges in (("M", _MALE_ONLY), ("F", _FEMALE_ONLY + _MATERNITY)):
        if _covered(ranges, code):
            return sex
    return None


@cache
def is_maternity(code: str) -> bool:
    """Pregnancy codes, plausible only for females of child-bearing age."""
    return _covered(_MATERNITY, code)


def demographic_conflict(code: str, sex: str, age: int) -> str | None:
    """Why the code cannot apply to this patient, or None. Unknown sex ('U') never conflicts."""
    if not is_valid(code) or sex not in ("M", "F"):
        return None
    restriction = sex_restriction(code)
    if restriction and restriction != sex:
        only = "male-only" if restriction == "M" else "female-only"
        kind = "pregnancy-chapter" if is_maternity(code) else only
        return f"{kind} code for a {'male' if sex == 'M' else 'female'} patient"
    low, high = MATERNITY_AGES
    if is_maternity(code) and not low <= age <= high:
        return f"pregnancy-chapter code for a {age}-year-old (plausible ages {low}-{high})"
    return None


@cache
def is_unspecified_side(code: str) -> bool:
    """An 'unspecified side' code: says unspecified while sibling codes name the right side.

    ICD-10-CM has no laterality field, so laterality is read from the descriptions of the
    code's siblings (and its parent's siblings, for 7th-character codes).
    """
    text = description(code).lower()
    if "unspecified" not in text or any(w in text for w in ("right", "left", "bilateral")):
        return False
    levels = [parent(code)]
    if levels[0]:
        levels.append(parent(levels[0]))
    return any(
        "right" in description(sibling).lower()
        for level in levels
        if level
        for sibling in children(level)
    )


@cache
def placeholder_fix(code: str) -> str | None:
    """The valid code this one becomes when its missing placeholder X is restored, if any."""
    raw = plain(code)
    if is_valid(raw) or not 4 <= len(raw) <= 6:
        return None
    gap = 7 - len(raw)
    for pos in range(3, len(raw)):
        candidate = dotted(raw[:pos] + "X" * gap + raw[pos:])
        if is_billable(candidate):
            return candidate
    return None
