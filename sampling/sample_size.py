"""Sample sizes (RAT-STATS Companion Manual, chapter 4), as tables by precision and confidence.

Variable sizes come from the mean-per-unit formula with two-sided normal multipliers and are
rounded to the nearest unit (halves up); stratified sizes use Neyman allocation. Attribute
sizes search the exact hypergeometric interval used by attribute appraisal.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from sampling.appraisal import lower_limit, upper_limit, z_value
from sampling.errors import SamplingInputError

PRECISIONS = ("1", "2", "5", "10", "15", "25")
CONFIDENCES = ("80", "90", "95", "99")
SMALL_SAMPLE = 30
_BLOCK = 32

SizeTable = dict[str, dict[str, int]]


def _check_universe(universe: int, where: str = "universe") -> None:
    if isinstance(universe, bool) or not isinstance(universe, int) or universe < 1:
        raise SamplingInputError(where, universe, "must be a whole number above 0")


def _check_positive(where: str, value: float, allow_zero: bool = False) -> None:
    if not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        bound = "0 or more" if allow_zero else "above 0"
        raise SamplingInputError(where, value, f"must be a number {bound}")


def _round_half_up(value: float) -> int:
    return math.floor(value + 0.5)


def _formula_size(universe: int, mean: float, sd: float, precision: str, confidence: str) -> float:
    """Unrounded n = (SD·N)² / ((E/Z)² + N·SD²) with E = precision% · mean · N."""
    margin = float(precision) / 100.0 * mean * universe
    z = z_value(confidence)
    return (sd * universe) ** 2 / ((margin / z) ** 2 + universe * sd**2)


def variable_sample_sizes(
    universe: int,
    mean: float,
    sd: float,
    precisions: Sequence[str] = PRECISIONS,
    confidences: Sequence[str] = CONFIDENCES,
) -> SizeTable:
    """Sizes from a probe sample's mean and SD, for a universe of ``universe`` units.

    RAT-STATS flags sizes below ``SMALL_SAMPLE`` (30) as too small to rely on the normal
    approximation; ``small_cells`` lists them.
    """
    _check_universe(universe)
    _check_positive("mean", mean)
    _check_positive("sd", sd, allow_zero=True)
    return {
        precision: {
            confidence: _round_half_up(_formula_size(universe, mean, sd, precision, confidence))
            for confidence in confidences
        }
        for precision in precisions
    }


def small_cells(table: Mapping[str, Mapping[str, int]]) -> list[tuple[str, str]]:
    """(precision, confidence) cells whose size is below 30."""
    return [
        (precision, confidence)
        for precision, row in table.items()
        for confidence, size in row.items()
        if size < SMALL_SAMPLE
    ]


def error_rate_moments(
    universe: int, error_rate_percent: float, total: float, sd: float
) -> tuple[float, float]:
    """Mean and SD of overpayments expected at an error rate p on audited amounts.

    μ_R = total / N; μ_D = p·μ_R; σ_D = sqrt(p·(σ_R² + (1 − p)·μ_R²)).
    """
    _check_universe(universe)
    if not 0 < error_rate_percent <= 100:
        raise SamplingInputError("error rate", error_rate_percent, "must be above 0 and up to 100")
    _check_positive("total", total)
    _check_positive("sd", sd, allow_zero=True)
    rate = error_rate_percent / 100.0
    mean_audited = total / universe
    return rate * mean_audited, math.sqrt(rate * (sd**2 + (1.0 - rate) * mean_audited**2))


def error_rate_sample_sizes(
    universe: int,
    error_rate_percent: float,
    total: float,
    sd: float,
    precisions: Sequence[str] = PRECISIONS,
    confidences: Sequence[str] = CONFIDENCES,
) -> SizeTable:
    """Sizes when only the expected error rate and the audited dollars are known."""
    mean, sd_difference = error_rate_moments(universe, error_rate_percent, total, sd)
    return variable_sample_sizes(universe, mean, sd_difference, precisions, confidences)


@dataclass(frozen=True)
class StratumEstimate:
    """What is known of a stratum before sampling: its size, and the mean and SD expected."""

    universe: int
    mean: float
    sd: float


@dataclass(frozen=True)
class StratifiedSize:
    """Neyman sizes per stratum; ``total`` is their sum (ceilings make it ≥ the formula n)."""

    total: int
    strata: dict[str, int]


def _neyman_cell(
    strata: Mapping[str, StratumEstimate], precision: str, confidence: str
) -> StratifiedSize:
    """n = (Σ N_h σ_h)² / ((E/Z)² + Σ N_h σ_h²), E = PREC% · Σ N_h μ_h; n_h = ceil(n·share)."""
    weights = {name: s.universe * s.sd for name, s in strata.items()}
    weight_sum = math.fsum(weights.values())
    margin = float(precision) / 100.0 * math.fsum(s.universe * s.mean for s in strata.values())
    spread = math.fsum(s.universe * s.sd**2 for s in strata.values())
    n = weight_sum**2 / ((margin / z_value(confidence)) ** 2 + spread)
    sizes = {
        name: min(math.ceil(n * weights[name] / weight_sum) if weight_sum else 0, s.universe)
        for name, s in strata.items()
    }
    return StratifiedSize(sum(sizes.values()), sizes)


def stratified_sample_sizes(
    strata: Mapping[str, StratumEstimate],
    precisions: Sequence[str] = PRECISIONS,
    confidences: Sequence[str] = CONFIDENCES,
) -> dict[str, dict[str, StratifiedSize]]:
    """Neyman-allocated stratified sizes; a stratum's n_h never exceeds its N_h."""
    if not strata:
        raise SamplingInputError("strata", {}, "no strata given")
    for name, stratum in strata.items():
        _check_universe(stratum.universe, f"universe of stratum {name!r}")
        _check_positive(f"mean of stratum {name!r}", stratum.mean, allow_zero=True)
        _check_positive(f"sd of stratum {name!r}", stratum.sd, allow_zero=True)
    if not any(stratum.mean > 0 for stratum in strata.values()):
        raise SamplingInputError("strata", "means", "at least one stratum mean must be above 0")
    return {
        precision: {
            confidence: _neyman_cell(strata, precision, confidence) for confidence in confidences
        }
        for precision in precisions
    }


