"""Build the plugin manager and the registry of what the plugins provide.

The registry holds every plugin's unit kinds, reference kinds and checks (with their rules
indexed by id), the plugins' versions, and the plugins that were skipped because they are
broken. A broken plugin never breaks auditkit: it is reported once, with the error, and
everything it provided is left out.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from typing import Any

import pluggy

from auditkit import __version__, hookspecs
from auditkit.errors import AuditkitError
from auditkit.rules import Check, Rule, SetCheck
from auditkit.unit_kinds import UnitKind

# Built-in plugins, registered exactly like third-party ones.
DEFAULT_PLUGINS: tuple[str, ...] = (
    "auditkit.builtin",
    "auditkit.plugins.specificity",
    "auditkit.plugins.modifiers",
    "auditkit.plugins.documentation",
    "auditkit.plugins.hipaa_access",
)

AnyCheck = type[Check] | type[SetCheck]


class PluginError(AuditkitError):
    """A plugin could not be registered (duplicate rule id, incomplete metadata …)."""


@dataclass(frozen=True)
class RegisteredRule:
    rule: Rule
    check: AnyCheck
    plugin: str


@dataclass(frozen=True)
class BrokenPlugin:
    name: str
    error: str


@dataclass
class CheckRegistry:
    """All checks of all working plugins, their rules by id, and the kinds they use."""

    checks: list[AnyCheck] = field(default_factory=list)
    rules: dict[str, RegisteredRule] = field(default_factory=dict)
    unit_kinds: dict[str, UnitKind] = field(default_factory=dict)
    reference_kinds: dict[str, Any] = field(default_factory=dict)  # name -> RefdataKind
    versions: dict[str, str] = field(default_factory=dict)
    broken: list[BrokenPlugin] = field(default_factory=list)

    def add(self, check: AnyCheck, plugin: str) -> None:
        """Add one check, or raise :class:`PluginError` saying what is wrong with it."""
        for problem in self._problems(check):
            raise PluginError(f"plugin {plugin}: check {check.__name__}: {problem}")
        for rule in check.rules:
            problems = rule.problems()
            if problems:
                raise PluginError(f"plugin {plugin}: " + "; ".join(problems))
            if rule.id in self.rules:
                other = self.rules[rule.id]
                raise PluginError(
                    f"plugin {plugin}: rule {rule.id} is already declared by {other.plugin}"
                )
        ids = [rule.id for rule in check.rules]
        if len(set(ids)) != len(ids):
            raise PluginError(f"plugin {plugin}: check {check.__name__} declares a rule twice")
        for rule in check.rules:
            self.rules[rule.id] = RegisteredRule(rule, check, plugin)
        self.checks.append(check)

    def _problems(self, check: AnyCheck) -> Iterable[str]:
        per_unit = isinstance(check, type) and issubclass(check, Check)
        set_based = isinstance(check, type) and issubclass(check, SetCheck)
        if not (per_unit or set_based):
            yield "is not a subclass of auditkit.rules.Check or SetCheck"
            return
        if not check.rules:
            yield "declares no rules"
        method = "check" if per_unit else "check_set"
        base = Check if per_unit else SetCheck
        if getattr(check, method) is getattr(base, method):
            yield f"does not implement {method}()"
        if check.unit_kind not in self.unit_kinds:
            yield f"reviews unit kind {check.unit_kind!r}, which no plugin registers"
        missing = [kind for kind in check.needs if kind not in self.reference_kinds]
        if missing:
            yield f"needs reference kind(s) {missing}, which no plugin registers"

    def sorted_rules(self) -> list[RegisteredRule]:
        return [self.rules[rule_id] for rule_id in sorted(self.rules)]

    def plugin_of(self, rule_id: str) -> str:
        return self.rules[rule_id].plugin


def _entry_point_plugins(manager: pluggy.PluginManager, registry: CheckRegistry) -> None:
    """Register each installed plugin on its own, so one that fails to import is skipped."""
    for entry_point in metadata.entry_points(group=hookspecs.PROJECT):
        if manager.get_plugin(entry_point.name) is not None:
            continue
        try:
            plugin = entry_point.load()
            manager.register(plugin, name=entry_point.name)
        except Exception as exc:  # a plugin's own bug, whatever it is, must not stop auditkit
            registry.broken.append(BrokenPlugin(entry_point.name, _describe(exc)))
            continue
        dist = entry_point.dist
        registry.versions[entry_point.name] = (
            f"{dist.name} {dist.version}" if dist is not None else "unknown"
        )


def _describe(exc: BaseException) -> str:
    return f"{exc.__class__.__name__}: {exc}".strip().rstrip(":")


def _call(manager: pluggy.PluginManager, hook: str, name: str) -> list[Any]:
    """One plugin's answer to a registration hook, as a list."""
    for impl in getattr(manager.hook, hook).get_hookimpls():
        if impl.plugin_name == name:
            return list(impl.function() or [])
    return []


