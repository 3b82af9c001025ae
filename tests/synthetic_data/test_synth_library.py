"""The curated library agrees with the ICD-10-CM release and with the text rules."""

from __future__ import annotations

import dataclasses

from synthetic_data import icd
from synthetic_data.billing import FEES
from synthetic_data.conditions import CONDITIONS, SIDE_WORDS, SPECIALTIES
from synthetic_data.library import find_problems, library
from synthetic_data.organisation import DEPARTMENTS


def test_library_validates_against_the_release() -> None:
    assert list(find_problems(CONDITIONS)) == []
    assert len(library().conditions) == len(CONDITIONS)


def test_validation_catches_a_broken_condition() -> None:
    knee = library().by_key["knee_oa"]
    broken = dataclasses.replace(
        knee,
        key="broken",
        sided={**knee.sided, "R": ("M17.1",)},  # a header, not billable
        hpi=("Pain in the left knee.",),  # a fixed side in a lateral template
    )
    problems = list(find_problems((broken,)))
    assert any("M17.1 is not a billable code" in p for p in problems)
    assert any("fixed side word" in p for p in problems)


def test_every_specialty_has_a_department_and_every_service_a_fee() -> None:
    assert set(DEPARTMENTS) == set(SPECIALTIES)
    codes = {line.code for c in CONDITIONS for s in c.services for line in s.lines}
    assert codes <= set(FEES)
    assert all(len(code) == 5 for code in FEES)


def test_wrong_code_variants_are_really_wrong() -> None:
    lib = library()
    for variants in lib.invalid.values():
        for variant in variants:
            assert not icd.is_valid(variant.code), variant
            assert icd.has_code_shape(variant.code), variant
    for variants in lib.headers.values():
        for variant in variants:
            assert not icd.is_billable(variant.code), variant
            assert icd.is_valid(variant.code) or icd.placeholder_fix(variant.code), variant


def test_known_release_facts() -> None:
    assert icd.is_billable("T36.0X5A") and not icd.is_valid("T36.05A")
    assert icd.placeholder_fix("T36.05A") == "T36.0X5A"
    assert not icd.is_valid("S30.1XXA")  # deleted for FY2026
    assert icd.is_valid("B88.0") and not icd.is_billable("B88.0")  # became a header
    assert icd.excludes1_conflict("E11.9", "E10.9")
    assert icd.has_code_first("F02.80") and not icd.has_code_first("G30.9")
    assert icd.is_unspecified_side("M17.10") and not icd.is_unspecified_side("M17.11")
    assert icd.demographic_conflict("N40.1", "F", 40) == "male-only code for a female patient"
    assert icd.demographic_conflict("O21.9", "F", 60) and not icd.demographic_conflict(
        "O21.9", "F", 30
    )


def test_side_words() -> None:
    for text in ("right knee", "R knee", "b/l knees", "both eyes", "acute conjunctivitis OS"):
        assert SIDE_WORDS.search(text), text
    for text in ("RRR", "Wright", "unilateral", "mild", "ROS"):
        assert not SIDE_WORDS.search(text), text
