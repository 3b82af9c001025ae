"""Documentation errors (DOC001-DOC008) planted in generated encounters, with ground truth.

Documentation errors are the provider's: the note and the claim disagree. They are planted
after the specificity injectors ran and before anything is written, in two steps:

- ``spoil(draft)`` changes what is billed or coded, or what the note will say: an E/M level
  above (DOC001) or below (DOC002) what the note's MDM and time support; a code for a
  condition the note never mentions (DOC003); a diagnosis the note calls only "rule out" /
  "probable" coded instead of its symptom (DOC004); a condition the note negates coded
  (DOC005); a service line the note does not describe (DOC006); or the whole visit made a
  copy-forward of an earlier visit of the same provider and patient (DOC007);
- ``finish_note(draft, row)`` adjusts the written note: the cloned text, an MDM statement
  where a level error needs one, and the DOC008 truth of every note signed late or never
  (the note writer already signs some notes late).

Hard negatives are planted beside the errors and counted in ``hard_negatives``: the symptom
coded for a "rule out" diagnosis (correct), a 99214 documented by time alone (correct), and
notes of the same provider that share the template but not the visit (the ordinary notes).

Every word a planted code or service could be found by is checked against every sentence the
note can contain, so a "not documented" error really is undocumented. Nothing here imports
auditkit; ``MAX_DAYS_TO_SIGN`` mirrors DOC008's default.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict, deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from synthetic_data.billing import ESTABLISHED, FEES, MDM_LEVELS, NEW_PATIENT
from synthetic_data.dice import Dice
from synthetic_data.encounter import ClaimLine, Draft, Problem, Truth, Visit
from synthetic_data.notes import EXAM_NORMAL, ROS_NEGATIVES

DOCUMENTATION_RULES = ("DOC001", "DOC002", "DOC003", "DOC004", "DOC005", "DOC006", "DOC007")
DEFAULT_DOCUMENTATION_RATES: Mapping[str, float] = {
    "DOC001": 0.05,
    "DOC002": 0.04,
    "DOC003": 0.05,
    "DOC004": 0.04,
    "DOC005": 0.04,
    "DOC006": 0.04,
    "DOC007": 0.03,
}
MAX_DAYS_TO_SIGN = 3
SYMPTOM_CODED_SHARE = 0.04  # hard negative: the symptom coded for a rule-out diagnosis
TIME_ONLY_SHARE = 0.5  # hard negative: of correct 99214s with time stated, MDM removed
_SOURCES_KEPT = 40  # earlier visits per provider a copy-forward may copy


@dataclass(frozen=True)
class Planted:
    """A condition to code, and the words a reader could find it by."""

    code: str
    words: tuple[str, ...]
    sentence: str = ""  # what the note says about it (negated or uncertain), if anything


# Conditions a provider may code without documenting them (DOC003): none is a symptom the
# review of systems or exam lines can name.
_UNDOCUMENTED = (
    Planted("E78.5", ("hyperlipidemia", "cholesterol", "lipid", "dyslipidemia", "hld")),
    Planted("K21.9", ("gerd", "reflux", "gastro-esophageal", "gastroesophageal", "heartburn")),
    Planted("F41.1", ("anxiety", "gad", "anxious")),
    Planted("G47.33", ("apnea", "osa", "cpap")),
    Planted("E66.9", ("obesity", "obese")),
    Planted("M81.0", ("osteoporosis",)),
    Planted("E03.9", ("hypothyroidism", "thyroid")),
    Planted("J30.9", ("rhinitis", "allergies", "hay fever")),
    Planted("K59.00", ("constipation",)),
    Planted("F32.A", ("depression", "depressive", "depressed")),
)
# Conditions the note rules out, in a sentence that negates them (DOC005).
_NEGATED = (
    Planted(
        "N39.0",
        ("urinary tract infection", "uti", "cystitis"),
        "Urinalysis today shows no evidence of urinary tract infection.",
    ),
    Planted("J18.9", ("pneumonia",), "Chest X-ray reviewed by me: no pneumonia."),
    Planted(
        "I26.99",
        ("pulmonary embolism", "embolism", " pe "),
        "Pulmonary embolism was ruled out by CT angiography last week.",
    ),
    Planted(
        "J02.0",
        ("strep", "pharyngitis"),
        "Throat swab was negative for streptococcal pharyngitis.",
    ),
    Planted("K35.80", ("appendicitis",), "Exam is benign, without signs of appendicitis."),
    Planted("J11.1", ("influenza", "flu"), "Patient denies influenza this season."),
)


@dataclass(frozen=True)
class Uncertain:
    """A diagnosis the note states only as uncertain, and the symptom it documents."""

    diagnosis: Planted
    symptom: str
    symptom_words: tuple[str, ...]


# Uncertain diagnoses with their documented symptom (DOC004 and its hard negative). No code
# is sided, so no laterality rule can fire on them.
_UNCERTAIN = (
    Uncertain(
        Planted(
            "J18.9",
            ("pneumonia",),
            "Productive cough for a week; rule out pneumonia, chest film ordered.",
        ),
        "R05.9",
        ("cough",),
    ),
    Uncertain(
        Planted(
            "G43.909",
            ("migraine",),
            "Recurrent headaches with light sensitivity, probable migraine; diary started.",
        ),
        "R51.9",
        ("headache",),
    ),
    Uncertain(
        Planted(
            "K29.70",
            ("gastritis",),
            "Epigastric pain after meals, likely gastritis; omeprazole trial.",
        ),
        "R10.13",
        ("epigastric",),
    ),
    Uncertain(
        Planted(
            "J11.1",
            ("influenza", "flu"),
            "Fever and body aches since yesterday, suspected influenza; rapid test pending.",
        ),
        "R50.9",
        ("fever", "febrile"),
    ),
    Uncertain(
        Planted(
            "I20.9",
            ("angina",),
            "Exertional chest pain, questionable angina; stress test ordered.",
        ),
        "R07.9",
        ("chest pain",),
    ),
    Uncertain(
        Planted(
            "K35.80",
            ("appendicitis",),
            "Right lower quadrant pain since this morning, r/o appendicitis; sent for CT.",
        ),
        "R10.31",
        ("right lower quadrant", "rlq"),
    ),
)


@dataclass(frozen=True)
class Unperformed:
    """A service a provider may bill without doing it, and the words that would show it."""

    code: str
    words: tuple[str, ...]


# Tests and simple services (no global period, so no modifier rule is touched).
_UNPERFORMED = (
    Unperformed("93000", ("ecg", "ekg", "electrocardiogram", "12-lead", "tracing")),
    Unperformed("94010", ("spirometry", "pulmonary function", "pft")),
    Unperformed("81002", ("urinalysis", "dipstick", "urine", " ua ")),
    Unperformed("87880", ("strep", "rapid")),
    Unperformed("85025", ("cbc", "blood count")),
    Unperformed("84443", ("tsh", "thyroid")),
    Unperformed("83036", ("a1c", "hemoglobin a1c")),
)
_MDM_SENTENCE = re.compile(
    r"^(?:Medical decision making: \w+\.|MDM: \w+ complexity\.|"
    r"Level of medical decision making: \w+\.)\n?",
    re.MULTILINE,
)
_VITALS = re.compile(r"BP (\d+)/(\d+), HR (\d+)")


@dataclass
class _Visit:
    """What a later copy-forward copies from an earlier visit."""

    draft: Draft
    note: list[str]


class DocumentationErrors:
    """Plants DOC errors at the given per-encounter rates (None: plant nothing at all, and
    draw no random numbers, so the generator's output stays exactly what it was)."""

    def __init__(self, seed: int, rates: Mapping[str, float] | None) -> None:
        self.enabled = rates is not None
        unknown = set(rates or {}) - set(DOCUMENTATION_RULES)
        if unknown:
            raise ValueError(f"no documentation error for {sorted(unknown)}")
        self.rates = {rule: float((rates or {}).get(rule, 0.0)) for rule in DOCUMENTATION_RULES}
        self.rng = Dice(f"documentation-{seed}")
        self.hard_negatives: Counter[str] = Counter()
        self._earlier: dict[str, deque[_Visit]] = defaultdict(lambda: deque(maxlen=_SOURCES_KEPT))
        self._clones: dict[str, _Visit] = {}
        self._time_only: set[str] = set()

    # --- step 1: before the claim and the note are written -----------------------------

    def spoil(self, draft: Draft) -> None:
        if not self.enabled:
            return
        rng = self.rng
        if rng.random() < self.rates["DOC007"] and self._copy_forward(draft):
            return  # the copy is the error; nothing else is planted on it
        wanted = [rule for rule in DOCUMENTATION_RULES[:6] if rng.random() < self.rates[rule]]
        for rule in wanted:
            getattr(self, f"_{rule.lower()}")(draft)
        if rng.random() < SYMPTOM_CODED_SHARE and not any(
            t.rule_id == "DOC004" for t in draft.truth
        ):
            self._symptom_for_rule_out(draft)

    def _doc001(self, draft: Draft) -> bool:
        return self._level(draft, +1)

    def _doc002(self, draft: Draft) -> bool:
        return self._level(draft, -1)

    def _level(self, draft: Draft, step: int) -> bool:
        visit = draft.visit
        if visit is None or visit.mdm is None or not draft.lines:
            return False
        if any(t.rule_id in ("DOC001", "DOC002") for t in draft.truth):
            return False
        codes = NEW_PATIENT if visit.code in NEW_PATIENT else ESTABLISHED
        if visit.code not in codes:
            return False
        position = codes.index(visit.code) + step
        if not 0 <= position < len(codes):
            return False
        billed = codes[position]
        draft.lines[0] = replace(draft.lines[0], code=billed)
        rule = "DOC001" if step > 0 else "DOC002"
        detail = (
            f"{billed} billed; the note documents {visit.mdm} MDM and {visit.minutes} minutes, "
            f"which support {visit.code}"
        )
        draft.truth.append(Truth(rule, billed, detail, billed, 1))
        return True

    def _doc003(self, draft: Draft) -> bool:
        said = _note_vocabulary(draft)
        for planted in self._shuffled(_UNDOCUMENTED):
            if _mentioned(planted.words, said) or not self._addable(draft, planted.code):
                continue
            detail = f"{planted.code} coded; the note never mentions the condition"
            return self._add_code(draft, planted.code, Truth("DOC003", planted.code, detail, ""))
        return False

    def _doc005(self, draft: Draft) -> bool:
        said = _note_vocabulary(draft)
        for planted in self._shuffled(_NEGATED):
            if _mentioned(planted.words, said) or not self._addable(draft, planted.code):
                continue
            detail = f"{planted.code} coded; the note negates it: {planted.sentence}"
            if self._add_code(draft, planted.code, Truth("DOC005", planted.code, detail, "")):
                draft.mentions.append(planted.sentence)
                return True
        return False

    def _doc004(self, draft: Draft) -> bool:
        said, affirmed = _note_vocabulary(draft), _note_vocabulary(draft, negatives=False)
        for uncertain in self._shuffled(_UNCERTAIN):
            planted = uncertain.diagnosis
            if _mentioned(planted.words, said) or _mentioned(uncertain.symptom_words, affirmed):
                continue
            if not self._addable(draft, planted.code):
                continue
            detail = (
                f"{planted.code} coded; the note documents it only as uncertain "
                f"({planted.sentence}); code the symptom {uncertain.symptom}"
            )
            if self._add_code(draft, planted.code, Truth("DOC004", planted.code, detail, "")):
                draft.mentions.append(planted.sentence)
                return True
        return False

    def _symptom_for_rule_out(self, draft: Draft) -> None:
        said, affirmed = _note_vocabulary(draft), _note_vocabulary(draft, negatives=False)
        for uncertain in self._shuffled(_UNCERTAIN):
            planted = uncertain.diagnosis
            if _mentioned(planted.words, said) or _mentioned(uncertain.symptom_words, affirmed):
                continue
            if not self._addable(draft, uncertain.symptom):
                continue
            if self._add_code(draft, uncertain.symptom, None):
                draft.mentions.append(uncertain.diagnosis.sentence)
                self.hard_negatives["symptom coded for a rule-out diagnosis"] += 1
                return

    def _doc006(self, draft: Draft) -> bool:
        if not draft.lines:
            return False
        said = _note_vocabulary(draft)
        billed = {line.code for line in draft.lines}
        for service in self._shuffled(_UNPERFORMED):
            if service.code in billed or _mentioned(service.words, said):
                continue
            draft.lines.append(ClaimLine(service.code, (), 1, 0))
            number = len(draft.lines)
            detail = (
                f"line {number} bills {service.code} (${FEES[service.code]:.2f}); the note does "
                "not describe the service"
            )
            draft.truth.append(Truth("DOC006", service.code, detail, service.code, number))
            return True
        return False

    def _copy_forward(self, draft: Draft) -> bool:
        """Turn the visit into a copy of an earlier clean visit of the same provider: same
        patient, problems, coding and services, and (in ``finish_note``) the same text."""
        sources = [
            visit
            for visit in self._earlier.get(draft.provider.npi, ())
            if visit.draft.dos < draft.dos
        ]
        if not sources:
            return False
        source = self.rng.choice(sources)
        old = source.draft
        draft.patient, draft.age, draft.payer = old.patient, old.age, old.payer
        draft.problems = [Problem(p.condition, p.side, list(p.services)) for p in old.problems]
        draft.dx, draft.owner = list(old.dx), list(old.owner)
        draft.mentions, draft.visit, draft.lines = list(old.mentions), old.visit, list(old.lines)
        draft.touched, draft.truth = set(old.touched), []
        detail = (
            f"note copied forward from {old.encounter_id} ({old.dos.isoformat()}), same "
            "provider and patient; only dates and vitals differ"
        )
        draft.truth.append(Truth("DOC007", "", detail, old.encounter_id))
        self._clones[draft.encounter_id] = source
        return True

    # --- step 2: the written note --------------------------------------------------------

    def finish_note(self, draft: Draft, row: list[str]) -> list[str]:
        """The notes.csv row as it should be written, after recording DOC008's truth."""
        if not self.enabled:
            return row
        source = self._clones.pop(draft.encounter_id, None)
        if source is not None:
            row = self._cloned_row(draft, row, source)
        elif any(t.rule_id in ("DOC001", "DOC002") for t in draft.truth):
            row = _with_mdm_statement(draft, row)
        elif self._time_only_hard_negative(draft, row):
            row = [*row[:4], "", _MDM_SENTENCE.sub("", row[5])]
            self.hard_negatives["99214 documented by time only"] += 1
        self._signature_truth(draft, row[2])
        if not draft.truth and source is None:
            self._earlier[draft.provider.npi].append(_Visit(draft, list(row)))
        return row

    def _time_only_hard_negative(self, draft: Draft, row: list[str]) -> bool:
        return (
            not draft.truth
            and bool(draft.lines)
            and draft.lines[0].code == "99214"
            and f"{draft.visit.minutes if draft.visit else ''} min" in row[5]
            and bool(row[4] or _MDM_SENTENCE.search(row[5]))
            and self.rng.random() < TIME_ONLY_SHARE
        )

    def _cloned_row(self, draft: Draft, row: list[str], source: _Visit) -> list[str]:
        old = source.draft
        text = source.note[5]
        for before, after in _date_forms(old.dos, draft.dos):
            text = text.replace(before, after)
        signed = _signed(row[2])
        old_signed = _signed(source.note[2])
        if old_signed is not None:
            for before, after in _date_forms(old_signed.date(), (signed or old_signed).date()):
                text = text.replace(before, after)
        text = _VITALS.sub(self._new_vitals, text, count=1)
        return [row[0], row[1], row[2], source.note[3], source.note[4], text]

    def _new_vitals(self, match: re.Match[str]) -> str:
        systolic, diastolic, rate = (int(value) for value in match.groups())
        shift, pulse = self.rng.randint(-6, 6), self.rng.randint(-5, 5)
        return f"BP {systolic + shift}/{diastolic + shift // 2}, HR {rate + pulse}"

    def _signature_truth(self, draft: Draft, signed_at: str) -> None:
        signed = _signed(signed_at)
        if signed is None:
            detail = "note not signed"
        else:
            days = (signed.date() - draft.dos).days
            if days <= MAX_DAYS_TO_SIGN:
                return
            detail = f"note signed {days} days after the date of service"
        draft.truth.append(Truth("DOC008", "", detail, "signature"))

    # --- helpers -------------------------------------------------------------------------

    def _shuffled(self, options: Sequence[object]) -> list:  # type: ignore[type-arg]
        order = list(options)
        self.rng.shuffle(order)
        return order

    @staticmethod
    def _addable(draft: Draft, code: str) -> bool:
        from synthetic_data.encounter import MAX_DX

        category = code.replace(".", "")[:3]
        return (
            len(draft.dx) < MAX_DX
            and all(not existing.startswith(category) for existing in draft.dx)
            and all(
                not c.replace(".", "").startswith(category)
                for p in draft.problems
                for c in p.condition.all_codes()
            )
        )

    @staticmethod
    def _add_code(draft: Draft, code: str, truth: Truth | None) -> bool:
        """Add a code at the end of the claim if the specificity referee finds nothing new."""
        raw = code.replace(".", "")
        dx, owner = [*draft.dx, raw], [*draft.owner, -1]
        if draft.found(dx, owner) != draft.found(draft.dx, draft.owner):
            return False
        draft.dx, draft.owner = dx, owner
        draft.touched.add(raw)
        if truth is not None:
            draft.truth.append(replace(truth, code=raw, key=raw))
        return True


def _note_vocabulary(draft: Draft, negatives: bool = True) -> str:
    """Every sentence the note of this draft can contain, lower case, in one string
    (without the review of systems' and exam's negative lines when ``negatives`` is off)."""
    parts: list[str] = list(draft.mentions)
    for problem in draft.problems:
        c = problem.condition
        parts += [*c.names, *c.complaint, *c.hpi, *c.exam, *c.plan, c.ros]
        parts += [text for service in problem.services for text in service.text]
    if negatives:
        parts += [sentence for group in ROS_NEGATIVES.values() for sentence in group]
        parts += list(EXAM_NORMAL.values())
        parts.append("All other systems reviewed and negative.")
    return " " + " ".join(parts).lower() + " "


def _mentioned(words: Sequence[str], said: str) -> bool:
    return any(word in said for word in words)


def _with_mdm_statement(draft: Draft, row: list[str]) -> list[str]:
    """Make sure a level error is visible: the note states the MDM the visit supports."""
    text = row[5]
    visit = draft.visit or Visit("", None, None)
    if visit.mdm is None or _MDM_SENTENCE.search(text) or visit.mdm not in MDM_LEVELS:
        return row
    return [*row[:5], f"{text}\n\nMedical decision making: {visit.mdm}."]


def _signed(value: str) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _date_forms(old: date, new: date) -> list[tuple[str, str]]:
    return [
        (old.isoformat(), new.isoformat()),
        (f"{old.month:02d}/{old.day:02d}/{old.year}", f"{new.month:02d}/{new.day:02d}/{new.year}"),
    ]
