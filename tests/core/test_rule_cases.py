"""Every registered rule's pass/fail cases, found through the registry (never from a list of
ids), run through the public helper plugin authors use. A new rule is one file plus its
cases: a rule without a case file, or with too few cases of either kind, fails here."""

from __future__ import annotations

import pytest

from auditkit.plugin_manager import build_registry, new_plugin_manager
from auditkit.testing import RuleCase, load_rule_cases, registered_case_files, run_rule_case

REGISTRY = build_registry(new_plugin_manager(load_entry_points=False))
FILES = registered_case_files(REGISTRY)
CASES = [case for path in FILES.values() if path.exists() for case in load_rule_cases(path)]
MINIMUM = 5  # pass cases and fail cases, each


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_case(case: RuleCase) -> None:
    run_rule_case(case, REGISTRY.rules[case.rule_id].check())


@pytest.mark.parametrize("rule_id", sorted(FILES))
def test_every_rule_has_a_case_file_with_enough_cases_of_both_kinds(rule_id: str) -> None:
    path = FILES[rule_id]
    assert path.exists(), f"{rule_id} has no case file at {path}"
    cases = [case for case in CASES if case.rule_id == rule_id]
    assert all(case.rule_id == rule_id for case in load_rule_cases(path))
    assert sum(case.outcome == "pass" for case in cases) >= MINIMUM
    assert sum(case.outcome == "fail" for case in cases) >= MINIMUM
