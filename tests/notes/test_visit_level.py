"""Total time and MDM level read from note text."""

from __future__ import annotations

import pytest

from auditkit.notes.visit_level import documented_mdm_level, documented_total_time


@pytest.mark.parametrize(
    ("note", "minutes"),
    [
        ("Total time spent: 32 minutes.", 32),
        ("I spent 45 min with the patient and family.", 45),
        ("Time: 40 minutes including review of outside records.", 40),
        ("Total time on the date of the encounter was 1 hour 10 minutes.", 70),
        ("I personally spent 1.5 hours on this visit.", 90),
        ("30-39 minutes total time spent on the day of the visit.", 30),
        ("Greater than 50% of this 25 minute visit was spent counseling.", 25),
        ("45 minutes were spent face to face with the patient.", 45),
        (
            "Spent 20 minutes counseling on diet.\nTotal time spent today: 45 minutes.",
            45,
        ),
        ("HPI: chest pain for 20 minutes.\nTotal time: 35 min.", 35),
    ],
)
def test_documented_total_time(note: str, minutes: int) -> None:
    found = documented_total_time(note)
    assert found is not None
    assert found.minutes == minutes
    assert found.sentence in note


@pytest.mark.parametrize(
    "note",
    [
        "Chest pain for 20 minutes, relieved by rest.",
        "Recheck vitals in 30 minutes.",
        "Albuterol every 4 hours as needed.",
        "Symptoms started 2 hours ago.",
        "Patient seen and examined. Plan as above.",
    ],
)
def test_durations_that_are_not_visit_time(note: str) -> None:
    assert documented_total_time(note) is None


@pytest.mark.parametrize(
    ("note", "level"),
    [
        ("MDM: moderate.", "moderate"),
        ("Medical decision making of high complexity.", "high"),
        ("Medical Decision Making: Low", "low"),
        ("This visit involved moderate complexity MDM.", "moderate"),
        ("MDM - straightforward", "straightforward"),
        ("Decision making was straight forward.", "straightforward"),
        ("MDM: Problems: 1 chronic illness. Risk: moderate.\nOverall MDM: low.", "low"),
    ],
)
def test_documented_mdm_level(note: str, level: str) -> None:
    found = documented_mdm_level(note)
    assert found is not None
    assert found.level == level


@pytest.mark.parametrize(
    "note",
    ["Moderate pain in the left knee.", "Risk: high.", "High blood pressure, on lisinopril."],
)
def test_no_mdm_level(note: str) -> None:
    assert documented_mdm_level(note) is None


@pytest.mark.parametrize(
    "note",
    [
        "TOURNIQUET TIME: 49 minutes.",
        "Fluoroscopy time was 8.2 minutes.",
        "A total of about 15 to 20 minutes of lasering time was used.",
        "About 30 minutes were spent during the procedure irrigating the catheter.",
        "The total time for repair of the laceration was 25 minutes.",
    ],
)
def test_procedure_times_are_not_visit_time(note: str) -> None:
    assert documented_total_time(note) is None


def test_half_an_hour() -> None:
    found = documented_total_time("I spent half an hour with the patient.")
    assert found is not None and found.minutes == 30
