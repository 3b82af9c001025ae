"""Fill a :class:`ReportContext` from the database: the only place reports touch it."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections import Counter, defaultdict
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from auditkit import __version__
from auditkit.audits.extrapolation import AuditExtrapolation, extrapolate_audit
from auditkit.audits.run import find_latest_run, find_latest_sample
from auditkit.audits.scope import describe_scoring
from auditkit.audits.scoring import codes_per_encounter
from auditkit.db.models import (
    Audit,
    Coder,
    Encounter,
    Finding,
    Provider,
    Sample,
    Score,
)
from auditkit.errors import AuditkitError
from auditkit.plugin_manager import CheckRegistry
from auditkit.reports.context import (
    AuditInfo,
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

QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")


class Pseudonyms:
    """Stable-within-one-report stand-ins for identifiers; the salt is never stored."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.salt = secrets.token_bytes(16)

    def __call__(self, value: str | None) -> str | None:
        if value is None:
            return None
        digest = hashlib.sha256(self.salt + value.encode()).hexdigest()[:10]
        return f"{self.prefix}-{digest}"


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


def _rule_info(registry: CheckRegistry, rule_id: str, count: int) -> RuleInfo:
    entry = registry.rules.get(rule_id)
    if entry is None:  # the plugin was uninstalled since the run
        return RuleInfo(rule_id, rule_id, "(plugin not installed)", "", "", "", "", "", (), count)
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
    rules: dict[str, RuleInfo],
    names: dict[tuple[str, str], str | None],
    deidentify: bool,
) -> list[FindingRow]:
    patient = Pseudonyms("PT") if deidentify else None
    encounter = Pseudonyms("ENC") if deidentify else None
    scrub: Callable[[str], str] = (lambda text: QUOTED.sub("“…”", text)) if deidentify else str
    query = (
        select(Finding, Encounter.encounter_key, Encounter.date_of_service)
        .outerjoin(Encounter, Encounter.id == Finding.encounter_id)
        .where(Finding.audit_id == audit.id)
        .order_by(Finding.id)
    )
    rows = []
    for finding, encounter_key, dos in session.execute(query):
        rule = rules.get(finding.rule_id)
        rows.append(
            FindingRow(
                finding_id=finding.id,
                rule_id=finding.rule_id,
                rule_name=rule.name if rule else finding.rule_id,
                severity=finding.severity,
                category=finding.category,
                responsible=finding.responsible,
                person_id=finding.person_id,
                person_name=names.get((finding.responsible, finding.person_id or "")),
                encounter_id=encounter(encounter_key) if encounter else encounter_key,
                date_of_service=None if deidentify else dos,
                patient_id=patient(finding.patient_id) if patient else finding.patient_id,
                line_number=finding.line_number,
                code=finding.code,
                message=scrub(finding.message),
                evidence=None if deidentify else finding.evidence,
                status=finding.status,
                financial_impact=finding.financial_impact,
            )
        )
    return rows


