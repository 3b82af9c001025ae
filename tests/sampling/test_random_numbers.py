"""RAT-STATS random numbers: the published vector, sets, limits and properties."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sampling.errors import SamplingInputError
from sampling.generators import Pcg64Generator, RatStatsGenerator
from sampling.random_numbers import draw_distinct, random_numbers

PUBLISHED_SAMPLE = [718, 643, 247, 236, 821, 650, 257, 141, 301, 22]
PUBLISHED_SPARES = [980, 507, 440, 557]


def test_published_vector() -> None:
    result = random_numbers(RatStatsGenerator(48863.78), [(1, 1000)], 10, spares=4)
    in_draw_order = sorted(result.sample, key=lambda number: number.order)
    assert [number.values[0] for number in in_draw_order] == PUBLISHED_SAMPLE
    assert [number.values[0] for number in result.sample] == sorted(PUBLISHED_SAMPLE)
    assert [(n.order, n.values[0]) for n in result.spares] == list(
        zip(range(11, 15), PUBLISHED_SPARES, strict=True)
    )
    assert result.total == 6520
    assert (result.generator, result.generator_version, result.seed) == (
        "ratstats",
        "2010",
        48863.78,
    )


def test_sets_take_one_uniform_per_component_in_order() -> None:
    ranges = [(1, 500), (1, 40), (3, 9)]
    result = random_numbers(RatStatsGenerator(1234.5), ranges, 6, spares=2)
    stream = RatStatsGenerator(1234.5).uniforms(24).tolist()
    expected = [
        tuple(
            math.floor(stream[3 * i + j] * (high - low + 1)) + low
            for j, (low, high) in enumerate(ranges)
        )
        for i in range(8)
    ]
    assert len(set(expected)) == 8  # no duplicate in this stretch of the stream
    drawn = sorted([*result.sample, *result.spares], key=lambda number: number.order)
    assert [number.values for number in drawn] == expected
    assert [number.values for number in result.sample] == sorted(expected[:6])
    assert result.total == sum(sum(values) for values in expected)


def test_duplicate_tuples_are_skipped() -> None:
    drawn = draw_distinct(Pcg64Generator(3), [(1, 2), (1, 2)], 4)
    assert sorted(drawn) == [(1, 1), (1, 2), (2, 1), (2, 2)]


def test_ratstats_mode_draws_at_most_10000_values() -> None:
    random_numbers(RatStatsGenerator(1.0), [(1, 20000)], 9999, spares=1)
    with pytest.raises(SamplingInputError, match="at most 10,000"):
        random_numbers(RatStatsGenerator(1.0), [(1, 20000)], 10000, spares=1)
    assert len(draw_distinct(Pcg64Generator(1), [(1, 20000)], 10001)) == 10001


@pytest.mark.parametrize(
    ("ranges", "count", "spares", "message"),
    [
        ([(10, 1)], 1, 0, "low is above high"),
        ([(1, 10)], 8, 3, "more values asked than the ranges hold"),
        ([(1, 10)], -1, 0, "count"),
        ([(1, 10)], 1, -1, "spares"),
        ([], 1, 0, "1 to 4 ranges"),
        ([(1, 2)] * 5, 1, 0, "1 to 4 ranges"),
        ([(1, 2), (5, 4)], 1, 0, "range 2"),
        ([(0, 2**53)], 1, 0, "2\\*\\*53"),
    ],
)
def test_bad_requests(ranges: list[tuple[int, int]], count: int, spares: int, message: str) -> None:
    with pytest.raises(SamplingInputError, match=message):
        random_numbers(RatStatsGenerator(1.0), ranges, count, spares)


def test_a_range_can_be_drawn_in_full() -> None:
    result = random_numbers(RatStatsGenerator(7.0), [(5, 24)], 20)
    assert [number.values[0] for number in result.sample] == list(range(5, 25))


@settings(max_examples=60, deadline=None)
@given(
    generator=st.sampled_from(["ratstats", "pcg64"]),
    seed=st.integers(0, 2**31),
    low=st.integers(-1000, 1000),
    width=st.integers(1, 5000),
    data=st.data(),
)
def test_without_replacement_inside_the_range_and_reproducible(
    generator: str, seed: int, low: int, width: int, data: st.DataObject
) -> None:
    high = low + width - 1
    count = data.draw(st.integers(0, min(width, 300)))
    spares = data.draw(st.integers(0, min(width - count, 20)))

    def draw() -> list[int]:
        source = RatStatsGenerator(seed) if generator == "ratstats" else Pcg64Generator(seed)
        result = random_numbers(source, [(low, high)], count, spares)
        return [number.values[0] for number in (*result.sample, *result.spares)]

    values = draw()
    assert len(values) == len(set(values)) == count + spares
    assert all(low <= value <= high for value in values)
    assert draw() == values
