"""Published RAT-STATS test vectors shared by the sampling tests."""

from __future__ import annotations

import pytest

# RAT-STATS Companion Manual, DATASRS: the difference column of a sample of 50 from 10,000.
DATASRS = [
    33, 126, 45, 26, 90, 140, 180, 20, 135, 70, 70, 68, 45, 16, 32, 12, 72, 60, 153, 200, 138,
    96, 152, 24, 28, 110, 108, 60, -25, 28, 22, 75, 36, 80, 100, 76, 40, 60, 75, 36, 135, 16,
    15, 90, 60, 85, 75, 63, 65, 14,
]  # fmt: skip


@pytest.fixture
def datasrs() -> list[int]:
    """The DATASRS difference values (sum 3,530)."""
    return list(DATASRS)
