"""One small generated organisation shared by the tests (generation costs ~1 s)."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from synthetic_data.generate import GenerationResult, generate
from synthetic_data.rules import SPECIFICITY_RULES

HIGH_RATES = {rule: 0.1 for rule in SPECIFICITY_RULES}


@dataclass
class Dataset:
    """A generated output directory, read back as plain CSV rows."""

    result: GenerationResult
    claims: list[dict[str, str]]
    notes: dict[str, dict[str, str]]
    truth: dict[str, list[dict[str, str]]]
    manifest: dict

    def encounters(self) -> dict[str, list[dict[str, str]]]:
        """Claim lines grouped by encounter, in file order."""
        grouped: dict[str, list[dict[str, str]]] = defaultdict(list)
        for row in self.claims:
            grouped[row["encounter_id"]].append(row)
        return grouped


def read_dataset(result: GenerationResult) -> Dataset:
    with result.claims.open(newline="", encoding="utf-8") as handle:
        claims = list(csv.DictReader(handle))
    with result.notes.open(newline="", encoding="utf-8") as handle:
        notes = {row["encounter_id"]: row for row in csv.DictReader(handle)}
    truth: dict[str, list[dict[str, str]]] = defaultdict(list)
    with result.ground_truth.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            truth[row["encounter_id"]].append(row)
    manifest = json.loads(result.manifest.read_text())
    return Dataset(result, claims, notes, dict(truth), manifest)


@pytest.fixture(scope="session")
def reader() -> Callable[[GenerationResult], Dataset]:
    """Read a generation result back (for tests that generate their own data)."""
    return read_dataset


@pytest.fixture(scope="session")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    """1,500 encounters with every specificity error at 10%."""
    out: Path = tmp_path_factory.mktemp("synthetic")
    return read_dataset(generate(out, encounters=1500, seed=11, error_rates=HIGH_RATES))
