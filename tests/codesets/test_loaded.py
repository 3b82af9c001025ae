"""ICD-10-CM releases loaded from NCHS files, beside the shipped one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine

from auditkit.codesets import CodeSets, LoadedIcd10cmRelease
from auditkit.codesets.icd10cm import SHIPPED_RELEASE
from auditkit.codesets.loaded import build_nodes
from auditkit.refdata import kind_named

CMS = Path(__file__).resolve().parents[2].parent / "shared" / "real-data" / "cms" / "icd10cm"
ORDER_2018 = CMS / "icd10cm_order_2018.first2000lines.txt"
CODES_2026 = CMS / "icd10cm-codes-2026.txt"


def real(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path.name} is not in shared/real-data")
    return path


def order_lines(path: Path) -> dict[str, bool]:
    """Code -> billable, read with plain slicing (columns 7-13 and 15)."""
    return {
        line[6:13].strip(): line[14] == "1"
        for line in path.read_text("latin-1").splitlines()
        if line.strip()
    }


def test_billability_comes_from_the_file_not_the_tree() -> None:
    codes = {"A00": (False, "Cholera"), "A000": (True, "Cholera 01"), "A001": (False, "x")}
    release = LoadedIcd10cmRelease("test", dt.date(2020, 1, 1), dt.date(2020, 12, 31), codes)
    assert release.is_valid("A00") and release.is_valid("A00.0")
    assert release.is_billable("A000") and not release.is_billable("A00")
    assert not release.is_billable("A001")  # a leaf the file flags as header stays so
    assert not release.is_valid("A009")
    assert release.children("A00") == ("A000", "A001")
    assert release.parent("A000") == "A00"
    assert release.description("A000") == "Cholera 01"


def test_headers_are_inferred_from_a_codes_file_except_placeholders() -> None:
    codes = {"T360X1A": (True, "Poisoning"), "E119": (True, "Type 2 diabetes")}
    nodes = build_nodes(codes, {}, infer_headers=True)
    assert set(nodes) == {"T360X1A", "T360X1", "T360", "T36", "E119", "E11"}
    assert not nodes["T36"].billable and nodes["T360X1A"].billable
    assert nodes["T360X1A"].parent is nodes["T360X1"]


def test_notes_are_borrowed_from_the_shipped_tabular() -> None:
    shipped = SHIPPED_RELEASE
    with_notes = next(
        code for code in ("E1010", "E119", "K5090", "J45909") if shipped.excludes1(code)
    )
    codes = {
        code: (not shipped.children(code), shipped.description(code) or "")
        for code in (with_notes, *shipped.ancestors(with_notes))
    }
    release = LoadedIcd10cmRelease("test", dt.date(2020, 1, 1), dt.date(2020, 12, 31), codes)
    assert release.excludes1(with_notes) == shipped.excludes1(with_notes)
    assert release.seven_chr_def("S52521A") == {}
    fracture = {
        code: (len(code) == 7, "") for code in ("S52", "S525", "S5252", "S52521", "S52521A")
    }
    injury = LoadedIcd10cmRelease("t", dt.date(2020, 1, 1), dt.date(2020, 12, 31), fracture)
    assert injury.seven_chr_def("S52521A") == shipped.seven_chr_def("S52521A") != {}


def test_a_loaded_release_wins_where_it_overlaps_the_shipped_one() -> None:
    loaded = LoadedIcd10cmRelease(
        "FY2026 loaded", dt.date(2025, 10, 1), dt.date(2026, 9, 30), {"I10": (True, "HTN")}
    )
    codesets = CodeSets().with_releases([loaded])
    assert codesets.for_date(dt.date(2026, 1, 1)).release is loaded
    assert CodeSets().for_date(dt.date(2026, 1, 1)).release is SHIPPED_RELEASE


def test_a_loaded_fiscal_year_judges_its_dates_of_service(engine: Engine) -> None:
    with engine.begin() as connection:
        kind_named("icd10cm").load(connection, real(ORDER_2018))
    expected = order_lines(ORDER_2018)
    with engine.connect() as connection:
        codesets = kind_named("icd10cm").view(connection).codesets()
    choice = codesets.for_date(dt.date(2018, 3, 1))
    release = choice.release
    assert choice.in_window and release.name == "ICD-10-CM FY2018"
    assert "FY2018" in choice.explanation
    for code, billable in list(expected.items())[::37]:
        assert release.is_valid(code)
        assert release.is_billable(code) == billable
    assert not release.is_valid("E119")  # beyond the excerpt: not in this release
    assert codesets.for_date(dt.date(2026, 3, 1)).release is SHIPPED_RELEASE


def test_codes_file_release_validates_the_whole_code_set(engine: Engine) -> None:
    with engine.begin() as connection:
        kind_named("icd10cm").load(
            connection, real(CODES_2026), dt.date(2026, 10, 1), dt.date(2027, 9, 30)
        )
    with engine.connect() as connection:
        release = kind_named("icd10cm").view(connection).release_for(dt.date(2027, 1, 1))
    assert release is not None and release.headers_inferred
    assert release.is_billable("I10") and release.is_billable("QA00101")
    assert release.is_valid("E11") and not release.is_billable("E11")
    assert release.is_billable("E119") and not release.is_valid("E1199")
    assert release.with_placeholders("T3601A") == "T360X1A"


def test_fy2026_letter_second_codes_are_well_formed() -> None:
    """FY2026 added category QA0, the first with a letter in the second place."""
    assert SHIPPED_RELEASE.is_valid("QA00101")
    assert SHIPPED_RELEASE.is_well_formed("QA00101") and SHIPPED_RELEASE.is_well_formed("E119")
    assert not SHIPPED_RELEASE.is_well_formed("EA119") and not SHIPPED_RELEASE.is_well_formed(
        "9E11"
    )
