"""Variable and attribute appraisal: published vectors and the formulas."""

from __future__ import annotations

import math

import pytest
from scipy import stats as scipy_stats
from scipy.stats import hypergeom

from sampling.appraisal import (
    appraise_attribute,
    appraise_attribute_stratified,
    appraise_variable,
    appraise_variable_stratified,
    attribute_limits,
    t_value,
    z_value,
)
from sampling.errors import SamplingInputError


def test_datasrs_published_vector(datasrs: list[int]) -> None:
    assert sum(datasrs) == 3530
    result = appraise_variable(datasrs, 10_000)
    assert result.n == 50
    assert round(result.mean, 2) == 70.60
    assert round(result.sd, 2) == 48.25
    assert round(result.se_mean, 2) == 6.81
    assert round(result.se_total) == 68_068
    assert result.point_estimate == 706_000
    ninety = result.levels["90"]
    assert (round(ninety.lower), round(ninety.upper)) == (591_881, 820_119)
    assert round(ninety.precision) == 114_119
    assert round(ninety.precision_percent, 2) == 16.16
    assert (round(result.levels["80"].lower), round(result.levels["80"].upper)) == (
        617_575,
        794_425,
    )
    assert (round(result.levels["95"].lower), round(result.levels["95"].upper)) == (
        569_213,
        842_787,
    )
    published_t = {"80": 1.299068784748, "90": 1.676550892617, "95": 2.009575237129}
    for level, t in published_t.items():
        assert result.levels[level].factor == pytest.approx(t, abs=5e-13)


def test_variable_formulas() -> None:
    values = [12.5, 0.0, 40.0, 7.25, 19.0, 3.5, 88.0]
    result = appraise_variable(values, 700)
    n, mean = len(values), sum(values) / len(values)
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    assert result.mean == pytest.approx(mean, rel=1e-15)
    assert result.sd == pytest.approx(sd, rel=1e-14)
    assert result.se_mean == pytest.approx(
        sd / math.sqrt(n) * math.sqrt((700 - n) / 700), rel=1e-14
    )
    assert result.se_total == pytest.approx(700 * result.se_mean, rel=1e-15)
    assert result.point_estimate == pytest.approx(700 * mean, rel=1e-15)
    assert result.skewness == pytest.approx(scipy_stats.skew(values), rel=1e-12)
    assert result.kurtosis == pytest.approx(scipy_stats.kurtosis(values, fisher=False), rel=1e-12)
    t = scipy_stats.t.ppf(0.95, n - 1)
    assert result.levels["90"].factor == t
    assert result.levels["90"].lower == pytest.approx(700 * mean - t * result.se_total, rel=1e-14)


def test_constant_column_and_non_positive_estimates() -> None:
    flat = appraise_variable([5.0, 5.0, 5.0], 10)
    assert flat.sd == 0 and flat.skewness is None and flat.kurtosis is None
    negative = appraise_variable([-5.0, -1.0, -3.0], 10)
    assert negative.levels["90"].precision_percent == 0.0


def test_a_census_has_no_sampling_error() -> None:
    result = appraise_variable([1.0, 2.0, 4.0], 3)
    assert result.se_total == 0 and result.levels["95"].lower == result.point_estimate == 7.0


@pytest.mark.parametrize(
    ("values", "universe", "message"),
    [
        ([1.0], 10, "at least 2"),
        ([1.0, 2.0, 3.0], 2, "smaller than the sample"),
        ([1.0, 2.0], 0, "above 0"),
    ],
)
def test_variable_errors(values: list[float], universe: int, message: str) -> None:
    with pytest.raises(SamplingInputError, match=message):
        appraise_variable(values, universe)


