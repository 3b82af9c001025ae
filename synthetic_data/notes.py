"""The note writer: a varied outpatient progress note built from the encounter's truth.

Notes document what was really there, whatever the coder later did: the condition, the
side as the plan records it (stated in several ways, or not at all), the services done,
the medical decision making and time. Each provider keeps a house style (headings,
signature) the way real clinicians reuse their templates. Negated review-of-systems items
are only drawn from body systems the visit's problems do not involve, so a negation never
contradicts a coded condition.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import cache

from synthetic_data.billing import NEW_PATIENT
from synthetic_data.conditions import ROS_SYSTEMS, Condition
from synthetic_data.dice import Dice
from synthetic_data.encounter import Draft, Problem, Visit

_LOC = {
    "R": ("right {one}", "the right {one}", "R {one}", "rt {one}"),
    "L": ("left {one}", "the left {one}", "L {one}", "lt {one}"),
    "B": ("both {many}", "bilateral {many}", "right and left {many}", "the {many} bilaterally"),
    None: ("the {one}", "{one}"),
}
_ADJ = {
    "R": ("right {one}", "R {one}"),
    "L": ("left {one}", "L {one}"),
    "B": ("bilateral {one}", "b/l {one}"),
    None: ("{one}",),
}
_SIDED = {"R": ("right-sided", "right"), "L": ("left-sided", "left"), "B": ("bilateral",)}

ROS_NEGATIVES = {
    "constitutional": (
        "Denies fever or chills.",
        "No unintended weight loss.",
        "Negative for night sweats.",
    ),
    "eyes": ("No vision changes.", "Denies eye pain."),
    "ent": ("Denies sore throat.", "No ear pain.", "No nasal congestion."),
    "cardio": ("Denies chest pain.", "No palpitations.", "Negative for leg swelling."),
    "resp": ("Denies shortness of breath.", "No cough.", "No wheezing."),
    "gi": ("Denies nausea or vomiting.", "No abdominal pain.", "Negative for blood in stool."),
    "gu": ("Denies dysuria.", "No hematuria.", "No urinary frequency."),
    "msk": ("Denies joint swelling.", "No back pain.", "Negative for muscle weakness."),
    "skin": ("No rash.", "Denies new skin lesions."),
    "neuro": ("Denies headache.", "No numbness or tingling.", "No dizziness."),
    "psych": ("Denies depressed mood.", "No suicidal ideation."),
    "endo": ("No heat or cold intolerance.", "Denies excessive thirst."),
}
EXAM_NORMAL = {
    "cardio": "Heart: regular rate and rhythm, no murmurs.",
    "resp": "Lungs: clear to auscultation, breathing unlabored.",
    "gi": "Abdomen: soft, nontender, no organomegaly.",
    "skin": "Skin: warm and dry, no rash.",
    "neuro": "Neuro: alert and oriented, gait steady.",
    "psych": "Psych: appropriate mood and affect.",
    "ent": "HEENT: oropharynx clear, tympanic membranes normal.",
    "eyes": "Eyes: conjunctivae clear, pupils equal and reactive.",
    "msk": "Extremities: no edema, full range of motion.",
}
_HEADINGS = (
    (
        "CHIEF COMPLAINT:",
        "HISTORY OF PRESENT ILLNESS:",
        "REVIEW OF SYSTEMS:",
        "PHYSICAL EXAM:",
        "ASSESSMENT AND PLAN:",
        "PROCEDURE:",
    ),
    ("CC:", "S:", "ROS:", "O:", "A/P:", "Procedure note:"),
    ("Chief complaint:", "HPI:", "ROS:", "Exam:", "Assessment/Plan:", "Procedures:"),
)
_TITLES = ("OUTPATIENT PROGRESS NOTE", "Office Visit", "Clinic Note")
_OPENERS = ("presents for", "is seen today for", "comes in for", "is here for", "returns for")
_ALSO = (
    "Also follows for {}.",
    "Also here regarding {}.",
    "Additionally, {} was addressed today.",
    "We also reviewed {}.",
)
_SEX_WORDS = {"F": ("woman", "female", "F"), "M": ("man", "male", "M"), "U": ("patient",)}
_TIME_STATEMENTS = (
    "Total time spent: {m} minutes.",
    (
        "I spent {m} min on the date of the encounter, including record review, examination, "
        "counseling and documentation."
    ),
    "Total time on the date of service: {m} minutes, excluding separately reported procedures.",
    "Time: {m} minutes total practitioner time today.",
    "{m} minutes were spent on this visit on the date of service, mostly counseling.",
)
_MDM_STATEMENTS = (
    "Medical decision making: {level}.",
    "MDM: {level} complexity.",
    "Level of medical decision making: {level}.",
)
_MDM_STATED = 0.75
_TIME_STATED = 0.6
_COLUMN_FILLED = 0.7
_UNSIGNED = 0.05
_SIGNED_LATE = 0.08


def fill(template: str, problem: Problem, rng: Dice) -> str:
    """Render a condition template, naming the problem's side one of several ways."""
    site = problem.condition.site
    if site is None or "{" not in template:
        return template
    side = problem.side
    values = {}
    if "{loc}" in template:
        loc = site.forms.get(side or "U") or _LOC[side]
        values["loc"] = rng.choice(loc).format(one=site.one, many=site.many)
    if "{adj}" in template:
        values["adj"] = rng.choice(_ADJ[side]).format(one=site.one)
    if "{sided}" in template:
        values["sided"] = rng.choice(_SIDED[side or "B"])
    if "{abbr}" in template:
        values["abbr"] = site.abbrev.get(side or "", "")
    return template.format_map(values)