def _scorecards(
    session: Session, audit: Audit, findings: list[FindingRow], rules: dict[str, RuleInfo]
) -> list[Scorecard]:
    counted = [f for f in findings if f.status != "dismissed"]
    per_person: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for finding in counted:
        per_person[(finding.responsible, finding.person_id or "")][finding.rule_id] += 1
    scores: dict[tuple[str, str], dict[str, Score]] = defaultdict(dict)
    for score in session.scalars(select(Score).where(Score.audit_id == audit.id)):
        scores[(score.subject_type, score.subject_key)][score.measure] = score
    cards = []
    for (subject_type, key), by_measure in sorted(scores.items()):
        code, enc = by_measure["code"], by_measure["encounter"]
        rule_counts = per_person.get((subject_type, key), Counter())
        cards.append(
            Scorecard(
                subject_type=subject_type,
                key=key,
                name=code.subject_name,
                encounters=enc.total,
                encounters_correct=enc.correct,
                encounter_accuracy=enc.accuracy,
                codes=code.total,
                codes_correct=code.correct,
                code_accuracy=code.accuracy,
                passed=code.passed,
                findings=sum(rule_counts.values()),
                top_rules=tuple(
                    RuleCount(
                        rule_id,
                        rules[rule_id].name if rule_id in rules else rule_id,
                        count,
                        rules[rule_id].education_topic if rule_id in rules else "",
                    )
                    for rule_id, count in rule_counts.most_common()
                ),
            )
        )
    return cards


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
    session: Session,
    sample: Sample | None,
    findings: list[FindingRow],
    cards: list[Scorecard],
) -> Summary:
    counted = [f for f in findings if f.status != "dismissed"]
    per_encounter = codes_per_encounter(session, sample.id) if sample is not None else {}
    encounters, codes = len(per_encounter), sum(per_encounter.values())
    wrong_encounters = {f.encounter_id for f in counted if f.encounter_id}
    wrong_codes = {(f.encounter_id, f.code or f.line_number or f.finding_id) for f in counted}
    coders = [c for c in cards if c.subject_type == "coder"]
    providers = [c for c in cards if c.subject_type == "provider"]
    return Summary(
        encounters_reviewed=encounters,
        codes_reviewed=codes,
        findings=len(findings),
        findings_by_severity=dict(Counter(f.severity for f in findings)),
        findings_by_category=dict(Counter(f.category for f in findings)),
        code_accuracy=(codes - min(codes, len(wrong_codes))) / codes if codes else 1.0,
        encounter_accuracy=(encounters - len(wrong_encounters)) / encounters if encounters else 1.0,
        coders_passed=sum(c.passed for c in coders),
        coders=len(coders),
        providers_passed=sum(c.passed for c in providers),
        providers=len(providers),
    )


def _extrapolation(found: AuditExtrapolation | None) -> Extrapolation | None:
    if found is None:
        return None
    result = found.result
    return Extrapolation(
        basis=result.basis,
        basis_description=result.basis_description,
        universe_size=found.universe_size,
        sample_size=found.sample_size,
        sample_difference=result.sample_overpayment,
        point_estimate=result.point_estimate,
        levels=tuple(
            IntervalLevel(level, interval.lower, interval.upper, interval.precision)
            for level, interval in sorted(result.levels.items())
        ),
        demanded_amount=result.demanded_amount,
    )


def build_report_context(
    session: Session, audit: Audit, registry: CheckRegistry, *, deidentify: bool = False
) -> ReportContext:
    sample = find_latest_sample(session, audit)
    run = find_latest_run(session, audit)
    counts = Counter(
        session.scalars(select(Finding.rule_id).where(Finding.audit_id == audit.id)).all()
    )
    rule_ids = sorted(set(run.rules) if run else set()) or sorted(counts)
    rules = {rule_id: _rule_info(registry, rule_id, counts.get(rule_id, 0)) for rule_id in rule_ids}
    findings = _finding_rows(session, audit, rules, _names(session), deidentify)
    cards = _scorecards(session, audit, findings, rules)
    return ReportContext(
        title=f"Coding compliance audit: {audit.name}",
        generated_at=dt.datetime.now().replace(microsecond=0),
        auditkit_version=__version__,
        deidentified=deidentify,
        audit=_audit_info(audit),
        sample=_sample_info(sample),
        run=RunInfo(run.started_at, run.finished_at, run.units, tuple(sorted(run.rules)))
        if run
        else None,
        summary=_summary(session, sample, findings, cards),
        rules=tuple(rules.values()),
        findings=tuple(findings),
        scorecards=tuple(cards),
        feedback=tuple(_feedback(cards, findings, rules, audit.scoring["measure"])),
        extrapolation=_extrapolation(_try_extrapolate(session, audit)) if run else None,
    )


def _try_extrapolate(session: Session, audit: Audit) -> AuditExtrapolation | None:
    """The report still renders when the sample cannot be extrapolated (e.g. n < 2)."""
    try:
        return extrapolate_audit(session, audit)
    except AuditkitError:
        return None
