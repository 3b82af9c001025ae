"""Fill a :class:`ReportContext` from what ``audit run`` stored: the only place reports
touch the database.

Nothing is computed here: scores, the summary, coverage and the extrapolation were stored
when the audit ran (:mod:`auditkit.audits.figures`). This module reads them and the
findings, and shapes them for the renderers; an audit that was never run has no report.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from auditkit import __version__, trail
from auditkit.audits.figures import read_figures
from auditkit.audits.run import find_latest_run, find_latest_sample
from auditkit.audits.scope import describe_scoring
from auditkit.db.models import (
    Audit,
    CheckRun,
    Coder,
    Encounter,
    Provider,
    Sample,
    Score,
    StoredFinding,
)
from auditkit.errors import AuditkitError
from auditkit.plugin_manager import CheckRegistry, plugin_manager
from auditkit.reports.context import (
    AuditInfo,
    ComponentCoverage,
    ComponentScore,
    Extrapolation,
    Feedback,
    FeedbackItem,
    FindingRow,
    IntervalLevel,
    ReportContext,
    RuleCount,
    RuleInfo,
    RunInfo,
    SampleInfo,
    Scorecard,
    Summary,
)
from auditkit.reports.deidentify import Deidentifier, known_identifiers, section_texts
from auditkit.reports.sections import ReportSection
from auditkit.units import dotted

COMPONENTS = ("diagnoses", "lines", "note")


def _audit_info(audit: Audit) -> AuditInfo:
    return AuditInfo(
        name=audit.name,
        period_from=audit.period_from,
        period_to=audit.period_to,
        filters=dict(audit.filters),
        status=audit.status,
        created_at=audit.created_at,
        scoring_measure=audit.scoring["measure"],
        pass_threshold=audit.scoring["pass_threshold"],
        scoring_description=describe_scoring(audit.scoring),
    )


def _sample_info(sample: Sample | None) -> SampleInfo | None:
    if sample is None:
        return None
    return SampleInfo(
        method=sample.method,
        generator=sample.generator,
        generator_version=sample.generator_version,
        seed=sample.seed,
        frame_definition=dict(sample.frame_definition),
        frame_size=sample.frame_size,
        frame_amount=sample.frame_amount,
        frame_hash=sample.frame_hash,
        size=sample.size,
        spares=sample.spares,
        design=dict(sample.design),
        drawn_at=sample.drawn_at,
    )


def _rule_info(
    registry: CheckRegistry, rule_id: str, count: int, coverage: Mapping[str, Any]
) -> RuleInfo:
    covered = coverage.get(rule_id, {})
    entry = registry.rules.get(rule_id)
    if entry is None:  # the plugin was uninstalled since the run
        return RuleInfo(
            rule_id,
            rule_id,
            "(plugin not installed)",
            "",
            "",
            "",
            "",
            "",
            (),
            count,
            unit_kind=covered.get("unit_kind", ""),
            units=covered.get("units"),
            units_failed=covered.get("failed"),
        )
    rule = entry.rule
    return RuleInfo(
        id=rule.id,
        name=rule.name,
        summary=rule.summary,
        severity=rule.severity,
        category=rule.category,
        responsible=rule.responsible,
        rationale=rule.rationale,
        education_topic=rule.education_topic,
        references=rule.references,
        findings=count,
        examines=tuple(rule.examines),
        unit_kind=covered.get("unit_kind", entry.check.unit_kind),
        units=covered.get("units"),
        units_failed=covered.get("failed"),
    )


def _names(session: Session) -> dict[tuple[str, str], str | None]:
    names: dict[tuple[str, str], str | None] = {}
    for key, name in session.execute(select(Coder.coder_key, Coder.name)):
        names[("coder", key)] = name
    for key, name in session.execute(select(Provider.npi, Provider.name)):
        names[("provider", key)] = name
    return names


def _finding_rows(
    session: Session,
    audit: Audit,
    run: CheckRun,
    rules: dict[str, RuleInfo],
    deidentify: bool,
) -> list[FindingRow]:
    names = _names(session)
    query = (
        select(StoredFinding, Encounter.encounter_key, Encounter.date_of_service)
        .outerjoin(Encounter, Encounter.id == StoredFinding.encounter_id)
        .where(StoredFinding.run_id == run.id)
        .order_by(StoredFinding.id)
    )
    found = session.execute(query).all()
    rows = [
        FindingRow(
            finding_id=finding.id,
            rule_id=finding.rule_id,
            rule_name=rules[finding.rule_id].name if finding.rule_id in rules else finding.rule_id,
            severity=finding.severity,
            category=finding.category,
            responsible=finding.responsible,
            person_id=finding.person_id,
            person_name=names.get((finding.responsible, finding.person_id or "")),
            encounter_id=encounter_key,
            date_of_service=dos,
            patient_id=finding.patient_id,
            line_number=finding.line_number,
            code=_display_code(finding.code, finding.component),
            message=finding.message,
            evidence=finding.evidence,
            status=finding.status,
            financial_impact=finding.financial_impact,
            coded=finding.coded,
            audited=finding.audited,
        )
        for finding, encounter_key, dos in found
    ]
    if not deidentify:
        return rows
    texts = [text for row in rows for text in (row.message, row.evidence) if text]
    safe = Deidentifier(audit.deid_salt or "", known_identifiers(session, texts))
    return [safe.finding(row) for row in rows]


def _display_code(code: str | None, component: str | None) -> str | None:
    """Diagnosis codes are stored without the dot; people read them with it."""
    return dotted(code) if code and component == "diagnoses" else code


def _scores(session: Session, audit: Audit) -> dict[tuple[str, str], dict[tuple[str, str], Score]]:
    """Stored scores by subject, then by (component, measure)."""
    found: dict[tuple[str, str], dict[tuple[str, str], Score]] = defaultdict(dict)
    for score in session.scalars(select(Score).where(Score.audit_id == audit.id)):
        found[(score.subject_type, score.subject_key)][(score.component, score.measure)] = score
    return found


def _scorecard(
    subject_type: str,
    key: str,
    stored: dict[tuple[str, str], Score],
    rule_counts: Mapping[str, int],
    rules: dict[str, RuleInfo],
) -> Scorecard:
    code, encounter = stored[("all", "code")], stored[("all", "encounter")]
    return Scorecard(
        subject_type=subject_type,
        key=key,
        name=code.subject_name,
        encounters=encounter.total,
        encounters_correct=encounter.correct,
        encounter_accuracy=encounter.accuracy,
        codes=code.total if code.accuracy is not None else 0,
        codes_correct=code.correct,
        code_accuracy=code.accuracy,
        passed=code.passed,
        findings=code.findings,
        top_rules=tuple(
            RuleCount(
                rule_id,
                rules[rule_id].name if rule_id in rules else rule_id,
                count,
                rules[rule_id].education_topic if rule_id in rules else "",
            )
            for rule_id, count in sorted(rule_counts.items(), key=lambda item: (-item[1], item[0]))
        ),
        components=tuple(
            ComponentScore(
                component=component,
                items=stored[(component, "code")].total,
                items_correct=stored[(component, "code")].correct,
                code_accuracy=stored[(component, "code")].accuracy,
                encounter_accuracy=stored[(component, "encounter")].accuracy,
            )
            for component in COMPONENTS
            if (component, "code") in stored
        ),
    )


def _scorecards(
    scores: dict[tuple[str, str], dict[tuple[str, str], Score]],
    by_person: Mapping[str, Mapping[str, Mapping[str, int]]],
    rules: dict[str, RuleInfo],
    subject_types: tuple[str, ...],
) -> list[Scorecard]:
    return [
        _scorecard(subject_type, key, stored, by_person.get(subject_type, {}).get(key, {}), rules)
        for (subject_type, key), stored in sorted(scores.items())
        if subject_type in subject_types
    ]


def _feedback(
    cards: list[Scorecard],
    findings: list[FindingRow],
    rules: dict[str, RuleInfo],
    measure: str,
) -> list[Feedback]:
    """One letter per person with findings: each rule, how often, an example, what's right."""
    examples: dict[tuple[str, str, str], str] = {}
    for finding in findings:
        examples.setdefault(
            (finding.responsible, finding.person_id or "", finding.rule_id), finding.message
        )
    letters = []
    for card in cards:
        if not card.top_rules:
            continue
        items = []
        for count in card.top_rules:
            rule = rules.get(count.rule_id)
            items.append(
                FeedbackItem(
                    rule_id=count.rule_id,
                    rule_name=count.rule_name,
                    count=count.count,
                    education_topic=count.education_topic,
                    what_correct_looks_like=rule.rationale if rule else "",
                    example=examples.get((card.subject_type, card.key, count.rule_id), ""),
                )
            )
        accuracy = card.code_accuracy if measure == "code" else card.encounter_accuracy
        letters.append(
            Feedback(card.subject_type, card.key, card.name, accuracy, card.passed, tuple(items))
        )
    return letters


