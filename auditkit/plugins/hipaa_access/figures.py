"""The review's figures, stored once per run (reports and the terminal read them):
workload, explanation rate, per-user roll-up with a priority score, repeat offenders across
audits, and the cases to review first with their evidence."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from auditkit import trail
from auditkit.db.models import AccessEvent, AccessReviewCase, AccessReviewUserDay, Audit
from auditkit.db.models import StoredFinding as F
from auditkit.plugins.hipaa_access.review import EXPLANATIONS, period_bounds
from auditkit.rules import SetScope

# How much one finding of a rule weighs in a user's priority score: relationship snooping
# and dead accounts first, weak signals last. HIP011 adds to the case it accompanies.
WEIGHTS = {
    "HIP001": 1.0,
    "HIP002": 3.0,
    "HIP003": 3.0,
    "HIP004": 2.0,
    "HIP005": 4.0,
    "HIP006": 5.0,
    "HIP007": 3.0,
    "HIP008": 2.0,
    "HIP009": 3.0,
    "HIP010": 2.0,
    "HIP011": 1.0,
    "HIP100": 0.5,
}
TOP_USERS = 20
TOP_CASES = 50


def _hip(run_id: int) -> Any:
    return (F.run_id == run_id) & F.rule_id.like("HIP%")


def access_figures(scope: SetScope) -> dict[str, Any] | None:
    """None when the run reviewed no access events and found nothing about them."""
    connection = scope.connection
    start, end = period_bounds(scope)
    events = int(
        connection.scalar(
            select(func.count())
            .select_from(AccessEvent)
            .where(AccessEvent.timestamp >= start, AccessEvent.timestamp < end)
        )
        or 0
    )
    by_rule = {
        rule: int(count)
        for rule, count in connection.execute(
            select(F.rule_id, func.count()).where(_hip(scope.run_id)).group_by(F.rule_id)
        )
    }
    if not events and not by_rule:
        return None
    triples = int(
        connection.scalar(
            select(func.coalesce(func.sum(AccessReviewUserDay.patients), 0)).where(
                AccessReviewUserDay.run_id == scope.run_id
            )
        )
        or 0
    )
    unexplained = int(
        connection.scalar(
            select(func.count())
            .select_from(AccessReviewCase)
            .where(
                AccessReviewCase.run_id == scope.run_id,
                *(getattr(AccessReviewCase, name).is_(False) for name in EXPLANATIONS),
            )
        )
        or 0
    )
    alerts = sum(count for rule, count in by_rule.items() if rule != "HIP011")
    users = _users(scope)
    figures = {
        "events": events,
        "user_patient_days": triples,
        "unexplained_user_patient_days": unexplained,
        "explained_share": round(1 - unexplained / triples, 4) if triples else None,
        "findings_by_rule": dict(sorted(by_rule.items())),
        "alerts": alerts,
        "alerts_per_1000_accesses": round(alerts * 1000 / events, 3) if events else None,
        "users_flagged": len(users),
        "top_users": users[:TOP_USERS],
        "repeat_offenders": [user for user in users if user["other_audits"]],
        "cases": _cases(scope),
    }
    session = Session(bind=connection)
    trail.record(
        session,
        "audit run",
        "read",
        f"audit_id:{scope.audit_id}",
        part="access review",
        access_events=events,
        users_flagged=len(users),
    )
    session.flush()
    return figures


def _users(scope: SetScope) -> list[dict[str, Any]]:
    connection = scope.connection
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for user, rule, count in connection.execute(
        select(F.user_id, F.rule_id, func.count())
        .where(_hip(scope.run_id), F.user_id.is_not(None))
        .group_by(F.user_id, F.rule_id)
    ):
        counts[str(user)][rule] = count
    if not counts:
        return []
    other = {
        user: int(audits)
        for user, audits in connection.execute(
            select(F.user_id, func.count(F.audit_id.distinct()))
            .where(
                F.rule_id.like("HIP%"), F.audit_id != scope.audit_id, F.user_id.in_(list(counts))
            )
            .group_by(F.user_id)
        )
    }
    rows: list[dict[str, Any]] = [
        {
            "user_id": user,
            "score": round(sum(WEIGHTS.get(rule, 1.0) * n for rule, n in rules.items()), 1),
            "findings": sum(n for rule, n in rules.items() if rule != "HIP011"),
            "rules": dict(sorted(rules.items())),
            "after_hours": rules.get("HIP011", 0),
            "other_audits": int(other.get(user, 0)),
        }
        for user, rules in counts.items()
    ]
    rows.sort(key=lambda row: (-row["score"], row["user_id"]))
    return rows


def _cases(scope: SetScope) -> list[dict[str, Any]]:
    weight = case(*((F.rule_id == rule, w) for rule, w in WEIGHTS.items()), else_=1.0)
    severity = case((F.severity == "error", 1), else_=0)
    query = (
        select(
            F.rule_id,
            F.severity,
            F.user_id,
            F.patient_id,
            F.event_id,
            F.event_time,
            F.message,
            F.evidence,
        )
        .where(_hip(scope.run_id), F.rule_id != "HIP011")
        .order_by((weight + severity).desc(), F.event_time, F.id)
        .limit(TOP_CASES)
    )
    return [
        {
            "rule_id": row.rule_id,
            "severity": row.severity,
            "user_id": row.user_id,
            "patient_id": row.patient_id,
            "event_id": row.event_id,
            "event_time": row.event_time.isoformat(sep=" ") if row.event_time else None,
            "message": row.message,
            "evidence": row.evidence,
        }
        for row in scope.connection.execute(query)
    ]


def audit_name(session: Session, audit_id: int) -> str:
    return session.get(Audit, audit_id).name  # type: ignore[union-attr]


def terminal_lines(figures: dict[str, Any]) -> list[str]:
    """What ``audit run`` prints about the access review."""
    share = figures.get("explained_share")
    lines = [
        f"Access review: {figures['events']:,} accesses, "
        f"{figures['user_patient_days']:,} user-patient-days"
        + (f", {share:.1%} explained" if share is not None else "")
        + f"; {figures['alerts']:,} alerts "
        f"({figures['alerts_per_1000_accesses'] or 0:g} per 1,000 accesses), "
        f"{figures['users_flagged']:,} users flagged.",
    ]
    for user in figures["top_users"][:5]:
        repeat = (
            f", flagged in {user['other_audits']} other audit(s)" if user["other_audits"] else ""
        )
        rules = ", ".join(f"{rule}×{n}" for rule, n in user["rules"].items())
        lines.append(f"  {user['user_id']}  score {user['score']:g}  ({rules}){repeat}")
    return lines
