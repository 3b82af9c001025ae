"""Per-rule precision and recall of the registered checks on synthetic data.

Generates an organisation with the project's synthetic generator (which writes the errors
it injected to ``ground_truth.csv``), builds :class:`~auditkit.units.EncounterRecord`\\ s
straight from ``claims.csv`` and ``notes.csv`` (no database), runs every registered check
through the registry, and compares the findings with the ground truth at the level of
(encounter_id, rule_id)::

    python benchmarks/check_quality.py --encounters 2000 --seed 7 [--rules SPC] [--out DIR]

The generator's notes are written from templates, so these numbers say that the checks
find what the generator injects; how the note reading fares on independently written
prose is measured separately (tests/plugins/specificity/test_laterality_independent.py).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from auditkit.codesets import CodeSets, undotted
from auditkit.plugin_manager import CheckRegistry, registry
from auditkit.rules import Check, CheckContext
from auditkit.units import (
    DiagnosisRecord,
    EncounterRecord,
    LineRecord,
    NoteRecord,
    PatientRecord,
)

Key = tuple[str, str]  # (encounter_id, rule_id)


@dataclass
class RuleScore:
    rule_id: str
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0

    @property
    def precision(self) -> float | None:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else None

    @property
    def recall(self) -> float | None:
        wanted = self.true_positive + self.false_negative
        return self.true_positive / wanted if wanted else None


def read_rows(path: Path) -> Iterator[dict[str, str]]:
    """CSV rows with header names trimmed and lower-cased, a BOM accepted (the contract)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            yield {(key or "").strip().lower(): (value or "").strip() for key, value in row.items()}


def _date(value: str) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _timestamp(value: str) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _line(row: dict[str, str]) -> LineRecord:
    return LineRecord(
        line_number=int(row["line_number"]),
        procedure_code=row["procedure_code"],
        modifiers=tuple(row[f"modifier{n}"] for n in range(1, 5) if row.get(f"modifier{n}")),
        units=int(row.get("units") or 1),
        dx_pointers=row.get("dx_pointers") or None,
        charge=Decimal(row.get("charge") or "0"),
        paid_amount=Decimal(row["paid_amount"]) if row.get("paid_amount") else None,
        denial_codes=tuple(code for code in row.get("denial_codes", "").split(";") if code),
    )


def _note(row: dict[str, str]) -> NoteRecord:
    minutes = row.get("total_time_minutes")
    return NoteRecord(
        text=row.get("note_text", ""),
        author_npi=row.get("author_npi") or None,
        signed_at=_timestamp(row.get("signed_at", "")),
        total_time_minutes=int(minutes) if minutes else None,
        mdm_level=row.get("mdm_level") or None,
    )


def load_encounters(claims: Path, notes: Path | None) -> list[EncounterRecord]:
    """One record per encounter of ``claims.csv``, its note joined from ``notes.csv``."""
    notes_by_id = {row["encounter_id"]: _note(row) for row in read_rows(notes)} if notes else {}
    first_rows: dict[str, dict[str, str]] = {}
    lines: dict[str, list[LineRecord]] = defaultdict(list)
    for row in read_rows(claims):
        first_rows.setdefault(row["encounter_id"], row)
        lines[row["encounter_id"]].append(_line(row))
    encounters = []
    for number, (key, row) in enumerate(first_rows.items(), start=1):
        codes = [row[f"dx{n}"] for n in range(1, 13) if row.get(f"dx{n}")]
        encounters.append(
            EncounterRecord(
                id=number,
                key=key,
                date_of_service=dt.date.fromisoformat(row["date_of_service"]),
                patient=PatientRecord(
                    mrn=row["patient_id"],
                    sex=row.get("patient_sex") or None,
                    dob=_date(row.get("patient_dob", "")),
                ),
                provider_npi=row.get("provider_npi", ""),
                coder_key=row.get("coder_id", ""),
                diagnoses=tuple(
                    DiagnosisRecord(position, undotted(code))
                    for position, code in enumerate(codes, start=1)
                ),
                lines=tuple(sorted(lines[key], key=lambda line: line.line_number)),
                note=notes_by_id.get(key),
                place_of_service=row.get("place_of_service") or None,
                department=row.get("department") or None,
                payer=row.get("payer") or None,
            )
        )
    return encounters


def load_truth(path: Path) -> set[Key]:
    return {(row["encounter_id"], row["rule_id"]) for row in read_rows(path)}


def run_checks(
    encounters: Iterable[EncounterRecord], checks: CheckRegistry, context: CheckContext
) -> set[Key]:
    """(encounter, rule) pairs with at least one finding, from every registered check."""
    instances = [check() for check in checks.checks if issubclass(check, Check)]  # per-unit only
    found: set[Key] = set()
    for encounter in encounters:
        for check in instances:
            found.update(
                (encounter.key, finding.rule_id) for finding in check.run(encounter, context)
            )
    return found


def score(found: set[Key], truth: set[Key], rule_ids: Iterable[str]) -> list[RuleScore]:
    scores = []
    for rule_id in sorted(rule_ids):
        mine = {key for key in found if key[1] == rule_id}
        expected = {key for key in truth if key[1] == rule_id}
        scores.append(
            RuleScore(rule_id, len(mine & expected), len(mine - expected), len(expected - mine))
        )
    return scores


def measure(out_dir: Path, encounters: int, seed: int, rule_prefix: str = "") -> list[RuleScore]:
    """Generate, check and score; prints a table and returns the scores."""
    from synthetic_data.generate import generate

    generate(out_dir, encounters=encounters, seed=seed)
    records = load_encounters(out_dir / "claims.csv", out_dir / "notes.csv")
    truth = load_truth(out_dir / "ground_truth.csv")
    checks = registry()
    rule_ids = [rule_id for rule_id in checks.rules if rule_id.startswith(rule_prefix)]
    started = time.perf_counter()
    found = run_checks(records, checks, CheckContext(codesets=CodeSets()))
    seconds = time.perf_counter() - started
    scores = score(found, truth, rule_ids)
    print(f"{len(records)} encounters, seed {seed}, checks ran in {seconds:.1f} s")
    print(f"{'rule':8} {'TP':>5} {'FP':>5} {'FN':>5} {'precision':>10} {'recall':>8}")
    for rule in scores:
        print(
            f"{rule.rule_id:8} {rule.true_positive:5} {rule.false_positive:5} "
            f"{rule.false_negative:5} {_percent(rule.precision):>10} {_percent(rule.recall):>8}"
        )
    return scores


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--encounters", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rules", default="", help="only rule ids with this prefix, e.g. SPC")
    parser.add_argument("--out", type=Path, help="keep the generated files here")
    args = parser.parse_args(argv)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        measure(args.out, args.encounters, args.seed, args.rules)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            measure(Path(tmp), args.encounters, args.seed, args.rules)
    return 0


if __name__ == "__main__":
    sys.exit(main())
