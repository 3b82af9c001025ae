"""The specificity plugin registers its checks with complete metadata and documentation."""

from __future__ import annotations

import re

import pytest

from auditkit.plugin_manager import build_registry, new_plugin_manager
from auditkit.plugins import family_checks
from auditkit.rules import Check

CHECKS = family_checks("auditkit.plugins.specificity")
DOC_SECTIONS = ("## What it does", "## Why it matters", "## Example", "## Use instead")


def test_the_hook_registers_spc001_to_spc006() -> None:
    registry = build_registry(new_plugin_manager(load_entry_points=False))
    spc = [rule_id for rule_id in registry.rules if rule_id.startswith("SPC")]
    assert sorted(spc) == [f"SPC00{number}" for number in range(1, 7)]
    assert {registry.rules[rule_id].plugin for rule_id in spc} == {"auditkit.plugins.specificity"}


@pytest.mark.parametrize("check", CHECKS, ids=lambda check: check.__name__)
def test_each_check_declares_one_complete_rule(check: type[Check]) -> None:
    (rule,) = check.rules
    assert rule.problems() == []
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name)
    assert rule.category == "incorrect_coding" and rule.responsible == "coder"
    assert rule.references
    assert check.__module__.rsplit(".", 1)[-1].startswith(rule.id.lower() + "_")


@pytest.mark.parametrize("check", CHECKS, ids=lambda check: check.__name__)
def test_each_check_documents_itself(check: type[Check]) -> None:
    doc = check.__doc__ or ""
    positions = [doc.find(section) for section in DOC_SECTIONS]
    assert all(position >= 0 for position in positions), f"{check.__name__} lacks a section"
    assert positions == sorted(positions)
