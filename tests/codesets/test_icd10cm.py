"""The ICD-10-CM release service, on the release that ships with auditkit."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from auditkit.codesets import CodeSets, Icd10cmRelease
from auditkit.codesets.icd10cm import SHIPPED_RELEASE

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
ADDENDA_2026 = SHARED / "real-data" / "cms" / "icd10cm" / "icd10cm-order-addenda-2026.txt"


@pytest.fixture(scope="module")
def release() -> Icd10cmRelease:
    return CodeSets().for_date(dt.date(2026, 1, 15)).release


def test_the_shipped_release_governs_fiscal_year_2026() -> None:
    choice = CodeSets().for_date(dt.date(2025, 10, 1))
    assert choice.release is SHIPPED_RELEASE
    assert choice.in_window
    assert "FY2026" in choice.explanation and "2025-10-01 to 2026-09-30" in choice.explanation
    assert CodeSets().for_date(dt.date(2026, 9, 30)).in_window


@pytest.mark.parametrize("date_of_service", [dt.date(2024, 6, 1), dt.date(2026, 10, 1)])
def test_dates_outside_every_window_fall_back_to_the_nearest_release(
    date_of_service: dt.date,
) -> None:
    choice = CodeSets().for_date(date_of_service)
    assert choice.release is SHIPPED_RELEASE
    assert not choice.in_window
    assert "nearest" in choice.explanation and date_of_service.isoformat() in choice.explanation


def test_codesets_refuse_an_empty_release_list() -> None:
    with pytest.raises(ValueError, match="at least one"):
        CodeSets(releases=[])


@pytest.mark.parametrize(
    ("code", "valid", "billable"),
    [
        ("E119", True, True),
        ("E11.9", True, True),
        ("E11", True, False),
        ("M171", True, False),
        ("T360X1A", True, True),
        ("S52521", True, False),
        ("T3601A", False, False),
        ("E1199", False, False),
        ("A00-A09", False, False),  # a block, not a code
        ("1", False, False),  # a chapter, not a code
        ("ZZZ", False, False),
    ],
)
def test_validity_and_billability(
    release: Icd10cmRelease, code: str, valid: bool, billable: bool
) -> None:
    assert release.is_valid(code) is valid
    assert release.is_billable(code) is billable


def test_hierarchy(release: Icd10cmRelease) -> None:
    assert release.description("M1710") == "Unilateral primary osteoarthritis, unspecified knee"
    assert release.children("M171") == ("M1710", "M1711", "M1712")
    assert release.parent("M1711") == "M171"
    assert release.parent("M17") is None
    assert release.ancestors("S52521A") == ("S52521", "S5252", "S525", "S52")
    assert release.description("NOPE") is None and release.children("NOPE") == ()


@pytest.mark.parametrize(
    ("code", "fixed"),
    [
        ("T3601A", "T360X1A"),
        ("T3601", "T360X1"),
        ("S0300A", "S0300XA"),
        ("O4010", "O401XX0"),
        ("T360X1A", None),  # already valid
        ("E1199", None),  # no placeholder helps
        ("1E119", None),  # malformed
    ],
)
def test_placeholders(release: Icd10cmRelease, code: str, fixed: str | None) -> None:
    assert release.with_placeholders(code) == fixed


def test_excludes1_collects_the_notes_of_the_code_and_its_ancestors(
    release: Icd10cmRelease,
) -> None:
    on_e109 = release.excludes1("E109")
    assert any(r.first == "E11" and r.source == "E10" for r in on_e109)
    assert any(r.matches("R739") for r in on_e109)
    # a note written on the block A15-A19 applies to A15.0
    assert any(r.matches("J65") and r.source == "A15-A19" for r in release.excludes1("A150"))
    assert release.excludes1("NOPE") == ()


def test_code_first_comes_from_the_code_or_its_nearest_ancestor(
    release: Icd10cmRelease,
) -> None:
    own = release.code_first("G63")
    assert own is not None and own.source == "G63"
    assert any(reference.first == "E85" for reference in own.references)
    inherited = release.code_first("F0280")
    assert inherited is not None and inherited.source == "F02"
    assert release.code_first("E119") is None


def test_seven_character_definitions_are_inherited(release: Icd10cmRelease) -> None:
    assert release.seven_chr_def("S52521")["A"] == "initial encounter for closed fracture"
    assert release.seven_chr_def("E119") == {}


def test_side_alternatives(release: Icd10cmRelease) -> None:
    knee = release.side_alternatives("M1710")
    assert knee is not None and knee.site == "knee"
    assert dict(knee.codes) == {"right": ("M1711",), "left": ("M1712",), "bilateral": ("M170",)}
    pain = release.side_alternatives("M25569")
    assert pain is not None and pain.for_side("bilateral") == ("M25561", "M25562")
    dominance = release.side_alternatives("G8320")
    assert dominance is not None and dominance.site == "side"
    assert dominance.codes["right"] == ("G8321", "G8323")
    fracture = release.side_alternatives("S52529A")
    assert fracture is not None and fracture.codes["left"] == ("S52522A",)
    limb = release.side_alternatives("I70209")  # "unspecified extremity" -> "right leg"
    assert limb is not None and limb.codes["bilateral"] == ("I70203",)
    # sided already, no side at all, unspecified type, lid (not side) unspecified
    for sided_or_plain in ("M1711", "E119", "M179", "H109", "H01013"):
        assert release.side_alternatives(sided_or_plain) is None


def test_snapshot_agrees_with_the_library_public_api(release: Icd10cmRelease) -> None:
    """The snapshot reads the library's private tree; pin it to the public functions."""
    import simple_icd_10_cm as library

    codes = sorted(release._nodes)
    for code in random.Random(7).sample(codes, 300) + ["G63", "F0280", "S52521", "E10"]:
        assert release.description(code) == library.get_description(code)
        assert release.is_billable(code) == library.is_leaf(code)
        assert release.seven_chr_def(code) == library.get_seven_chr_def(code, True)
        note = release.code_first(code)
        assert (note.text if note else "") == library.get_code_first(code, True)
        assert list(release.children(code)) == [
            child.replace(".", "") for child in library.get_children(code)
        ]


@pytest.mark.skipif(not ADDENDA_2026.exists(), reason="shared real data not present")
def test_a_second_release_judges_the_dates_it_covers(release: Icd10cmRelease) -> None:
    """Two releases side by side: FY2025 approximated as FY2026 without its additions."""
    added = {
        line[15:22].strip()
        for line in ADDENDA_2026.read_text(encoding="latin-1").splitlines()
        if line.startswith("Add:")
    }
    fy2025 = Icd10cmRelease(
        "ICD-10-CM FY2025 (test)",
        dt.date(2024, 10, 1),
        dt.date(2025, 9, 30),
        load=lambda: {code: node for code, node in release._nodes.items() if code not in added},
    )
    codesets = CodeSets(releases=[fy2025, release])
    before, after = codesets.for_date(dt.date(2025, 6, 1)), codesets.for_date(dt.date(2026, 6, 1))
    assert before.release is fy2025 and after.release is release
    assert "E11A" in added
    assert not before.release.is_valid("E11A") and after.release.is_valid("E11A")
    assert before.release.is_valid("E119")
