"""The MOD part of the generator: errors planted on claim lines with line-level ground
truth, hard negatives, rates, determinism, and SPC-only datasets left without MOD rows.
Whether the checks find exactly what is planted is measured through a real audit run in
tests/plugins/modifiers/test_check_quality.py."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from synthetic_data.encounter import ClaimLine
from synthetic_data.generate import generate
from synthetic_data.modifiers import MOD_RULES, tidy

RATES = {rule: 0.05 for rule in MOD_RULES}


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory, reader):
    out = tmp_path_factory.mktemp("mods")
    return reader(generate(out, encounters=1500, seed=5, error_rates=RATES, hard_negative_rate=0.2))


def test_every_mod_error_is_planted_with_its_line(planted) -> None:
    encounters = planted.encounters()
    counts = Counter()
    for encounter_id, rows in planted.truth.items():
        for row in rows:
            if not row["rule_id"].startswith("MOD"):
                continue
            counts[row["rule_id"]] += 1
            line = encounters[encounter_id][int(row["line_number"]) - 1]
            assert line["line_number"] == row["line_number"]
            assert line["procedure_code"] == row["code"] and row["detail"]
        assert sum(r["rule_id"].startswith("MOD") for r in rows) <= 1  # one scenario each
    for rule in MOD_RULES:  # MOD004 needs a visit without procedures: placed less often
        assert 0.4 * 0.05 * 1500 <= counts[rule] <= 1.3 * 0.05 * 1500, (rule, counts[rule])
    manifest = planted.manifest
    assert manifest["modifier_error_rates"] == RATES
    assert manifest["counts"]["modifier_hard_negatives"] > 50
    assert (
        sum(manifest["counts"]["errors_by_rule"].values())
        == manifest["counts"]["ground_truth_rows"]
    )


def test_one_visit_a_day_per_patient_and_provider(planted) -> None:
    seen = Counter(
        (rows[0]["patient_id"], rows[0]["date_of_service"], rows[0]["provider_npi"])
        for rows in planted.encounters().values()
    )
    assert max(seen.values()) == 1


def test_hard_negatives_appear_clean(planted) -> None:
    modifiers = Counter()
    for encounter_id, rows in planted.encounters().items():
        if encounter_id in planted.truth:
            continue
        for row in rows:
            for n in range(1, 5):
                modifiers[row[f"modifier{n}"]] += 1
    assert modifiers["91"] and modifiers["50"] and modifiers["25"]
    assert modifiers["59"] + modifiers["XU"] > 0  # a distinct modifier that bypasses an edit
    assert modifiers["GA"] == 0 and modifiers["TC"] == 0


def test_same_seed_same_files_with_mod_errors(tmp_path: Path) -> None:
    first = generate(tmp_path / "a", encounters=200, seed=3, error_rates=RATES)
    second = generate(tmp_path / "b", encounters=200, seed=3, error_rates=RATES)
    for name in ("claims.csv", "ground_truth.csv", "manifest.json"):
        assert (first.out_dir / name).read_bytes() == (second.out_dir / name).read_bytes()


def test_mod_errors_are_off_unless_asked(tmp_path: Path, reader) -> None:
    data = reader(generate(tmp_path, encounters=300, seed=9))
    rules = {row["rule_id"] for rows in data.truth.values() for row in rows}
    assert not {rule for rule in rules if rule.startswith("MOD")}
    assert data.manifest["counts"]["modifier_hard_negatives"] == 0


def test_bad_mod_rates_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        generate(tmp_path, encounters=10, error_rates={"MOD001": 2.0})
    with pytest.raises(ValueError):
        generate(tmp_path, encounters=10, hard_negative_rate=-0.1)


def test_tidy_bills_as_the_edits_require() -> None:
    day = date(2026, 5, 4)
    lines = [
        ClaimLine("99213", (), 1, -1),
        ClaimLine("20610", ("RT",), 3, 0),
        ClaimLine("96372", (), 1, 1),
        ClaimLine("36415", (), 1, 1),
        ClaimLine("36415", (), 1, 2),
        ClaimLine("J1030", (), 1, 0),
        ClaimLine("J1030", (), 1, 1),
    ]
    tidied = {line.code: line for line in tidy(lines, day)}
    assert tidied["99213"].modifiers == ("25",)  # beside a minor procedure
    assert tidied["20610"].units == 2  # the line MUE
    assert tidied["96372"].modifiers == ("59",)  # column 2 of 20610/96372
    assert "36415" not in tidied  # bundled into 99213 from 2026
    assert tidied["J1030"].units == 2  # one drug line
    assert (
        tidy([ClaimLine("99212", ("25",), 1, -1), ClaimLine("83036", (), 1, 0)], day)[0].modifiers
        == ()
    )
