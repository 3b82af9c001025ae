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


class TimestampParser(ColumnParser):
    """signed_at: the usual form, ``YYYY-MM-DDTHH:MM:SS`` without offset, converted column-wise
    to what validate.timestamp returns for it (``YYYY-MM-DD HH:MM:SS.000000``); every
    other text goes to that parser. Nearly every note has a time of its own, so a cache of
    distinct texts would not help.

    A text is taken only if Arrow reads it as a date and time and writes it back unchanged:
    Arrow rolls ``02-30`` over to March and a 60th second into the next minute, so the
    round trip leaves exactly the real calendar dates and times, as Python's parser does.
    """

    USUAL = r"^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$"
    FORMAT = "%Y-%m-%dT%H:%M:%S"

    def __call__(self, column: pa.Array) -> pa.Array:
        usual = pc.match_substring_regex(column, self.USUAL)
        moments = pc.strptime(
            pc.if_else(usual, column, pa.scalar(None, pa.string())),
            format=self.FORMAT,
            unit="s",
            error_is_null=True,
        )
        real = pc.fill_null(pc.equal(pc.strftime(moments, format=self.FORMAT), column), False)
        date_time = pc.binary_join_element_wise(
            pc.utf8_slice_codeunits(column, 0, 10), pc.utf8_slice_codeunits(column, 11, 19), " "
        )
        converted = pc.binary_join_element_wise(date_time, ".000000", "")
        if pc.all(real).as_py():
            return converted
        others = pc.if_else(real, pa.scalar(None, pa.string()), column)
        return pc.if_else(real, converted, self._parsed(others))
