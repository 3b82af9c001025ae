"""The MOD rules against the generator's ground truth, through the real pipeline
(``benchmarks/check_quality.py --modifiers``: generate with every MOD error and hard
negatives, import, load the fixtures, audit every encounter): precision and recall of
every rule at least 0.95. The numbers measured are printed (``pytest -s``)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARK = Path(__file__).resolve().parents[3] / "benchmarks" / "check_quality.py"
FLOOR = 0.95


def _benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_quality", BENCHMARK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_modifier_rules_meet_the_floor_on_synthetic_data(tmp_path: Path) -> None:
    pytest.importorskip("synthetic_data.generate", reason="synthetic generator not installed")
    scores = _benchmark().measure_modifiers(tmp_path, 800, 13)
    assert len(scores) == 9
    for score in scores:
        assert score.true_positive >= 5, score
        assert score.precision is not None and score.precision >= FLOOR, score
        assert score.recall is not None and score.recall >= FLOOR, score
