"""NPIs, coder habits and rate normalisation."""

from __future__ import annotations

import pytest
from faker import Faker

from synthetic_data.dice import Dice
from synthetic_data.organisation import (
    CODER_HABITS,
    NamePool,
    build_coders,
    is_valid_npi,
    luhn_check_digit,
    npi_from,
)


def test_npi_check_digit_matches_the_cms_example() -> None:
    assert npi_from("123456789") == "1234567893"
    assert is_valid_npi("1234567893")
    assert not is_valid_npi("1234567890")
    assert luhn_check_digit("7992739871") == 3  # the textbook Luhn example


def test_generated_npis_are_valid_and_unique(dataset) -> None:
    npis = {row["provider_npi"] for row in dataset.claims}
    assert npis and all(is_valid_npi(npi) for npi in npis)
    listed = [p["npi"] for p in dataset.manifest["providers"]]
    assert len(listed) == len(set(listed)) == 12


def test_coder_rates_keep_the_requested_mean() -> None:
    base = {"SPC001": 0.04, "SPC003": 0.08}
    coders = build_coders(len(CODER_HABITS), base, _names(), Dice(1))
    for rule, rate in base.items():
        mean = sum(c.rates[rule] for c in coders) / len(coders)
        assert mean == pytest.approx(rate)
    by_habit = {c.habit: c.rates for c in coders}
    assert by_habit["laterality-blind"]["SPC003"] > 10 * by_habit["meticulous"]["SPC003"]


def _names() -> NamePool:
    fake = Faker("en_US")
    fake.seed_instance(1)
    return NamePool(fake, size=20)
