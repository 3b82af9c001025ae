"""The DOC rules inside a real audit run (SQLite, and PostgreSQL when configured): the
generator's planted errors come back as findings, DOC007 runs set-based over the period and
reports only sampled encounters, and findings carry coded/audited values and dollars."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditkit.cli import main
from synthetic_data.documentation import DEFAULT_DOCUMENTATION_RATES
from synthetic_data.generate import generate

RATES = {**DEFAULT_DOCUMENTATION_RATES, "DOC007": 0.15}


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("org")
    return generate(out, encounters=300, seed=23, documentation_rates=RATES).out_dir


def ok(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def truth(data: Path, rule: str) -> set[str]:
    with (data / "ground_truth.csv").open(newline="") as handle:
        return {row["encounter_id"] for row in csv.DictReader(handle) if row["rule_id"] == rule}


def run(database_url: str, data: Path, *sample: str) -> list[dict]:
    db = ("--database", database_url)
    ok("init", *db)
    ok("import", "claims", str(data / "claims.csv"), "--notes", str(data / "notes.csv"), *db)
    ok("audit", "create", "a", "--from", "2026-04-01", "--to", "2026-09-30", *db)
    ok("sample", "draw", "a", *sample, *db)
    ok("audit", "run", "a", *db)
    return json.loads(ok("findings", "export", "a", "--format", "json", *db))


def _encounters(findings: list[dict], rule: str) -> set[str]:
    return {f["encounter_id"] for f in findings if f["rule_id"] == rule}


def test_every_planted_documentation_error_is_found(database_url: str, data: Path) -> None:
    findings = run(database_url, data, "--method", "all")
    for rule in ("DOC001", "DOC002", "DOC004", "DOC005", "DOC006", "DOC007", "DOC008"):
        assert _encounters(findings, rule) == truth(data, rule), rule
    assert truth(data, "DOC007")
    cloned = [f for f in findings if f["rule_id"] == "DOC007"]
    assert all(f["responsible"] == "provider" for f in cloned)
    over = [f for f in findings if f["rule_id"] == "DOC001"]
    assert over and all(
        f["coded"] != f["audited"] and float(f["financial_impact"]) > 0 for f in over
    )
    under = [f for f in findings if f["rule_id"] == "DOC002"]
    assert under and all(float(f["financial_impact"]) < 0 for f in under)


def test_cloned_notes_are_reported_for_sampled_encounters_only(
    database_url: str, data: Path
) -> None:
    findings = run(database_url, data, "--method", "random", "--size", "120", "--seed", "3")
    found = _encounters(findings, "DOC007")
    assert found < truth(data, "DOC007")  # a strict part: the others were not sampled
    assert found  # some clones are in a sample of 40% of the period
