"""Planning one encounter: who is seen, when, for what, on which side, and what was done.

The plan is the clinical truth. The note is written from it; the claim is coded from it,
correctly, and error injectors then alter only the coded diagnoses. Which conditions may
share an encounter is worked out once (no Excludes1 pair, no clinical overlap, at most one
lateral condition so a note's side words can only belong to one condition).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import combinations

from synthetic_data import icd
from synthetic_data.conditions import OBGYN, Condition, Service
from synthetic_data.dice import Dice
from synthetic_data.library import Library
from synthetic_data.organisation import (
    Coder,
    Patient,
    PatientPool,
    Provider,
    age_on,
    payer_for,
)
from synthetic_data.rules import Violation, violations

MAX_DX = 12
_ROOM_FOR_ERRORS = 2  # diagnosis slots kept free for codes an injector may add
_PROBLEM_COUNTS = (1, 2, 3, 4)
_PROBLEM_WEIGHTS = (35, 70, 90, 100)  # cumulative
_UNSTATED_SIDE = 0.15  # share of lateral conditions whose note names no side


@dataclass
class Problem:
    """A condition as it presents at this visit, with the side the note documents."""

    condition: Condition
    side: str | None
    services: list[Service] = field(default_factory=list)

    @property
    def codes(self) -> tuple[str, ...]:
        """The correct codes for the documented side."""
        return self.condition.codes_for(self.side)


@dataclass(frozen=True)
class Truth:
    """One injected error: what the ground truth file records, plus its referee key."""

    rule_id: str
    code: str
    detail: str
    key: str
    line_number: int | None = None  # for line-level rules; diagnosis errors have none


@dataclass(frozen=True)
class Visit:
    """The E/M service billed, with the MDM and minutes the documentation supports."""

    code: str
    mdm: str | None
    minutes: int | None


@dataclass(frozen=True)
class ClaimLine:
    """One service line; ``problem`` is the problem it treats (-1 for the E/M line)."""

    code: str
    modifiers: tuple[str, ...]
    units: int
    problem: int


@dataclass
class Draft:
    """An encounter being built. ``owner[i]`` is the problem behind ``dx[i]`` (-1: none)."""

    encounter_id: str
    patient: Patient
    age: int
    provider: Provider
    coder: Coder
    dos: date
    payer: str
    problems: list[Problem]
    dx: list[str] = field(default_factory=list)
    owner: list[int] = field(default_factory=list)
    touched: set[str] = field(default_factory=set)
    mentions: list[str] = field(default_factory=list)
    truth: list[Truth] = field(default_factory=list)
    visit: Visit | None = None
    lines: list[ClaimLine] = field(default_factory=list)

    def code_problems(self) -> None:
        """Code every problem correctly, in problem order, without duplicates."""
        self.dx, self.owner = [], []
        for index, problem in enumerate(self.problems):
            for code in problem.codes:
                if code not in self.dx:
                    self.dx.append(code)
                    self.owner.append(index)

    def found(self, dx: Sequence[str], owner: Sequence[int]) -> set[Violation]:
        """What the referee finds on a candidate diagnosis list."""
        sides = {
            code: self.problems[who].side
            for code, who in zip(dx, owner, strict=True)
            if who >= 0 and self.problems[who].condition.lateral
        }
        return violations(dx, self.patient.sex, self.age, sides)

    def try_change(
        self, dx: list[str], owner: list[int], truth: Truth, touched: Sequence[str]
    ) -> bool:
        """Keep a changed diagnosis list only if it adds exactly the one intended finding."""
        expected = {(t.rule_id, t.key) for t in self.truth} | {(truth.rule_id, truth.key)}
        if len(dx) > MAX_DX or self.found(dx, owner) != expected:
            return False
        self.dx, self.owner = dx, owner
        self.touched.update(touched)
        self.truth.append(truth)
        return True


def service_line_count(service: Service, side: str | None) -> int:
    """Claim lines a service produces (a split bilateral service bills one per side)."""
    return sum(2 if side == "B" and line.split_bilateral else 1 for line in service.lines)


class Planner:
    """Draws encounters for one organisation; pools are memoised per specialty and patient."""

    def __init__(
        self,
        library: Library,
        providers: Sequence[Provider],
        coders: Sequence[Coder],
        patients: PatientPool,
        start: date,
        end: date,
    ) -> None:
        self.library = library
        self.providers = providers
        self.coders = coders
        self.patients = patients
        span = (end - start).days + 1
        days = (start + timedelta(days=offset) for offset in range(span))
        self.days = [day for day in days if day.weekday() < 5] or [start]
        self._pools: dict[tuple[str, str, str, int], tuple[Condition, ...]] = {}
        self._clash = self._clashing_pairs(library.conditions)

    @staticmethod
    def _clashing_pairs(conditions: Sequence[Condition]) -> frozenset[tuple[str, str]]:
        """Pairs of conditions that never share an encounter, both orders."""
        clash = set()
        for first, second in combinations(conditions, 2):
            if (
                first.key in second.conflicts
                or second.key in first.conflicts
                or (first.lateral and second.lateral)
                or any(
                    icd.excludes1_conflict(a, b)
                    for a in first.all_codes()
                    for b in second.all_codes()
                )
            ):
                clash.update({(first.key, second.key), (second.key, first.key)})
        return frozenset(clash)

    def pool(self, kind: str, specialty: str, sex: str, age: int) -> tuple[Condition, ...]:
        """Conditions that fit the patient: ``primary`` reasons for visit of the specialty,
        ``secondary`` ones it codes alongside, or ``any`` non-primary condition at all."""
        key = (kind, specialty, sex, age)
        if key not in self._pools:
            self._pools[key] = tuple(
                c
                for c in self.library.conditions
                if c.fits(sex, age) and _in_pool(kind, c, specialty)
            )
        return self._pools[key]

    def draft(self, encounter_id: str, rng: Dice) -> Draft:
        """Who, when and which problems; ``finish`` codes it once injectors have prepared."""
        provider = rng.choice(self.providers)
        for _ in range(500):
            patient = self.patients.pick(rng, provider.specialty == OBGYN)
            dos = rng.choice(self.days)
            age = age_on(patient.dob, dos)
            primaries = self.pool("primary", provider.specialty, patient.sex, age)
            if primaries:
                break
        else:
            raise RuntimeError(f"no patient fits any condition of {provider.specialty}")
        draft = Draft(
            encounter_id,
            patient,
            age,
            provider,
            rng.choice(self.coders),
            dos,
            payer_for(age, rng),
            [],
        )
        self._choose_problems(draft, primaries, rng)
        return draft

    def finish(self, draft: Draft, rng: Dice, max_lines: int | None) -> None:
        """Code the problems, prove the coding clean, then pick the services performed."""
        draft.code_problems()
        found = draft.found(draft.dx, draft.owner)
        if found:
            raise RuntimeError(f"{draft.encounter_id}: clean coding breaks {sorted(found)}")
        room = None if max_lines is None else max_lines - 1  # the E/M takes one line
        for problem in draft.problems:
            for service in problem.condition.services:
                if service.lateral and problem.side is None:
                    continue
                if rng.random() >= service.chance:
                    continue
                needed = service_line_count(service, problem.side)
                if room is not None and needed > room:
                    continue
                problem.services.append(service)
                room = None if room is None else room - needed

    def _choose_problems(self, draft: Draft, primaries: Sequence[Condition], rng: Dice) -> None:
        count = rng.weighted(_PROBLEM_COUNTS, _PROBLEM_WEIGHTS)
        first = rng.choice(primaries)
        draft.problems.append(Problem(first, self.side(first, rng)))
        pool = self.pool("secondary", draft.provider.specialty, draft.patient.sex, draft.age)
        for _ in range(count - 1):
            candidate = rng.choice(pool)
            if self.compatible(candidate, draft):
                draft.problems.append(Problem(candidate, self.side(candidate, rng)))

    def compatible(self, condition: Condition, draft: Draft) -> bool:
        """Whether a condition can join the encounter without clashing or overflowing."""
        used = sum(len(p.codes) for p in draft.problems)
        if used + len(condition.codes_for("B")) + _ROOM_FOR_ERRORS > MAX_DX:
            return False
        return all(
            p.condition.key != condition.key and (p.condition.key, condition.key) not in self._clash
            for p in draft.problems
        )

    def add_supporting(
        self,
        draft: Draft,
        supports: Callable[[Condition], bool],
        rng: Dice,
        state_side: bool = False,
    ) -> bool:
        """Add a condition an injector needs, preferring ones the specialty would code."""
        sex, age = draft.patient.sex, draft.age
        for kind in ("secondary", "any"):
            candidates = [
                c
                for c in self.pool(kind, draft.provider.specialty, sex, age)
                if supports(c) and self.compatible(c, draft)
            ]
            if candidates:
                chosen = rng.choice(candidates)
                side = rng.choice(chosen.sides) if state_side else self.side(chosen, rng)
                draft.problems.append(Problem(chosen, side))
                return True
        return False

    @staticmethod
    def side(condition: Condition, rng: Dice) -> str | None:
        """The side a note documents: mostly right or left, some bilateral, some unstated."""
        if not condition.lateral or rng.random() < _UNSTATED_SIDE:
            return None
        return rng.choice(condition.sides + ("R", "L"))


def _in_pool(kind: str, condition: Condition, specialty: str) -> bool:
    if kind == "primary":
        return condition.role != "secondary" and specialty in condition.where
    if kind == "secondary":
        return condition.role != "primary" and (specialty in condition.where or condition.comorbid)
    return condition.role != "primary"
