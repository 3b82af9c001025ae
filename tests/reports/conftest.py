"""A hand-built ReportContext: a realistic quarterly audit laced with hostile strings.

Renderers read only the context, so they are tested without a database. The hostile
values are where real input could put them (finding messages, evidence, person names,
feedback examples) and are exposed through the ``hostile`` fixture so tests can name them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

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

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"onmouseover=alert(1) x="'
IMG = "<img src=x onerror=\"document.title='pwned'\">"
FORMULA = '=HYPERLINK("http://evil","x")'
FORMULA_NAMES = ("+1-2", "@SUM(A1)", "-cmd", "\tx", "\rx")
CMS_REFERENCE = "https://www.cms.gov/medicare/coding-billing/icd-10-codes"
OIG_REFERENCE = "http://oig.hhs.gov/oei/reports/oei-07-03-00470.pdf"

UTC = dt.UTC


@pytest.fixture(scope="session")
def hostile() -> dict[str, object]:
    """The hostile strings the fixture context contains, by role."""
    return {
        "script": SCRIPT,
        "attribute": ATTRIBUTE,
        "img": IMG,
        "formula": FORMULA,
        "formula_names": FORMULA_NAMES,
        "references": (CMS_REFERENCE, OIG_REFERENCE),
    }


RULES = (
    RuleInfo(
        id="DX001",
        name="unspecified-code",
        summary="Unspecified diagnosis code where the note supports a specific one",
        severity="warning",
        category="incorrect_coding",
        responsible="coder",
        rationale="Code to the highest specificity the record documents (laterality, type, "
        "episode); use the specific code the note supports instead of the unspecified one.",
        education_topic="Diagnosis specificity",
        references=("ICD-10-CM Official Guidelines FY2026, Section I.B.18", CMS_REFERENCE),
        findings=7,
    ),
    RuleInfo(
        id="EM001",
        name="em-level-unsupported",
        summary="E/M level higher than the documented MDM or total time supports",
        severity="error",
        category="insufficient_documentation",
        responsible="provider",
        rationale="Since 2021 office E/M levels rest on medical decision making or total "
        "time on the date; bill the level the documented MDM or time supports.",
        education_topic="E/M leveling by MDM and time",
        references=("AMA CPT E/M Services Guidelines", "CMS Claims Processing Manual ch. 12"),
        findings=3,
    ),
    RuleInfo(
        id="MOD025",
        name="modifier-25-unsupported",
        summary="Modifier 25 without a significant, separately identifiable E/M service",
        severity="error",
        category="incorrect_coding",
        responsible="provider",
        rationale="Modifier 25 needs documentation of an E/M beyond the procedure's usual "
        "pre- and post-service work; otherwise bill the procedure alone.",
        education_topic="Modifier 25",
        references=("NCCI Policy Manual ch. I, section D", OIG_REFERENCE),
        findings=1,
    ),
    RuleInfo(
        id="DOC001",
        name="unsigned-note",
        summary="Note not authenticated by the rendering provider",
        severity="info",
        category="no_documentation",
        responsible="provider",
        rationale="An unsigned note does not support the service; sign within policy time.",
        education_topic="Authentication of records",
        references=(),
        findings=1,
    ),
    RuleInfo(
        id="DX002",
        name="invalid-code",
        summary="Diagnosis code not valid on the date of service",
        severity="error",
        category="incorrect_coding",
        responsible="coder",
        rationale="Only billable codes valid on the date of service may be reported.",
        education_topic="Code set updates",
        references=("ICD-10-CM Tabular List",),
        findings=0,
    ),
)

_RULES = {rule.id: rule for rule in RULES}


def _finding(
    finding_id: int,
    rule_id: str,
    person: tuple[str, str | None],
    encounter: str,
    message: str,
    *,
    code: str | None = None,
    evidence: str | None = None,
    impact: str | None = None,
    line: int | None = 1,
) -> FindingRow:
    rule = _RULES[rule_id]
    return FindingRow(
        finding_id=finding_id,
        rule_id=rule_id,
        rule_name=rule.name,
        severity=rule.severity,
        category=rule.category,
        responsible=rule.responsible,
        person_id=person[0],
        person_name=person[1],
        encounter_id=encounter,
        date_of_service=dt.date(2026, 1, 5) + dt.timedelta(days=(finding_id - 100) * 6),
        patient_id=f"P-{7100 + finding_id * 37}",
        line_number=line,
        code=code,
        message=message,
        evidence=evidence,
        status="confirmed" if finding_id % 3 else "open",
        financial_impact=Decimal(impact) if impact is not None else None,
    )


DANA = ("C001", "Dana Whitfield")
MARCUS = ("C002", "Marcus Oyelaran")
RAMAN = ("1457382910", "Priya Raman, MD")
KELLER = ("1689403217", "Thomas Keller, DO")

FINDINGS = (
    _finding(
        101,
        "DX001",
        DANA,
        "E-240117",
        "M54.50 Low back pain, unspecified: note documents vertebrogenic pain",
        code="M54.50",
        evidence="HPI: 'vertebrogenic low back pain, L4-L5'",
    ),
    _finding(102, "DX001", MARCUS, "E-240122", SCRIPT, code="E11.9", evidence=ATTRIBUTE),
    _finding(
        103,
        "EM001",
        KELLER,
        "E-240131",
        "99215 billed; documented MDM is moderate (supports 99214)",
        code="99215",
        evidence="Total time: 22 minutes",
        impact="54.12",
    ),
    _finding(104, "MOD025", KELLER, "E-240140", FORMULA, code="99213", impact="96.40", line=2),
    _finding(
        105,
        "EM001",
        RAMAN,
        "E-240152",
        "99204 billed; time 28 min supports 99203",
        code="99204",
        impact="38.90",
    ),
    _finding(106, "DOC001", KELLER, "E-240161", "Note unsigned 12 days after the visit", line=None),
    _finding(
        107,
        "EM001",
        ("1093817465", IMG),
        "E-240170",
        "99212 billed; MDM moderate supports 99214 (underbilled)",
        code="99212",
        impact="-45.10",
    ),
    *(
        _finding(110 + i, "DX001", (f"C9{i}", name), f"E-2402{i:02}", f"Specificity gap {i}")
        for i, name in enumerate(FORMULA_NAMES)
    ),
)


def _scorecard(
    subject_type: str,
    person: tuple[str, str | None],
    encounters: tuple[int, int],
    codes: tuple[int, int],
    top: tuple[tuple[str, int], ...],
) -> Scorecard:
    code_accuracy = codes[0] / codes[1]
    return Scorecard(
        subject_type=subject_type,
        key=person[0],
        name=person[1],
        encounters=encounters[1],
        encounters_correct=encounters[0],
        encounter_accuracy=encounters[0] / encounters[1],
        codes=codes[1],
        codes_correct=codes[0],
        code_accuracy=code_accuracy,
        passed=code_accuracy >= 0.95,
        findings=sum(count for _, count in top),
        top_rules=tuple(
            RuleCount(rule_id, _RULES[rule_id].name, count, _RULES[rule_id].education_topic)
            for rule_id, count in top
        ),
    )


SCORECARDS = (
    _scorecard("coder", DANA, (13, 14), (35, 36), (("DX001", 1),)),
    _scorecard("coder", MARCUS, (9, 13), (33, 37), (("DX001", 4),)),
    _scorecard("coder", ("C003", None), (13, 13), (39, 39), ()),
    _scorecard("provider", RAMAN, (14, 15), (38, 39), (("EM001", 1),)),
    _scorecard("provider", KELLER, (8, 13), (32, 37), (("EM001", 3), ("MOD025", 2))),
    _scorecard("provider", ("1093817465", IMG), (10, 12), (30, 36), (("EM001", 1),)),
)


def _item(rule_id: str, count: int, example: str) -> FeedbackItem:
    rule = _RULES[rule_id]
    return FeedbackItem(rule_id, rule.name, count, rule.education_topic, rule.rationale, example)


FEEDBACK = (
    Feedback("coder", *MARCUS, 33 / 37, False, (_item("DX001", 4, SCRIPT),)),
    Feedback(
        "provider",
        *KELLER,
        32 / 37,
        False,
        (
            _item("EM001", 3, "99215 billed; documented MDM is moderate (supports 99214)"),
            _item("MOD025", 2, FORMULA),
        ),
    ),
    Feedback("provider", "1093817465", IMG, 30 / 36, False, (_item("EM001", 1, ATTRIBUTE),)),
)


@pytest.fixture(scope="session")
def report_context() -> ReportContext:
    """The fixture context, frozen so it is shared; tests vary it with ``dataclasses.replace``."""
    return ReportContext(
        title="Quarterly Coding Compliance Audit",
        generated_at=dt.datetime(2026, 4, 14, 9, 30, tzinfo=UTC),
        auditkit_version="0.1.0",
        deidentified=True,
        audit=AuditInfo(
            name="Family Medicine — Medicare Part B, Q1 2026",
            period_from=dt.date(2026, 1, 1),
            period_to=dt.date(2026, 3, 31),
            filters={"department": "Family Medicine", "payer": ["Medicare Part B"]},
            status="reviewed",
            created_at=dt.datetime(2026, 4, 1, 8, 0, tzinfo=UTC),
            scoring_measure="code",
            pass_threshold=0.95,
            scoring_description="Code-over-code: correct codes divided by the codes the "
            "auditor says should be reported; each diagnosis and procedure code is one point; "
            "a wrong modifier or units earns no credit for that line.",
        ),
        sample=SampleInfo(
            method="simple random",
            generator="RAT-STATS",
            generator_version="2010",
            seed="20260402",
            frame_definition={"unit": "encounter", "place_of_service": "11"},
            frame_size=1842,
            frame_amount=Decimal("412337.50"),
            frame_hash="sha256:9f2c4e71a0b35d8866c1f0e2d7a94b3c5e6f708192a3b4c5d6e7f8091a2b3c4d",
            size=40,
            spares=5,
            design={"design": "simple random", "confidence": "90%", "precision": "10%"},
            drawn_at=dt.datetime(2026, 4, 2, 10, 15, tzinfo=UTC),
        ),
        run=RunInfo(
            started_at=dt.datetime(2026, 4, 3, 14, 0, 5, tzinfo=UTC),
            finished_at=dt.datetime(2026, 4, 3, 14, 0, 9, tzinfo=UTC),
            units=40,
            rule_ids=tuple(rule.id for rule in RULES),
        ),
        summary=Summary(
            encounters_reviewed=40,
            codes_reviewed=112,
            findings=len(FINDINGS),
            findings_by_severity={"error": 4, "warning": 7, "info": 1},
            findings_by_category={
                "incorrect_coding": 8,
                "insufficient_documentation": 3,
                "no_documentation": 1,
            },
            code_accuracy=104 / 112,
            encounter_accuracy=32 / 40,
            coders_passed=2,
            coders=3,
            providers_passed=1,
            providers=3,
        ),
        rules=RULES,
        findings=FINDINGS,
        scorecards=SCORECARDS,
        feedback=FEEDBACK,
        extrapolation=Extrapolation(
            basis="cms",
            basis_description="CMS demands the lower limit of a one-sided 90% confidence "
            "interval, which is the lower limit of the two-sided 80% interval.",
            universe_size=1842,
            sample_size=40,
            sample_difference=1312.40,
            point_estimate=60436.02,
            levels=(
                IntervalLevel("80", 41210.55, 79661.49, 19225.47),
                IntervalLevel("90", 35741.18, 85130.86, 24694.84),
                IntervalLevel("95", 30932.77, 89939.27, 29503.25),
            ),
            demanded_amount=41210.55,
        ),
    )
