"""The figures of a run, computed once when the audit runs and stored for every report.

Stored as rows of :class:`~auditkit.db.models.Score` (per audit, coder, provider,
department and rule, by component) and named :class:`~auditkit.db.models.RunFigure`\\s:

* ``summary``: what was reviewed (units, items per component), which components each
  enabled rule covers and which are not reviewed, finding counts and dollar impact;
* ``coverage``: per rule, how many units of its kind it examined and how many failed;
* ``extrapolation``: the projected overpayment, or why there is none;
* ``plugin:<name>``: each plugin's own figures (the ``auditkit_run_figures`` hook).

Reports read these through the report context and never compute (so a report of a run
audit stays the same even when the code that scores changes).
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from auditkit import trail
from auditkit.audits.extrapolation import extrapolate_run, extrapolation_figure
from auditkit.audits.scoring import COMPONENTS, reviewed_components, store_scores
from auditkit.audits.suite import CheckSuite
from auditkit.db.models import Audit, CheckRun, RuleCoverage, RunFigure, Sample, StoredFinding
from auditkit.errors import AuditkitError
from auditkit.plugin_manager import plugin_manager
from auditkit.rules import SetScope

PERSON_TYPES = ("coder", "provider")


def _summary(session: Session, run: CheckRun, suite: CheckSuite) -> dict[str, Any]:
    rows = session.execute(
        select(
            StoredFinding.rule_id,
            StoredFinding.severity,
            StoredFinding.category,
            StoredFinding.financial_impact,
        ).where(StoredFinding.run_id == run.id)
    ).all()
    impacts = [Decimal(row.financial_impact) for row in rows if row.financial_impact is not None]
    rules = list(suite.rules.values())
    by_person: dict[str, dict[str, dict[str, int]]] = {}
    query = (
        select(
            StoredFinding.responsible, StoredFinding.person_id, StoredFinding.rule_id, func.count()
        )
        .where(StoredFinding.run_id == run.id, StoredFinding.status != "dismissed")
        .group_by(StoredFinding.responsible, StoredFinding.person_id, StoredFinding.rule_id)
    )
    for responsible, person, rule_id, count in session.execute(query):
        by_person.setdefault(responsible, {}).setdefault(person or "", {})[rule_id] = count
    return {
        "rules_by_person": by_person,
        "findings": len(rows),
        "findings_by_rule": dict(sorted(Counter(row.rule_id for row in rows).items())),
        "findings_by_severity": dict(sorted(Counter(row.severity for row in rows).items())),
        "findings_by_category": dict(sorted(Counter(row.category for row in rows).items())),
        "overpaid": str(sum((i for i in impacts if i > 0), Decimal(0))),
        "underpaid": str(-sum((i for i in impacts if i < 0), Decimal(0))),
        "components": {
            component: sorted(rule.id for rule in rules if component in rule.examines)
            for component in (*COMPONENTS, "event")
        },
        # what each kind of person can be scored on: nothing = "not reviewed"
        "reviewable": {
            person: sorted(reviewed_components(rules, person)) for person in PERSON_TYPES
        },
    }


def _coverage(session: Session, run: CheckRun) -> dict[str, Any]:
    query = select(RuleCoverage).where(RuleCoverage.run_id == run.id).order_by(RuleCoverage.rule_id)
    return {
        row.rule_id: {"unit_kind": row.unit_kind, "units": row.units, "failed": row.failed}
        for row in session.scalars(query)
    }


def _extrapolation(session: Session, audit: Audit, run: CheckRun) -> dict[str, Any]:
    sample = session.get(Sample, run.sample_id) if run.sample_id is not None else None
    if sample is None:
        return {"available": False, "reason": "the audit has no sample"}
    try:
        found = extrapolate_run(session, audit, sample, run)
    except AuditkitError as exc:
        return {"available": False, "reason": str(exc)}
    if found is None:
        return {
            "available": False,
            "reason": f"its sample was drawn by the {sample.method!r} method; only random, "
            "stratified and targeted samples are extrapolated",
        }
    return {"available": True, **extrapolation_figure(found)}


def store_figures(
    session: Session, audit: Audit, run: CheckRun, suite: CheckSuite, scope: SetScope
) -> None:
    """Compute and store every figure of the run, in the run's transaction."""
    store_scores(session, audit, run.id, run.sample_id, list(suite.rules.values()))
    figures: dict[str, Any] = {
        "summary": _summary(session, run, suite),
        "coverage": _coverage(session, run),
        "extrapolation": _extrapolation(session, audit, run),
    }
    hook = plugin_manager().hook.auditkit_run_figures
    for impl in hook.get_hookimpls():
        value: Any = impl.function(scope=scope)  # pluggy types the call as object
        if value is not None:
            figures[f"plugin:{impl.plugin_name}"] = dict(value)
    session.execute(
        insert(RunFigure),
        [{"run_id": run.id, "name": name, "value": value} for name, value in figures.items()],
    )


def read_figures(session: Session, run_id: int) -> dict[str, dict[str, Any]]:
    return {
        row.name: row.value
        for row in session.scalars(select(RunFigure).where(RunFigure.run_id == run_id))
    }


def stored_extrapolation(session: Session, audit: Audit) -> dict[str, Any]:
    """The extrapolation stored by the audit's run; a clear error when there is none."""
    from auditkit.audits.run import find_latest_run

    run = find_latest_run(session, audit)
    figure = read_figures(session, run.id).get("extrapolation") if run is not None else None
    if figure is None:
        raise AuditkitError(f"audit {audit.name!r} has not been run; run it first")
    trail.record(session, "audit extrapolate", "read", f"audit:{audit.name}")
    if not figure.get("available"):
        raise AuditkitError(f"audit {audit.name!r} has no extrapolation: {figure['reason']}")
    return {key: value for key, value in figure.items() if key != "available"}