def _summary(
    figure: Mapping[str, Any],
    scores: dict[tuple[str, str], dict[tuple[str, str], Score]],
    cards: list[Scorecard],
) -> Summary:
    audit_scores = scores.get(("audit", "audit"), {})
    code = audit_scores.get(("all", "code"))
    encounter = audit_scores.get(("all", "encounter"))
    coverage = []
    for component, rule_ids in figure["components"].items():
        stored = audit_scores.get((component, "code"))
        coverage.append(
            ComponentCoverage(
                component=component,
                rules=tuple(rule_ids),
                items=stored.total if stored is not None else 0,
                code_accuracy=stored.accuracy if stored is not None else None,
            )
        )
    reviewable = figure.get("reviewable", {})

    def passed(subject_type: str) -> int | None:
        if not reviewable.get(subject_type):
            return None
        return sum(bool(c.passed) for c in cards if c.subject_type == subject_type)

    return Summary(
        encounters_reviewed=encounter.total if encounter is not None else 0,
        codes_reviewed=code.total if code is not None and code.accuracy is not None else 0,
        findings=figure["findings"],
        findings_by_severity=dict(figure["findings_by_severity"]),
        findings_by_category=dict(figure["findings_by_category"]),
        code_accuracy=code.accuracy if code is not None else None,
        encounter_accuracy=encounter.accuracy if encounter is not None else None,
        coders_passed=passed("coder"),
        coders=sum(c.subject_type == "coder" for c in cards),
        providers_passed=passed("provider"),
        providers=sum(c.subject_type == "provider" for c in cards),
        coverage=tuple(coverage),
        overpaid=Decimal(figure.get("overpaid", "0")),
        underpaid=Decimal(figure.get("underpaid", "0")),
    )


