"""Run every enabled check of an audit and store what it found, and its figures, once.

One run, one transaction:

1. per-unit checks over each unit kind they review (the sampled encounters, with their
   patient-day view, in batches);
2. set-based checks over the audit's period (SQL through the run's connection);
3. findings, per-encounter rule evaluations and per-rule coverage are stored, with the
   plugins' versions and the reference editions the checks used;
4. the figures every report reads are computed and stored (:mod:`auditkit.audits.figures`).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from auditkit import trail
from auditkit.audits.figures import store_figures
from auditkit.audits.suite import CheckSuite
from auditkit.db.models import (
    Audit,
    CheckRun,
    Coder,
    Encounter,
    Patient,
    Provider,
    Review,
    RuleCoverage,
    RuleEvaluation,
    RunFigure,
    Sample,
    SampleUnit,
    Score,
    StoredFinding,
)
from auditkit.db.session import lock_for_writing
from auditkit.errors import AuditkitError
from auditkit.rules import Finding, Rule, SetScope
from auditkit.units import EncounterRecord

ProgressCallback = Callable[[int], None]


@dataclass(frozen=True)
class RunSummary:
    run_id: int
    units: int
    rules: int
    findings: int
    findings_by_rule: dict[str, int]
    findings_by_severity: dict[str, int]
    units_by_kind: dict[str, int]  # what was reviewed, by unit kind (encounters: the sample)


def find_latest_sample(session: Session, audit: Audit) -> Sample | None:
    return session.scalar(
        select(Sample).where(Sample.audit_id == audit.id).order_by(Sample.id.desc()).limit(1)
    )


def find_latest_run(session: Session, audit: Audit) -> CheckRun | None:
    return session.scalar(
        select(CheckRun).where(CheckRun.audit_id == audit.id).order_by(CheckRun.id.desc()).limit(1)
    )


def latest_sample(session: Session, audit: Audit) -> Sample:
    """The audit's sample; a clear error when none has been drawn yet."""
    sample = find_latest_sample(session, audit)
    if sample is None:
        raise AuditkitError(
            f"audit {audit.name!r} has no sample yet; run `auditkit sample draw {audit.name} "
            "--method …` first"
        )
    return sample


def _clear_previous_run(session: Session, audit: Audit) -> None:
    """A re-run replaces earlier results, unless an auditor already reviewed them."""
    reviewed = session.scalar(
        select(func.count())
        .select_from(Review)
        .join(StoredFinding, StoredFinding.id == Review.finding_id)
        .where(StoredFinding.audit_id == audit.id)
    )
    if reviewed:
        raise AuditkitError(
            f"audit {audit.name!r} has {reviewed} reviewed finding(s); it cannot be re-run"
        )
    run_ids = select(CheckRun.id).where(CheckRun.audit_id == audit.id)
    session.execute(delete(StoredFinding).where(StoredFinding.audit_id == audit.id))
    session.execute(delete(Score).where(Score.audit_id == audit.id))
    for model in (RuleEvaluation, RuleCoverage, RunFigure):
        session.execute(delete(model).where(model.run_id.in_(run_ids)))
    session.execute(delete(CheckRun).where(CheckRun.audit_id == audit.id))


def _component(rule: Rule, finding: Finding) -> str:
    if finding.line_number is not None and "lines" in rule.examines:
        return "lines"
    if finding.code and "diagnoses" in rule.examines:
        return "diagnoses"
    return rule.examines[0]


