"""Scoring v1: code-level and encounter-level accuracy per coder and per provider.

The method is locked on the audit when it is created (threshold and deciding measure):

* code-over-code: a code is a diagnosis or a service line; a code is wrong when an
  undismissed finding about it counts against the person. A finding not tied to one code
  (e.g. a note problem) counts as one wrong code of its encounter.
* record-over-record: an encounter is wrong when any undismissed finding counts against the
  person on it.

Findings count against the person the rule names as responsible: coder findings score the
encounter's coder, provider findings its rendering provider.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from auditkit.db.models import (
    Audit,
    CheckRun,
    Coder,
    Diagnosis,
    Encounter,
    Finding,
    Provider,
    SampleUnit,
    Score,
    ServiceLine,
)

SUBJECTS = {
    "coder": (Coder.id, Coder.coder_key, Coder.name, Encounter.coder_id),
    "provider": (Provider.id, Provider.npi, Provider.name, Encounter.provider_id),
}


@dataclass
class Tally:
    name: str | None = None
    encounters: int = 0
    codes: int = 0
    wrong_encounters: set[int] = field(default_factory=set)
    wrong_codes: set[tuple[int, str]] = field(default_factory=set)

    @property
    def codes_correct(self) -> int:
        return max(0, self.codes - len(self.wrong_codes))

    @property
    def encounters_correct(self) -> int:
        return self.encounters - len(self.wrong_encounters)


def _accuracy(correct: int, total: int) -> float:
    return correct / total if total else 1.0


def codes_per_encounter(session: Session, sample_id: int) -> dict[int, int]:
    """Codes (diagnoses plus service lines) of each sampled encounter, spares excluded.

    Every imported encounter has a dx1 and a line, so the keys are the sampled encounters.
    """
    units = select(SampleUnit.encounter_id).where(
        SampleUnit.sample_id == sample_id, SampleUnit.is_spare.is_(False)
    )
    counts: dict[int, int] = defaultdict(int)
    for model in (Diagnosis, ServiceLine):
        query = (
            select(model.encounter_id, func.count())
            .where(model.encounter_id.in_(units))
            .group_by(model.encounter_id)
        )
        for encounter_id, count in session.execute(query):
            counts[encounter_id] += count
    return counts


def _target(finding: Finding) -> str:
    if finding.code:
        return f"code:{finding.code}"
    if finding.line_number is not None:
        return f"line:{finding.line_number}"
    return f"finding:{finding.id}"


def tally(session: Session, audit: Audit, run_id: int, subject_type: str) -> dict[str, Tally]:
    """Per person of one type: encounters and codes reviewed, and which were wrong."""
    person_id, key_column, name_column, person_column = SUBJECTS[subject_type]
    sample_id = session.scalars(select(CheckRun.sample_id).where(CheckRun.id == run_id)).one()
    codes = codes_per_encounter(session, sample_id)
    rows = session.execute(
        select(Encounter.id, key_column, name_column)
        .join(SampleUnit, SampleUnit.encounter_id == Encounter.id)
        .join(person_id.table, person_id == person_column)
        .where(SampleUnit.sample_id == sample_id, SampleUnit.is_spare.is_(False))
    )
    tallies: dict[str, Tally] = defaultdict(Tally)
    owner: dict[int, str] = {}
    for encounter_id, key, name in rows:
        entry = tallies[key]
        entry.name = name
        entry.encounters += 1
        entry.codes += codes.get(encounter_id, 0)
        owner[encounter_id] = key
    findings = session.scalars(
        select(Finding).where(
            Finding.run_id == run_id,
            Finding.responsible == subject_type,
            Finding.status != "dismissed",
        )
    )
    for finding in findings:
        unit = finding.encounter_id
        person = owner.get(unit) if unit is not None else None
        if unit is None or person is None:
            continue
        tallies[person].wrong_encounters.add(unit)
        tallies[person].wrong_codes.add((unit, _target(finding)))
    return dict(tallies)


def compute_scores(session: Session, audit: Audit, run_id: int) -> None:
    """Replace the audit's scores with those of this run, by the audit's locked method."""
    threshold = audit.scoring["pass_threshold"]
    measure = audit.scoring["measure"]
    session.execute(delete(Score).where(Score.audit_id == audit.id))
    rows = []
    for subject_type in SUBJECTS:
        for key, entry in tally(session, audit, run_id, subject_type).items():
            values = {
                "code": (entry.codes_correct, entry.codes),
                "encounter": (entry.encounters_correct, entry.encounters),
            }
            passed = _accuracy(*values[measure]) >= threshold
            for name, (correct, total) in values.items():
                rows.append(
                    {
                        "audit_id": audit.id,
                        "subject_type": subject_type,
                        "subject_key": key,
                        "subject_name": entry.name,
                        "measure": name,
                        "correct": correct,
                        "total": total,
                        "accuracy": _accuracy(correct, total),
                        "passed": passed,
                    }
                )
    if rows:
        session.execute(insert(Score), rows)
