"""The public rule-case helper in :mod:`auditkit.testing`: what plugin authors rely on."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditkit.testing import load_rule_cases, run_rule_cases

CASE_FILE = """
rule = "SPC001"
[defaults]
dos = "2026-01-15"
[[pass]]
name = "valid"
dx = ["E11.9"]
[[fail]]
name = "invalid"
dx = ["E11.99"]
codes = ["E11.99"]
message_contains = "E11.99"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "cases.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_case_file_runs_and_counts(tmp_path: Path) -> None:
    assert run_rule_cases(write(tmp_path, CASE_FILE)) == 2


def test_cases_carry_the_encounter(tmp_path: Path) -> None:
    passing, failing = load_rule_cases(write(tmp_path, CASE_FILE))
    assert passing.outcome == "pass" and passing.encounter.codes == ("E119",)
    assert failing.codes == ("E1199",) and failing.message_contains == ("E11.99",)


def test_a_wrong_expectation_fails_with_the_findings_shown(tmp_path: Path) -> None:
    wrong = CASE_FILE.replace('dx = ["E11.9"]', 'dx = ["E11.999"]')
    with pytest.raises(AssertionError, match=r"(?s)1 of 2 case\(s\) failed.*E11\.999"):
        run_rule_cases(write(tmp_path, wrong))


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('[[pass]]\nname = "x"\ndx = []', "missing top-level"),
        ('rule = "SPC001"\n[[pass]]\nname = "x"\ndx = []\nnotes = "typo"', "unknown key"),
        ('rule = "SPC001"\n[[fail]]\ndx = ["E11.9"]', "'name' and 'dx' are required"),
    ],
)
def test_malformed_case_files_are_refused(tmp_path: Path, text: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        load_rule_cases(write(tmp_path, text))
