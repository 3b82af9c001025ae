"""The reader on the NegEx/ConText reference standard (Chapman et al.), held to the targets."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from auditkit.notes.context import assess

NEGEX = Path(__file__).resolve().parents[2].parent / "shared" / "real-data" / "negex"
RANDOM = NEGEX / "rsAnnotations-1-120-random.txt"

pytestmark = pytest.mark.skipif(not RANDOM.exists(), reason="shared real-data not present")


def _f1(pairs: list[tuple[bool, bool]]) -> float:
    tp = sum(truth and guess for truth, guess in pairs)
    fp = sum(guess and not truth for truth, guess in pairs)
    fn = sum(truth and not guess for truth, guess in pairs)
    return 2 * tp / (2 * tp + fp + fn)


def test_negated_and_historical_f1_reach_the_targets() -> None:
    with RANDOM.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))[1:]
    assert len(rows) == 2376
    negated, historical, missing = [], [], 0
    for _, condition, sentence, negation, temporality, _experiencer in rows:
        judgment = assess(condition, sentence)
        missing += judgment is None  # a few rows' condition is not in their sentence
        negated.append((negation == "Negated", bool(judgment and judgment.negation == "negated")))
        historical.append(
            (temporality == "Historical", bool(judgment and judgment.temporality == "historical"))
        )
    assert missing <= 15  # 13 in this file
    assert _f1(negated) >= 0.95
    assert _f1(historical) >= 0.75
