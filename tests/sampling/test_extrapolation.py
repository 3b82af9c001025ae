"""Extrapolating sampled overpayments and the demanded amount per basis."""

from __future__ import annotations

import pytest

from sampling.appraisal import appraise_variable, appraise_variable_stratified
from sampling.errors import SamplingInputError
from sampling.extrapolation import SampledClaim, extrapolate


@pytest.fixture
def claims(datasrs: list[int]) -> list[SampledClaim]:
    """Claims whose billed − supported reproduces the DATASRS difference column."""
    return [SampledClaim(billed=200.0 + d, supported=200.0) for d in datasrs]


def test_cms_demands_the_lower_limit_of_the_two_sided_80_percent_interval(
    claims: list[SampledClaim],
) -> None:
    result = extrapolate(claims, 10_000, basis="cms")
    assert (result.basis, result.demand_level) == ("cms", "80")
    assert "one-sided 90%" in result.basis_description
    assert result.point_estimate == 706_000
    assert round(result.demanded_amount) == 617_575
    assert round(result.standard_error) == 68_068
    assert result.sample_overpayment == 3530
    assert set(result.levels) == {"80", "90", "95"}


def test_oig_demands_the_lower_limit_of_the_two_sided_90_percent_interval(
    claims: list[SampledClaim],
) -> None:
    result = extrapolate(claims, 10_000, basis="oig")
    assert (result.basis, result.demand_level) == ("oig", "90")
    assert round(result.demanded_amount) == 591_881


def test_a_negative_lower_limit_demands_nothing() -> None:
    claims = [SampledClaim(100.0, s) for s in (100.0, 100.0, 0.0, 100.0, 120.0)]
    result = extrapolate(claims, 1000)
    assert result.levels["80"].lower < 0
    assert result.demanded_amount == 0.0


def test_stratified_extrapolation() -> None:
    claims = [
        SampledClaim(100.0, 40.0, "high"),
        SampledClaim(100.0, 100.0, "high"),
        SampledClaim(90.0, 0.0, "high"),
        SampledClaim(20.0, 10.0, "low"),
        SampledClaim(20.0, 20.0, "low"),
    ]
    result = extrapolate(claims, {"high": 50, "low": 500}, basis="oig")
    expected = appraise_variable_stratified(
        {"high": (50, [60.0, 0.0, 90.0]), "low": (500, [10.0, 0.0])}
    )
    assert result.point_estimate == expected.point_estimate == 50 * 50 + 500 * 5
    assert result.standard_error == expected.standard_error
    assert result.demanded_amount == max(0.0, expected.levels["90"].lower)
    assert result.levels["90"].factor == pytest.approx(1.644853626951, abs=1e-12)


def test_extrapolation_errors(claims: list[SampledClaim]) -> None:
    with pytest.raises(SamplingInputError, match="basis"):
        extrapolate(claims, 10_000, basis="medicaid")  # type: ignore[arg-type]
    with pytest.raises(SamplingInputError, match="claim 1"):
        extrapolate(claims, {"a": 10_000})
    stratified = [SampledClaim(1.0, 0.0, "a"), SampledClaim(2.0, 0.0, "a")]
    with pytest.raises(SamplingInputError, match="stratum 'b'"):
        extrapolate(stratified, {"a": 10, "b": 10})
    assert extrapolate(stratified, 10).appraisal == appraise_variable([1.0, 2.0], 10, "claims")
