"""The note-reading helpers SPC003 stands on: sentences, side words, negation, attachment."""

from __future__ import annotations

import pytest

from auditkit.notes.sides import (
    documented_side,
    negated_indices,
    quote,
    side_mentions,
    split_sentences,
    tokenize,
)
from auditkit.notes.vocabulary import ConditionTerms

KNEE_OA = ConditionTerms.from_description(
    "Unilateral primary osteoarthritis, unspecified knee", "knee"
)
SCIATICA = ConditionTerms.from_description("Sciatica, unspecified side", "side")


def test_sentences_split_on_lines_and_ends_but_not_abbreviations() -> None:
    text = "Severe OA of rt. knee. Plan: TKA!\nFollow up in 2 wks with Dr. Lee"
    assert split_sentences(text) == [
        "Severe OA of rt. knee.",
        "Plan: TKA!",
        "Follow up in 2 wks with Dr. Lee",
    ]


def sides(sentence: str) -> list[str]:
    return [mention.side for mention in side_mentions(tokenize(sentence))]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("R knee pain", ["right"]),
        ("lt. knee pain", ["left"]),
        ("right-sided weakness", ["right"]),
        ("pain in both knees", ["bilateral"]),
        ("b/l knee pain", ["bilateral"]),
        ("knees ache bilaterally", ["bilateral"]),
        ("worse on the left", ["left"]),
        ("cataract OD, clear OS", ["right", "left"]),
        ("breast cancer, right, s/p lumpectomy", ["right"]),
        ("breast ca (R)", ["right"]),
        ("left CTS", ["left"]),
        ("patient left the clinic", []),
        ("call right away", []),
        ("right-handed carpenter", []),
        ("right hand dominant", []),
        ("2 L of fluid", []),
    ],
)
def test_side_mentions(sentence: str, expected: list[str]) -> None:
    assert sides(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "negated_word"),
    [
        ("No left knee swelling", "left"),
        ("Denies fever, chills or right knee pain", "right"),
        ("Left TM clear", "Left"),
        ("Mother had left breast cancer", "left"),
    ],
)
def test_negation_scope_covers_the_side(sentence: str, negated_word: str) -> None:
    tokens = tokenize(sentence)
    index = next(i for i, token in enumerate(tokens) if token.text == negated_word)
    assert index in negated_indices(tokens)


def test_negation_stops_at_the_clause() -> None:
    tokens = tokenize("No effusion, but the right knee is tender")
    index = next(i for i, token in enumerate(tokens) if token.text == "right")
    assert index not in negated_indices(tokens)


@pytest.mark.parametrize(
    ("note", "terms", "expected"),
    [
        ("Right knee pain; X-rays show osteoarthritis.", KNEE_OA, "right"),
        ("Osteoarthritis of the knee. Worse on the left.", KNEE_OA, "left"),
        ("Knee OA. Right shoulder bursitis.", KNEE_OA, None),
        ("Knee OA. No left knee effusion.", KNEE_OA, None),
        ("Bilateral knee OA, right worse than left.", KNEE_OA, "bilateral"),
        ("Right knee replaced 2015. Left knee osteoarthritis, worsening.", KNEE_OA, "left"),
        ("Sciatica radiating down the left leg.", SCIATICA, "left"),
        ("Sciatica. Right wrist fracture in 2019.", SCIATICA, None),
    ],
)
def test_documented_side(note: str, terms: ConditionTerms, expected: str | None) -> None:
    evidence = documented_side(note, terms)
    assert (evidence.side if evidence else None) == expected


def test_quote_trims_long_sentences_around_the_side_word() -> None:
    sentence = "x " * 150 + "right knee" + " y" * 150
    trimmed = quote(sentence, sentence.index("right"), 60)
    assert "right knee" in trimmed and trimmed.startswith("…") and trimmed.endswith("…")
    assert len(trimmed) <= 62
    assert quote("short  sentence\nhere") == "short sentence here"