def _vector_smallest(
    low: np.ndarray, high: np.ndarray, holds: Callable[[np.ndarray, np.ndarray], np.ndarray]
) -> np.ndarray:
    """Element-wise smallest k in [low, high] for a non-decreasing ``holds`` (true at high).

    ``holds(k, rows)`` evaluates the given rows at ``k``: one vectorised call per step.
    """
    low, high = low.copy(), high.copy()
    while (rows := np.flatnonzero(low < high)).size:
        middle = (low[rows] + high[rows]) // 2
        true = holds(middle, rows)
        high[rows] = np.where(true, middle, high[rows])
        low[rows] = np.where(true, low[rows], middle + 1)
    return low


class _AttributeSearch:
    """Smallest n whose exact interval width U − L is within a limit, at one tail.

    The width is not monotone in n (x = round(n·rate) jumps), so every n counts. To keep
    the number of exact evaluations small, blocks [a, b] of n are skipped when a proven
    lower bound of all their widths is too wide. The bound rests on monotonicity only: L
    and U fall as n grows with x fixed and rise with x for n fixed, so for n in [a, b]
    U(b, x_a) ≤ U(n, x_n) ≤ U(a, x_b) and L(b, x_a) ≤ L(n, x_n) ≤ L(a, x_b). The same
    corners bracket the exact bisections of the blocks that cannot be skipped.
    """

    def __init__(self, universe: int, rate: Fraction, tail: float) -> None:
        self.universe = universe
        self.rate = rate
        self.tail = tail
        self._lower: dict[tuple[int, int], int] = {}
        self._upper: dict[tuple[int, int], int] = {}

    def errors(self, n: int) -> int:
        """Expected errors in a sample of n: round(n · rate / 100), halves up, exactly."""
        numerator, denominator = self.rate.numerator, self.rate.denominator
        return (2 * n * numerator + 100 * denominator) // (200 * denominator)

    def lower(self, n: int, x: int) -> int:
        """L(n, x); N when x > n, which no sample can show (only used as a bound)."""
        if (n, x) not in self._lower:
            found = lower_limit(self.universe, n, x, self.tail) if x <= n else self.universe
            self._lower[n, x] = found
        return self._lower[n, x]

    def upper(self, n: int, x: int) -> int:
        """U(n, x); N when x > n (only used as a bound)."""
        if (n, x) not in self._upper:
            found = upper_limit(self.universe, n, x, self.tail) if x <= n else self.universe
            self._upper[n, x] = found
        return self._upper[n, x]

    def widths(self, a: int, b: int) -> np.ndarray:
        """Exact U − L for every n in [a, b], bisecting inside the corner brackets."""
        from scipy.stats import hypergeom  # imported late: see sampling.appraisal

        universe, tail = self.universe, self.tail
        sizes = np.arange(a, b + 1, dtype=np.int64)
        x = np.array([self.errors(n) for n in range(a, b + 1)], dtype=np.int64)
        x_a, x_b = self.errors(a), self.errors(b)
        lower = _vector_smallest(
            np.full_like(sizes, self.lower(b, x_a)),
            np.full_like(sizes, self.lower(a, x_b)),
            lambda k, i: (x[i] == 0) | (hypergeom.sf(x[i] - 1, universe, k, sizes[i]) > tail),
        )
        # U + 1 is the smallest K at which P(X ≤ x) > tail fails (K = N + 1 always fails).
        beyond = _vector_smallest(
            np.full_like(sizes, self.upper(b, x_a) + 1),
            np.full_like(sizes, self.upper(a, x_b) + 1),
            lambda k, i: (k > universe) | (hypergeom.cdf(x[i], universe, k, sizes[i]) <= tail),
        )
        return np.asarray(beyond - 1 - lower, dtype=np.int64)

    def first_sizes(self, limits: Sequence[int]) -> list[int]:
        """For each width limit, largest first, the smallest n meeting it.

        Blocks that can be skipped double in length; a block that cannot is halved until it
        is small enough to evaluate exactly. n = N always meets a limit (its width is 0).
        """
        found: list[int] = []
        start, block = 1, 1
        for limit in limits:
            while True:
                end = min(start + block - 1, self.universe)
                bound = self.upper(end, self.errors(start)) - self.lower(start, self.errors(end))
                if bound > limit:
                    start, block = end + 1, 2 * block
                elif block > _BLOCK:
                    block //= 2
                else:
                    meets = np.flatnonzero(self.widths(start, end) <= limit)
                    if meets.size:
                        start += int(meets[0])
                        found.append(start)
                        break
                    start = end + 1
        return found


