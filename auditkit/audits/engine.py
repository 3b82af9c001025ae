"""Apply the enabled checks to one encounter: shared by audit runs and risk pre-scans."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from auditkit.codesets.icd10cm import CodeSets
from auditkit.config import Settings
from auditkit.errors import AuditkitError
from auditkit.plugin_manager import CheckRegistry
from auditkit.rules import Check, CheckContext, Finding, Rule
from auditkit.units import EncounterRecord


@dataclass(frozen=True)
class EnabledCheck:
    check: Check
    rules: tuple[Rule, ...]  # the check's rules that the settings leave enabled


class Engine:
    """The enabled checks, their context, and the rules they cover."""

    def __init__(self, registry: CheckRegistry, settings: Settings) -> None:
        self.registry = registry
        self.checks = [
            EnabledCheck(check_class(), enabled)
            for check_class in registry.checks
            if (
                enabled := tuple(
                    r for r in check_class.rules if r.id not in settings.disabled_rules
                )
            )
        ]
        self.rules = {rule.id: rule for entry in self.checks for rule in entry.rules}
        _check_parameters(registry, settings)
        self.context = CheckContext(codesets=CodeSets(), parameters=settings.rule_parameters)

    def evaluate(self, encounter: EncounterRecord) -> Iterator[tuple[Rule, Finding]]:
        """Every finding of every enabled rule on this encounter, with its rule."""
        for entry in self.checks:
            for finding in entry.check.run(encounter, self.context):
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
