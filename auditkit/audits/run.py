"""Run every enabled check on an audit's sample and store findings and rule evaluations."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from auditkit.audits.engine import Engine
from auditkit.audits.loading import load_encounters
from auditkit.audits.scoring import compute_scores
from auditkit.db.models import (
    Audit,
    CheckRun,
    Finding,
    Review,
    RuleEvaluation,
    Sample,
    SampleUnit,
)
from auditkit.errors import AuditkitError
from auditkit.rules import Finding as CheckFinding
from auditkit.rules import Rule
from auditkit.units import EncounterRecord

Progress = Callable[[int], None]


@dataclass(frozen=True)
class RunSummary:
    run_id: int
    units: int
    rules: int
    findings: int
    findings_by_rule: dict[str, int]
    findings_by_severity: dict[str, int]


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
        .join(Finding, Finding.id == Review.finding_id)
        .where(Finding.audit_id == audit.id)
    )
    if reviewed:
        raise AuditkitError(
            f"audit {audit.name!r} has {reviewed} reviewed finding(s); it cannot be re-run"
        )
    run_ids = select(CheckRun.id).where(CheckRun.audit_id == audit.id)
    session.execute(delete(Finding).where(Finding.audit_id == audit.id))
    session.execute(delete(RuleEvaluation).where(RuleEvaluation.run_id.in_(run_ids)))
    session.execute(delete(CheckRun).where(CheckRun.audit_id == audit.id))


def run_audit(
    session: Session,
    audit: Audit,
    engine: Engine,
    progress: Progress | None = None,
) -> RunSummary:
    sample = latest_sample(session, audit)
    _clear_previous_run(session, audit)
    run = CheckRun(
        audit_id=audit.id,
        sample_id=sample.id,
        started_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
        rules={rule_id: engine.registry.rules[rule_id].plugin for rule_id in engine.rules},
    )
    session.add(run)
    session.flush()

    unit_ids = session.scalars(
        select(SampleUnit.encounter_id).where(
            SampleUnit.sample_id == sample.id, SampleUnit.is_spare.is_(False)
        )
    ).all()
    findings: list[dict[str, Any]] = []
    evaluations: list[dict[str, Any]] = []
    by_rule: Counter[str] = Counter()
    for done, encounter in enumerate(load_encounters(session.connection(), unit_ids), start=1):
        failed: set[str] = set()
        for rule, finding in engine.evaluate(encounter):
            failed.add(rule.id)
            by_rule[rule.id] += 1
            findings.append(_finding_row(audit, run, rule, finding, encounter))
        evaluations.extend(
            {
                "run_id": run.id,
                "encounter_id": encounter.id,
                "rule_id": rule_id,
                "outcome": "failed" if rule_id in failed else "passed",
            }
            for rule_id in engine.rules
        )
        if progress and done % 100 == 0:
            progress(100)
    if findings:
        session.execute(insert(Finding), findings)
    if evaluations:
        session.execute(insert(RuleEvaluation), evaluations)
    run.units = len(unit_ids)
    run.finished_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    audit.status = "run"
    session.flush()
    compute_scores(session, audit, run.id)
    by_severity = Counter(row["severity"] for row in findings)
    return RunSummary(
        run.id, len(unit_ids), len(engine.rules), len(findings), dict(by_rule), dict(by_severity)
    )


def _finding_row(
    audit: Audit, run: CheckRun, rule: Rule, finding: CheckFinding, encounter: EncounterRecord
) -> dict[str, Any]:
    person = {"coder": encounter.coder_key, "provider": encounter.provider_npi}
    return {
        "audit_id": audit.id,
        "run_id": run.id,
        "rule_id": rule.id,
        "severity": finding.severity or rule.severity,
        "category": rule.category,
        "responsible": rule.responsible,
        "person_id": person.get(rule.responsible),
        "encounter_id": encounter.id,
        "line_number": finding.line_number,
        "code": finding.code,
        "patient_id": encounter.patient.mrn,
        "message": finding.message,
        "evidence": finding.evidence,
        "status": "open",
        "financial_impact": finding.financial_impact,
    }
