"""Validating a whole column of a batch at once, with the field parsers of validate.

Claims repeat the same dates, NPIs, codes and amounts on thousands of lines, so each
distinct text of a column is parsed once (and remembered across batches); finding each
record's distinct text and putting the parsed values back in record order is done by Arrow
in C. Columns of mostly unique texts (keys, names, amounts) would still cost a parser call
per record: for those the parser carries an *as-is* pattern (see validate._as_is), and only
the texts that do not match it are parsed.

Every invalid cell becomes a problem naming file, line and column; the parsed column has a
null there, and the caller gets the mask of invalid records to leave them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from auditkit.ingest.problems import ProblemLog, quote
from auditkit.ingest.validate import Invalid, Parser, no_controls

CACHE_LIMIT = 200_000  # distinct texts remembered per column; then it starts afresh

# Control characters (C0, DEL, C1) are never data (validate refuses them in every parsed
# column); a note may hold tabs and line breaks.
CONTROLS = "[\\x00-\\x1f\\x7f-\\x9f]"
NOTE_CONTROLS = "[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]"


@dataclass
class Where:
    """Where the records of a batch come from, for the problems found in them."""

    file: str
    lines: pa.Array
    problems: ProblemLog

    def report(self, column: str | None, bad: pa.Array, message: Any) -> None:
        """A problem on each record where ``bad`` is true; ``message(index)`` words it.

        Only as many are worded as the log keeps; the rest are counted.
        """
        indices = pc.indices_nonzero(bad)
        room = self.problems.room()
        for index in indices.slice(0, room).to_pylist():
            self.problems.add(self.file, self.lines[index].as_py(), column, message(index))
        self.problems.count(max(len(indices) - room, 0))


def control_characters(texts: pa.Array, pattern: str = CONTROLS) -> pa.Array | None:
    """Where ``texts`` hold a control character (other than those ``pattern`` allows);
    ``None`` when nowhere."""
    found = pc.match_substring_regex(texts, pattern)
    return found if pc.any(found).as_py() else None


def report_controls(where: Where, column: str, texts: pa.Array, found: pa.Array) -> None:
    def message(index: int) -> str:
        raw = texts[index].as_py()
        try:
            no_controls(raw, "\t\n\r" if column == "note_text" else "")
        except Invalid as error:
            return f"{quote(raw)} {error}"
        return f"{quote(raw)} contains a control character"  # pragma: no cover

    where.report(column, found, message)


class ColumnParser:
    """Parses a column with ``parse``; ``type`` is the Arrow type of the parsed values."""

    def __init__(self, name: str, parse: Parser, type: pa.DataType | None = None) -> None:
        self.name = name
        self.parse = parse
        self.type = type or pa.string()
        self.as_is: str | None = getattr(parse, "as_is", None)
        self.max_length: int | None = getattr(parse, "max_length", None)
        self.cache: dict[str, Any] = {}
        self.refused: dict[str, str] = {}  # invalid text -> reason

    def __call__(self, texts: pa.Array, where: Where) -> tuple[pa.Array, pa.Array | None]:
        """The parsed column (null where invalid) and where it is invalid (``None``: nowhere)."""
        if self.as_is is not None:
            unchanged = pc.match_substring_regex(texts, self.as_is)
            if self.max_length is not None:
                unchanged = pc.and_(
                    unchanged, pc.less_equal(pc.utf8_length(texts), self.max_length)
                )
            if pc.all(unchanged).as_py():
                return texts, None
            others = pc.if_else(unchanged, pa.scalar(None, pa.string()), texts)
            parsed, invalid = self._parsed(others, where)
            return pc.if_else(unchanged, texts, parsed), invalid
        return self._parsed(texts, where)

    def distinct(
        self, texts: pa.Array, where: Where
    ) -> tuple[list[Any], pa.Array, pa.Array | None]:
        """The parsed value of each distinct text (``None`` if invalid), each record's index
        into them (null where ``texts`` is null), and where the column is invalid."""
        encoded = pc.dictionary_encode(texts)
        values: list[Any] = []
        bad: list[int] = []
        cache, refused = self.cache, self.refused
        for position, text in enumerate(encoded.dictionary.to_pylist()):
            try:
                value = cache[text]
            except KeyError:
                try:
                    value = self.parse(text)
                except Invalid as error:
                    refused[text] = str(error)
                    bad.append(position)
                    value = None
                else:
                    if len(cache) >= CACHE_LIMIT:
                        cache.clear()
                    cache[text] = value
            values.append(value)
        invalid = None
        if bad:
            invalid = pc.fill_null(
                pc.is_in(encoded.indices, pa.array(bad, encoded.indices.type)), False
            )
            self._report(texts, invalid, where)
            if len(refused) > CACHE_LIMIT:
                refused.clear()
        return values, encoded.indices, invalid

    def _parsed(self, texts: pa.Array, where: Where) -> tuple[pa.Array, pa.Array | None]:
        values, indices, invalid = self.distinct(texts, where)
        return pa.array(values, self.type).take(indices), invalid

    def _report(self, texts: pa.Array, invalid: pa.Array, where: Where) -> None:
        def message(index: int) -> str:
            raw = texts[index].as_py()
            return f"{quote(raw)} {self.refused.get(raw) or _reason(self.parse, raw)}"

        where.report(self.name, invalid, message)


def _reason(parse: Parser, raw: str) -> str:
    try:
        parse(raw)
    except Invalid as error:
        return str(error)
    return "is not valid"  # pragma: no cover - only refused texts are reported


def any_of(*masks: pa.Array | None) -> pa.Array | None:
    """The records where any of ``masks`` is true (``None`` masks are all false)."""
    present = [mask for mask in masks if mask is not None]
    if not present:
        return None
    combined = present[0]
    for mask in present[1:]:
        combined = pc.or_(combined, mask)
    return combined
