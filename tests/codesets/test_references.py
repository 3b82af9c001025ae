"""Code references read from instructional notes, and what each one covers."""

from __future__ import annotations

import pytest

from auditkit.codesets.references import CodeReference, parse_references, undotted


def shapes(note: str) -> list[tuple[str, str | None]]:
    return [(reference.first, reference.last) for reference in parse_references(note)]


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("hyperglycemia NOS (R73.9)", [("R739", None)]),
        ("type 2 diabetes mellitus (E11.-)", [("E11", None)]),
        ("gestational diabetes (O24.4-)", [("O244", None)]),
        ("neoplasm (C00-D49)", [("C00", "D49")]),
        (
            "endocrine disease, except diabetes (E00-E07, E15-E16, E20-E34)",
            [("E00", "E07"), ("E15", "E16"), ("E20", "E34")],
        ),
        ("fracture of skull (S02.0-S02.1)", [("S020", "S021")]),
        # words that look like codes outside the parentheses are not references
        ("vitamin B12 deficiency (E53.8)", [("E538", None)]),
        ("pneumoconiosis, any type in A15 (J65)", [("J65", None)]),
        # a line without parentheses is read whole
        ("torticollis NOS M43.6", [("M436", None)]),
        ("certain localized infections - see body system-related chapters", []),
    ],
)
def test_parse_shapes(note: str, expected: list[tuple[str, str | None]]) -> None:
    assert shapes(note) == expected


def test_multi_line_notes_keep_each_line_as_the_reference_note() -> None:
    references = parse_references("such as:\namyloidosis (E85.-)\nneoplasm (C00-D49)", "G63")
    assert [(r.first, r.note, r.source) for r in references] == [
        ("E85", "amyloidosis (E85.-)", "G63"),
        ("C00", "neoplasm (C00-D49)", "G63"),
    ]


@pytest.mark.parametrize(
    ("reference", "code", "covered"),
    [
        (CodeReference("E11"), "E119", True),
        (CodeReference("E11"), "E11", True),
        (CodeReference("E11"), "E10", False),
        (CodeReference("R739"), "R739", True),
        (CodeReference("R739"), "R73", False),
        (CodeReference("C00", "C96"), "C50911", True),
        (CodeReference("C00", "C96"), "C96", True),
        (CodeReference("C00", "C96"), "D001", False),
        (CodeReference("S020", "S021"), "S0210XA", True),
        (CodeReference("S020", "S021"), "S022XXA", False),
        (CodeReference("S020", "S021"), "S02", False),
        (CodeReference("O00", "O9A"), "O9A111", True),
        (CodeReference("O00", "O9A"), "P00", False),
        (CodeReference("E11"), "E11.9", True),
    ],
)
def test_matches(reference: CodeReference, code: str, covered: bool) -> None:
    assert reference.matches(code) is covered


def test_undotted() -> None:
    assert undotted(" e11.9 ") == "E119"
