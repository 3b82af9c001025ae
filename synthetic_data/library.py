"""The clinical library, checked against the ICD-10-CM release and prepared for injection.

Built once per process. Validation runs here so that a new simple_icd_10_cm release that
deletes, splits or re-notes one of our codes fails loudly instead of quietly producing
"clean" encounters that a checker would flag. The wrong codes error injectors substitute
(look-alike typos, deleted codes, headers) are worked out here too, once, so the
per-encounter work is a lookup.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache

from synthetic_data import icd
from synthetic_data.conditions import CONDITIONS, SIDE_WORDS, SPECIALTIES, Condition
from synthetic_data.rules import violations

_PLACEHOLDER = re.compile(r"\{(\w*)\}")
_LATERAL_FIELDS = frozenset({"loc", "adj", "sided", "abbr"})
_MAX_TYPOS = 6


class LibraryError(ValueError):
    """The curated library disagrees with the ICD-10-CM release."""


@dataclass(frozen=True)
class Variant:
    """A wrong code standing in for a correct one; ``kind`` says how it is wrong."""

    code: str
    kind: str  # typo | deleted | header | seventh | placeholder


@dataclass(frozen=True)
class Library:
    """Validated conditions plus the wrong-code variants of every correct code."""

    conditions: tuple[Condition, ...]
    by_key: Mapping[str, Condition]
    invalid: Mapping[str, tuple[Variant, ...]]  # SPC001: not in the release at all
    headers: Mapping[str, tuple[Variant, ...]]  # SPC002: in the release but not billable


@cache
def library() -> Library:
    """The validated library (raises LibraryError listing every problem found)."""
    problems = list(dict.fromkeys(find_problems(CONDITIONS)))
    if problems:
        raise LibraryError("condition library invalid:\n  " + "\n  ".join(problems))
    codes = sorted({code for condition in CONDITIONS for code in condition.all_codes()})
    deleted = {code: old for c in CONDITIONS for code, old in c.deleted.items()}
    return Library(
        conditions=CONDITIONS,
        by_key={condition.key: condition for condition in CONDITIONS},
        invalid={code: _invalid_variants(code, deleted.get(code)) for code in codes},
        headers={code: _header_variants(code) for code in codes},
    )


def _invalid_variants(code: str, deleted: str | None) -> tuple[Variant, ...]:
    """A deleted predecessor if one is known, then single-keystroke look-alikes.

    Typos keep the category (first three characters) so the wrong code still points at
    the same clinical area, and every candidate is confirmed absent from the release.
    """
    raw = icd.plain(code)
    candidates = []
    for pos in range(3, len(raw)):
        if raw[pos].isdigit():
            for step in (1, 9):
                candidates.append(raw[:pos] + str((int(raw[pos]) + step) % 10) + raw[pos + 1 :])
    for pos in range(3, len(raw) - 1):
        candidates.append(raw[:pos] + raw[pos + 1] + raw[pos] + raw[pos + 2 :])
    if len(raw) < 7:
        candidates += [raw + "9", raw + "0"]
    typos = [
        dotted
        for dotted in dict.fromkeys(icd.dotted(c) for c in candidates)
        if icd.has_code_shape(dotted)
        and not icd.is_valid(dotted)
        and icd.placeholder_fix(dotted) is None
    ]
    variants = [Variant(typo, "typo") for typo in typos[:_MAX_TYPOS]]
    return ((Variant(deleted, "deleted"),) if deleted else ()) + tuple(variants)


def _header_variants(code: str) -> tuple[Variant, ...]:
    """Valid but non-billable stand-ins: the parent header, or the code without its X."""
    variants = []
    parent = icd.parent(code)
    if parent and not icd.is_billable(parent):
        extended = icd.lib().is_extended_subcategory(icd.dotted(code))
        variants.append(Variant(parent, "seventh" if extended else "header"))
    raw = icd.plain(code)
    if "X" in raw[3:]:
        stripped = icd.dotted(raw[:3] + raw[3:].replace("X", ""))
        if icd.placeholder_fix(stripped) == icd.dotted(code):
            variants.append(Variant(stripped, "placeholder"))
    return tuple(variants)


def find_problems(conditions: tuple[Condition, ...]) -> Iterator[str]:
    """Every way a condition disagrees with the release or with the text rules."""
    seen: set[str] = set()
    for condition in conditions:
        if condition.key in seen:
            yield f"{condition.key}: duplicate key"
        seen.add(condition.key)
        yield from (f"{condition.key}: {p}" for p in _condition_problems(condition))


def _condition_problems(condition: Condition) -> Iterator[str]:
    yield from _code_problems(condition)
    yield from _text_problems(condition)
    if not set(condition.where) <= set(SPECIALTIES):
        yield f"unknown specialty in {condition.where}"
    for patient_sex, age in _patients(condition):
        for side in _documented_sides(condition):
            codes = condition.codes_for(side)
            found = violations(codes, patient_sex, age, _sides(condition, side))
            if condition.role == "secondary":  # never first-listed, so SPC005 cannot apply
                found.discard(("SPC005", codes[0]))
            if found:
                yield f"clean coding for side {side} breaks {sorted(found)}"
    yield from _injection_problems(condition)


def _patients(condition: Condition) -> list[tuple[str, int]]:
    sexes = (condition.sex,) if condition.sex else ("M", "F")
    return [(sex, age) for sex in sexes for age in condition.ages]


def _documented_sides(condition: Condition) -> tuple[str | None, ...]:
    return (None, *condition.sides) if condition.lateral else (None,)


def _sides(condition: Condition, side: str | None) -> dict[str, str | None]:
    return {code: side for code in condition.codes_for(side)} if condition.lateral else {}


def _code_problems(condition: Condition) -> Iterator[str]:
    for code in condition.all_codes():
        if code != icd.dotted(code) or not icd.is_billable(code):
            yield f"{code} is not a billable code in dotted form"
    if condition.lateral:
        sided = condition.sided or {}
        if not {"R", "L", "U"} <= set(sided) or condition.site is None:
            yield "lateral condition needs R, L and U codes and a site"
            return
        if not all(icd.is_unspecified_side(code) for code in sided["U"]):
            yield f"{sided['U']} is not an unspecified-side code"
        for side in ("R", "L", "B"):
            if any(icd.is_unspecified_side(code) for code in sided.get(side, ())):
                yield f"{side} code reads as unspecified side"
    elif any(icd.is_unspecified_side(code) for code in condition.codes):
        yield "non-lateral condition uses an unspecified-side code"
    if condition.role != "secondary":
        for documented in _documented_sides(condition):
            first = condition.codes_for(documented)[0]
            if icd.has_code_first(first):
                yield f"may be first-listed but {first} has code-first"


def _text_problems(condition: Condition) -> Iterator[str]:
    texts = condition.names + condition.complaint + condition.hpi + condition.exam
    texts += condition.plan + (condition.ros,)
    texts += tuple(text for service in condition.services for text in service.text)
    texts += (condition.partner.mention,) if condition.partner else ()
    allowed = _LATERAL_FIELDS if condition.lateral else frozenset()
    if condition.site is not None and not condition.site.abbrev:
        allowed = allowed - {"abbr"}
    for text in texts:
        fields = set(_PLACEHOLDER.findall(text))
        if not fields <= allowed:
            yield f"placeholders {sorted(fields - allowed)} not allowed in {text!r}"
        if SIDE_WORDS.search(_PLACEHOLDER.sub("", text)):
            yield f"fixed side word in {text!r}"
    for text in texts[len(condition.names) :]:
        if "{sided}" in text or "{abbr}" in text:
            yield f"{{sided}}/{{abbr}} belong in names only: {text!r}"
    if not condition.names:
        yield "no names"
    if condition.lateral and not any(
        "{sided}" not in n and "{abbr}" not in n for n in condition.names
    ):
        yield "no name usable when the note states no side"


def _injection_problems(condition: Condition) -> Iterator[str]:
    if condition.manifestation:
        first, underlying = condition.manifestation
        codes = condition.codes_for(None)
        if first not in codes or underlying not in codes:
            yield f"manifestation pair {condition.manifestation} not among the codes"
        elif not icd.has_code_first(first) or codes.index(underlying) > codes.index(first):
            yield f"{first} must carry a code-first note and follow {underlying}"
    if condition.partner:
        partner = condition.partner.code
        if not icd.is_billable(partner) or not any(
            icd.excludes1_conflict(partner, code) for code in condition.all_codes()
        ):
            yield f"partner {partner} is not a billable Excludes1 partner"
    for slip in condition.slips:
        if not icd.is_billable(slip) or icd.sex_restriction(slip) is None:
            yield f"slip {slip} is not a billable sex- or pregnancy-specific code"
    for code, old in condition.deleted.items():
        if code not in condition.all_codes() or icd.is_valid(old) or not icd.has_code_shape(old):
            yield f"deleted {old} must be absent from the release and replace {code}"
