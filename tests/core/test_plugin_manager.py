"""The plugin system: outside plugins arrive through the `auditkit` entry-point group."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from auditkit.plugin_manager import CheckRegistry, PluginError, build_registry, new_plugin_manager
from auditkit.rules import Check, Rule
from auditkit.unit_kinds import EncounterKind


def _registry() -> CheckRegistry:
    return CheckRegistry(unit_kinds={"encounter": EncounterKind()})


class _Quiet(Check):
    def check(self, encounter, context):  # type: ignore[no-untyped-def]
        return ()


def test_builtin_checks_register_through_the_hooks() -> None:
    registry = build_registry(new_plugin_manager(load_entry_points=False))
    assert {"SPC001", "SPC006"} <= set(registry.rules)
    assert {entry.plugin for entry in registry.rules.values()} <= {
        "auditkit.plugins.specificity",
        "auditkit.plugins.modifiers",
        "auditkit.plugins.documentation",
        "auditkit.plugins.hipaa_access",
    }
    assert not registry.broken


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
    class First(_Quiet):
        rules = (_rule("DUP001"),)

    class Second(_Quiet):
        rules = (_rule("DUP001"),)

    registry = _registry()
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
    class Bad(_Quiet):
        rules = (_rule("BAD001", **overrides),)

    with pytest.raises(PluginError, match=message):
        _registry().add(Bad, "bad")


def test_bad_rule_id_is_refused() -> None:
    class Bad(_Quiet):
        rules = (_rule("lowercase1"),)

    with pytest.raises(PluginError, match="not PREFIX"):
        _registry().add(Bad, "bad")


def test_a_check_for_an_unknown_unit_kind_or_reference_kind_is_refused() -> None:
    class Elsewhere(_Quiet):
        rules = (_rule("ELS001"),)
        unit_kind = "pharmacy_order"

    class Needy(_Quiet):
        rules = (_rule("NEE001"),)
        needs = ("payer-fee-schedule",)

    with pytest.raises(PluginError, match="unit kind 'pharmacy_order'"):
        _registry().add(Elsewhere, "x")
    with pytest.raises(PluginError, match="payer-fee-schedule"):
        _registry().add(Needy, "x")


def test_a_check_without_its_method_is_refused() -> None:
    class Empty(Check):
        rules = (_rule("EMP001"),)

    with pytest.raises(PluginError, match=r"does not implement check\(\)"):
        _registry().add(Empty, "x")
