"""Sample sizes: the variable, error-rate and Neyman formulas, and the attribute search."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import norm

from sampling.appraisal import exact_limits
from sampling.errors import SamplingInputError
from sampling.sample_size import (
    CONFIDENCES,
    PRECISIONS,
    StratumEstimate,
    attribute_sample_sizes,
    error_rate_moments,
    error_rate_sample_sizes,
    small_cells,
    stratified_sample_sizes,
    variable_sample_sizes,
)


def formula(universe: int, mean: float, sd: float, precision: float, confidence: float) -> float:
    z = norm.ppf(1 - (1 - confidence / 100) / 2)
    margin = precision / 100 * mean * universe
    return (sd * universe) ** 2 / ((margin / z) ** 2 + universe * sd**2)


def test_table_shape_and_z_values() -> None:
    table = variable_sample_sizes(10_000, 70.6, 48.25)
    assert list(table) == ["1", "2", "5", "10", "15", "25"] == list(PRECISIONS)
    assert all(list(row) == ["80", "90", "95", "99"] == list(CONFIDENCES) for row in table.values())
    assert norm.ppf(0.995) == pytest.approx(2.5758293035489, abs=1e-12)


def test_variable_sizes_are_the_formula_rounded_half_up() -> None:
    table = variable_sample_sizes(10_000, 70.6, 48.25)
    for precision, row in table.items():
        for confidence, size in row.items():
            exact = formula(10_000, 70.6, 48.25, float(precision), float(confidence))
            assert size == math.floor(exact + 0.5)
    assert table["10"]["90"] == 125
    assert table["5"]["95"] == 670


def test_small_sizes_are_flagged() -> None:
    table = variable_sample_sizes(10_000, 70.6, 48.25)
    assert small_cells(table) == [("25", "80"), ("25", "90"), ("25", "95")]


def test_error_rate_moments() -> None:
    mean, sd = error_rate_moments(10_000, 20, 1_000_000, 80)
    assert mean == pytest.approx(0.2 * 100)
    assert sd == pytest.approx(math.sqrt(0.2 * (80**2 + 0.8 * 100**2)))
    table = error_rate_sample_sizes(10_000, 20, 1_000_000, 80)
    assert table == variable_sample_sizes(10_000, mean, sd)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: variable_sample_sizes(0, 1, 1), "universe"),
        (lambda: variable_sample_sizes(10, 0, 1), "mean"),
        (lambda: variable_sample_sizes(10, 5, -1), "sd"),
        (lambda: error_rate_moments(10, 0, 100, 1), "error rate"),
        (lambda: error_rate_moments(10, 101, 100, 1), "error rate"),
        (lambda: attribute_sample_sizes(100, 120), "rate"),
        (lambda: attribute_sample_sizes(100, 10, ["0"]), "precision"),
        (lambda: stratified_sample_sizes({}), "strata"),
        (lambda: stratified_sample_sizes({"a": StratumEstimate(10, 0, 1)}), "means"),
    ],
)
def test_bad_inputs(call: object, message: str) -> None:
    with pytest.raises(SamplingInputError, match=message):
        call()  # type: ignore[operator]


def test_stratified_neyman() -> None:
    strata = {"A": StratumEstimate(1000, 100, 50), "B": StratumEstimate(5000, 20, 10)}
    table = stratified_sample_sizes(strata)
    z = norm.ppf(0.95)
    weights = {"A": 1000 * 50, "B": 5000 * 10}
    margin = 0.05 * (1000 * 100 + 5000 * 20)
    n = sum(weights.values()) ** 2 / ((margin / z) ** 2 + 1000 * 50**2 + 5000 * 10**2)
    cell = table["5"]["90"]
    expected = {name: math.ceil(n * w / sum(weights.values())) for name, w in weights.items()}
    assert cell.strata == expected == {"A": 126, "B": 126}
    assert cell.total == 252


def test_stratified_sizes_are_capped_at_the_stratum() -> None:
    table = stratified_sample_sizes(
        {"A": StratumEstimate(10, 100, 500), "B": StratumEstimate(5000, 20, 1)}
    )
    assert table["1"]["99"].strata["A"] == 10


def brute_attribute_size(universe: int, rate: float, precision: str, confidence: str) -> int:
    """The definition: scan n = 1..N with x = round(n·rate) halves up."""
    tail = (1 - int(confidence) / 100) / 2
    limit = 2 * universe * Fraction(precision) / 100
    for n in range(1, universe + 1):
        errors = math.floor(Fraction(n) * Fraction(str(rate)) / 100 + Fraction(1, 2))
        lower, upper = exact_limits(universe, n, errors, tail)
        if upper - lower <= limit:
            return n
    raise AssertionError("n = N always qualifies")


def test_attribute_size_where_the_width_is_not_monotone() -> None:
    # At 5%, x = round(n × 5%) goes from 0 to 1 at n = 10 and the interval widens again:
    # n = 9 meets ±10% of 60 (width ≤ 12 units at 80%), n = 10 and 11 do not.
    widths = {n: exact_limits(60, n, x, 0.1) for n, x in ((8, 0), (9, 0), (10, 1), (11, 1))}
    assert {n: upper - lower for n, (lower, upper) in widths.items()} == {
        8: 14,
        9: 12,
        10: 18,
        11: 16,
    }
    assert attribute_sample_sizes(60, 5, ["10"], ["80"]) == {"10": {"80": 9}}


@settings(max_examples=40, deadline=None)
@given(
    universe=st.integers(5, 90),
    rate=st.sampled_from([0, 2.5, 5, 10, 20, 33.3, 50, 75, 100]),
    precision=st.sampled_from(["2", "5", "10", "25"]),
    confidence=st.sampled_from(["80", "95", "99"]),
)
def test_attribute_search_finds_the_smallest_n(
    universe: int, rate: float, precision: str, confidence: str
) -> None:
    found = attribute_sample_sizes(universe, rate, [precision], [confidence])
    assert found[precision][confidence] == brute_attribute_size(
        universe, rate, precision, confidence
    )


def test_attribute_table() -> None:
    table = attribute_sample_sizes(1000, 10)
    assert table["5"] == {"80": 72, "90": 103, "95": 134, "99": 203}
    assert table["1"]["99"] == 850
    assert all(table[p]["80"] <= table[p]["99"] for p in PRECISIONS)
