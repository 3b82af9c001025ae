"""The quality benchmark on a small synthetic generation: per-rule precision/recall floors.

Runs ``benchmarks/check_quality.py`` (generator -> CSVs -> EncounterRecords -> every
registered check) and compares SPC findings with the generator's ground truth at the
(encounter_id, rule_id) level. The floors leave room for generator changes; the numbers
measured are printed (``pytest -s``).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARK = Path(__file__).resolve().parents[3] / "benchmarks" / "check_quality.py"
FLOORS = {  # rule: (precision, recall)
    "SPC001": (0.95, 0.95),
    "SPC002": (0.95, 0.95),
    "SPC003": (0.9, 0.85),
    "SPC004": (0.95, 0.9),
    "SPC005": (0.95, 0.9),
    "SPC006": (0.95, 0.95),
}


def _benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_quality", BENCHMARK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_specificity_rules_meet_their_floors_on_synthetic_data(tmp_path: Path) -> None:
    pytest.importorskip("synthetic_data.generate", reason="synthetic generator not installed")
    scores = {score.rule_id: score for score in _benchmark().measure(tmp_path, 400, 11, "SPC")}
    assert set(scores) == set(FLOORS)
    for rule_id, (precision_floor, recall_floor) in FLOORS.items():
        score = scores[rule_id]
        assert score.true_positive + score.false_negative > 0, f"{rule_id}: nothing injected"
        assert score.precision is not None and score.precision >= precision_floor, rule_id
        assert score.recall is not None and score.recall >= recall_floor, rule_id
