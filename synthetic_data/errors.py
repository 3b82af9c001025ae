"""Error injectors: one per rule id, in a registry keyed by that id.

An injector works in two steps. ``prepare`` runs before the encounter is coded and makes
sure it can carry the error (SPC003 needs a lateral condition whose side the note states;
SPC005 a manifestation pair), adding a fitting condition if none is present. ``inject``
runs on the correctly coded and billed encounter and substitutes the wrong code(s). Every
diagnosis substitution is refereed by ``rules.violations`` through ``Draft.try_change``:
it is kept only when the encounter then breaks exactly the rules already recorded plus the
new one, so an injected error never creates another rule's finding behind the ground truth.

A new rule family is added by writing an ``Injector`` subclass decorated with
``@register``; the generator picks it up from ``REGISTRY`` and its rate from the caller.
``inject`` runs before anything is written, so a MOD injector can alter ``draft.lines``
(recording ``Truth.line_number``) and a DOC injector ``draft.visit`` or the note material
(``draft.mentions``, the problems); the referee will need those rules' checks added.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from typing import ClassVar

from synthetic_data import icd
from synthetic_data.conditions import Condition
from synthetic_data.dice import Dice
from synthetic_data.encounter import Draft, Planner, Problem, Truth
from synthetic_data.library import Variant, library
from synthetic_data.rules import pair_key

REGISTRY: dict[str, Injector] = {}
"""Injectors by rule id, in the order they run on an encounter."""

_SIDE_TEXT = {"R": "right", "L": "left", "B": "bilateral"}
_DELETED_FIRST = 0.6  # how often a coder with a deleted code at hand uses it over a typo


def register(cls: type[Injector]) -> type[Injector]:
    """Class decorator adding one injector instance to the registry; ids must be unique."""
    if cls.rule_id in REGISTRY:
        raise ValueError(f"duplicate injector for {cls.rule_id}")
    REGISTRY[cls.rule_id] = cls()
    return cls


class Injector(ABC):
    """Plants one kind of coding error in an encounter."""

    rule_id: ClassVar[str]

    @abstractmethod
    def supports(self, condition: Condition, draft: Draft) -> bool:
        """Whether this condition, for this patient, can carry the error."""

    def prepare(self, draft: Draft, planner: Planner, rng: Dice) -> bool:
        """Make the encounter able to carry the error; False when no condition can."""
        if any(self.supports(p.condition, draft) for p in draft.problems):
            return True
        return planner.add_supporting(draft, lambda c: self.supports(c, draft), rng)

    @abstractmethod
    def inject(self, draft: Draft, rng: Dice) -> bool:
        """Substitute the wrong code(s); False when no candidate passes the referee."""


def _problems(draft: Draft, rng: Dice) -> Iterator[tuple[int, Problem]]:
    """The encounter's problems in random order, with their index."""
    order = list(enumerate(draft.problems))
    rng.shuffle(order)
    yield from order


def _replace_problem(draft: Draft, index: int, new_code: str) -> tuple[list[str], list[int]]:
    """The diagnosis list with all of a problem's codes replaced by one code."""
    dx, owner, placed = [], [], False
    for code, who in zip(draft.dx, draft.owner, strict=True):
        if who != index:
            dx.append(code)
            owner.append(who)
        elif not placed:
            dx.append(new_code)
            owner.append(who)
            placed = True
    return dx, owner


def _untouched(draft: Draft, index: int) -> list[str]:
    """The problem's codes on the claim, or [] if an earlier injection already used one."""
    codes = [code for code, who in zip(draft.dx, draft.owner, strict=True) if who == index]
    return [] if draft.touched.intersection(codes) else codes


def _documented_side(problem: Problem) -> str:
    """Plain words for the side the note states, e.g. 'right knee', 'both knees'."""
    site = problem.condition.site
    if site is None or problem.side is None:
        return "no side"
    if problem.side == "B":
        return f"both {site.many}" if site.many != site.one else f"both sides of the {site.one}"
    return f"{_SIDE_TEXT[problem.side]} {site.one}"


