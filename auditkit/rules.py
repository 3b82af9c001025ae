"""The check API: rule metadata, findings, and the two kinds of check.

A *check* is a class that declares one or more *rules* (stable ids from the catalog, or a
plugin's own prefix) and yields findings for them. Its class docstring and each rule's
metadata are the single source of its documentation: ``auditkit checks list`` and
``docs/rules.md`` are generated from them.

Two kinds of check:

* :class:`Check` looks at one unit under review at a time (an encounter with its lines,
  note and the patient's other encounters that day); the engine loads the units in batches.
* :class:`SetCheck` runs set-based SQL over the whole audit period through SQLAlchemy (access
  review, cross-encounter rules): no Python loop over millions of rows.

Both declare the unit kind they review and the reference data they need; the engine hands
them, through :class:`CheckContext`, the edition in effect on each unit's date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Protocol

from auditkit.units import EncounterRecord

if TYPE_CHECKING:
    import datetime as dt

    from sqlalchemy import Connection

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
# The parts of a unit a rule examines. A part no enabled rule examines is "not reviewed" in
# the scores, never a pass.
Component = Literal["diagnoses", "lines", "note", "event"]

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
COMPONENTS: tuple[str, ...] = ("diagnoses", "lines", "note", "event")
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
    examines: tuple[Component, ...] = ("diagnoses",)

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
        odd = [part for part in self.examines if part not in COMPONENTS]
        if odd or not self.examines:
            found.append(f"{self.id}: examines {odd or '()'} not within {COMPONENTS}")
        for label in ("name", "summary", "rationale", "education_topic"):
            if not getattr(self, label).strip():
                found.append(f"{self.id}: {label} is empty")
        return found


@dataclass(frozen=True)
class Finding:
    """What a check reports. Severity, category and responsible come from the rule.

    ``coded`` is the value as coded (code, modifier, units, E/M level) and ``audited`` the
    value the check proposes, where it can propose one. ``financial_impact`` is signed:
    positive where the claim was overpaid, negative where underpaid.

    A per-unit :class:`Check` leaves the unit's keys empty (the engine fills them from the
    unit); a :class:`SetCheck` names its unit: ``encounter_id`` (the internal id) or
    ``event_id``, and ``user_id`` / ``patient_id`` / ``event_time`` where they apply.
    ``person_id`` overrides whom the finding counts against (else the rule's responsible
    person on the unit).
    """

    rule_id: str
    message: str
    evidence: str | None = None
    line_number: int | None = None
    code: str | None = None
    financial_impact: Decimal | None = None
    severity: Severity | None = None
    coded: str | None = None
    audited: str | None = None
    encounter_id: int | None = None
    event_id: str | None = None
    user_id: str | None = None
    patient_id: str | None = None
    event_time: dt.datetime | None = None
    person_id: str | None = None


class ReferenceLookup(Protocol):
    """Finds the edition of a kind of reference data in effect on a date (see
    :mod:`auditkit.refdata.library`)."""

    def __call__(self, kind: str, on: dt.date, /) -> Any: ...


def _no_reference(kind: str, on: dt.date) -> Any:
    return None


@dataclass
class CheckContext:
    """What the engine gives a check besides the unit: settings and reference data."""

    codesets: CodeSets
    parameters: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    lookup: ReferenceLookup = _no_reference

    def parameter(self, rule: Rule, name: str) -> Any:
        for parameter in rule.parameters:
            if parameter.name == name:
                return self.parameters.get(rule.id, {}).get(name, parameter.default)
        raise KeyError(f"{rule.id} declares no parameter {name!r}")

    def reference(self, kind: str, on: dt.date) -> Any:
        """The view of reference data ``kind`` in effect on date ``on``, or None when no
        loaded edition covers it. The check must have declared ``kind`` in ``needs``."""
        return self.lookup(kind, on)


class _CheckBase:
    rules: ClassVar[tuple[Rule, ...]] = ()
    # The kind of unit under review ("encounter", "access_event", or a plugin's own kind).
    unit_kind: ClassVar[str] = "encounter"
    # Reference-data kinds the check reads through ``context.reference`` ("ncci-ptp", …).
    needs: ClassVar[tuple[str, ...]] = ()

    def _declared(self, finding: Finding) -> Finding:
        if finding.rule_id not in {rule.id for rule in self.rules}:
            raise ValueError(
                f"{type(self).__name__} reported {finding.rule_id}, which it does not declare"
            )
        return finding


class Check(_CheckBase):
    """A check of one unit at a time, built-in or third-party.

    Subclasses set ``rules`` (and ``unit_kind``/``needs`` where they differ from the
    defaults) and implement :meth:`check`. The class docstring documents the check for
    users (what it does, why, an example, what to do instead).
    """

    def check(self, encounter: EncounterRecord, context: CheckContext) -> Iterable[Finding]:
        raise NotImplementedError

    def run(self, encounter: EncounterRecord, context: CheckContext) -> Iterator[Finding]:
        """Run :meth:`check`, refusing findings for rules the check did not declare."""
        for finding in self.check(encounter, context):
            yield self._declared(finding)


@dataclass(frozen=True)
class SetScope:
    """What a set-based check runs over: the audit's period, on the run's connection.

    ``sampled_encounters`` is a SELECT of the sampled encounters' ids (spares excluded),
    usable in ``.in_(…)``; set checks over access events use the period.
    """

    connection: Connection
    audit_id: int
    run_id: int
    period_from: dt.date
    period_to: dt.date
    sampled_encounters: Any = None


class SetCheck(_CheckBase):
    """A set-based check: SQL through SQLAlchemy over the whole audit period.

    Subclasses set ``rules`` and ``unit_kind`` and implement :meth:`check_set`, which
    queries ``scope.connection`` and yields findings naming their units. The engine records
    how many units of the kind the period holds and how many the rule failed.
    """

    def check_set(self, scope: SetScope, context: CheckContext) -> Iterable[Finding]:
        raise NotImplementedError

    def run_set(self, scope: SetScope, context: CheckContext) -> Iterator[Finding]:
        for finding in self.check_set(scope, context):
            yield self._declared(finding)
