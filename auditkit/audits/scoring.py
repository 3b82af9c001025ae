"""Scores, computed once when an audit runs and stored (reports only read them).

The method is locked on the audit when it is created (threshold and deciding measure):

* code-over-code: the items of an encounter are its diagnosis codes, its service lines and
  its note; an item is wrong when an undismissed finding about it counts against the person.
* record-over-record: an encounter is wrong when any undismissed finding counts against the
  person on it.

Scores are split by component — ``diagnoses`` (header codes), ``lines`` (service lines),
``note`` — and ``all`` of them together. A component is *reviewed* for a subject only when
an enabled rule examines it and can count against that subject (coder rules for coders,
provider rules for providers, any rule for the audit and its departments, the rule's own
components for a rule). A component or person no enabled rule can examine is stored as not
reviewed (empty accuracy, empty pass), never as a pass.

Subjects: the whole ``audit``, each ``coder``, ``provider`` and ``department`` of the
sampled encounters, and each enabled encounter ``rule``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from auditkit.db.models import (
    Audit,
    Coder,
    Diagnosis,
    Encounter,
    Provider,
    SampleUnit,
    Score,
    ServiceLine,
    StoredFinding,
)
from auditkit.rules import Rule

COMPONENTS = ("diagnoses", "lines", "note")
SUBJECT_TYPES = ("audit", "coder", "provider", "department", "rule")
NO_DEPARTMENT = "(none)"


@dataclass(frozen=True)
class SampledEncounter:
    id: int
    coder: str
    coder_name: str | None
    provider: str
    provider_name: str | None
    department: str
    items: dict[str, int]  # component -> how many items (codes, lines, 1 note)


@dataclass
class Tally:
    """One subject's encounters and items, and which of them were wrong."""

    name: str | None = None
    encounters: set[int] = field(default_factory=set)
    items: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    wrong_items: dict[str, set[tuple[int, str]]] = field(default_factory=lambda: defaultdict(set))
    wrong_encounters: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    findings: int = 0


def sampled_encounters(session: Session, sample_id: int) -> list[SampledEncounter]:
    """The sampled encounters (spares excluded) with their people and item counts."""
    units = select(SampleUnit.encounter_id).where(
        SampleUnit.sample_id == sample_id, SampleUnit.is_spare.is_(False)
    )
    counts: dict[str, dict[int, int]] = {}
    for component, model in (("diagnoses", Diagnosis), ("lines", ServiceLine)):
        query = (
            select(model.encounter_id, func.count())
            .where(model.encounter_id.in_(units))
            .group_by(model.encounter_id)
        )
        counts[component] = {row[0]: row[1] for row in session.execute(query)}
    rows = session.execute(
        select(
            Encounter.id,
            Coder.coder_key,
            Coder.name,
            Provider.npi,
            Provider.name,
            Encounter.department,
        )
        .join(Coder, Coder.id == Encounter.coder_id)
        .join(Provider, Provider.id == Encounter.provider_id)
        .where(Encounter.id.in_(units))
        .order_by(Encounter.id)
    )
    return [
        SampledEncounter(
            id=encounter_id,
            coder=coder,
            coder_name=coder_name,
            provider=npi,
            provider_name=provider_name,
            department=department or NO_DEPARTMENT,
            items={
                "diagnoses": counts["diagnoses"].get(encounter_id, 0),
                "lines": counts["lines"].get(encounter_id, 0),
                "note": 1,
            },
        )
        for encounter_id, coder, coder_name, npi, provider_name, department in rows
    ]


def reviewed_components(rules: Iterable[Rule], subject_type: str) -> set[str]:
    """Which components an enabled rule examines and can count against the subject type."""
    found: set[str] = set()
    for rule in rules:
        if subject_type in ("coder", "provider") and rule.responsible != subject_type:
            continue
        found.update(part for part in rule.examines if part in COMPONENTS)
    return found


def _target(finding: Any) -> tuple[str, str]:
    """The component a finding is about and the item in it."""
    component = finding.component if finding.component in COMPONENTS else "note"
    if component == "lines" and finding.line_number is not None:
        return component, f"line:{finding.line_number}"
    if component == "diagnoses" and finding.code:
        return component, f"code:{finding.code}"
    return component, component  # not tied to one item: one wrong item of its component


def _subjects(
    encounter: SampledEncounter, rules: Iterable[Rule]
) -> list[tuple[str, str, str | None]]:
    return [
        ("audit", "audit", None),
        ("coder", encounter.coder, encounter.coder_name),
        ("provider", encounter.provider, encounter.provider_name),
        ("department", encounter.department, None),
        *(("rule", rule.id, rule.name) for rule in rules),
    ]