def new_plugin_manager(load_entry_points: bool = True) -> pluggy.PluginManager:
    """The manager with the built-in plugins (and installed ones); see :func:`registry`."""
    manager, _ = _build(load_entry_points)
    return manager


def build_registry(manager: pluggy.PluginManager) -> CheckRegistry:
    """The registry of the plugins registered on ``manager``; broken ones are skipped."""
    registry = CheckRegistry()
    for name, _ in manager.list_name_plugin():
        registry.versions.setdefault(name, f"auditkit {__version__}")
    _register_contributions(manager, registry)
    return registry


def _build(load_entry_points: bool) -> tuple[pluggy.PluginManager, CheckRegistry]:
    manager = pluggy.PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    registry = CheckRegistry()
    for module_name in DEFAULT_PLUGINS:
        manager.register(importlib.import_module(module_name), name=module_name)
        registry.versions[module_name] = f"auditkit {__version__}"
    if load_entry_points:
        _entry_point_plugins(manager, registry)
    return manager, registry


def _register_contributions(manager: pluggy.PluginManager, registry: CheckRegistry) -> None:
    """Kinds first (a plugin's checks may use another plugin's kinds), then checks.

    A plugin with an unknown hook or any failing contribution is unregistered and reported.
    """
    names = [name for name, _ in manager.list_name_plugin()]
    for name in names:
        unknown = [
            caller.name
            for caller in manager.get_hookcallers(manager.get_plugin(name)) or ()
            if not caller.has_spec()
        ]
        if unknown:
            _skip(manager, registry, name, f"implements unknown hook(s) {', '.join(unknown)}")
    steps: tuple[tuple[str, Callable[[Any, str], None]], ...] = (
        ("auditkit_unit_kinds", lambda kind, name: _add_kind(registry.unit_kinds, kind, name)),
        (
            "auditkit_reference_kinds",
            lambda kind, name: _add_kind(registry.reference_kinds, kind, name),
        ),
        ("auditkit_checks", lambda check, name: registry.add(check, name)),
    )
    for hook, add in steps:
        for name in [n for n, _ in manager.list_name_plugin()]:
            snapshot = _snapshot(registry)
            try:
                for item in _call(manager, hook, name):
                    add(item, name)
            except Exception as exc:
                _restore(registry, snapshot)
                _skip(manager, registry, name, _describe(exc))


def _add_kind(kinds: dict[str, Any], kind: Any, plugin: str) -> None:
    name = getattr(kind, "name", "")
    if not name:
        raise PluginError(f"plugin {plugin}: a kind without a name ({kind!r})")
    if name in kinds:
        raise PluginError(f"plugin {plugin}: kind {name!r} is already registered")
    kinds[name] = kind


def _snapshot(registry: CheckRegistry) -> tuple[Any, ...]:
    return (
        list(registry.checks),
        dict(registry.rules),
        dict(registry.unit_kinds),
        dict(registry.reference_kinds),
    )


def _restore(registry: CheckRegistry, snapshot: tuple[Any, ...]) -> None:
    registry.checks, registry.rules, registry.unit_kinds, registry.reference_kinds = snapshot


def _skip(manager: pluggy.PluginManager, registry: CheckRegistry, name: str, error: str) -> None:
    if name in DEFAULT_PLUGINS:  # auditkit's own plugins must work; fail loudly
        raise PluginError(f"built-in plugin {name}: {error}")
    manager.unregister(name=name)
    registry.versions.pop(name, None)
    registry.broken.append(BrokenPlugin(name, error))


@cache
def _loaded() -> tuple[pluggy.PluginManager, CheckRegistry]:
    """The plugins registered (built-ins, then entry points that import), not yet asked for
    their checks and kinds: enough to add plugins' commands to the CLI."""
    return _build(load_entry_points=True)


@cache
def _registered() -> CheckRegistry:
    manager, registry = _loaded()
    _register_contributions(manager, registry)
    return registry


def plugin_manager() -> pluggy.PluginManager:
    """The process-wide manager (built-ins plus installed entry points that work)."""
    manager, _ = _loaded()
    _registered()  # skips broken plugins before anyone calls their hooks
    return manager


def loaded_plugin_manager() -> pluggy.PluginManager:
    """The manager before the plugins' checks and kinds are built: for adding commands
    (``auditkit --help`` stays quick). Broken plugins are not yet skipped here."""
    return _loaded()[0]


def registry() -> CheckRegistry:
    """The process-wide registry; ``registry().broken`` lists the plugins skipped."""
    return _registered()


def reset() -> None:
    """Forget the process-wide manager and registry (tests that install plugins use it)."""
    _loaded.cache_clear()
    _registered.cache_clear()
