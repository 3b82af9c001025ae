"""The report context: everything a report shows, in one documented object.

Renderers (HTML, Excel, terminal) read only this object, never the database, so every
output tells the same story and a renderer can be tested with a hand-built context.
:func:`auditkit.reports.build.build_report_context` fills it from the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class AuditInfo:
    name: str
    period_from: dt.date
    period_to: dt.date
    filters: dict[str, Any]
    status: str
    created_at: dt.datetime
    scoring_measure: str  # "code" or "encounter": which accuracy decides pass/fail
    pass_threshold: float  # e.g. 0.95
    scoring_description: str  # the locked method in words


@dataclass(frozen=True)
class SampleInfo:
    """The sampling record (PIM ch. 8): enough to re-create and defend the draw."""

    method: str
    generator: str | None
    generator_version: str | None
    seed: str | None
    frame_definition: dict[str, Any]
    frame_size: int
    frame_amount: Decimal
    frame_hash: str
    size: int
    spares: int
    design: dict[str, Any]
    drawn_at: dt.datetime


@dataclass(frozen=True)
class RunInfo:
    started_at: dt.datetime
    finished_at: dt.datetime | None
    units: int
    rule_ids: tuple[str, ...]


@dataclass(frozen=True)
class RuleInfo:
    id: str
    name: str
    summary: str
    severity: str
    category: str
    responsible: str
    rationale: str
    education_topic: str
    references: tuple[str, ...]
    findings: int  # how many findings of this rule the audit has


@dataclass(frozen=True)
class FindingRow:
    finding_id: int
    rule_id: str
    rule_name: str
    severity: str
    category: str
    responsible: str
    person_id: str | None
    person_name: str | None
    encounter_id: str | None  # the user's encounter_id
    date_of_service: dt.date | None
    patient_id: str | None  # pseudonymised when the context is de-identified
    line_number: int | None
    code: str | None
    message: str
    evidence: str | None
    status: str
    financial_impact: Decimal | None


@dataclass(frozen=True)
class RuleCount:
    rule_id: str
    rule_name: str
    count: int
    education_topic: str


@dataclass(frozen=True)
class Scorecard:
    """Accuracy of one coder or provider on this audit."""

    subject_type: str  # "coder" or "provider"
    key: str  # coder_id or NPI
    name: str | None
    encounters: int
    encounters_correct: int
    encounter_accuracy: float
    codes: int
    codes_correct: int
    code_accuracy: float
    passed: bool
    findings: int
    top_rules: tuple[RuleCount, ...]  # most frequent rules first


@dataclass(frozen=True)
class FeedbackItem:
    rule_id: str
    rule_name: str
    count: int
    education_topic: str
    what_correct_looks_like: str  # the rule's rationale: why and what to do instead
    example: str  # one finding message from this person's own records


@dataclass(frozen=True)
class Feedback:
    """Education feedback for one person: what went wrong, how often, what right is."""

    subject_type: str
    key: str
    name: str | None
    accuracy: float
    passed: bool
    items: tuple[FeedbackItem, ...]


@dataclass(frozen=True)
class IntervalLevel:
    confidence: str  # "80", "90", "95" (two-sided)
    lower: float
    upper: float
    precision: float


@dataclass(frozen=True)
class Extrapolation:
    """Overpayment (billed − supported) estimated for the universe from the sample."""

    basis: str  # "cms" or "oig"
    basis_description: str  # which limit is demanded, in words
    universe_size: int
    sample_size: int
    sample_difference: float  # sum over sampled units
    point_estimate: float
    levels: tuple[IntervalLevel, ...]
    demanded_amount: float


@dataclass(frozen=True)
class Summary:
    encounters_reviewed: int
    codes_reviewed: int
    findings: int
    findings_by_severity: dict[str, int]
    findings_by_category: dict[str, int]
    code_accuracy: float
    encounter_accuracy: float
    coders_passed: int
    coders: int
    providers_passed: int
    providers: int


@dataclass(frozen=True)
class ReportContext:
    """Everything a report shows. Build it once; render it many ways."""

    title: str
    generated_at: dt.datetime
    auditkit_version: str
    deidentified: bool
    audit: AuditInfo
    sample: SampleInfo | None
    run: RunInfo | None
    summary: Summary
    rules: tuple[RuleInfo, ...]
    findings: tuple[FindingRow, ...]
    scorecards: tuple[Scorecard, ...]
    feedback: tuple[Feedback, ...]
    extrapolation: Extrapolation | None = None
