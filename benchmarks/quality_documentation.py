"""Precision and recall of the documentation checks (DOC001-DOC008) on synthetic data.

Generates an organisation with the project's generator and its documentation errors
(``synthetic_data.documentation``: every DOC error type with ground truth, plus hard
negatives), runs the DOC checks on every encounter without a database (DOC007 through the
same function its set-based check runs, over the same ordering), and compares the findings
with the ground truth at the level of (encounter_id, rule_id)::

    python benchmarks/quality_documentation.py --encounters 4000 --seed 11 [--out DIR]

It also reports the hard negatives: how many the generator planted and how many drew a
finding (each one that does is a false positive already counted above).

The generator writes its notes from templates, so these numbers say that the checks find
what the generator plants; independently written notes are measured by
``tests/plugins/documentation/test_independent.py`` (hand-labelled, other phrasings).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from check_quality import (
    RuleScore,
    load_encounters,
    load_truth,
    read_rows,
    score,
)

from auditkit.codesets import CodeSets
from auditkit.plugins import family_checks
from auditkit.plugins.documentation.doc007_cloned_note import RULE as DOC007
from auditkit.plugins.documentation.doc007_cloned_note import cloned_notes
from auditkit.rules import Check, CheckContext
from auditkit.units import EncounterRecord
from synthetic_data.documentation import (
    _UNCERTAIN,
    DEFAULT_DOCUMENTATION_RATES,
)

CHECKS = family_checks("auditkit.plugins.documentation")

Key = tuple[str, str]
# Truth rows of other families that make a code wrong in itself (invalid, non-billable, an
# Excludes1 partner, a sex/age slip): a DOC finding on such a code is explained by them.
_CODE_IS_WRONG = ("SPC001", "SPC002", "SPC004", "SPC006")


def run_documentation_checks(
    encounters: list[EncounterRecord],
    context: CheckContext,
    explained: frozenset[tuple[str, str]] = frozenset(),
) -> tuple[set[Key], float]:
    """(encounter key, rule) pairs with a finding, and the seconds the checks took; a
    finding about an (encounter key, code) in ``explained`` is left out."""
    started = time.perf_counter()
    per_unit = [check() for check in CHECKS if issubclass(check, Check)]
    found: set[Key] = set()
    for encounter in encounters:
        for check in per_unit:
            for f in check.run(encounter, context):
                if (encounter.key, f.code or "") not in explained:
                    found.add((encounter.key, f.rule_id))
    ordered = sorted(encounters, key=lambda e: (e.provider_npi, e.date_of_service, e.id))
    rows = (
        (e.id, e.key, e.date_of_service, e.provider_npi, e.note.text if e.note else None)
        for e in ordered
    )
    threshold = context.parameter(DOC007, "min_similarity")
    min_words = context.parameter(DOC007, "min_words")
    keys = {e.id: e.key for e in encounters}
    for finding in cloned_notes(rows, threshold, min_words, None):
        found.add((keys[finding.encounter_id or 0], finding.rule_id))
    return found, time.perf_counter() - started


def wrong_codes(path: Path) -> frozenset[tuple[str, str]]:
    """(encounter, code) pairs the truth marks wrong in themselves under another rule."""
    return frozenset(
        (row["encounter_id"], row["code"].replace(".", ""))
        for row in read_rows(path)
        if row["rule_id"] in _CODE_IS_WRONG
    )


def hard_negatives(encounters: Iterable[EncounterRecord], truth: set[Key]) -> dict[str, list[str]]:
    """The planted hard negatives, recognised from the data: encounters where a finding of
    the named rule would be wrong."""
    symptoms = {u.symptom.replace(".", ""): u.diagnosis.sentence for u in _UNCERTAIN}
    found: dict[str, list[str]] = {
        "DOC004 symptom coded for a rule-out": [],
        "DOC001/2 99214 by time only": [],
    }
    for e in encounters:
        text = e.note.text if e.note else ""
        if any(d.code in symptoms and symptoms[d.code] in text for d in e.diagnoses):
            found["DOC004 symptom coded for a rule-out"].append(e.key)
        em = e.lines[0].procedure_code if e.lines else ""
        if (
            em == "99214"
            and e.note is not None
            and not e.note.mdm_level
            and "decision making" not in text.lower()
            and "MDM" not in text
            and (e.key, "DOC001") not in truth
            and (e.key, "DOC002") not in truth
        ):
            found["DOC001/2 99214 by time only"].append(e.key)
    return found


def measure(out_dir: Path, encounters: int, seed: int) -> list[RuleScore]:
    from synthetic_data.generate import generate

    generate(
        out_dir, encounters=encounters, seed=seed, documentation_rates=DEFAULT_DOCUMENTATION_RATES
    )
    records = load_encounters(out_dir / "claims.csv", out_dir / "notes.csv")
    truth = {key for key in load_truth(out_dir / "ground_truth.csv") if key[1].startswith("DOC")}
    explained = wrong_codes(out_dir / "ground_truth.csv")
    context = CheckContext(codesets=CodeSets())
    context.codesets.for_date(records[0].date_of_service)  # load the release before timing
    found, seconds = run_documentation_checks(records, context, explained)
    rule_ids = sorted({rule.id for check in CHECKS for rule in check.rules})
    scores = score(found, truth, rule_ids)
    print(f"{len(records)} encounters, seed {seed}: DOC checks ran in {seconds:.1f} s")
    print(f"{'rule':8} {'TP':>5} {'FP':>5} {'FN':>5} {'precision':>10} {'recall':>8}")
    for rule in scores:
        print(
            f"{rule.rule_id:8} {rule.true_positive:5} {rule.false_positive:5} "
            f"{rule.false_negative:5} {_fmt(rule.precision):>10} {_fmt(rule.recall):>8}"
        )
    for kind, keys in hard_negatives(records, truth).items():
        rule_ids_of_kind = ("DOC004",) if kind.startswith("DOC004") else ("DOC001", "DOC002")
        flagged = [k for k in keys if any((k, r) in found for r in rule_ids_of_kind)]
        print(f"hard negatives, {kind}: {len(keys)} planted, {len(flagged)} flagged")
    clean_same_provider = len(records) - len({k for k, r in truth if r == "DOC007"})
    flagged_clones = len(
        {k for k, r in found if r == "DOC007"} - {k for k, r in truth if r == "DOC007"}
    )
    print(
        f"hard negatives, DOC007 other notes of the same provider: {clean_same_provider}, "
        f"{flagged_clones} flagged"
    )
    return scores


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--encounters", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--out", type=Path, help="keep the generated files here")
    args = parser.parse_args(argv)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        measure(args.out, args.encounters, args.seed)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            measure(Path(tmp), args.encounters, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
