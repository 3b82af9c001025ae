"""The access review's report section, built from the run's stored figures."""

from __future__ import annotations

from typing import Any

from auditkit.reports.sections import ReportSection, SectionTable


def access_section(figures: dict[str, Any]) -> ReportSection:
    share = figures.get("explained_share")
    per_thousand = figures.get("alerts_per_1000_accesses") or 0
    paragraphs = (
        f"{figures['events']:,} accesses to patient records in the period, "
        f"{figures['user_patient_days']:,} distinct user-patient-days"
        + (
            f", {share:.1%} of them explained by a treatment relationship."
            if share is not None
            else "."
        ),
        f"Reviewer workload: {figures['alerts']:,} alerts, {per_thousand:g} per 1,000 "
        f"accesses, about {figures['users_flagged']:,} users to look at.",
        "After-hours accesses (HIP011) never count alone: they raise the priority of the "
        "finding they accompany (shown as errors).",
    )
    events = figures["events"] or 0
    workload = SectionTable(
        ("rule", "findings", "per 1,000 accesses"),
        tuple(
            (rule, count, round(count * 1000 / events, 3) if events else None)
            for rule, count in figures["findings_by_rule"].items()
        ),
        title="Workload by rule",
    )
    users = SectionTable(
        ("user", "priority score", "findings", "rules", "after hours", "flagged in other audits"),
        tuple(
            (
                user["user_id"],
                user["score"],
                user["findings"],
                ", ".join(f"{rule}×{n}" for rule, n in user["rules"].items()),
                user["after_hours"],
                user["other_audits"],
            )
            for user in figures["top_users"]
        ),
        title="Users to review first (priority score)",
    )
    cases = SectionTable(
        ("rule", "severity", "user", "patient", "when", "event", "finding", "evidence"),
        tuple(
            (
                case["rule_id"],
                case["severity"],
                case["user_id"],
                case["patient_id"],
                case["event_time"],
                case["event_id"],
                case["message"],
                case["evidence"],
            )
            for case in figures["cases"]
        ),
        title="Cases to review first, with their evidence",
    )
    return ReportSection(
        key="access-review",
        title="HIPAA access review",
        paragraphs=paragraphs,
        tables=(workload, users, cases),
    )