def test_stratified_variable_formulas() -> None:
    strata = {"A": (100, [10.0, 20.0, 60.0]), "B": (400, [5.0, 0.0, 2.0, 9.0])}
    result = appraise_variable_stratified(strata)
    variance = 0.0
    for universe, values in strata.values():
        n = len(values)
        s2 = scipy_stats.tvar(values)
        variance += universe**2 * (universe - n) / universe * s2 / n
    assert result.point_estimate == pytest.approx(100 * 30 + 400 * 4, rel=1e-15)
    assert result.standard_error == pytest.approx(math.sqrt(variance), rel=1e-14)
    assert result.levels["80"].factor == pytest.approx(1.281551565545, abs=5e-13)
    assert result.levels["90"].factor == pytest.approx(1.644853626951, abs=5e-13)
    assert result.levels["95"].factor == pytest.approx(1.959963984540, abs=5e-13)
    assert result.levels["95"].upper == pytest.approx(4600 + z_value("95") * math.sqrt(variance))
    assert result.strata["A"].levels["90"].factor == t_value("90", 2)
    with pytest.raises(SamplingInputError, match="stratum 'B'"):
        appraise_variable_stratified({"A": (10, [1.0, 2.0]), "B": (10, [1.0])})


def test_attribute_published_vector() -> None:
    assert attribute_limits(100, 10, 4, "90") == (16, 68)
    result = appraise_attribute(100, 10, 4)
    assert result.point_estimate == 40
    assert (result.levels["90"].lower, result.levels["90"].upper) == (16, 68)


def brute_limits(universe: int, sample: int, errors: int, tail: float) -> tuple[int, int]:
    """The definition, scanning every K."""
    ks = range(universe + 1)
    lower = min(k for k in ks if hypergeom.sf(errors - 1, universe, k, sample) > tail)
    upper = max(k for k in ks if hypergeom.cdf(errors, universe, k, sample) > tail)
    return lower, upper


@pytest.mark.parametrize(
    ("universe", "sample", "errors"),
    [(100, 10, 4), (100, 10, 0), (100, 10, 10), (57, 13, 2), (250, 40, 39), (30, 30, 7), (1, 1, 1)],
)
@pytest.mark.parametrize("level", ["80", "90", "95"])
def test_attribute_limits_match_the_definition(
    universe: int, sample: int, errors: int, level: str
) -> None:
    tail = (1 - int(level) / 100) / 2
    assert attribute_limits(universe, sample, errors, level) == brute_limits(
        universe, sample, errors, tail
    )


def test_one_sided_limits() -> None:
    zero = appraise_attribute(100, 10, 0, one_sided=True)
    assert zero.one_sided
    assert (zero.levels["90"].lower, zero.levels["90"].upper) == brute_limits(100, 10, 0, 0.10)
    assert zero.levels["90"].upper < appraise_attribute(100, 10, 0).levels["90"].upper
    full = appraise_attribute(100, 10, 10, one_sided=True)
    assert (full.levels["95"].lower, full.levels["95"].upper) == brute_limits(100, 10, 10, 0.05)
    with pytest.raises(SamplingInputError, match="one-sided"):
        appraise_attribute(100, 10, 4, one_sided=True)


@pytest.mark.parametrize(
    ("counts", "message"),
    [((100, 0, 0), "sample"), ((10, 20, 1), "smaller than the sample"), ((100, 10, 11), "errors")],
)
def test_attribute_errors(counts: tuple[int, int, int], message: str) -> None:
    with pytest.raises(SamplingInputError, match=message):
        appraise_attribute(*counts)


def test_stratified_attribute() -> None:
    result = appraise_attribute_stratified(
        {"a": (100, 10, 4), "b": (50, 50, 3), "c": (1000, 30, 6)}
    )
    assert result.method == "normal-approximation"
    assert result.point_estimate == pytest.approx(40 + 3 + 200)
    variance = 100**2 * 0.9 * 0.4 * 0.6 / 9 + 1000**2 * 0.97 * 0.2 * 0.8 / 29
    assert result.standard_error == pytest.approx(math.sqrt(variance), rel=1e-14)
    margin = z_value("90") * math.sqrt(variance)
    assert result.levels["90"].lower == pytest.approx(243 - margin)
    assert result.levels["90"].upper == pytest.approx(243 + margin)
    assert result.strata["a"].levels["90"].lower == 16


def test_stratified_attribute_limits_are_clipped_to_what_the_sample_proves() -> None:
    result = appraise_attribute_stratified({"a": (20, 19, 1), "b": (20, 19, 18)})
    assert result.levels["95"].lower >= 19  # 19 errors were seen
    assert result.levels["95"].upper <= 40 - 19  # 19 units were seen to be correct
    with pytest.raises(SamplingInputError, match="at least 2"):
        appraise_attribute_stratified({"a": (20, 1, 1)})