def _extrapolation(figure: Mapping[str, Any]) -> Extrapolation | None:
    if not figure.get("available"):
        return None
    return Extrapolation(
        basis=figure["basis"],
        basis_description=figure["basis_description"],
        universe_size=figure["universe_size"],
        sample_size=figure["sample_size"],
        sample_difference=figure["sample_overpayment"],
        point_estimate=figure["point_estimate"],
        levels=tuple(
            IntervalLevel(level, value["lower"], value["upper"], value["precision"])
            for level, value in sorted(figure["levels"].items())
        ),
        demanded_amount=figure["demanded_amount"],
    )


def _stored_run(session: Session, audit: Audit) -> tuple[CheckRun, dict[str, Any]]:
    run = find_latest_run(session, audit)
    if run is None or run.finished_at is None:
        raise AuditkitError(
            f"audit {audit.name!r} has not been run, so it has no results to report; run "
            f"`auditkit audit run {audit.name}` first"
        )
    figures = read_figures(session, run.id)
    if "summary" not in figures:
        raise AuditkitError(
            f"audit {audit.name!r} was run by an older auditkit that did not store its "
            f"figures; run `auditkit audit run {audit.name}` again"
        )
    return run, figures


def _sections(context: ReportContext) -> tuple[ReportSection, ...]:
    """Sections plugins add, in plugin order, each tagged with its plugin."""
    sections: list[ReportSection] = []
    for impl in plugin_manager().hook.auditkit_report_sections.get_hookimpls():
        returned: Any = impl.function(context=context)  # pluggy types the call as object
        for section in returned or ():
            sections.append(
                ReportSection(
                    key=section.key,
                    title=section.title,
                    paragraphs=tuple(section.paragraphs),
                    tables=tuple(section.tables),
                    plugin=impl.plugin_name,
                )
            )
    return tuple(sections)


def build_report_context(
    session: Session,
    audit: Audit,
    registry: CheckRegistry,
    *,
    deidentify: bool = False,
    generated_at: dt.datetime | None = None,
    purpose: Mapping[str, Any] | None = None,
) -> ReportContext:
    """The report of a run audit, read from its stored results (refused when not run).

    Reading it is recorded in auditkit's access trail, with ``purpose`` (e.g. the output
    file and format) as the entry's detail.
    """
    run, figures = _stored_run(session, audit)
    trail.record(
        session,
        "report",
        "read",
        f"audit:{audit.name}",
        deidentified=deidentify,
        **dict(purpose or {}),
    )
    summary_figure = figures["summary"]
    counts = summary_figure["findings_by_rule"]
    coverage = figures.get("coverage", {})
    rules = {
        rule_id: _rule_info(registry, rule_id, counts.get(rule_id, 0), coverage)
        for rule_id in sorted(set(run.rules) | set(counts))
    }
    findings = _finding_rows(session, audit, run, rules, deidentify)
    scores = _scores(session, audit)
    by_person = summary_figure.get("rules_by_person", {})
    cards = _scorecards(scores, by_person, rules, ("coder", "provider"))
    extrapolation = figures.get("extrapolation", {})
    context = ReportContext(
        title=f"Coding compliance audit: {audit.name}",
        generated_at=generated_at or dt.datetime.now().replace(microsecond=0),
        auditkit_version=__version__,
        deidentified=deidentify,
        audit=_audit_info(audit),
        sample=_sample_info(find_latest_sample(session, audit)),
        run=RunInfo(
            run.started_at,
            run.finished_at,
            run.units,
            tuple(sorted(run.rules)),
            dict(run.plugins),
            dict(run.references),
        ),
        summary=_summary(summary_figure, scores, cards),
        rules=tuple(rules.values()),
        findings=tuple(findings),
        scorecards=tuple(cards),
        feedback=tuple(_feedback(cards, findings, rules, audit.scoring["measure"])),
        extrapolation=_extrapolation(extrapolation),
        extrapolation_note=None if extrapolation.get("available") else extrapolation.get("reason"),
        departments=tuple(_scorecards(scores, {}, rules, ("department",))),
        figures={
            name.removeprefix("plugin:"): value
            for name, value in figures.items()
            if name.startswith("plugin:")
        },
    )
    sections = _sections(context)
    if deidentify:  # plugins' text can name patients too
        texts = [text for section in sections for text in section_texts(section)]
        safe = Deidentifier(audit.deid_salt or "", known_identifiers(session, texts))
        sections = tuple(safe.section(section) for section in sections)
    return replace(context, sections=sections)
