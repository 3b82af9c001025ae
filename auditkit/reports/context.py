"""The report context: everything a report shows, in one documented object.

Renderers (HTML, Excel, terminal) read only this object, never the database, so every
output tells the same story and a renderer can be tested with a hand-built context.
:func:`auditkit.reports.build.build_report_context` fills it from what ``audit run`` stored:
the scores, the figures and the findings. Nothing here is computed at report time.

An accuracy or a pass of ``None`` means *not reviewed*: no enabled rule could examine that
part or person. Renderers show it as such, never as a pass.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from auditkit.reports.sections import ReportSection


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
    plugins: dict[str, str] = field(default_factory=dict)  # plugin -> version
    references: dict[str, Any] = field(default_factory=dict)  # kind -> editions used


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
    examines: tuple[str, ...] = ()
    unit_kind: str = "encounter"
    units: int | None = None  # units of its kind the rule examined in the run
    units_failed: int | None = None


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
    coded: str | None = None
    audited: str | None = None


@dataclass(frozen=True)
class RuleCount:
    rule_id: str
    rule_name: str
    count: int
    education_topic: str


@dataclass(frozen=True)
class ComponentScore:
    """One component (diagnoses, lines, note) of a subject's score; None = not reviewed."""

    component: str
    items: int
    items_correct: int
    code_accuracy: float | None
    encounter_accuracy: float | None

    @property
    def reviewed(self) -> bool:
        return self.code_accuracy is not None


@dataclass(frozen=True)
class Scorecard:
    """Accuracy of one coder, provider or department on this audit (as stored at run time).

    ``codes`` counts the items of the reviewed components only; accuracies and ``passed``
    are None when no enabled rule can examine this person (not reviewed)."""

    subject_type: str  # "coder", "provider" or "department"
    key: str  # coder_id, NPI or department
    name: str | None
    encounters: int
    encounters_correct: int
    encounter_accuracy: float | None
    codes: int
    codes_correct: int
    code_accuracy: float | None
    passed: bool | None
    findings: int
    top_rules: tuple[RuleCount, ...]  # most frequent rules first
    components: tuple[ComponentScore, ...] = ()

    @property
    def reviewed(self) -> bool:
        return self.passed is not None


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
    accuracy: float | None
    passed: bool | None
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
class ComponentCoverage:
    """Whether any enabled rule examined a component, and which rules did."""

    component: str  # "diagnoses", "lines", "note", "event"
    rules: tuple[str, ...]
    items: int  # how many items of it the sample holds (0 for "event")
    code_accuracy: float | None  # audit-wide; None = not reviewed

    @property
    def reviewed(self) -> bool:
        return bool(self.rules)


@dataclass(frozen=True)
class Summary:
    """The audit's headline figures. ``codes_reviewed`` counts only items of reviewed
    components; accuracies are None when nothing was reviewed; passed counts are None when
    no enabled rule can examine that kind of person."""

    encounters_reviewed: int
    codes_reviewed: int
    findings: int
    findings_by_severity: dict[str, int]
    findings_by_category: dict[str, int]
    code_accuracy: float | None
    encounter_accuracy: float | None
    coders_passed: int | None
    coders: int
    providers_passed: int | None
    providers: int
    coverage: tuple[ComponentCoverage, ...] = ()
    overpaid: Decimal = Decimal(0)
    underpaid: Decimal = Decimal(0)

    @property
    def not_reviewed(self) -> tuple[str, ...]:
        return tuple(c.component for c in self.coverage if not c.reviewed and c.items)


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
    extrapolation_note: str | None = None  # why there is no extrapolation, when there is none
    departments: tuple[Scorecard, ...] = ()
    figures: dict[str, Any] = field(default_factory=dict)  # plugins' stored figures by name
    sections: tuple[ReportSection, ...] = ()  # added by plugins (auditkit_report_sections)
