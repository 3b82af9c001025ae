"""The plugin system: outside plugins arrive through the `auditkit` entry-point group."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from auditkit.plugin_manager import CheckRegistry, PluginError, build_registry, new_plugin_manager
from auditkit.rules import Check, Rule


def test_builtin_checks_register_through_the_hooks() -> None:
    registry = build_registry(new_plugin_manager(load_entry_points=False))
    assert {f"SPC00{i}" for i in range(1, 7)} <= set(registry.rules)
    assert all(entry.plugin == "auditkit.plugins.specificity" for entry in registry.rules.values())


def test_outside_plugin_rule_appears_in_checks_list(outside_plugin: str) -> None:
    from auditkit.cli import main

    result = CliRunner().invoke(main, ["checks", "list", "--json"])
    assert result.exit_code == 0, result.output
    rules = {entry["rule_id"]: entry for entry in json.loads(result.output)}
    assert rules[outside_plugin]["plugin"] == "acme"
    assert rules[outside_plugin]["name"] == "big-charge"
    assert "SPC001" in rules


def _rule(rule_id: str, **overrides: str) -> Rule:
    values = {
        "id": rule_id,
        "name": "x",
        "summary": "x",
        "severity": "error",
        "category": "other",
        "responsible": "coder",
        "rationale": "x",
        "education_topic": "x",
    }
    values.update(overrides)
    return Rule(**values)  # type: ignore[arg-type]


def test_duplicate_rule_ids_are_refused() -> None:
    class First(Check):
        rules = (_rule("DUP001"),)

    class Second(Check):
        rules = (_rule("DUP001"),)

    registry = CheckRegistry()
    registry.add(First, "one")
    with pytest.raises(PluginError, match="DUP001 is already declared by one"):
        registry.add(Second, "two")


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"severity": "fatal"}, "severity"),
        ({"category": "coding"}, "category"),
        ({"responsible": "nurse"}, "responsible"),
        ({"rationale": " "}, "rationale is empty"),
    ],
)
def test_incomplete_metadata_is_refused(overrides: dict[str, str], message: str) -> None:
    class Bad(Check):
        rules = (_rule("BAD001", **overrides),)

    with pytest.raises(PluginError, match=message):
        CheckRegistry().add(Bad, "bad")


def test_bad_rule_id_is_refused() -> None:
    class Bad(Check):
        rules = (_rule("lowercase1"),)

    with pytest.raises(PluginError, match="not PREFIX"):
        CheckRegistry().add(Bad, "bad")
