"""Random numbers without replacement: RAT-STATS single-stage numbers and sets of 2 to 4.

One stream supplies the sample and then the spares. A value (or, for sets, a whole tuple)
that was already drawn is skipped, exactly as RAT-STATS does, so the same seed gives the same
numbers in the same order here and there.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sampling.errors import SamplingInputError
from sampling.generators import UniformGenerator

Range = tuple[int, int]
MAX_COMPONENTS = 4
# Uniforms carry 53 bits; a wider range could not be reached evenly.
MAX_RANGE_SIZE = 1 << 53


@dataclass(frozen=True)
class DrawnNumber:
    """One drawn value: its 1-based position in the draw, and one integer per range."""

    order: int
    values: tuple[int, ...]


@dataclass(frozen=True)
class RandomNumbers:
    """A RAT-STATS style draw, with what is needed to re-create it.

    ``sample`` is sorted by value (each keeps its selection order); ``spares`` are in draw
    order and their ``order`` continues after the sample (a sample of 10 has spares 11, 12,
    ...). ``total`` is the sum of every component of every value, spares included.
    """

    generator: str
    generator_version: str
    seed: float | int
    warning: str | None
    ranges: tuple[Range, ...]
    sample: tuple[DrawnNumber, ...]
    spares: tuple[DrawnNumber, ...]
    total: int


def _check_ranges(ranges: Sequence[Range]) -> None:
    if not 1 <= len(ranges) <= MAX_COMPONENTS:
        raise SamplingInputError("ranges", list(ranges), "give 1 to 4 ranges")
    for position, (low, high) in enumerate(ranges, start=1):
        where = "low/high" if len(ranges) == 1 else f"range {position}"
        if low > high:
            raise SamplingInputError(where, f"{low}-{high}", "low is above high")
        if high - low + 1 > MAX_RANGE_SIZE:
            raise SamplingInputError(where, f"{low}-{high}", "more than 2**53 values")


def _check_count(
    generator: UniformGenerator, ranges: Sequence[Range], count: int, where: str
) -> None:
    if count < 0:
        raise SamplingInputError(where, count, "must be 0 or more")
    capacity = math.prod(high - low + 1 for low, high in ranges)
    if count > capacity:
        raise SamplingInputError(
            where, count, f"more values asked than the ranges hold ({capacity:,})"
        )
    if generator.max_values is not None and count > generator.max_values:
        raise SamplingInputError(
            where,
            count,
            f"the {generator.name} generator draws at most {generator.max_values:,} values",
        )


def _scale(uniforms: np.ndarray, low: int, high: int) -> list[int]:
    """Map uniforms to integers as RAT-STATS does: ``floor(u * (high - low + 1)) + low``.

    The ``minimum`` only guards against a product rounding up to the range size.
    """
    size = high - low + 1
    offsets = np.minimum(np.floor(uniforms * size), size - 1).astype(np.int64)
    return [low + offset for offset in offsets.tolist()]


def draw_distinct(
    generator: UniformGenerator, ranges: Sequence[Range], count: int, where: str = "count"
) -> list[tuple[int, ...]]:
    """Draw ``count`` distinct tuples, one uniform per component, in draw order.

    Uniforms are requested in blocks no larger than what is still needed, so exactly as many
    are consumed as a one-at-a-time loop would consume: the stream position afterwards (which
    a following stratum continues from) does not depend on the blocking. ``where`` names the
    count in error messages.
    """
    _check_ranges(ranges)
    _check_count(generator, ranges, count, where)
    width = len(ranges)
    drawn: list[tuple[int, ...]] = []
    seen: set[tuple[int, ...]] = set()
    while len(drawn) < count:
        needed = count - len(drawn)
        block = generator.uniforms(needed * width).reshape(needed, width)
        columns = [_scale(block[:, i], low, high) for i, (low, high) in enumerate(ranges)]
        for values in zip(*columns, strict=True):
            if values not in seen:
                seen.add(values)
                drawn.append(values)
    return drawn


def random_numbers(
    generator: UniformGenerator, ranges: Sequence[Range], count: int, spares: int = 0
) -> RandomNumbers:
    """RAT-STATS "single stage" (one range) or "sets of 2/3/4" (several ranges) numbers."""
    if spares < 0:
        raise SamplingInputError("spares", spares, "must be 0 or more")
    if count < 0:
        raise SamplingInputError("count", count, "must be 0 or more")
    drawn = draw_distinct(generator, ranges, count + spares, where="count + spares")
    numbered = [DrawnNumber(order, values) for order, values in enumerate(drawn, start=1)]
    return RandomNumbers(
        generator=generator.name,
        generator_version=generator.version,
        seed=generator.seed,
        warning=generator.warning,
        ranges=tuple(ranges),
        sample=tuple(sorted(numbered[:count], key=lambda number: number.values)),
        spares=tuple(numbered[count:]),
        total=sum(sum(values) for values in drawn),
    )
