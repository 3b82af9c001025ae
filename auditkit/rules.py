"""The check API: rule metadata, findings, and the base class every check extends.

A *check* is a class that declares one or more *rules* (stable ids from the catalog, or a
plugin's own prefix) and, given one encounter, yields findings for them. Its class docstring
and each rule's metadata are the single source of its documentation: ``auditkit checks
list`` and ``docs/rules.md`` are generated from them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from auditkit.units import EncounterRecord

if TYPE_CHECKING:
    from auditkit.codesets.icd10cm import CodeSets

Severity = Literal["info", "warning", "error"]
Category = Literal[
    "no_documentation",
    "insufficient_documentation",
    "medical_necessity",
    "incorrect_coding",
    "other",
    "privacy",
]
Responsible = Literal["coder", "provider", "user"]

SEVERITIES: tuple[str, ...] = ("info", "warning", "error")
CATEGORIES: tuple[str, ...] = (
    "no_documentation",
    "insufficient_documentation",
    "medical_necessity",
    "incorrect_coding",
    "other",
    "privacy",
)
RESPONSIBLE: tuple[str, ...] = ("coder", "provider", "user")
RULE_ID = re.compile(r"^[A-Z][A-Z0-9]{1,7}\d{3}$")


@dataclass(frozen=True)
class Parameter:
    """A setting of a rule, overridable in the config file under ``[rules.<ID>]``."""

    name: str
    default: Any
    description: str


@dataclass(frozen=True)
class Rule:
    """Metadata of one rule: everything a reader of a finding needs to act on it."""

    id: str
    name: str  # readable symbol, kebab-case, e.g. "invalid-code"
    summary: str  # one line: what the rule flags
    severity: Severity
    category: Category
    responsible: Responsible
    rationale: str  # why it matters
    education_topic: str
    references: tuple[str, ...] = ()
    parameters: tuple[Parameter, ...] = ()

    def problems(self) -> list[str]:
        """Metadata mistakes; a plugin with any of them is refused at registration."""
        found = []
        if not RULE_ID.match(self.id):
            found.append(f"rule id {self.id!r} is not PREFIX + three digits")
        if self.severity not in SEVERITIES:
            found.append(f"{self.id}: severity {self.severity!r} not in {SEVERITIES}")
        if self.category not in CATEGORIES:
            found.append(f"{self.id}: category {self.category!r} not in {CATEGORIES}")
        if self.responsible not in RESPONSIBLE:
            found.append(f"{self.id}: responsible {self.responsible!r} not in {RESPONSIBLE}")
        for label in ("name", "summary", "rationale", "education_topic"):
            if not getattr(self, label).strip():
                found.append(f"{self.id}: {label} is empty")
        return found


@dataclass(frozen=True)
class Finding:
    """What a check reports. Severity, category and responsible default to the rule's."""

    rule_id: str
    message: str
    evidence: str | None = None
    line_number: int | None = None
    code: str | None = None
    financial_impact: Decimal | None = None
    severity: Severity | None = None


@dataclass
class CheckContext:
    """What the engine gives a check besides the encounter: settings and reference data."""

    codesets: CodeSets
    parameters: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def parameter(self, rule: Rule, name: str) -> Any:
        for parameter in rule.parameters:
            if parameter.name == name:
                return self.parameters.get(rule.id, {}).get(name, parameter.default)
        raise KeyError(f"{rule.id} declares no parameter {name!r}")


class Check:
    """Base class of every check, built-in or third-party.

    Subclasses set ``rules`` and implement :meth:`check`. The class docstring documents
    the check for users (what it does, why, an example, what to do instead).
    """

    rules: ClassVar[tuple[Rule, ...]] = ()

    def check(self, encounter: EncounterRecord, context: CheckContext) -> Iterable[Finding]:
        raise NotImplementedError

    def run(self, encounter: EncounterRecord, context: CheckContext) -> Iterator[Finding]:
        """Run :meth:`check`, refusing findings for rules the check did not declare."""
        declared = {rule.id for rule in self.rules}
        for finding in self.check(encounter, context):
            if finding.rule_id not in declared:
                raise ValueError(
                    f"{type(self).__name__} reported {finding.rule_id}, which it does not declare"
                )
            yield finding
