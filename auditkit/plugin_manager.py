"""Build the plugin manager and the registry of checks it provides."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from typing import cast

import pluggy

from auditkit import hookspecs
from auditkit.errors import AuditkitError
from auditkit.rules import Check, Rule

# Built-in plugins, registered exactly like third-party ones.
DEFAULT_PLUGINS: tuple[str, ...] = ("auditkit.plugins.specificity",)


class PluginError(AuditkitError):
    """A plugin could not be registered (duplicate rule id, incomplete metadata …)."""


@dataclass(frozen=True)
class RegisteredRule:
    rule: Rule
    check: type[Check]
    plugin: str


class CheckRegistry:
    """All checks of all plugins, with their rules indexed by id."""

    def __init__(self) -> None:
        self.checks: list[type[Check]] = []
        self.rules: dict[str, RegisteredRule] = {}

    def add(self, check: type[Check], plugin: str) -> None:
        if not check.rules:
            raise PluginError(f"plugin {plugin}: check {check.__name__} declares no rules")
        for rule in check.rules:
            problems = rule.problems()
            if problems:
                raise PluginError(f"plugin {plugin}: " + "; ".join(problems))
            if rule.id in self.rules:
                other = self.rules[rule.id]
                raise PluginError(
                    f"plugin {plugin}: rule {rule.id} is already declared by {other.plugin}"
                )
        for rule in check.rules:
            self.rules[rule.id] = RegisteredRule(rule, check, plugin)
        self.checks.append(check)

    def sorted_rules(self) -> list[RegisteredRule]:
        return [self.rules[rule_id] for rule_id in sorted(self.rules)]


def new_plugin_manager(load_entry_points: bool = True) -> pluggy.PluginManager:
    manager = pluggy.PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    for module_name in DEFAULT_PLUGINS:
        manager.register(importlib.import_module(module_name), name=module_name)
    if load_entry_points:
        manager.load_setuptools_entrypoints(hookspecs.PROJECT)
    return manager


def build_registry(manager: pluggy.PluginManager) -> CheckRegistry:
    registry = CheckRegistry()
    # Call each implementation on its own so every check is attributed to its plugin.
    for impl in reversed(manager.hook.auditkit_checks.get_hookimpls()):
        checks = cast(list[type[Check]], impl.function() or [])
        for check in checks:
            registry.add(check, impl.plugin_name)
    return registry


@cache
def plugin_manager() -> pluggy.PluginManager:
    """The process-wide manager (built-ins plus installed entry points)."""
    return new_plugin_manager()


@cache
def registry() -> CheckRegistry:
    return build_registry(plugin_manager())
