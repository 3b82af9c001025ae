"""How long a sample takes: 1,000 units + 100 spares from a 10,000,000-unit frame.

Run ``python benchmarks/bench_sampling.py`` (``--frame-size`` to change N). For each
generator it times (1) the random numbers alone, as ``auditkit stats random-numbers``
draws them, and (2) the whole simple random design on a frame of ``FrameUnit`` objects:
canonical ordering, checks, frame hash and the draw. Building the frame is timed apart,
since callers already hold their units. This is a script to read, not a timed test.
"""

from __future__ import annotations

import argparse
import platform
import time
from collections.abc import Callable
from functools import partial
from typing import TypeVar

import numpy as np

from sampling.designs import FrameUnit, SimpleRandom, draw_sample
from sampling.generators import GENERATORS, make_generator
from sampling.random_numbers import random_numbers

SAMPLE = 1_000
SPARES = 100
SEEDS: dict[str, float | int] = {"ratstats": 48863.78, "pcg64": 20240601}
T = TypeVar("T")


def timed(action: Callable[[], T]) -> tuple[float, T]:
    """Seconds taken by ``action`` and what it returned."""
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def build_frame(size: int) -> list[FrameUnit]:
    """A frame of ``size`` claims with made-up amounts, in no particular order."""
    amounts = np.random.default_rng(1).gamma(2.0, 150.0, size).round(2).tolist()
    return [FrameUnit(f"CLM{i:09d}", amount) for i, amount in enumerate(amounts)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frame-size", type=int, default=10_000_000)
    size = parser.parse_args().frame_size
    print(f"Python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}")
    print(f"Sample {SAMPLE:,} + {SPARES:,} spares from {size:,} units\n")
    frame_seconds, frame = timed(lambda: build_frame(size))
    print(f"building the frame (not part of a draw): {frame_seconds:8.3f} s\n")
    print(f"{'generator':<10} {'random numbers':>15} {'whole design':>14}")
    for name in GENERATORS:
        numbers = partial(
            random_numbers, make_generator(name, SEEDS[name]), [(1, size)], SAMPLE, SPARES
        )
        design = partial(
            draw_sample, frame, SimpleRandom(SAMPLE, SPARES), make_generator(name, SEEDS[name])
        )
        numbers_seconds, _ = timed(numbers)
        design_seconds, _ = timed(design)
        print(f"{name:<10} {numbers_seconds:13.4f} s {design_seconds:12.3f} s")


if __name__ == "__main__":
    main()
