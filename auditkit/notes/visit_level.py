"""What a note documents for choosing an E/M level: total time and the MDM level.

Since 2021 an office/outpatient E/M level is chosen by medical decision making (MDM) or by
the practitioner's total time on the date of service. ``notes.csv`` may carry both as
columns; when it does not, the checks read them from the note with these functions.

Time: a number of minutes (or hours) counts only when the sentence says it is time spent
on the visit: "Total time spent: 32 minutes", "I spent 45 min with the patient", "time:
40 minutes including review of records", "1 hour 10 minutes total". "Chest pain for 20
minutes" or "recheck in 30 minutes" are not visit time. A total beats a partial time
("20 minutes counseling; total time 45 minutes" is 45); a range counts as its lower end.

MDM: a level word (straightforward, low, moderate, high) right after "MDM" / "medical
decision making" ("MDM: moderate", "medical decision making of high complexity") or right
before it ("moderate complexity MDM"). The levels of the elements (problems, data, risk)
are not the MDM level and are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

MdmLevel = Literal["straightforward", "low", "moderate", "high"]

_NUMBER = r"(\d{1,3}(?:\.\d+)?)"
_HOURS = r"(?:hours?|hrs?)"
_MINUTES = r"(?:minutes?|mins?)"
# "1 hour 15 minutes", "1.5 hours", "45 min", "30-39 minutes", "an hour"
_DURATION = re.compile(
    rf"(?:(?P<hours>{_NUMBER}|an|one)\s*{_HOURS}(?:\s*(?:and\s*)?(?P<hm>\d{{1,2}})\s*{_MINUTES})?"
    rf"|(?<![\d.])(?P<minutes>\d{{1,3}})(?:\s*(?:-|–|to)\s*\d{{1,3}})?\s*{_MINUTES})\b",
    re.IGNORECASE,
)
_TOTAL = re.compile(r"\btotal\b", re.IGNORECASE)
_TIME_WORDS = re.compile(
    r"\b(?:spent|spend|spending|face[\s-]to[\s-]face|counsel\w*|coordination of care"
    r"|(?:total|visit|encounter|discharge|critical care|my|practitioner|physician|provider)"
    r"\s+time|time\s+(?:spent|seen|with)|time\s*:)",
    re.IGNORECASE,
)
# Times of a procedure or a device, not of the practitioner's visit.
_PROCEDURE_TIME = re.compile(
    r"\b(?:tourniquet|fluoro\w*|\w*clamp\w*|ischemi\w*|bypass|laser\w*|recording|sleep"
    r"|anesthesia|operative|operating|infusion|procedure|surgery|cautery|latency|dwell"
    r"|\w*inflat\w*|at the time|time of|resection|repair|excis\w*|suturing)\b",
    re.IGNORECASE,
)
_MOST_MINUTES = 8 * 60  # longer is not one practitioner's time on one visit
# Durations that are not visit time: how long a symptom lasted, when to come back.
_NOT_VISIT_TIME = re.compile(
    r"\b(?:for the (?:past|last)|lasting|lasted|ago|every|q|in|within|after|later|wait(?:ed)?"
    r"|episodes?|pain|x)\s*$",
    re.IGNORECASE,
)
_WINDOW = 60  # characters before the duration in which its time word must be
_STARTS_WITH_NO = re.compile(r"\s*no\b", re.IGNORECASE)


@dataclass(frozen=True)
class DocumentedTime:
    """Total minutes the note documents, and the sentence that says so."""

    minutes: int
    sentence: str
    is_total: bool


@dataclass(frozen=True)
class DocumentedMdm:
    """The MDM level the note documents, and the sentence that says so."""

    level: MdmLevel
    sentence: str


def _minutes(match: re.Match[str]) -> int:
    if match.group("minutes"):
        return int(match.group("minutes"))
    hours_text = match.group("hours").lower()
    hours = 1.0 if hours_text in ("an", "one") else float(hours_text)
    return round(hours * 60) + int(match.group("hm") or 0)


def _sentence_around(note: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence holding ``note[start:end]``: from the last sentence end,
    semicolon or line break before it to the first after it. Cheaper than splitting the
    whole note, which matters at a hundred thousand notes a run."""
    left = max(note.rfind(mark, 0, start) for mark in _ENDS) + 1
    rights = [at for at in (note.find(mark, end) for mark in _ENDS) if at >= 0]
    right = min(rights) + 1 if rights else len(note)
    return left, right


