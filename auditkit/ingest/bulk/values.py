"""Validating a whole column of a batch with the general path's own parsers.

Each distinct text of a column is parsed once (and remembered across batches), with the
very parser the general reader uses, so both paths accept exactly the same values; the
per-row work (finding each row's distinct value, putting parsed values back in row order)
is done by Arrow in C.

Columns of mostly unique values (keys, names, amounts) would still cost a parser call per
row. For those the parser carries an *as-is* pattern (validate marks them): a text that
matches it and fits ``max_length`` is what the parser would return unchanged, so only the
texts that do not match are parsed.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from auditkit.ingest.validate import Invalid, Parser

CACHE_LIMIT = 200_000  # distinct texts remembered per column; then it starts afresh


class Rejected(Exception):
    """A value (or a rule across rows) the general path would report; it will."""


class ColumnParser:
    """Parses columns with ``parse``; ``type`` is the Arrow type of the parsed values."""

    def __init__(self, parse: Parser, type: pa.DataType | None = None) -> None:
        self.parse = parse
        self.type = type or pa.string()
        # validate marks parsers that return some texts unchanged (see validate._as_is)
        self.as_is: str | None = getattr(parse, "as_is", None)
        self.max_length: int | None = getattr(parse, "max_length", None)
        self.cache: dict[str, Any] = {}

    def distinct(self, column: pa.Array) -> tuple[list[Any], pa.Array]:
        """The parsed value of each distinct text, and each row's index into them (null
        where the column is null)."""
        encoded = pc.dictionary_encode(column)
        values = []
        cache = self.cache
        for text in encoded.dictionary.to_pylist():
            try:
                value = cache[text]
            except KeyError:
                try:
                    value = self.parse(text)
                except Invalid:
                    raise Rejected(f"an invalid value ({text!r})") from None
                if len(cache) >= CACHE_LIMIT:
                    cache.clear()
                cache[text] = value
            values.append(value)
        return values, encoded.indices

    def __call__(self, column: pa.Array) -> pa.Array:
        """The parsed column, row by row."""
        if self.as_is is None:
            return self._parsed(column)
        unchanged = pc.match_substring_regex(column, self.as_is)
        if self.max_length is not None:
            unchanged = pc.and_(unchanged, pc.less_equal(pc.utf8_length(column), self.max_length))
        if pc.all(unchanged).as_py():
            return column
        others = pc.if_else(unchanged, pa.scalar(None, pa.string()), column)
        return pc.if_else(unchanged, column, self._parsed(others))

    def _parsed(self, column: pa.Array) -> pa.Array:
        values, indices = self.distinct(column)
        return pa.array(values, self.type).take(indices)
