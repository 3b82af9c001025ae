"""The enabled checks of a run, and their context: shared by audit runs and risk pre-scans."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Connection

from auditkit.codesets.icd10cm import CodeSets
from auditkit.config import Settings
from auditkit.errors import AuditkitError
from auditkit.plugin_manager import CheckRegistry
from auditkit.rules import Check, CheckContext, Finding, Rule, SetCheck

if TYPE_CHECKING:
    from auditkit.refdata.library import ReferenceLibrary


@dataclass(frozen=True)
class EnabledCheck:
    check: Check
    rules: tuple[Rule, ...]  # the check's rules that the settings leave enabled


@dataclass(frozen=True)
class EnabledSetCheck:
    check: SetCheck
    rules: tuple[Rule, ...]


class CheckSuite:
    """The checks the settings leave enabled, grouped by the unit kind they review."""

    def __init__(self, registry: CheckRegistry, settings: Settings) -> None:
        self.registry = registry
        self.settings = settings
        self.per_unit: dict[str, list[EnabledCheck]] = {}
        self.set_based: list[EnabledSetCheck] = []
        for check_class in registry.checks:
            enabled = tuple(r for r in check_class.rules if r.id not in settings.disabled_rules)
            if not enabled:
                continue
            if issubclass(check_class, SetCheck):
                self.set_based.append(EnabledSetCheck(check_class(), enabled))
            else:
                self.per_unit.setdefault(check_class.unit_kind, []).append(
                    EnabledCheck(check_class(), enabled)
                )
        self.rules: dict[str, Rule] = {
            rule.id: rule
            for entries in (*self.per_unit.values(), self.set_based)
            for entry in entries
            for rule in entry.rules
        }
        _check_parameters(registry, settings)
        self.codesets = CodeSets()

    @property
    def needs(self) -> tuple[str, ...]:
        """The reference kinds the enabled checks need."""
        found = {
            kind
            for entries in (*self.per_unit.values(), self.set_based)
            for entry in entries
            for kind in entry.check.needs
        }
        return tuple(sorted(found))

    def rules_of_kind(self, unit_kind: str) -> list[Rule]:
        per_unit = [r for entry in self.per_unit.get(unit_kind, ()) for r in entry.rules]
        set_based = [
            r for entry in self.set_based if entry.check.unit_kind == unit_kind for r in entry.rules
        ]
        return per_unit + set_based

    def start(self, connection: Connection) -> tuple[CheckContext, ReferenceLibrary]:
        """The context of one run: settings, and the reference editions on this database."""
        from auditkit.refdata.library import ReferenceLibrary

        library = ReferenceLibrary(connection, self.registry.reference_kinds, self.needs)
        context = CheckContext(
            codesets=self.codesets,
            parameters=self.settings.rule_parameters,
            lookup=library.lookup,
        )
        return context, library

    def evaluate(
        self, unit: object, context: CheckContext, unit_kind: str = "encounter"
    ) -> Iterator[tuple[Rule, Finding]]:
        """Every finding of every enabled per-unit rule on this unit, with its rule."""
        for entry in self.per_unit.get(unit_kind, ()):
            for finding in entry.check.run(unit, context):  # type: ignore[arg-type]
                rule = self.rules.get(finding.rule_id)
                if rule is not None:
                    yield rule, finding


def _check_parameters(registry: CheckRegistry, settings: Settings) -> None:
    """Refuse settings for unknown rules or parameters: a typo must not keep a default."""
    where = settings.source or "settings"
    for rule_id, values in settings.rule_parameters.items():
        entry = registry.rules.get(rule_id)
        if entry is None:
            raise AuditkitError(f"{where}: [rules.{rule_id}] names no installed rule")
        declared = {parameter.name for parameter in entry.rule.parameters}
        unknown = sorted(set(values) - declared)
        if unknown:
            raise AuditkitError(
                f"{where}: [rules.{rule_id}] has unknown parameter(s) {', '.join(unknown)}; "
                f"{rule_id} takes {', '.join(sorted(declared)) or 'none'}"
            )
