"""Every rule's pass/fail cases (``auditkit/plugins/specificity/cases/*.toml``), run
through the public helper plugin authors use."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditkit.plugins import specificity
from auditkit.testing import RuleCase, load_rule_cases, run_rule_case

CASES_DIR = Path(specificity.__file__).parent / "cases"
RULE_IDS = [f"SPC00{number}" for number in range(1, 7)]
CASES = [case for rule_id in RULE_IDS for case in load_rule_cases(CASES_DIR / f"{rule_id}.toml")]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_case(case: RuleCase) -> None:
    run_rule_case(case)


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_every_rule_has_enough_cases_of_both_kinds(rule_id: str) -> None:
    cases = [case for case in CASES if case.rule_id == rule_id]
    assert sum(case.outcome == "pass" for case in cases) >= 5
    assert sum(case.outcome == "fail" for case in cases) >= 5