def attribute_sample_sizes(
    universe: int,
    rate_percent: float,
    precisions: Sequence[str] = PRECISIONS,
    confidences: Sequence[str] = CONFIDENCES,
) -> SizeTable:
    """Smallest n whose exact interval is narrow enough, for an anticipated error rate.

    For each n the expected errors are x = round(n × rate), halves up; the interval is the
    exact hypergeometric one of attribute appraisal; n qualifies when its half-width
    (U − L)/2 is at most ``precision`` % of the universe. Since x jumps with n, the width is
    not monotone in n; ``_AttributeSearch`` finds the smallest qualifying n without
    assuming it is.
    """
    _check_universe(universe)
    if not 0 <= rate_percent <= 100:
        raise SamplingInputError("rate", rate_percent, "must be from 0 to 100")
    # half-width ≤ precision% of N  ⇔  U − L ≤ 2·N·precision/100, in whole units
    widths = {
        precision: math.floor(2 * universe * Fraction(precision) / 100) for precision in precisions
    }
    for precision in precisions:
        if Fraction(precision) <= 0:
            raise SamplingInputError("precision", precision, "must be above 0")
    rate = Fraction(str(rate_percent))
    widest_first = sorted(precisions, key=Fraction, reverse=True)
    table: SizeTable = {precision: {} for precision in precisions}
    for confidence in confidences:
        search = _AttributeSearch(universe, rate, (1.0 - float(confidence) / 100.0) / 2.0)
        sizes = search.first_sizes([widths[precision] for precision in widest_first])
        for precision, size in zip(widest_first, sizes, strict=True):
            table[precision][confidence] = size
    return table