class _Collector:
    """Findings, evaluations and coverage of one run, written set-based at the end."""

    def __init__(self, audit: Audit, run: CheckRun) -> None:
        self.audit, self.run = audit, run
        self.findings: list[dict[str, Any]] = []
        self.evaluations: list[dict[str, Any]] = []
        self.failed_units: dict[str, set[Any]] = defaultdict(set)
        self.by_rule: Counter[str] = Counter()

    def add(self, rule: Rule, finding: Finding, unit_key: Any, **keys: Any) -> None:
        self.by_rule[rule.id] += 1
        self.failed_units[rule.id].add(unit_key)
        values = {
            "encounter_id": finding.encounter_id,
            "event_id": finding.event_id,
            "user_id": finding.user_id,
            "patient_id": finding.patient_id,
            "event_time": finding.event_time,
            "person_id": finding.person_id,
        }
        values.update({k: v for k, v in keys.items() if values.get(k) is None})
        if values["person_id"] is None and rule.responsible == "user":
            values["person_id"] = values["user_id"]
        self.findings.append(
            {
                "audit_id": self.audit.id,
                "run_id": self.run.id,
                "rule_id": rule.id,
                "severity": finding.severity or rule.severity,
                "category": rule.category,
                "responsible": rule.responsible,
                "line_number": finding.line_number,
                "code": finding.code,
                "message": finding.message,
                "evidence": finding.evidence,
                "status": "open",
                "financial_impact": finding.financial_impact,
                "coded": finding.coded,
                "audited": finding.audited,
                "component": _component(rule, finding),
                **values,
            }
        )


def _encounter_keys(encounter: EncounterRecord, rule: Rule) -> dict[str, Any]:
    person = {"coder": encounter.coder_key, "provider": encounter.provider_npi}
    return {
        "encounter_id": encounter.id,
        "patient_id": encounter.patient.mrn,
        "person_id": person.get(rule.responsible),
    }


def _unit_keys(unit: Any) -> dict[str, Any]:
    """Keys of a unit of another kind, read from its record's fields where it has them."""
    return {
        "event_id": getattr(unit, "event_id", None),
        "user_id": getattr(unit, "user_id", None),
        "patient_id": getattr(unit, "patient_id", None),
        "event_time": getattr(unit, "timestamp", None),
    }


def _check_per_unit(
    suite: CheckSuite,
    scope: SetScope,
    context: Any,
    collector: _Collector,
    progress: ProgressCallback | None,
) -> None:
    for kind, entries in suite.per_unit.items():
        rule_ids = [rule.id for entry in entries for rule in entry.rules]
        records = suite.registry.unit_kinds[kind].records(scope)
        for done, unit in enumerate(records, start=1):
            failed: set[str] = set()
            for rule, finding in suite.evaluate(unit, context, kind):
                failed.add(rule.id)
                if kind == "encounter":
                    collector.add(rule, finding, unit.id, **_encounter_keys(unit, rule))
                else:
                    collector.add(rule, finding, unit.id, **_unit_keys(unit))
            if kind == "encounter":
                collector.evaluations.extend(
                    {
                        "run_id": collector.run.id,
                        "encounter_id": unit.id,
                        "rule_id": rule_id,
                        "outcome": "failed" if rule_id in failed else "passed",
                    }
                    for rule_id in rule_ids
                )
            if progress and done % 100 == 0:
                progress(100)


