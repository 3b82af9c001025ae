"""The DOC rules on hand-labelled, independently written notes (see ``independent.py``).

Rows 1-60 (diagnoses), 1-25 (services) and 1-23 (E/M) were written first and their errors
then used to improve the reader; the later rows were written afterwards and run once as a
blind held-out set (results in the report: one services row, 31, is still missed)."""

from __future__ import annotations

import pytest

from tests.plugins.documentation.independent import (
    Score,
    score_diagnoses,
    score_levels,
    score_services,
)

FLOOR = 0.9


@pytest.fixture(scope="module")
def scores() -> dict[str, Score]:
    return {**score_levels(), **score_diagnoses(), **score_services()}


@pytest.mark.parametrize("rule", ["DOC001", "DOC002", "DOC003", "DOC004", "DOC005", "DOC006"])
def test_precision_and_recall_on_independent_notes(scores: dict[str, Score], rule: str) -> None:
    score = scores[rule]
    assert score.true_positive >= 5, rule
    assert score.precision >= FLOOR, (rule, score.misses)
    assert score.recall >= FLOOR, (rule, score.misses)
