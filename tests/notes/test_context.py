"""The reader's judgment of a condition mention: negation, temporality, experiencer."""

from __future__ import annotations

import pytest

from auditkit.notes.context import assess, find_triggers, tokenize
from auditkit.notes.text import sections, sentences


@pytest.mark.parametrize(
    ("condition", "text", "negation"),
    [
        ("chest pain", "Patient denies chest pain.", "negated"),
        ("edema", "Extremities: no cyanosis, clubbing or edema.", "negated"),
        ("fever", "Neg for fever or chills.", "negated"),
        ("pneumonia", "No e/o pneumonia on CXR.", "negated"),
        ("pneumonia", "Pneumonia was ruled out.", "negated"),
        ("nausea", "Tolerating diet w/o nausea.", "negated"),
        ("effusion", "A pleural effusion is not seen.", "negated"),
        ("PE", "r/o PE.", "possible"),
        ("PE", "CT ordered to rule out PE.", "possible"),
        ("pneumonia", "Likely viral pneumonia.", "possible"),
        ("PE", "PE cannot be excluded.", "possible"),
        ("MI", "Cannot rule out MI.", "possible"),
        ("stenosis", "No change in the stenosis.", "affirmed"),
        ("chest pain", "He has chest pain but denies fever.", "affirmed"),
        ("cough", "Denies fever, however reports cough.", "affirmed"),
        ("bacteremia", "Gram negative bacteremia.", "affirmed"),
        ("knee pain", "c/o R knee pain x 3 days.", "affirmed"),
    ],
)
def test_negation(condition: str, text: str, negation: str) -> None:
    judgment = assess(condition, text)
    assert judgment is not None
    assert judgment.negation == negation


@pytest.mark.parametrize(
    ("condition", "text", "temporality"),
    [
        ("MI", "Hx of MI.", "historical"),
        ("MI", "h/o MI in 2005.", "historical"),
        ("CABG", "s/p CABG.", "historical"),
        ("cholecystectomy", "Status post cholecystectomy.", "historical"),
        ("stroke", "She had a stroke 10 years ago.", "historical"),
        ("DVT", "Previous DVT, on warfarin.", "historical"),
        ("fever", "Return to the ER if fever develops.", "hypothetical"),
        ("nausea", "Zofran as needed for nausea.", "hypothetical"),
        ("fever", "Two-day history of fever.", "recent"),
        ("laceration", "Sustained a laceration two days ago.", "recent"),
        ("cough", "Cough for one week.", "recent"),
        ("chest pain", "History of present illness: chest pain since this morning.", "recent"),
        ("asthma", "Past medical history: asthma, GERD.", "historical"),
        ("GERD", "PMH: asthma, GERD.\nHPI: cough.", "historical"),
        ("cough", "PMH: asthma, GERD.\nHPI: cough.", "recent"),
        ("chest pain", "Hx of CAD who presents with chest pain.", "recent"),
        ("pneumonia", "This 70-year-old has pneumonia.", "recent"),
    ],
)
def test_temporality(condition: str, text: str, temporality: str) -> None:
    judgment = assess(condition, text)
    assert judgment is not None
    assert judgment.temporality == temporality


@pytest.mark.parametrize(
    ("condition", "text", "experiencer"),
    [
        ("breast cancer", "Mother had breast cancer.", "other"),
        ("colon cancer", "Colon cancer (father, age 70).", "other"),
        ("diabetes", "FHx: diabetes.", "other"),
        ("CAD", "Family history:\nCAD in father.\nSocial history: no smoking.", "other"),
        ("smoking", "Family history:\nCAD in father.\nSocial history: no smoking.", "patient"),
        ("diabetes", "Patient has diabetes; his brother has asthma.", "patient"),
    ],
)
def test_experiencer(condition: str, text: str, experiencer: str) -> None:
    judgment = assess(condition, text)
    assert judgment is not None
    assert judgment.experiencer == experiencer


def test_no_mention_is_none() -> None:
    assert assess("asthma", "Patient denies chest pain.") is None


def test_condition_matches_across_spacing_and_hyphens() -> None:
    judgment = assess("low back pain", "No low-back   pain.")
    assert judgment is not None and judgment.negation == "negated"


def test_marked_mention_is_the_one_judged() -> None:
    # annotated corpora write the target in capitals: judge that one, not the first
    judgment = assess("pain", "No pain at rest; PAIN with walking.")
    assert judgment is not None and judgment.negation == "affirmed"


def test_longest_trigger_wins() -> None:
    matches = find_triggers(tokenize("cannot rule out pneumonia"), "certainty")
    assert [m.trigger.phrase for m in matches] == ["cannot rule out"]


def test_sections_and_sentences_keep_offsets() -> None:
    note = "CC: cough.\nPast Medical History: HTN. DM2.\nFamily hx: mother with CAD."
    kinds = [(s.name, s.kind) for s in sections(note)]
    assert kinds == [
        ("CC", "current"),
        ("Past Medical History", "historical"),
        ("Family hx", "family"),
    ]
    found = list(sentences(note))
    assert [s.text for s in found] == [
        "CC: cough.",
        "Past Medical History: HTN.",
        "DM2.",
        "Family hx: mother with CAD.",
    ]
    assert all(note[s.start : s.end] == s.text for s in found)
    assert found[2].section.kind == "historical"


def test_abbreviations_do_not_end_sentences() -> None:
    texts = [s.text for s in sentences("Seen by Dr. Lee today. Metformin 500 mg p.o. b.i.d. daily")]
    assert texts == ["Seen by Dr. Lee today.", "Metformin 500 mg p.o. b.i.d. daily"]


@pytest.mark.parametrize(
    ("condition", "text", "negation"),
    [
        ("tender", "Abdomen soft, non-tender.", "negated"),
        ("fracture", "Non-displaced fracture of the radius.", "affirmed"),
        ("cardiomyopathy", "Non-ischemic cardiomyopathy.", "affirmed"),
        ("ulcer", "Non-healing ulcer of the left heel.", "affirmed"),
    ],
)
def test_non_negates_only_the_word_it_is_joined_to(
    condition: str, text: str, negation: str
) -> None:
    judgment = assess(condition, text)
    assert judgment is not None
    assert judgment.negation == negation
