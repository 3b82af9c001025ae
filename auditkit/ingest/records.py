"""Validating several columns of a record at once, remembering what each value gave.

Claims repeat values endlessly: the same dates, NPIs, codes and amounts on thousands of
lines. A :class:`ColumnGroup` keeps, per column, the parsed value of every raw text seen
and looks all of a record's columns up in one C-level pass; a column is parsed (and a
problem raised) only when its raw text is new. That is what makes full validation
affordable at a million lines.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from itertools import compress, repeat
from operator import is_, itemgetter
from typing import Any

from auditkit.ingest.validate import Invalid, Parser

MISSING: Any = object()  # "not in the cache" (None is a legitimate value: an empty cell)


class GroupInvalid(Exception):
    """Some columns of a group are invalid: (column, raw value, reason) for each."""

    def __init__(self, errors: list[tuple[str, str, str]]) -> None:
        super().__init__(errors)
        self.errors = errors


class ColumnGroup:
    """Parses the columns ``names`` of a record into a tuple of values.

    Raises :class:`GroupInvalid` naming every invalid column. Only valid values are cached;
    a column's cache starts afresh past ``limit`` entries, so memory stays bounded.
    """

    def __init__(
        self,
        names: Sequence[str],
        parsers: Mapping[str, Parser],
        positions: Sequence[int],
        limit: int = 100_000,
    ) -> None:
        self.names = tuple(names)
        self.parsers = tuple(parsers[name] for name in names)
        self.raw = raw_getter(positions)
        self.limit = limit
        self.caches: tuple[dict[str, Any], ...] = tuple({} for _ in names)
        self.indexes = range(len(self.names))

    def __call__(self, record: list[str]) -> tuple[Any, ...]:
        raw = self.raw(record)
        try:
            return tuple(map(dict.__getitem__, self.caches, raw))
        except KeyError:  # a raw value not seen yet
            return self.parse(raw)

    def parse(self, raw: Sequence[str]) -> tuple[Any, ...]:
        """Parse the columns not cached yet, caching good values and collecting every bad one."""
        caches = self.caches
        values = list(map(dict.get, caches, raw, repeat(MISSING)))
        errors: list[tuple[str, str, str]] = []
        for index in compress(self.indexes, map(is_, values, repeat(MISSING))):
            cell = raw[index]
            try:
                value = self.parsers[index](cell)
            except Invalid as error:
                errors.append((self.names[index], cell, str(error)))
                continue
            cache = caches[index]
            if len(cache) >= self.limit:
                cache.clear()
            cache[cell] = value
            values[index] = value
        if errors:
            raise GroupInvalid(errors)
        return tuple(values)


def raw_getter(positions: Sequence[int]) -> Callable[[list[str]], Sequence[str]]:
    """A fast getter of the cells at ``positions``, in that order, as a sequence.

    Adjacent positions in order (the usual layout) are taken as one slice, a list: cheaper
    than picking cell by cell.
    """
    if len(positions) == 1:
        (position,) = positions
        return lambda record: (record[position],)
    first = positions[0]
    if list(positions) == list(range(first, first + len(positions))):
        return itemgetter(slice(first, first + len(positions)))
    return itemgetter(*positions)
