"""Splitting a total sample size over strata in whole units.

Used by the stratified design (equal, proportional and Neyman allocation). Shares are
``clamp(λ·weight, floor, cap)`` with the one scale λ that makes them add up to the total,
then rounded by largest remainder. Arithmetic is in exact fractions so that the split never
depends on float rounding.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from fractions import Fraction

from sampling.errors import SamplingInputError

Shares = Callable[[Fraction], dict[str, Fraction]]


def _solve_scale(total: int, shares: Shares, breakpoints: list[Fraction]) -> Fraction:
    """The scale λ at which the shares add up to ``total``.

    The sum of shares is continuous, non-decreasing and linear between the breakpoints
    (where a share meets its floor or cap), so the answer is interpolated exactly.
    """
    low = Fraction(0)
    reached = sum(shares(low).values())
    if reached >= total:
        return low
    for point in breakpoints:
        point_sum = sum(shares(point).values())
        if point_sum >= total:
            return low + (point - low) * (total - reached) / (point_sum - reached)
        low, reached = point, point_sum
    raise SamplingInputError("n", total, "the strata with a weight above zero cannot take it")


def _largest_remainder(shares: Mapping[str, Fraction], total: int) -> dict[str, int]:
    """Round shares down, then give the units left to the largest fractions (ties: order)."""
    sizes = {name: math.floor(share) for name, share in shares.items()}
    left = total - sum(sizes.values())
    ranked = sorted(enumerate(shares), key=lambda item: (sizes[item[1]] - shares[item[1]], item[0]))
    for _, name in ranked[:left]:
        sizes[name] += 1
    return sizes


def allocate(
    total: int, weights: Mapping[str, float], caps: Mapping[str, int], minimum: int = 0
) -> dict[str, int]:
    """Split ``total`` over strata in proportion to ``weights``.

    No stratum gets more than its cap (its number of units) or less than ``minimum`` (or its
    cap, if smaller); what bounded strata cannot take is shared among the others.
    """
    if total > sum(caps.values()):
        raise SamplingInputError("n", total, f"the strata hold only {sum(caps.values()):,} units")
    floors = {name: min(minimum, cap) for name, cap in caps.items()}
    if sum(floors.values()) > total:
        raise SamplingInputError("min_per_stratum", minimum, f"needs more than n = {total}")
    exact = {name: Fraction(weight) for name, weight in weights.items()}

    def shares(scale: Fraction) -> dict[str, Fraction]:
        return {
            name: min(Fraction(caps[name]), max(Fraction(floors[name]), scale * weight))
            for name, weight in exact.items()
        }

    breakpoints = sorted(
        {
            Fraction(bound) / weight
            for name, weight in exact.items()
            if weight > 0
            for bound in (floors[name], caps[name])
        }
    )
    return _largest_remainder(shares(_solve_scale(total, shares, breakpoints)), total)
