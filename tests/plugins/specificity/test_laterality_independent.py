"""SPC003 measured on an independently written, labelled set of notes.

``data/laterality_independent.csv`` holds notes written by hand in varied clinical
phrasings (abbreviations, "bilateral"/"both", "L knee", OD/OS/OU, negations, the side in
another sentence, sides of other body parts, "left" as a verb, handedness), each with an
unspecified-side code and the side a careful coder would read from it, or ``none``.
Rows 1-68 were written before the note reader and then used while developing it; rows
69-98 were written afterwards and first run as a blind held-out set.

A true positive is a finding whose suggestion is the code of the labelled side; a finding
on a ``none`` row, or one suggesting the wrong side, is a false positive; a missed side
is a false negative.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest

from auditkit.codesets import CodeSets, undotted
from auditkit.plugins.specificity.spc003_unspecified_laterality import UnspecifiedLaterality
from auditkit.rules import CheckContext
from auditkit.units import DiagnosisRecord, EncounterRecord, NoteRecord, PatientRecord, dotted

DATA = Path(__file__).parent / "data" / "laterality_independent.csv"
DEVELOPMENT_ROWS = 68


@dataclass
class Score:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positive + self.false_negative
        return self.true_positive / wanted if wanted else 1.0


def _encounter(number: int, code: str, note: str) -> EncounterRecord:
    return EncounterRecord(
        id=number,
        key=str(number),
        date_of_service=dt.date(2026, 2, 1),
        patient=PatientRecord(mrn="x", sex="F", dob=dt.date(1960, 1, 1)),
        provider_npi="1234567893",
        coder_key="c",
        diagnoses=(DiagnosisRecord(1, undotted(code)),),
        note=NoteRecord(note),
    )


def _score(rows: list[dict[str, str]]) -> tuple[Score, list[str]]:
    context = CheckContext(codesets=CodeSets())
    release = context.codesets.for_date(dt.date(2026, 2, 1)).release
    check = UnspecifiedLaterality()
    score, misses = Score(), []
    for row in rows:
        code, expected = undotted(row["code"]), row["expected_side"]
        alternatives = release.side_alternatives(code)
        assert alternatives is not None, f"row {row['id']}: {code} is not an unspecified-side code"
        findings = list(check.run(_encounter(int(row["id"]), code, row["note_text"]), context))
        wanted = ()
        if expected != "none":
            wanted = alternatives.for_side(expected)  # type: ignore[arg-type]
        if not findings and expected == "none":
            continue
        if findings and wanted and all(dotted(c) in findings[0].message for c in wanted):
            score.true_positive += 1
            continue
        if findings:
            score.false_positive += 1
        if expected != "none":
            score.false_negative += 1
        got = findings[0].message if findings else "no finding"
        misses.append(f"row {row['id']} expected {expected}: {got}")
    return score, misses


def _rows() -> list[dict[str, str]]:
    with DATA.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_set_is_large_and_varied() -> None:
    rows = _rows()
    assert len(rows) >= 40
    sides = {row["expected_side"] for row in rows}
    assert sides == {"right", "left", "bilateral", "none"}
    assert len({row["code"] for row in rows}) >= 20


@pytest.mark.parametrize(
    ("part", "first", "last", "precision_floor", "recall_floor"),
    [
        ("all rows", 1, 10_000, 0.9, 0.85),
        ("held-out rows", DEVELOPMENT_ROWS + 1, 10_000, 0.85, 0.75),
    ],
)
def test_precision_and_recall(
    part: str, first: int, last: int, precision_floor: float, recall_floor: float
) -> None:
    rows = [row for row in _rows() if first <= int(row["id"]) <= last]
    score, misses = _score(rows)
    print(
        f"\nSPC003 on the independent set, {part} (n={len(rows)}): "
        f"precision {score.precision:.2f}, recall {score.recall:.2f} "
        f"(TP {score.true_positive}, FP {score.false_positive}, FN {score.false_negative})"
    )
    print("\n".join(misses))
    assert score.precision >= precision_floor
    assert score.recall >= recall_floor
