"""Integer allocation of a total over strata."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sampling.allocation import allocate
from sampling.errors import SamplingInputError

CAPS = {"a": 100, "b": 100, "c": 100}


def test_largest_remainder_with_ties_in_order() -> None:
    assert allocate(10, {"a": 1, "b": 1, "c": 1}, CAPS) == {"a": 4, "b": 3, "c": 3}
    assert allocate(10, {"a": 1, "b": 2, "c": 7}, CAPS) == {"a": 1, "b": 2, "c": 7}


def test_caps_move_units_to_other_strata() -> None:
    assert allocate(10, {"a": 1, "b": 1, "c": 1}, {"a": 1, "b": 100, "c": 100}) == {
        "a": 1,
        "b": 5,
        "c": 4,
    }


def test_floors_come_before_caps() -> None:
    caps = {"a": 3, "b": 100, "c": 100}
    assert allocate(6, {"a": 1000, "b": 1, "c": 1}, caps, minimum=2) == {"a": 2, "b": 2, "c": 2}


def test_a_floor_stratum_still_takes_what_a_capped_one_cannot() -> None:
    weights = {"a": 1, "b": 1, "c": 3, "d": 1}
    caps = {"a": 1, "b": 1, "c": 1, "d": 2}
    assert allocate(5, weights, caps, minimum=1) == {"a": 1, "b": 1, "c": 1, "d": 2}


def test_zero_weights() -> None:
    assert allocate(5, {"a": 0.0, "b": 2.5, "c": 0.0}, CAPS) == {"a": 0, "b": 5, "c": 0}
    with pytest.raises(SamplingInputError, match="weight above zero"):
        allocate(5, {"a": 0.0, "b": 0.0}, CAPS)


def test_impossible_totals() -> None:
    with pytest.raises(SamplingInputError, match="hold only 300"):
        allocate(301, {"a": 1, "b": 1, "c": 1}, CAPS)
    with pytest.raises(SamplingInputError, match="min_per_stratum"):
        allocate(5, {"a": 1, "b": 1, "c": 1}, CAPS, minimum=2)


@settings(max_examples=100, deadline=None)
@given(
    weights=st.lists(st.floats(0.01, 1e6), min_size=1, max_size=6),
    caps=st.lists(st.integers(1, 50), min_size=6, max_size=6),
    minimum=st.integers(0, 3),
    data=st.data(),
)
def test_allocation_invariants(
    weights: list[float], caps: list[int], minimum: int, data: st.DataObject
) -> None:
    names = [f"s{i}" for i in range(len(weights))]
    cap = dict(zip(names, caps, strict=False))
    floors = sum(min(minimum, c) for c in cap.values())
    total = data.draw(st.integers(floors, sum(cap.values())))
    sizes = allocate(total, dict(zip(names, weights, strict=True)), cap, minimum)
    assert sum(sizes.values()) == total
    assert all(min(minimum, cap[n]) <= sizes[n] <= cap[n] for n in names)
