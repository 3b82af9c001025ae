"""Newest non-empty values per key: how names of patients, providers and coders are kept.

A later line beats an earlier one, and an empty cell never erases a name: per key, each
column keeps its value from the last row where it is set. Both import paths use this.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def newest(rows: Iterable[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Per key (first value, in order of first appearance), each other value from the last
    row where it is not empty; ``rows`` come oldest first."""
    rows = list(rows)
    if not any(None in row for row in rows):  # the usual case: the last row says it all
        return list({row[0]: row for row in rows}.values())
    latest: dict[Any, list[Any]] = {}
    for key, *values in rows:
        kept = latest.get(key)
        if kept is None:
            latest[key] = values
        else:
            for position, value in enumerate(values):
                if value is not None:
                    kept[position] = value
    return [(key, *values) for key, values in latest.items()]