def _encounter_people(session: Session, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Coder, provider and patient of encounters a set-based check named."""
    wanted = sorted(set(ids))
    found: dict[int, dict[str, Any]] = {}
    for start in range(0, len(wanted), 500):
        query = (
            select(Encounter.id, Coder.coder_key, Provider.npi, Patient.mrn)
            .join(Coder, Coder.id == Encounter.coder_id)
            .join(Provider, Provider.id == Encounter.provider_id)
            .join(Patient, Patient.id == Encounter.patient_id)
            .where(Encounter.id.in_(wanted[start : start + 500]))
        )
        for encounter_id, coder, npi, mrn in session.execute(query):
            found[encounter_id] = {"coder": coder, "provider": npi, "patient_id": mrn}
    return found


def _check_sets(
    suite: CheckSuite, session: Session, scope: SetScope, context: Any, collector: _Collector
) -> None:
    results = [(entry, list(entry.check.run_set(scope, context))) for entry in suite.set_based]
    people = _encounter_people(
        session,
        (f.encounter_id for _, found in results for f in found if f.encounter_id is not None),
    )
    for entry, found in results:
        rules = {rule.id: rule for rule in entry.rules}
        for finding in found:
            rule = rules.get(finding.rule_id)
            if rule is None:  # a rule of this check disabled by the settings
                continue
            keys: dict[str, Any] = {}
            if finding.encounter_id is not None and finding.encounter_id in people:
                who = people[finding.encounter_id]
                keys = {"patient_id": who["patient_id"], "person_id": who.get(rule.responsible)}
            unit_key = (
                finding.encounter_id
                if finding.encounter_id is not None
                else (finding.event_id or finding.user_id or finding.message)
            )
            collector.add(rule, finding, unit_key, **keys)


def run_audit(
    session: Session,
    audit: Audit,
    suite: CheckSuite,
    progress: ProgressCallback | None = None,
) -> RunSummary:
    """Run the suite on the audit; results replace the previous run's, in this transaction.

    The audit is locked first: a second run started at the same time waits, then replaces
    this one's results instead of adding to them.
    """
    lock_for_writing(session, audit)
    # Encounters are reviewed from the sample; an audit of access logs alone needs none, so
    # without a sample the encounter rules review nothing (their coverage says 0 units).
    kinds = _kinds(suite)
    sample = (
        latest_sample(session, audit)
        if kinds == ["encounter"]
        else find_latest_sample(session, audit)
    )
    _clear_previous_run(session, audit)
    run = CheckRun(
        audit_id=audit.id,
        sample_id=sample.id if sample is not None else None,
        started_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
        rules={rule_id: suite.registry.plugin_of(rule_id) for rule_id in sorted(suite.rules)},
    )
    session.add(run)
    session.flush()
    scope = SetScope(
        connection=session.connection(),
        audit_id=audit.id,
        run_id=run.id,
        period_from=audit.period_from,
        period_to=audit.period_to,
        sampled_encounters=(
            select(SampleUnit.encounter_id).where(
                SampleUnit.sample_id == sample.id, SampleUnit.is_spare.is_(False)
            )
            if sample is not None
            else None
        ),
    )
    context, library = suite.start(session.connection())
    collector = _Collector(audit, run)
    _check_per_unit(suite, scope, context, collector, progress)
    _check_sets(suite, session, scope, context, collector)

    if collector.findings:
        session.execute(insert(StoredFinding), collector.findings)
    if collector.evaluations:
        session.execute(insert(RuleEvaluation), collector.evaluations)
    units = {kind: suite.registry.unit_kinds[kind].count(scope) for kind in _kinds(suite)}
    coverage = [
        {
            "run_id": run.id,
            "rule_id": rule.id,
            "unit_kind": kind,
            "units": units[kind],
            "failed": len(collector.failed_units.get(rule.id, ())),
        }
        for kind in units
        for rule in suite.rules_of_kind(kind)
    ]
    if coverage:
        session.execute(insert(RuleCoverage), coverage)
    plugins = {suite.registry.plugin_of(rule_id) for rule_id in suite.rules}
    run.plugins = {name: suite.registry.versions.get(name, "unknown") for name in sorted(plugins)}
    run.references = library.describe_used()
    run.units = units.get("encounter", 0) if sample is not None else sum(units.values())
    run.finished_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    audit.status = "run"
    audit.deid_salt = audit.deid_salt or secrets.token_hex(16)
    session.flush()
    store_figures(session, audit, run, suite, scope)
    trail.record(
        session, "audit run", "write", f"audit:{audit.name}", findings=len(collector.findings)
    )
    by_severity = Counter(row["severity"] for row in collector.findings)
    return RunSummary(
        run.id,
        run.units,
        len(suite.rules),
        len(collector.findings),
        dict(collector.by_rule),
        dict(by_severity),
        units,
    )


def _kinds(suite: CheckSuite) -> list[str]:
    kinds = set(suite.per_unit) | {entry.check.unit_kind for entry in suite.set_based}
    return sorted(kinds)
