"""Projecting sampled overpayments to the universe, and the amount an audit would demand.

CMS (Program Integrity Manual ch. 8) demands the lower limit of a one-sided 90% interval,
which is the lower limit of the two-sided 80% interval; OIG audit reports commonly use the
lower limit of the two-sided 90% interval. Which basis was used is part of the result.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from sampling.appraisal import (
    Interval,
    StratifiedVariableAppraisal,
    VariableAppraisal,
    appraise_variable,
    appraise_variable_stratified,
)
from sampling.errors import SamplingInputError

Basis = Literal["cms", "oig"]
DEMAND_LEVELS: dict[str, str] = {"cms": "80", "oig": "90"}
BASIS_DESCRIPTIONS: dict[str, str] = {
    "cms": "lower limit of the one-sided 90% interval (two-sided 80%), CMS PIM ch. 8",
    "oig": "lower limit of the two-sided 90% interval, as in OIG audit reports",
}


@dataclass(frozen=True)
class SampledClaim:
    """A reviewed unit: what was billed and what the documentation supports, in dollars."""

    billed: float
    supported: float
    stratum: str | None = None

    @property
    def overpayment(self) -> float:
        """Billed minus supported (negative when the provider was underpaid)."""
        return self.billed - self.supported


@dataclass(frozen=True)
class Extrapolation:
    """Projected overpayment with its intervals and the demanded amount.

    ``demanded_amount`` is the lower limit at ``demand_level`` for ``basis``, or 0 when that
    limit is negative (nothing is demanded). ``appraisal`` keeps the full worksheet.
    """

    basis: str
    basis_description: str
    demand_level: str
    point_estimate: float
    standard_error: float
    levels: dict[str, Interval]
    demanded_amount: float
    sample_overpayment: float
    appraisal: VariableAppraisal | StratifiedVariableAppraisal


def _by_stratum(
    claims: Sequence[SampledClaim], universe: Mapping[str, int]
) -> dict[str, tuple[int, list[float]]]:
    strata: dict[str, tuple[int, list[float]]] = {
        name: (size, []) for name, size in universe.items()
    }
    for position, claim in enumerate(claims, start=1):
        if claim.stratum not in strata:
            raise SamplingInputError(f"claim {position}", claim.stratum, "stratum not in universe")
        strata[claim.stratum][1].append(claim.overpayment)
    return strata


def extrapolate(
    claims: Sequence[SampledClaim], universe: int | Mapping[str, int], basis: Basis = "cms"
) -> Extrapolation:
    """Project overpayments from ``claims`` to ``universe``.

    ``universe`` is N for an unrestricted sample (t intervals), or N per stratum for a
    stratified one (z intervals on the overall total, as RAT-STATS). Every stratum needs at
    least two sampled claims.
    """
    if basis not in DEMAND_LEVELS:
        raise SamplingInputError("basis", basis, f"must be one of {', '.join(DEMAND_LEVELS)}")
    appraisal: VariableAppraisal | StratifiedVariableAppraisal
    if isinstance(universe, int):
        appraisal = appraise_variable([claim.overpayment for claim in claims], universe, "claims")
        standard_error = appraisal.se_total
    else:
        appraisal = appraise_variable_stratified(_by_stratum(claims, universe))
        standard_error = appraisal.standard_error
    level = DEMAND_LEVELS[basis]
    return Extrapolation(
        basis=basis,
        basis_description=BASIS_DESCRIPTIONS[basis],
        demand_level=level,
        point_estimate=appraisal.point_estimate,
        standard_error=standard_error,
        levels=appraisal.levels,
        demanded_amount=max(0.0, appraisal.levels[level].lower),
        sample_overpayment=math.fsum(claim.overpayment for claim in claims),
        appraisal=appraisal,
    )
