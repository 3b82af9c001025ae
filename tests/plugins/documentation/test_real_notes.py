"""DOC003-DOC005 on real transcribed notes (MTSamples, in shared/real-data; skipped when
absent), with codes assigned by reading each note (``data/mtsamples_codes.csv``: the
MTSamples row, the code, the rule a careful coder expects, and why). The notes are read
from the shared folder, never copied into the repository."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.plugins.documentation.independent import Score, encounter, findings

REAL = Path(__file__).resolve().parents[3].parent / "shared" / "real-data" / "notes"
SAMPLE = REAL / "mtsamples_sample500.csv"
LABELS = Path(__file__).parent / "data" / "mtsamples_codes.csv"
RULES = ("DOC003", "DOC004", "DOC005")


def score_real_notes() -> tuple[dict[str, Score], list[str]]:
    with SAMPLE.open(encoding="utf-8", newline="") as handle:
        notes = [row["text"] for row in csv.DictReader(handle)]
    scores = {rule: Score() for rule in RULES}
    wrong = []
    with LABELS.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=1):
            unit = encounter(number, notes[int(row["row"])], (row["code"],))
            got = {f.rule_id for f in findings(unit, RULES)}
            for rule in RULES:
                wanted = row["expected"] == rule
                if rule in got and wanted:
                    scores[rule].true_positive += 1
                elif rule in got:
                    scores[rule].false_positive += 1
                elif wanted:
                    scores[rule].false_negative += 1
            if got != ({row["expected"]} - {"none"}):
                wrong.append(f"{row['row']} {row['code']}: want {row['expected']}, got {got}")
    return scores, wrong


@pytest.mark.skipif(not SAMPLE.exists(), reason="shared real-data notes not present")
def test_real_notes_most_labels_agree() -> None:
    scores, wrong = score_real_notes()
    agreed = 1 - len(wrong) / sum(1 for _ in LABELS.open())
    assert agreed >= 0.8, wrong
    for rule in RULES:
        assert scores[rule].precision >= 0.75, (rule, wrong)


if __name__ == "__main__":
    found, misses = score_real_notes()
    for rule, s in found.items():
        print(f"{rule}: TP {s.true_positive} FP {s.false_positive} FN {s.false_negative} "
              f"precision {s.precision:.3f} recall {s.recall:.3f}")  # fmt: skip
    print("\n".join(misses))
