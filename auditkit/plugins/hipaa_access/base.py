"""What the access rules share: rule metadata defaults, and the check over review cases."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from sqlalchemy import select

from auditkit.db.models import AccessEvent, AccessReviewCase
from auditkit.plugins.hipaa_access.review import EXPLANATIONS, ensure_review
from auditkit.plugins.hipaa_access.settings import ReviewSettings, review_settings
from auditkit.plugins.hipaa_access.sql import from_day
from auditkit.rules import CheckContext, Finding, Parameter, Rule, SetCheck, SetScope, Severity

REFERENCES = (
    "45 CFR 164.312(b): audit controls",
    "45 CFR 164.308(a)(1)(ii)(D): information system activity review",
)


def access_rule(
    rule_id: str,
    name: str,
    summary: str,
    rationale: str,
    severity: Any = "warning",
    parameters: tuple[Parameter, ...] = (),
    topic: str = "Minimum necessary: open only the records your work requires",
) -> Rule:
    return Rule(
        id=rule_id,
        name=name,
        summary=summary,
        severity=severity,
        category="privacy",
        responsible="user",
        rationale=rationale,
        education_topic=topic,
        references=REFERENCES,
        parameters=parameters,
        examines=("event",),
    )


EXPLANATION_LABELS = {
    "by_department": "encounter in the user's department",
    "by_provider": "encounter with the user as rendering provider (NPI)",
    "by_care_team": "care-team entry",
    "by_role": "billing/coding role with an encounter to bill",
}
FLAG_LABELS = {
    "same_name": "same last name",
    "coworker": "patient is a workforce member",
    "self_access": "own record",
    "vip": "VIP record",
    "terminated": "after the user's termination date",
    "same_address": "same home address",
    "deceased": "after the patient's death",
    "known_user": "user in the workforce list",
}


def evidence(row: Any, settings: ReviewSettings) -> str:
    """Which explanations were tried and what matched, and the flags raised."""
    window = f"-{settings.window_before}/+{settings.window_after} days"
    tried = "; ".join(
        f"{EXPLANATION_LABELS[name]}: {'yes' if getattr(row, name) else 'no'}"
        for name in EXPLANATIONS
    )
    flags = [
        label for name, label in FLAG_LABELS.items() if name != "known_user" and getattr(row, name)
    ]
    if not row.known_user:
        flags.append("user not in the workforce list")
    if row.after_hours:
        flags.append("outside the user's usual hours")
    return (
        f"explanations tried (window {window}): {tried}. "
        f"flags: {', '.join(flags) or 'none'}. "
        f"{row.events} access(es) that day ({from_day(row.day).isoformat()})."
    )


class CaseCheck(SetCheck):
    """A rule that reads the run's review cases (see :mod:`.review`)."""

    unit_kind = "access_event"
    raises_priority: ClassVar[bool] = True  # after-hours cases become errors

    def where(self) -> Any:
        raise NotImplementedError

    def message(self, row: Any) -> str:
        raise NotImplementedError

    def check_set(self, scope: SetScope, context: CheckContext) -> Iterator[Finding]:
        settings = review_settings(context)
        ensure_review(scope, settings)
        rule = self.rules[0]
        query = (
            select(AccessReviewCase.__table__, AccessEvent.event_id, AccessEvent.timestamp)
            .join(AccessEvent, AccessEvent.id == AccessReviewCase.first_event)
            .where(AccessReviewCase.run_id == scope.run_id, self.where())
            .order_by(AccessReviewCase.id)
        )
        for row in scope.connection.execute(query):
            case_row = row
            severity: Severity | None = (
                "error" if self.raises_priority and case_row.after_hours else None
            )
            yield Finding(
                rule.id,
                self.message(case_row),
                evidence=evidence(case_row, settings),
                severity=severity,
                event_id=row.event_id,
                user_id=case_row.user_id,
                patient_id=case_row.patient_id,
                event_time=row.timestamp,
            )


def unexplained() -> Any:
    from sqlalchemy import not_, or_

    return not_(or_(*(getattr(AccessReviewCase, name) for name in EXPLANATIONS)))