def _name(code: str) -> str:
    """Lower-case official description, for ground-truth explanations."""
    text = icd.description(code)
    return text[:1].lower() + text[1:]


@register
class CodeFirstListedFirst(Injector):
    """SPC005: the manifestation (code-first) code moved to dx1, its etiology after it."""

    rule_id = "SPC005"

    def supports(self, condition: Condition, draft: Draft) -> bool:
        return condition.manifestation is not None

    def inject(self, draft: Draft, rng: Dice) -> bool:
        for _, problem in _problems(draft, rng):
            if not problem.condition.manifestation:
                continue
            first, underlying = problem.condition.manifestation
            if first not in draft.dx or underlying not in draft.dx:
                continue
            if draft.touched.intersection((first, underlying)):
                continue
            lead = [draft.dx.index(first), draft.dx.index(underlying)]
            order = lead + [i for i in range(len(draft.dx)) if i not in lead]
            detail = (
                f"{first} listed as dx1; its code-first note requires the underlying "
                f"condition ({underlying}) to be sequenced before it"
            )
            truth = Truth(self.rule_id, first, detail, first)
            dx = [draft.dx[i] for i in order]
            owner = [draft.owner[i] for i in order]
            if draft.try_change(dx, owner, truth, (first, underlying)):
                return True
        return False


@register
class Excludes1Partner(Injector):
    """SPC004: a code added beside one it is in an Excludes1 relation with."""

    rule_id = "SPC004"

    def supports(self, condition: Condition, draft: Draft) -> bool:
        partner = condition.partner
        return partner is not None and not icd.demographic_conflict(
            partner.code, draft.patient.sex, draft.age
        )

    def inject(self, draft: Draft, rng: Dice) -> bool:
        for index, problem in _problems(draft, rng):
            partner = problem.condition.partner
            codes = _untouched(draft, index)
            if not partner or not codes or partner.code in draft.dx:
                continue
            targets = [code for code in codes if icd.excludes1_conflict(partner.code, code)]
            if not targets:
                continue
            at = max(i for i, who in enumerate(draft.owner) if who == index) + 1
            detail = f"{partner.code} coded together with {targets[0]}: {partner.why}"
            truth = Truth(self.rule_id, partner.code, detail, pair_key(partner.code, targets[0]))
            dx = draft.dx[:at] + [partner.code] + draft.dx[at:]
            owner = draft.owner[:at] + [-1] + draft.owner[at:]
            if draft.try_change(dx, owner, truth, (partner.code, targets[0])):
                draft.mentions.append(partner.mention)
                return True
        return False


@register
class DemographicSlip(Injector):
    """SPC006: a sex- or pregnancy-specific look-alike code that cannot fit the patient."""

    rule_id = "SPC006"

    def supports(self, condition: Condition, draft: Draft) -> bool:
        return any(self._conflict(slip, draft) for slip in condition.slips)

    @staticmethod
    def _conflict(slip: str, draft: Draft) -> str | None:
        return icd.demographic_conflict(slip, draft.patient.sex, draft.age)

    def inject(self, draft: Draft, rng: Dice) -> bool:
        for index, problem in _problems(draft, rng):
            codes = _untouched(draft, index)
            for slip in problem.condition.slips:
                reason = self._conflict(slip, draft)
                if not codes or not reason:
                    continue
                detail = (
                    f"{slip} is a {reason}; the note documents {_name(codes[0])}, "
                    f"correct {', '.join(codes)}"
                )
                dx, owner = _replace_problem(draft, index, slip)
                if draft.try_change(dx, owner, Truth(self.rule_id, slip, detail, slip), (slip,)):
                    return True
        return False