_ENDS = (". ", ".\n", ";", "\n", "? ", "! ")


def _time_in(note: str, match: re.Match[str]) -> DocumentedTime | None:
    left, right = _sentence_around(note, match.start(), match.end())
    text = note[left:right].strip()
    if _STARTS_WITH_NO.match(text):  # "No time was spent on …"
        return None
    before = note[max(left, match.start() - _WINDOW) : match.start()]
    after = note[match.end() : min(right, match.end() + 40)]
    if _NOT_VISIT_TIME.search(before) or _PROCEDURE_TIME.search(before + " " + after):
        return None
    anchored_before = _TIME_WORDS.search(before) or _TOTAL.search(before)
    anchored_after = re.match(
        r"\s*(?:(?:were|was)\s+)?(?:spent|total|of (?:total )?time|face|visit|encounter)",
        after,
        re.I,
    )
    if not (anchored_before or anchored_after):
        return None
    is_total = bool(_TOTAL.search(before) or re.match(r"\s*total", after, re.I))
    minutes = _minutes(match)
    if before.lower().endswith("half "):
        minutes //= 2  # "half an hour"
    if 0 < minutes <= _MOST_MINUTES:
        return DocumentedTime(minutes, text, is_total)
    return None


def documented_total_time(note: str) -> DocumentedTime | None:
    """The total practitioner time the note documents; ``None`` when it states none.

    Among several, a stated total wins; among equals the largest (a partial time such as
    counseling is part of the total)."""
    found = [time for match in _DURATION.finditer(note) if (time := _time_in(note, match))]
    if not found:
        return None
    return max(found, key=lambda time: (time.is_total, time.minutes))


_LEVEL_WORDS: dict[str, MdmLevel] = {
    "straightforward": "straightforward",
    "straight forward": "straightforward",
    "minimal": "straightforward",
    "low": "low",
    "moderate": "moderate",
    "high": "high",
}
_LEVEL = r"(?P<level>straight\s?forward|minimal|low|moderate|high)"
_MDM = r"(?:mdm|medical\s+decision[\s-]making|decision[\s-]making)"
_MDM_THEN_LEVEL = re.compile(rf"\b{_MDM}\b(?P<between>[^.;\n]{{0,40}}?)\b{_LEVEL}\b", re.IGNORECASE)
_LEVEL_THEN_MDM = re.compile(
    rf"\b{_LEVEL}[ \t-]+(?:complexity|level|risk)?[ \t-]*(?:of[ \t]+)?{_MDM}\b", re.IGNORECASE
)
# Element names: "Risk: moderate" after "MDM:" is the risk element's level, not the MDM's.
_ELEMENT = re.compile(r"\b(?:risk|data|problems?|number|amount|complexity of data)\b", re.I)


def documented_mdm_level(note: str) -> DocumentedMdm | None:
    """The MDM level the note states; ``None`` when it states none. The last statement
    wins (an addendum or the closing attestation corrects earlier text)."""
    found: list[tuple[int, DocumentedMdm]] = []
    for match in _MDM_THEN_LEVEL.finditer(note):
        if _ELEMENT.search(match.group("between")):
            continue
        found.append((match.start(), _stated(note, match)))
    for match in _LEVEL_THEN_MDM.finditer(note):
        found.append((match.start(), _stated(note, match)))
    return max(found, key=lambda pair: pair[0])[1] if found else None


def _stated(note: str, match: re.Match[str]) -> DocumentedMdm:
    left, right = _sentence_around(note, match.start(), match.end())
    return DocumentedMdm(_level(match.group("level")), note[left:right].strip())


def _level(word: str) -> MdmLevel:
    return _LEVEL_WORDS[" ".join(word.lower().split())]
