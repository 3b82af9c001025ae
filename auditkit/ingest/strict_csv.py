"""The strict reading of a CSV file: RFC 4180 and UTF-8 to the letter, line by line.

The import reads records with pyarrow (:mod:`~auditkit.ingest.reading`), which is fast and
lenient. This module is the strict side: it reads the header, scans the raw bytes for quotes
where RFC 4180 puts none, and, when pyarrow stops or the scan finds such a quote, reads the
file once more with Python's ``csv.reader(strict=True)`` to name the line, byte and column of
every problem: bytes that are not UTF-8, unclosed or stray quotes, records with the wrong
number of cells.
"""

from __future__ import annotations

import codecs
import csv
import mmap
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, BinaryIO

import numpy as np

from auditkit.ingest.problems import ProblemLog, quote
from auditkit.ingest.validate import Invalid, no_controls

if TYPE_CHECKING:
    from auditkit.ingest.reading import InputFile

REPLACEMENT = "\ufffd"
FIELD_SIZE_LIMIT = 64 * 1024 * 1024  # csv's default (128 KiB) is too small for long notes

QUOTE = ord('"')
# What may stand before an opening quote and after a closing one (besides another quote).
_BESIDE_QUOTES = np.array([ord(","), ord("\n"), ord("\r"), QUOTE], dtype=np.uint8)
SCAN_CHUNK = 32 << 20  # a multiple of mmap.ALLOCATIONGRANULARITY

Record = tuple[int, list[str]]


class _Utf8Lines:
    """The physical lines of a byte stream (BOM skipped), decoded as strict UTF-8.

    A line with bytes that are not UTF-8 is decoded with replacement characters and noted
    in ``bad`` as (line number, 1-based byte position, the bytes), for the reader to report
    once it knows which record and cell they fall in.
    """

    def __init__(self, stream: BinaryIO) -> None:
        if stream.read(3) != codecs.BOM_UTF8:
            stream.seek(0)
        self.stream = stream
        self.bad: list[tuple[int, int, bytes]] = []

    def __iter__(self) -> Iterator[str]:
        for number, raw in enumerate(self.stream, 1):
            try:
                yield raw.decode()
            except UnicodeDecodeError as error:
                self.bad.append((number, error.start + 1, raw[error.start : error.end]))
                yield raw.decode("utf-8", "replace")


class StrictCsv:
    """RFC 4180 records of one file, each with the physical line it starts on; blank lines
    skipped; problems (CSV errors, bytes that are not UTF-8) go to ``problems``."""

    def __init__(self, path: Path, problems: ProblemLog) -> None:
        csv.field_size_limit(max(csv.field_size_limit(), FIELD_SIZE_LIMIT))
        self.file = path.name
        self.problems = problems
        self.stream = path.open("rb")
        self.lines = _Utf8Lines(self.stream)
        self.reader = csv.reader(self.lines, strict=True)
        self.names: dict[int, str] = {}  # position -> canonical column, for messages

    @property
    def line_num(self) -> int:
        """Physical lines read so far."""
        return self.reader.line_num

    def __enter__(self) -> StrictCsv:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stream.close()

    def records(self) -> Iterator[Record]:
        reader = self.reader
        start = reader.line_num + 1
        while True:
            try:
                for row in reader:
                    if row:
                        if self.lines.bad:
                            self._report_bad_bytes(start, row)
                        yield start, row
                    start = reader.line_num + 1
                return
            except csv.Error as error:
                reason = str(error)
                if reason == "unexpected end of data":
                    reason = "a quoted cell that starts in this record is never closed"
                self.problems.add(self.file, start, None, f"is not valid CSV: {reason}")
                start = reader.line_num + 1

    def _report_bad_bytes(self, start: int, row: list[str]) -> None:
        column = next(
            (self.names.get(position) for position, cell in enumerate(row) if REPLACEMENT in cell),
            None,
        )
        for line, byte, raw in self.lines.bad:
            where = f"byte {byte}" if line == start else f"byte {byte} of line {line}"
            self.problems.add(
                self.file,
                start,
                column,
                f"contains bytes that are not UTF-8 ({raw!r} at {where}); save it as UTF-8",
            )
        self.lines.bad.clear()


def report_csv_problems(source: InputFile, problems: ProblemLog, line_breaks: bool) -> bool:
    """Read ``source`` strictly and report what is wrong with it as CSV; returns whether
    anything was. ``line_breaks``: report cells holding one (records must be single lines)."""
    before = problems.total
    width = len(source.header)
    names = {position: name for name, position in source.index.items()}
    with StrictCsv(source.path, problems) as reader:
        reader.names = names
        records = reader.records()
        next(records, None)  # the header
        for number, row in records:
            if len(row) != width and not (len(row) > width and not "".join(row[width:]).strip()):
                problems.add(
                    source.file, number, None, f"has {len(row)} values but the header has {width}"
                )
            if line_breaks:
                _report_line_breaks(source.file, number, row, names, problems)
    return problems.total > before


def _report_line_breaks(
    file: str, number: int, row: list[str], names: dict[int, str], problems: ProblemLog
) -> None:
    for position, cell in enumerate(row):
        if position in names and ("\n" in cell or "\r" in cell):
            try:
                no_controls(cell)
            except Invalid as error:
                problems.add(file, number, names[position], f"{quote(cell)} {error}")


def quoting_is_plain(path: Path) -> bool:
    """Whether every quote in the file opens a field, closes one, or is doubled inside one.

    Counting quotes tells which ones open a quoted field (the 1st, 3rd, ...) and which close
    it; a doubled quote is a close immediately followed by an open. An opening quote must
    follow a delimiter or line break, a closing one must be followed by one, and the file
    must not end inside quotes. numpy does the counting, without the GIL.
    """
    size = path.stat().st_size
    seen = 0  # quotes before this chunk: their parity says whether we are inside quotes
    previous = ord("\n")  # the byte before the chunk; the file start counts as a line start
    with path.open("rb") as handle:
        # One chunk mapped at a time (plus the byte after it): memory stays flat.
        for start in range(0, size, SCAN_CHUNK):
            end = min(start + SCAN_CHUNK, size)
            length = min(end + 1, size) - start
            with mmap.mmap(handle.fileno(), length, access=mmap.ACCESS_READ, offset=start) as view:
                data = np.frombuffer(view, dtype=np.uint8)
                try:
                    count = _chunk_quotes(data, end - start, seen, previous)
                    previous = int(data[end - start - 1])
                finally:
                    del data  # the map cannot close while a view of it lives
            if count is None:
                return False
            seen += count
    return seen % 2 == 0


def _chunk_quotes(data: np.ndarray, size: int, seen: int, previous: int) -> int | None:
    """The number of quotes in ``data[:size]``, or None if one is out of place; ``data`` may
    hold one byte more, the one after the chunk (else the file ends there)."""
    positions = np.flatnonzero(data[:size] == QUOTE)
    if not positions.size:
        return 0
    opening = (np.arange(positions.size) + seen) % 2 == 0
    before = np.where(positions > 0, data[np.maximum(positions - 1, 0)], previous)
    if not np.isin(before[opening], _BESIDE_QUOTES).all():
        return None
    last = data.size - 1
    after = np.where(positions < last, data[np.minimum(positions + 1, last)], ord("\n"))
    if not np.isin(after[~opening], _BESIDE_QUOTES).all():
        return None
    return int(positions.size)