def _counts_against(finding: Any, subject_type: str, subject_key: str) -> bool:
    if subject_type in ("audit", "department"):
        return True
    if subject_type == "rule":
        return bool(finding.rule_id == subject_key)
    return bool(finding.responsible == subject_type and finding.person_id == subject_key)


def tally(
    encounters: list[SampledEncounter], findings: list[Any], rules: list[Rule]
) -> dict[tuple[str, str], Tally]:
    """Per subject: encounters and items reviewed, and which were wrong."""
    tallies: dict[tuple[str, str], Tally] = defaultdict(Tally)
    by_encounter: dict[int, list[Any]] = defaultdict(list)
    for finding in findings:
        if finding.encounter_id is not None:
            by_encounter[finding.encounter_id].append(finding)
    for encounter in encounters:
        for subject_type, key, name in _subjects(encounter, rules):
            entry = tallies[(subject_type, key)]
            entry.name = entry.name or name
            entry.encounters.add(encounter.id)
            for component, count in encounter.items.items():
                entry.items[component] += count
            for finding in by_encounter.get(encounter.id, ()):
                if not _counts_against(finding, subject_type, key):
                    continue
                component, item = _target(finding)
                entry.findings += 1
                entry.wrong_items[component].add((encounter.id, item))
                entry.wrong_encounters[component].add(encounter.id)
    return dict(tallies)


def _accuracy(correct: int, total: int) -> float | None:
    return correct / total if total else None


def score_rows(
    audit: Audit, run_id: int, tallies: dict[tuple[str, str], Tally], rules: list[Rule]
) -> list[dict[str, Any]]:
    """The score rows of every subject: four components by two measures."""
    threshold = audit.scoring["pass_threshold"]
    measure = audit.scoring["measure"]
    by_id = {rule.id: rule for rule in rules}
    rows = []
    for (subject_type, key), entry in sorted(tallies.items()):
        reviewed: set[str]
        if subject_type == "rule":
            reviewed = set[str](by_id[key].examines) & set(COMPONENTS)
        else:
            reviewed = reviewed_components(rules, subject_type)
        values: dict[str, dict[str, tuple[int, int] | None]] = {}
        for component in COMPONENTS:
            if component not in reviewed:
                values[component] = {"code": None, "encounter": None}
                continue
            total = entry.items[component]
            values[component] = {
                "code": (max(0, total - len(entry.wrong_items[component])), total),
                "encounter": (
                    len(entry.encounters) - len(entry.wrong_encounters[component]),
                    len(entry.encounters),
                ),
            }
        if reviewed:
            total = sum(entry.items[c] for c in reviewed)
            wrong = sum(len(entry.wrong_items[c]) for c in reviewed)
            wrong_encounters = set().union(*(entry.wrong_encounters[c] for c in reviewed))
            values["all"] = {
                "code": (max(0, total - wrong), total),
                "encounter": (len(entry.encounters) - len(wrong_encounters), len(entry.encounters)),
            }
        else:
            values["all"] = {"code": None, "encounter": None}
        deciding = values["all"][measure]
        passed = None if deciding is None else (_accuracy(*deciding) or 0.0) >= threshold
        for component in ("all", *COMPONENTS):
            for name in ("code", "encounter"):
                value = values[component][name]
                total_items = (
                    entry.items[component]
                    if component != "all"
                    else sum(entry.items[c] for c in COMPONENTS)
                )
                default_total = total_items if name == "code" else len(entry.encounters)
                correct, total = value if value is not None else (0, default_total)
                rows.append(
                    {
                        "audit_id": audit.id,
                        "run_id": run_id,
                        "subject_type": subject_type,
                        "subject_key": key,
                        "subject_name": entry.name,
                        "component": component,
                        "measure": name,
                        "correct": correct,
                        "total": total,
                        "accuracy": _accuracy(correct, total) if value is not None else None,
                        "passed": passed if component == "all" else None,
                        "findings": entry.findings,
                    }
                )
    return rows


def store_scores(
    session: Session, audit: Audit, run_id: int, sample_id: int | None, rules: list[Rule]
) -> None:
    """Replace the audit's scores with those of this run, by the audit's locked method."""
    session.execute(delete(Score).where(Score.audit_id == audit.id))
    if sample_id is None:
        return
    encounter_rules = [rule for rule in rules if set(rule.examines) & set(COMPONENTS)]
    findings = session.execute(
        select(
            StoredFinding.encounter_id,
            StoredFinding.rule_id,
            StoredFinding.responsible,
            StoredFinding.person_id,
            StoredFinding.component,
            StoredFinding.code,
            StoredFinding.line_number,
        ).where(StoredFinding.run_id == run_id, StoredFinding.status != "dismissed")
    ).all()
    tallies = tally(sampled_encounters(session, sample_id), list(findings), encounter_rules)
    rows = score_rows(audit, run_id, tallies, encounter_rules)
    if rows:
        session.execute(insert(Score), rows)
