"""Appraisal of a sample: projecting dollars (variable) and error counts (attribute).

Formulas are those of RAT-STATS 2010: mean-per-unit estimation with exact t quantiles for an
unrestricted sample, z quantiles for the overall stratified interval, and exact
hypergeometric limits (Buonaccorsi 1987) for attributes. Levels are two-sided 80, 90 and 95%.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from sampling.errors import SamplingInputError

# scipy.stats takes most of a second to import, so it is imported where it is used: the
# command line (and `auditkit --help`) stays quick when no statistic is computed.

LEVELS = ("80", "90", "95")
STRATIFIED_ATTRIBUTE_METHOD = "normal-approximation"


def two_sided_probability(level: str) -> float:
    """The quantile a two-sided ``level`` % interval uses: 0.90, 0.95, 0.975 for 80/90/95."""
    return 0.5 + float(level) / 200.0


def t_value(level: str, degrees_of_freedom: int) -> float:
    """Exact two-sided Student t multiplier."""
    from scipy.stats import t as student_t

    return float(student_t.ppf(two_sided_probability(level), degrees_of_freedom))


def z_value(level: str) -> float:
    """Exact two-sided normal multiplier (1.2815515655446004 for 80%, ...)."""
    from scipy.stats import norm

    return float(norm.ppf(two_sided_probability(level)))


@dataclass(frozen=True)
class Interval:
    """A two-sided interval around a projected total.

    ``factor`` is the t (unrestricted, per stratum) or z (stratified overall) multiplier;
    ``precision`` is factor × standard error, and ``precision_percent`` is that as a percent
    of the point estimate (0 when the estimate is 0 or below, as RAT-STATS prints).
    """

    factor: float
    lower: float
    upper: float
    precision: float
    precision_percent: float


def _interval(estimate: float, standard_error: float, factor: float) -> Interval:
    precision = factor * standard_error
    percent = 100.0 * precision / estimate if estimate > 0 else 0.0
    return Interval(factor, estimate - precision, estimate + precision, precision, percent)


@dataclass(frozen=True)
class VariableAppraisal:
    """Mean-per-unit appraisal of one column of an unrestricted sample (or one stratum).

    ``skewness`` (m3/m2^1.5) and ``kurtosis`` (m4/m2², not excess) use n-divisor moments;
    they are None when every value is the same.
    """

    universe: int
    n: int
    mean: float
    sd: float
    skewness: float | None
    kurtosis: float | None
    se_mean: float
    se_total: float
    point_estimate: float
    levels: dict[str, Interval]


def _check_universe(where: str, universe: int, n: int) -> None:
    if isinstance(universe, bool) or not isinstance(universe, int) or universe < 1:
        raise SamplingInputError(where, universe, "the universe must be a whole number above 0")
    if n > universe:
        raise SamplingInputError(where, universe, f"smaller than the sample ({n:,})")


def appraise_variable(
    values: Sequence[float], universe: int, where: str = "sample"
) -> VariableAppraisal:
    """Project the total of ``values`` (a simple random sample) to a universe of ``universe``.

    ``where`` names the sample in error messages (a column, a stratum).
    """
    n = len(values)
    if n < 2:
        raise SamplingInputError(where, n, "needs at least 2 sampled values")
    _check_universe(f"universe of {where}", universe, n)
    mean = math.fsum(values) / n
    deviations = [value - mean for value in values]
    m2, m3, m4 = (math.fsum(d**power for d in deviations) / n for power in (2, 3, 4))
    sd = math.sqrt(m2 * n / (n - 1))
    se_mean = sd / math.sqrt(n) * math.sqrt((universe - n) / universe)
    se_total = universe * se_mean
    estimate = universe * mean
    return VariableAppraisal(
        universe=universe,
        n=n,
        mean=mean,
        sd=sd,
        skewness=m3 / m2**1.5 if m2 > 0 else None,
        kurtosis=m4 / m2**2 if m2 > 0 else None,
        se_mean=se_mean,
        se_total=se_total,
        point_estimate=estimate,
        levels={level: _interval(estimate, se_total, t_value(level, n - 1)) for level in LEVELS},
    )


@dataclass(frozen=True)
class StratifiedVariableAppraisal:
    """Each stratum appraised alone, and the overall stratified total with z intervals."""

    strata: dict[str, VariableAppraisal]
    point_estimate: float
    standard_error: float
    levels: dict[str, Interval]


def appraise_variable_stratified(
    strata: Mapping[str, tuple[int, Sequence[float]]],
) -> StratifiedVariableAppraisal:
    """Stratified mean-per-unit appraisal; ``strata`` maps name → (N_h, sampled values).

    Overall ``T = Σ N_h·mean_h`` and ``Var = Σ N_h²·(1 − n_h/N_h)·s_h²/n_h``, as RAT-STATS.
    """
    if not strata:
        raise SamplingInputError("strata", {}, "no strata given")
    parts = {
        name: appraise_variable(values, universe, where=f"stratum {name!r}")
        for name, (universe, values) in strata.items()
    }
    estimate = math.fsum(part.point_estimate for part in parts.values())
    standard_error = math.sqrt(math.fsum(part.se_total**2 for part in parts.values()))
    return StratifiedVariableAppraisal(
        strata=parts,
        point_estimate=estimate,
        standard_error=standard_error,
        levels={level: _interval(estimate, standard_error, z_value(level)) for level in LEVELS},
    )


@dataclass(frozen=True)
class Limits:
    """Lower and upper limit of an error count in the universe."""

    lower: float
    upper: float


@dataclass(frozen=True)
class AttributeAppraisal:
    """Projected number of units in error, with exact limits per level.

    ``one_sided`` is True when the limits at x = 0 (upper) or x = n (lower) are one-sided.
    """

    universe: int
    sample: int
    errors: int
    point_estimate: float
    one_sided: bool
    levels: dict[str, Limits]


def _smallest(low: int, high: int, holds: Callable[[int], bool]) -> int:
    """Smallest k in [low, high] for which a non-decreasing ``holds`` is true (true at high)."""
    while low < high:
        middle = (low + high) // 2
        if holds(middle):
            high = middle
        else:
            low = middle + 1
    return low


def _largest(low: int, high: int, holds: Callable[[int], bool]) -> int:
    """Largest k in [low, high] for which a non-increasing ``holds`` is true (true at low)."""
    while low < high:
        middle = (low + high + 1) // 2
        if holds(middle):
            low = middle
        else:
            high = middle - 1
    return low


def _check_attribute(universe: int, sample: int, errors: int, where: str) -> None:
    if isinstance(sample, bool) or not isinstance(sample, int) or sample < 1:
        raise SamplingInputError(f"sample of {where}", sample, "must be a whole number above 0")
    _check_universe(f"universe of {where}", universe, sample)
    if isinstance(errors, bool) or not isinstance(errors, int) or not 0 <= errors <= sample:
        raise SamplingInputError(f"errors of {where}", errors, f"must be from 0 to {sample}")


def lower_limit(universe: int, sample: int, errors: int, tail: float) -> int:
    """Smallest K with P(X ≥ x | N, K, n) > tail (0 when x = 0); P rises with K."""
    if errors == 0:
        return 0
    from scipy.stats import hypergeom

    return _smallest(
        errors, universe, lambda k: hypergeom.sf(errors - 1, universe, k, sample) > tail
    )


def upper_limit(universe: int, sample: int, errors: int, tail: float) -> int:
    """Largest K with P(X ≤ x | N, K, n) > tail (N when x = n); P falls as K rises."""
    if errors == sample:
        return universe
    from scipy.stats import hypergeom

    return _largest(errors, universe, lambda k: hypergeom.cdf(errors, universe, k, sample) > tail)


def exact_limits(universe: int, sample: int, errors: int, tail: float) -> tuple[int, int]:
    """Buonaccorsi limits on K, the units in error among ``universe``, given x of n in error."""
    return lower_limit(universe, sample, errors, tail), upper_limit(universe, sample, errors, tail)


def attribute_limits(
    universe: int, sample: int, errors: int, level: str, one_sided: bool = False
) -> tuple[int, int]:
    """Exact limits at ``level`` %: tail (1 − level)/2, or 1 − level when ``one_sided``.

    One-sided limits are only offered when x = 0 (upper limit) or x = n (lower limit).
    """
    _check_attribute(universe, sample, errors, "sample")
    if one_sided and errors not in (0, sample):
        raise SamplingInputError("errors", errors, "one-sided limits need 0 or all in error")
    confidence = float(level) / 100.0
    tail = 1.0 - confidence if one_sided else (1.0 - confidence) / 2.0
    return exact_limits(universe, sample, errors, tail)


def appraise_attribute(
    universe: int, sample: int, errors: int, one_sided: bool = False
) -> AttributeAppraisal:
    """Unrestricted attribute appraisal at 80, 90 and 95%."""
    _check_attribute(universe, sample, errors, "sample")
    return AttributeAppraisal(
        universe=universe,
        sample=sample,
        errors=errors,
        point_estimate=universe * errors / sample,
        one_sided=one_sided,
        levels={
            level: Limits(*attribute_limits(universe, sample, errors, level, one_sided))
            for level in LEVELS
        },
    )


@dataclass(frozen=True)
class StratifiedAttributeAppraisal:
    """Exact limits per stratum, and an overall total by the method named in ``method``."""

    strata: dict[str, AttributeAppraisal]
    point_estimate: float
    standard_error: float
    method: str
    levels: dict[str, Limits]


def _stratum_variance(part: AttributeAppraisal, name: str) -> float:
    """N_h²·(1 − n_h/N_h)·p_h(1 − p_h)/(n_h − 1); zero for a stratum reviewed in full."""
    if part.sample == part.universe:
        return 0.0
    if part.sample < 2:
        raise SamplingInputError(f"sample of stratum {name!r}", part.sample, "needs at least 2")
    rate = part.errors / part.sample
    finite = 1.0 - part.sample / part.universe
    return part.universe**2 * finite * rate * (1.0 - rate) / (part.sample - 1)


def appraise_attribute_stratified(
    strata: Mapping[str, tuple[int, int, int]],
) -> StratifiedAttributeAppraisal:
    """Stratified attribute appraisal; ``strata`` maps name → (N_h, n_h, x_h).

    Each stratum gets exact hypergeometric limits. The overall total is Σ N_h·x_h/n_h with the
    unbiased variance above and normal (z) limits, clipped to what the sample proves: at least
    Σ x_h units are in error and at least Σ (n_h − x_h) are not. This is auditkit's method;
    see docs/sampling.md.
    """
    if not strata:
        raise SamplingInputError("strata", {}, "no strata given")
    for name, (universe, sample, errors) in strata.items():
        _check_attribute(universe, sample, errors, f"stratum {name!r}")
    parts = {name: appraise_attribute(*counts) for name, counts in strata.items()}
    estimate = math.fsum(part.point_estimate for part in parts.values())
    standard_error = math.sqrt(math.fsum(_stratum_variance(p, n) for n, p in parts.items()))
    floor = sum(part.errors for part in parts.values())
    ceiling = sum(part.universe - part.sample + part.errors for part in parts.values())
    levels = {}
    for level in LEVELS:
        margin = z_value(level) * standard_error
        levels[level] = Limits(max(estimate - margin, floor), min(estimate + margin, ceiling))
    return StratifiedAttributeAppraisal(
        parts, estimate, standard_error, STRATIFIED_ATTRIBUTE_METHOD, levels
    )
