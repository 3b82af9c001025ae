"""A seeded random source whose hot-path picks are cheaper than ``random.Random``'s.

``Random.choice`` and ``randint`` go through ``_randbelow`` (a Python loop over
``getrandbits``); a million-line run makes tens of millions of such picks. Scaling the
C-implemented ``random()`` instead is several times faster, equally deterministic, and its
bias (below 1e-15 for the small ranges used here) is irrelevant for synthetic data.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


class Dice(random.Random):
    """``random.Random`` with fast ``choice`` and ``randint``; everything else inherited."""

    def choice(self, seq: Sequence[T]) -> T:  # type: ignore[override]  # sequences only
        """A uniformly chosen element of a non-empty sequence."""
        return seq[int(self.random() * len(seq))]

    def randint(self, a: int, b: int) -> int:
        """A uniformly chosen integer N with a <= N <= b."""
        return a + int(self.random() * (b - a + 1))

    def window(self, seq: Sequence[T], low: int, high: int) -> list[T]:
        """Between ``low`` and ``high`` distinct consecutive elements, from a random start
        (wrapping), keeping the sequence's order the way a note keeps its usual order."""
        size = len(seq)
        count = min(size, self.randint(low, high))
        start = int(self.random() * size) if size else 0
        return [seq[(start + offset) % size] for offset in range(count)]

    def weighted(self, items: Sequence[T], cumulative: Sequence[float]) -> T:
        """An item chosen with the given cumulative weights (cheaper than ``choices``)."""
        roll = self.random() * cumulative[-1]
        for item, bound in zip(items, cumulative, strict=True):
            if roll < bound:
                return item
        return items[-1]