@cache
def _names(condition: Condition, side_stated: bool) -> tuple[str, ...]:
    """Names usable in a note; side-only phrasings ("left-sided ...") need a stated side."""
    if side_stated:
        return condition.names
    return tuple(n for n in condition.names if "{sided}" not in n and "{abbr}" not in n)


def _name(problem: Problem, rng: Dice) -> str:
    """How the note names the problem."""
    return fill(rng.choice(_names(problem.condition, problem.side is not None)), problem, rng)


def _us_date(moment: datetime) -> str:
    return f"{moment.month:02d}/{moment.day:02d}/{moment.year}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


class NoteWriter:
    """Writes notes.csv rows; stateless apart from the seeded random source it is given."""

    def row(self, draft: Draft, rng: Dice) -> list[str]:
        """[encounter_id, author_npi, signed_at, total_time_minutes, mdm_level, note_text]."""
        visit = draft.visit
        if visit is None:
            raise ValueError(f"{draft.encounter_id}: no visit chosen yet")
        headings = _HEADINGS[draft.provider.style]
        involved = {s for p in draft.problems for s in p.condition.systems}
        hour, minute = rng.randint(8, 16), rng.choice((0, 15, 30, 45))
        seen = datetime(draft.dos.year, draft.dos.month, draft.dos.day, hour, minute)
        mdm_stated = visit.mdm is not None and rng.random() < _MDM_STATED
        time_stated = visit.minutes is not None and rng.random() < _TIME_STATED
        signed = self._signed_at(seen, rng)
        parts = [
            self._header(draft, seen),
            f"{headings[0]} {_capital(self._complaint(draft.problems[0], rng))}",
            f"{headings[1]}\n{self._history(draft, visit, rng)}",
            f"{headings[2]}\n{self._review(draft.problems, involved, rng)}",
            f"{headings[3]}\n{self._exam(draft.problems, involved, rng)}",
            f"{headings[4]}\n{self._assessment(draft.problems, draft.provider.style, rng)}",
            self._procedures(draft.problems, headings[5], rng),
            self._statements(visit, mdm_stated, time_stated, rng),
            self._signature(draft.provider.name, draft.provider.style, signed),
        ]
        return [
            draft.encounter_id,
            draft.provider.npi,
            signed.isoformat() if signed else "",
            str(visit.minutes) if time_stated and rng.random() < _COLUMN_FILLED else "",
            visit.mdm if mdm_stated and visit.mdm and rng.random() < _COLUMN_FILLED else "",
            "\n\n".join(part for part in parts if part),
        ]

    @staticmethod
    def _procedures(problems: Sequence[Problem], heading: str, rng: Dice) -> str:
        """How each service performed was done ('' when none was)."""
        texts = [
            fill(rng.choice(service.text), problem, rng)
            for problem in problems
            for service in problem.services
            if service.text
        ]
        return f"{heading}\n" + "\n".join(texts) if texts else ""

    @staticmethod
    def _statements(visit: Visit, mdm_stated: bool, time_stated: bool, rng: Dice) -> str:
        """The MDM and total-time attestations, when the provider wrote them."""
        lines = []
        if mdm_stated:
            lines.append(rng.choice(_MDM_STATEMENTS).format(level=visit.mdm))
        if time_stated:
            lines.append(rng.choice(_TIME_STATEMENTS).format(m=visit.minutes))
        return "\n".join(lines)

    @staticmethod
    def _signed_at(seen: datetime, rng: Dice) -> datetime | None:
        """Mostly signed the same day; some late, a few never."""
        roll = rng.random()
        if roll < _UNSIGNED:
            return None
        delay = timedelta(minutes=rng.randint(20, 480))
        if roll < _UNSIGNED + _SIGNED_LATE:
            delay += timedelta(days=rng.randint(2, 21))
        return seen + delay

    @staticmethod
    def _header(draft: Draft, seen: datetime) -> str:
        patient = draft.patient
        style = draft.provider.style
        when = _us_date(seen) if style == 1 else seen.date().isoformat()
        return (
            f"{_TITLES[style]}\n"
            f"Patient: {patient.first_name} {patient.last_name}   DOB: {patient.dob.isoformat()}"
            f"   MRN: {patient.patient_id}\n"
            f"Date of service: {when}   Clinic: {draft.provider.department}\n"
            f"Provider: {draft.provider.name}"
        )

    @staticmethod
    def _complaint(problem: Problem, rng: Dice) -> str:
        complaints = problem.condition.complaint
        return fill(rng.choice(complaints), problem, rng) if complaints else _name(problem, rng)

    def _history(self, draft: Draft, visit: Visit, rng: Dice) -> str:
        first, *others = draft.problems
        age = rng.choice((f"{draft.age}-year-old", f"{draft.age} y/o", f"{draft.age}yo"))
        who = rng.choice(_SEX_WORDS[draft.patient.sex])
        new = visit.code in NEW_PATIENT
        opener = "new patient presenting for" if new else rng.choice(_OPENERS)
        lines = [f"{age} {who} {opener} {self._complaint(first, rng)}."]
        lines += [fill(text, first, rng) for text in _some(first.condition.hpi, rng)]
        for problem in others:
            lines.append(rng.choice(_ALSO).format(_name(problem, rng)))
            if problem.condition.hpi and rng.random() < 0.6:
                lines.append(fill(rng.choice(problem.condition.hpi), problem, rng))
        lines += draft.mentions
        return " ".join(lines)

    @staticmethod
    def _review(problems: Sequence[Problem], involved: set[str], rng: Dice) -> str:
        positives = [p.condition.ros for p in problems if p.condition.ros]
        lines = [f"Positive for {', '.join(positives)}."] if positives else []
        free = [s for s in ROS_SYSTEMS if s not in involved]
        for system in rng.window(free, 2, 4):
            lines.append(rng.choice(ROS_NEGATIVES[system]))
        if rng.random() < 0.4:
            lines.append("All other systems reviewed and negative.")
        return " ".join(lines)

    @staticmethod
    def _exam(problems: Sequence[Problem], involved: set[str], rng: Dice) -> str:
        bmis = [p.condition.bmi for p in problems if p.condition.bmi]
        bmi = rng.uniform(*bmis[0]) if bmis else rng.uniform(19.5, 29.8)
        height = rng.randint(60, 74)
        lines = [
            (
                f"Vitals: BP {rng.randint(104, 158)}/{rng.randint(62, 94)}, "
                f"HR {rng.randint(58, 98)}, "
                f"T {rng.uniform(97.4, 99.0):.1f} F, SpO2 {rng.randint(95, 100)}%, "
                f"Wt {round(bmi * height * height / 703)} lb, BMI {bmi:.1f}"
            ),
            "General: well-appearing, in no acute distress.",
        ]
        normal = [s for s in EXAM_NORMAL if s not in involved]
        lines += [EXAM_NORMAL[s] for s in rng.window(normal, 1, 3)]
        lines += [fill(rng.choice(p.condition.exam), p, rng) for p in problems if p.condition.exam]
        return "\n".join(lines)

    @staticmethod
    def _assessment(problems: Sequence[Problem], style: int, rng: Dice) -> str:
        lines = []
        for number, problem in enumerate(problems, start=1):
            name = _capital(_name(problem, rng))
            plan = fill(rng.choice(problem.condition.plan), problem, rng)
            if style == 1:
                lines.append(f"# {name}\n  {plan}")
            else:
                lines.append(f"{number}. {name}: {plan}" if style == 0 else f"- {name} - {plan}")
        return "\n".join(lines)

    @staticmethod
    def _signature(name: str, style: int, signed: datetime | None) -> str:
        if signed is None:
            return "Note pended; awaiting provider signature." if style == 0 else ""
        day, clock = signed.date().isoformat(), f"{signed.hour:02d}:{signed.minute:02d}"
        if style == 0:
            return f"Electronically signed by {name} on {day} at {clock}."
        if style == 1:
            return f"Signed: {name} {_us_date(signed)} {clock}"
        return f"{name} - e-signed {day} {clock}"


def _some(texts: Sequence[str], rng: Dice) -> list[str]:
    """One or two history sentences."""
    return rng.window(texts, 1, 2) if texts else []
