"""Mentions of a coded condition in hand-written notes, and what they amount to."""

from __future__ import annotations

import datetime as dt

import pytest

from auditkit.codesets import CodeSets, Icd10cmRelease
from auditkit.notes.evidence import condition_terms, diagnosis_evidence, synonyms, title_terms


@pytest.fixture(scope="module")
def release() -> Icd10cmRelease:
    return CodeSets().for_date(dt.date(2026, 1, 15)).release


def test_title_terms_drop_the_classification_qualifiers() -> None:
    assert title_terms("Type 2 diabetes mellitus without complications") == (
        "Type 2 diabetes mellitus",
    )
    assert title_terms("Essential (primary) hypertension") == ("Essential hypertension",)
    assert title_terms("Other disorders of urinary system") == ()


def test_synonyms_match_by_code_prefix() -> None:
    assert "T2DM" in synonyms("E11.65")
    assert "HTN" in synonyms("I10")
    assert "T2DM" not in synonyms("E10.9")


def test_terms_come_from_titles_inclusion_terms_and_the_table(release: Icd10cmRelease) -> None:
    terms = {term.lower() for term in condition_terms("J44.9", release)}
    assert "chronic obstructive pulmonary disease" in terms  # title
    assert "chronic obstructive lung disease" in terms  # inclusion term
    assert "copd" in terms  # synonym table


@pytest.mark.parametrize(
    ("code", "note", "status", "term"),
    [
        ("I10", "A/P: HTN, well controlled on lisinopril.", "documented", "HTN"),
        ("I10", "Assessment: Essential hypertension.", "documented", "Essential hypertension"),
        ("E11.9", "62 yo with T2DM here for follow-up.", "documented", "T2DM"),
        ("E11.9", "Type II diabetes, diet controlled.", "documented", "type II diabetes"),
        ("I50.9", "CHF exacerbation, increase Lasix.", "documented", "CHF"),
        ("J44.9", "Denies COPD. Lungs clear.", "negated_only", "COPD"),
        ("N39.0", "UA sent to r/o UTI.", "uncertain_only", "UTI"),
        ("N39.0", "Possible urinary tract infection.", "uncertain_only", "urinary tract infection"),
        ("I48.91", "PMH: afib, s/p ablation.", "historical_only", "afib"),
        ("K21.9", "Family history: mother with GERD.", "other_person_only", "GERD"),
        ("M54.50", "Chronic low back pain, worse with lifting.", "documented", "low back pain"),
        ("M17.11", "Right knee OA, moderate.", "documented", "OA"),
        ("I25.10", "Known CAD, stable. No angina.", "documented", "CAD"),
        ("I10", "Patient seen for a sore throat. Pharynx red.", "not_found", None),
    ],
)
def test_diagnosis_evidence(
    release: Icd10cmRelease, code: str, note: str, status: str, term: str | None
) -> None:
    evidence = diagnosis_evidence(code, note, release)
    assert evidence.status == status
    if term is None:
        assert evidence.best is None
    else:
        assert evidence.best is not None
        assert evidence.best.term.lower() == term.lower()
        assert note[evidence.best.start : evidence.best.end].lower().split()[0] in (
            evidence.best.sentence.lower()
        )


def test_the_best_mention_is_the_affirmed_current_one(release: Icd10cmRelease) -> None:
    note = "HPI: denies chest pain.\nPMH: HTN.\nAssessment: hypertension, uncontrolled today."
    evidence = diagnosis_evidence("I10", note, release)
    assert evidence.status == "documented"
    assert evidence.best is not None
    assert evidence.best.sentence == "Assessment: hypertension, uncontrolled today."
    assert len(evidence.mentions) == 2


def test_short_capital_abbreviations_need_capitals(release: Icd10cmRelease) -> None:
    # "oa" inside ordinary words or in lower case is not osteoarthritis
    assert diagnosis_evidence("M17.11", "Patient on a boa diet, oa.", release).status == (
        "not_found"
    )


def test_negated_and_uncertain_mentions_only(release: Icd10cmRelease) -> None:
    note = "CXR negative for pneumonia. Will rule out pneumonia with CT if fever recurs."
    evidence = diagnosis_evidence("J18.9", note, release)
    assert evidence.status == "uncertain_only"
    assert {m.assessment.negation for m in evidence.mentions} == {"negated", "possible"}