@register
class UnspecifiedSide(Injector):
    """SPC003: the unspecified-side code although the note states the side."""

    rule_id = "SPC003"

    def supports(self, condition: Condition, draft: Draft) -> bool:
        return condition.lateral

    def prepare(self, draft: Draft, planner: Planner, rng: Dice) -> bool:
        for problem in draft.problems:
            if problem.condition.lateral:
                if problem.side is None:  # the note will state the side after all
                    problem.side = rng.choice(problem.condition.sides)
                return True
        return planner.add_supporting(draft, lambda c: c.lateral, rng, state_side=True)

    def inject(self, draft: Draft, rng: Dice) -> bool:
        for index, problem in _problems(draft, rng):
            codes = _untouched(draft, index)
            if not codes or not problem.condition.lateral or problem.side is None:
                continue
            unspecified = problem.condition.codes_for(None)[0]
            where = _documented_side(problem)
            detail = (
                f"{unspecified} (side unspecified) coded; the note documents {where}, "
                f"correct {', '.join(codes)}"
            )
            truth = Truth(self.rule_id, unspecified, detail, unspecified)
            dx, owner = _replace_problem(draft, index, unspecified)
            if draft.try_change(dx, owner, truth, (unspecified,)):
                return True
        return False


class _WrongCode(Injector):
    """Shared by SPC001 and SPC002: one correct code swapped for a wrong variant of it."""

    def supports(self, condition: Condition, draft: Draft) -> bool:
        return any(self.variants(code) for code in condition.all_codes())

    @abstractmethod
    def variants(self, code: str) -> tuple[Variant, ...]:
        """Wrong stand-ins for a correct code."""

    @abstractmethod
    def explain(self, variant: Variant, correct: str) -> str:
        """Ground-truth detail for one substitution."""

    def candidates(self, draft: Draft, rng: Dice) -> list[tuple[int, Variant]]:
        """(position, variant) pairs to try, in random order."""
        found = [
            (position, variant)
            for position, (code, who) in enumerate(zip(draft.dx, draft.owner, strict=True))
            if who >= 0 and code not in draft.touched
            for variant in self.variants(code)
            if variant.code not in draft.dx
        ]
        rng.shuffle(found)
        return found

    def inject(self, draft: Draft, rng: Dice) -> bool:
        for position, variant in self.candidates(draft, rng):
            correct = draft.dx[position]
            dx = list(draft.dx)
            dx[position] = variant.code
            truth = Truth(self.rule_id, variant.code, self.explain(variant, correct), variant.code)
            if draft.try_change(dx, list(draft.owner), truth, (variant.code,)):
                return True
        return False


@register
class NonBillableCode(_WrongCode):
    """SPC002: a header, a code short of its 7th character, or one missing its X."""

    rule_id = "SPC002"

    def variants(self, code: str) -> tuple[Variant, ...]:
        return library().headers.get(code, ())

    def explain(self, variant: Variant, correct: str) -> str:
        if variant.kind == "placeholder":
            return f"{variant.code} omits the placeholder X; correct {correct}"
        if variant.kind == "seventh":
            return f"{variant.code} is not carried to its 7th character; correct {correct}"
        return (
            f"{variant.code} is a category/subcategory with more specific codes below it; "
            f"the note supports {correct}"
        )


@register
class InvalidCode(_WrongCode):
    """SPC001: a code absent from the release, deleted or mistyped."""

    rule_id = "SPC001"

    def variants(self, code: str) -> tuple[Variant, ...]:
        return library().invalid.get(code, ())

    def candidates(self, draft: Draft, rng: Dice) -> list[tuple[int, Variant]]:
        found = super().candidates(draft, rng)
        if rng.random() < _DELETED_FIRST:
            found.sort(key=lambda pair: pair[1].kind != "deleted")
        return found

    def explain(self, variant: Variant, correct: str) -> str:
        if variant.kind == "deleted":
            return (
                f"{variant.code} was deleted from ICD-10-CM for FY2026 (effective "
                f"2025-10-01) and is not valid on this date of service; correct {correct}"
            )
        return (
            f"{variant.code} is not a code in the ICD-10-CM release (keying error); "
            f"correct {correct}"
        )
