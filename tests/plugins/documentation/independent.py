"""Scoring the DOC rules on the hand-labelled, independently written sets in ``data/``.

The notes there were written by hand for these tests, in phrasings the synthetic
generator never uses (abbreviations, "Impression:", "c/w", "concerning for", "presumed",
"declined", outside-lab orders …), and labelled with what a careful coder would decide.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from auditkit.codesets import CodeSets, undotted
from auditkit.plugins import family_checks
from auditkit.rules import Check, CheckContext, Finding
from auditkit.units import (
    DiagnosisRecord,
    EncounterRecord,
    LineRecord,
    NoteRecord,
    PatientRecord,
)

CHECKS = family_checks("auditkit.plugins.documentation")

DATA = Path(__file__).parent / "data"
CONTEXT = CheckContext(codesets=CodeSets())


@dataclass
class Score:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positive + self.false_negative
        return self.true_positive / wanted if wanted else 1.0


def rows(name: str) -> Iterator[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def encounter(
    number: int, note: str, dx: tuple[str, ...] = ("R69",), lines: tuple[str, ...] = ()
) -> EncounterRecord:
    return EncounterRecord(
        id=number,
        key=str(number),
        date_of_service=dt.date(2026, 3, 2),
        patient=PatientRecord(mrn="x", sex="F", dob=dt.date(1962, 5, 1)),
        provider_npi="1234567893",
        coder_key="c",
        diagnoses=tuple(DiagnosisRecord(i, undotted(c)) for i, c in enumerate(dx, start=1)),
        lines=tuple(
            LineRecord(i, code, (), 1, "A", Decimal("100.00")) for i, code in enumerate(lines, 1)
        ),
        note=NoteRecord(note),
        place_of_service="11",
    )


def findings(unit: EncounterRecord, rule_ids: tuple[str, ...]) -> list[Finding]:
    found = []
    for check in CHECKS:
        if issubclass(check, Check) and any(rule.id in rule_ids for rule in check.rules):
            found += [f for f in check().run(unit, CONTEXT) if f.rule_id in rule_ids]
    return found


def score_diagnoses() -> dict[str, Score]:
    """DOC003/DOC004/DOC005: each row's code should draw the expected rule's finding (or
    none); any other DOC rule's finding on it is a false positive of that rule."""
    rules = ("DOC003", "DOC004", "DOC005")
    scores = {rule: Score() for rule in rules}
    for row in rows("diagnoses_independent.csv"):
        unit = encounter(int(row["id"]), row["note_text"], (row["code"],))
        got = {f.rule_id for f in findings(unit, rules)}
        wanted = row["expected"]
        for rule in rules:
            if rule in got and rule == wanted:
                scores[rule].true_positive += 1
            elif rule in got:
                scores[rule].false_positive += 1
                scores[rule].misses.append(f"FP row {row['id']}")
            elif rule == wanted:
                scores[rule].false_negative += 1
                scores[rule].misses.append(f"FN row {row['id']}")
    return scores


def score_levels() -> dict[str, Score]:
    """DOC001/DOC002: the finding must propose the labelled level."""
    scores = {"DOC001": Score(), "DOC002": Score()}
    for row in rows("em_independent.csv"):
        unit = encounter(int(row["id"]), row["note_text"], ("I10",), (row["billed"],))
        got = findings(unit, ("DOC001", "DOC002"))
        wanted = row["expected_audited"]
        rule = None
        if wanted != "none":
            family = "0" if wanted.startswith("992") and wanted[3] == "0" else "1"
            rule = "DOC001" if (wanted[4] < row["billed"][4]) == (family in "01") else "DOC002"
        for finding in got:
            if finding.rule_id == rule and finding.audited == wanted:
                scores[finding.rule_id].true_positive += 1
            else:
                scores[finding.rule_id].false_positive += 1
                scores[finding.rule_id].misses.append(f"FP row {row['id']}")
        if rule and not any(f.rule_id == rule and f.audited == wanted for f in got):
            scores[rule].false_negative += 1
            scores[rule].misses.append(f"FN row {row['id']}")
    return scores


def score_services() -> dict[str, Score]:
    score = Score()
    for row in rows("services_independent.csv"):
        unit = encounter(int(row["id"]), row["note_text"], ("R69",), (row["code"],))
        flagged = bool(findings(unit, ("DOC006",)))
        wanted = row["expected"] == "DOC006"
        if flagged and wanted:
            score.true_positive += 1
        elif flagged:
            score.false_positive += 1
            score.misses.append(f"FP row {row['id']}")
        elif wanted:
            score.false_negative += 1
            score.misses.append(f"FN row {row['id']}")
    return {"DOC006": score}


if __name__ == "__main__":
    for scores in (score_levels(), score_diagnoses(), score_services()):
        for rule, s in scores.items():
            print(
                f"{rule}: TP {s.true_positive} FP {s.false_positive} FN {s.false_negative} "
                f"precision {s.precision:.3f} recall {s.recall:.3f} {s.misses}"
            )
