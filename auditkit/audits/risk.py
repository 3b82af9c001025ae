"""Risk pre-scan for targeted samples: run the checks over the whole frame, score each unit.

A unit's risk is the severity-weighted count of what the enabled checks find on it (error 3,
warning 2, info 1). Nothing is stored: the pre-scan only orders the frame.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from auditkit.audits.loading import load_encounters
from auditkit.audits.suite import CheckSuite

SEVERITY_WEIGHT = {"error": 3.0, "warning": 2.0, "info": 1.0}


def risk_scores(
    session: Session, encounter_ids: Sequence[int], suite: CheckSuite
) -> dict[int, float]:
    context, _ = suite.start(session.connection())
    return {
        encounter.id: sum(
            SEVERITY_WEIGHT[finding.severity or rule.severity]
            for rule, finding in suite.evaluate(encounter, context)
        )
        for encounter in load_encounters(session.connection(), encounter_ids)
    }
