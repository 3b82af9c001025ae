"""Streaming readers for the CSV and XLSX inputs (contract: "Conventions for every CSV input").

A :class:`Table` yields ``(line_number, cells)`` one record at a time, so memory does not
grow with the file. The line number is the physical line where the record starts (a quoted
cell may span lines), which is the line a user finds in an editor. Header cells are matched
to canonical names case-insensitively after trimming, through the ``--mapping`` renames;
unknown columns become warnings, missing required columns problems on line 1.

CSV is read as bytes and decoded line by line as strict UTF-8, so a byte that is not UTF-8
becomes a problem naming its line, byte position and column instead of a crash (or, worse,
a silent guess at the encoding); the rest of the file is still read with the bad bytes
replaced, so every other problem is reported in the same run.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from auditkit.ingest.columns import FileSpec
from auditkit.ingest.mapping import normalise_header
from auditkit.ingest.problems import ProblemLog, quote

Record = tuple[int, list[str]]

REPLACEMENT = "\ufffd"
FIELD_SIZE_LIMIT = 64 * 1024 * 1024  # csv's default (128 KiB) is too small for long notes


class _Source(Protocol):
    def header(self) -> Record | None: ...

    def records(self, table: Table) -> Iterator[Record]: ...

    def close(self) -> None: ...


@dataclass
class Table:
    """An input file whose header has been read: column positions, then its records.

    Every record has one cell more than the header, always empty: :meth:`positions`
    points absent optional columns there, so readers fetch every column the same way.
    """

    file: str
    header: list[str]
    index: dict[str, int]
    missing: list[str]
    source: _Source
    problems: ProblemLog
    warnings: list[str] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        """Whether the rows can be read at all: every required column is there."""
        return not self.missing

    @property
    def records(self) -> Iterator[Record]:
        """The data records, each as (line where it starts, cells); read them once."""
        return self.source.records(self)

    def close(self) -> None:
        """Release the file (reading all records does so too)."""
        self.source.close()

    def positions(self, names: Iterable[str]) -> list[int]:
        """Where each column is in a record; absent columns point at the empty cell."""
        return [self.index.get(name, len(self.header)) for name in names]

    def fit(self, number: int, row: list[str]) -> list[str]:
        """A record cut or padded to the header's width; extra values are a problem."""
        width = len(self.header)
        if len(row) > width and any(cell.strip() for cell in row[width:]):
            self.problems.add(
                self.file, number, None, f"has {len(row)} values but the header has {width}"
            )
        return row[:width] + [""] * (width - len(row))


def open_table(
    path: Path, spec: FileSpec, mapping: dict[str, str], problems: ProblemLog
) -> Table | None:
    """Open ``path`` (CSV, or XLSX by its suffix) and read its header.

    Returns ``None`` when the file cannot be read or is empty (the problem is logged).
    """
    file = path.name
    source: _Source
    try:
        if path.suffix.lower() == ".xlsx":
            source = _XlsxSource(path)
        else:
            source = _CsvSource(path.open("rb"), file, problems)
        first = source.header()
    except (OSError, zipfile.BadZipFile, KeyError) as error:
        reason = error.strerror if isinstance(error, OSError) else None
        problems.add(file, None, None, f"cannot be read: {reason or 'not an .xlsx workbook'}")
        return None
    if first is None:
        problems.add(file, 1, None, "is empty; a header row is required")
        return None
    header = first[1]
    index, warnings = _resolve_header(file, header, spec, mapping, problems)
    missing = [name for name in spec.columns if name in spec.required and name not in index]
    for name in missing:
        problems.add(file, 1, name, "required column is missing from the header")
    return Table(file, header, index, missing, source, problems, warnings)


def _resolve_header(
    file: str,
    header: list[str],
    spec: FileSpec,
    mapping: dict[str, str],
    problems: ProblemLog,
) -> tuple[dict[str, int], list[str]]:
    """Map canonical column name -> position; unknown headers become warnings."""
    index: dict[str, int] = {}
    warnings: list[str] = []
    known = set(spec.columns)
    for position, cell in enumerate(header):
        name = normalise_header(cell)
        canonical = mapping.get(name, name)
        if canonical not in known:
            label = quote(cell.strip()) if cell.strip() else f"number {position + 1} (no name)"
            warnings.append(f"{file}: column {label} is not an auditkit column; ignored")
        elif canonical in index:
            problems.add(
                file,
                1,
                canonical,
                f"given twice (header cells {index[canonical] + 1} and {position + 1})",
            )
        else:
            index[canonical] = position
    return index, warnings


# --- CSV ---------------------------------------------------------------------------------


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


class _CsvSource:
    """RFC 4180 records, each with the physical line it starts on; blank lines skipped."""

    def __init__(self, stream: BinaryIO, file: str, problems: ProblemLog) -> None:
        csv.field_size_limit(max(csv.field_size_limit(), FIELD_SIZE_LIMIT))
        self.stream = stream
        self.file = file
        self.problems = problems
        self.lines = _Utf8Lines(stream)
        self.reader = csv.reader(self.lines, strict=True)

    def header(self) -> Record | None:
        for number, row in self._rows():
            self._report_bad_bytes(number, row, {})
            return number, row
        self.stream.close()
        return None

    def records(self, table: Table) -> Iterator[Record]:
        names = {position: name for name, position in table.index.items()}
        width = len(table.header)
        bad = self.lines.bad
        reader = self.reader
        with self.stream:
            # _rows, written out here: this loop runs once per record.
            start = reader.line_num + 1
            while True:
                try:
                    for row in reader:
                        if row:
                            if len(row) != width:
                                row = table.fit(start, row)
                            row.append("")
                            if bad:
                                self._report_bad_bytes(start, row, names)
                            yield start, row
                        start = reader.line_num + 1
                    return
                except csv.Error as error:
                    self._report_csv_error(start, error)
                    start = reader.line_num + 1

    def close(self) -> None:
        self.stream.close()

    def _rows(self) -> Iterator[Record]:
        reader = self.reader
        start = reader.line_num + 1
        while True:
            try:
                for row in reader:
                    if row:
                        yield start, row
                    start = reader.line_num + 1
                return
            except csv.Error as error:
                self._report_csv_error(start, error)
                start = reader.line_num + 1

    def _report_csv_error(self, start: int, error: csv.Error) -> None:
        reason = str(error)
        if reason == "unexpected end of data":
            reason = "a quoted cell that starts in this record is never closed"
        self.problems.add(self.file, start, None, f"is not valid CSV: {reason}")

    def _report_bad_bytes(self, start: int, row: list[str], names: dict[int, str]) -> None:
        column = next(
            (names.get(position) for position, cell in enumerate(row) if REPLACEMENT in cell),
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


# --- XLSX --------------------------------------------------------------------------------


class _XlsxSource:
    """The first sheet of a workbook, rows as text, numbered as the sheet numbers them."""

    def __init__(self, path: Path) -> None:
        from openpyxl import load_workbook  # imported here: only XLSX imports pay for it

        self.workbook = load_workbook(path, read_only=True, data_only=True)
        self.rows = self._rows()

    def header(self) -> Record | None:
        return next(self.rows, None)

    def records(self, table: Table) -> Iterator[Record]:
        width = len(table.header)
        for number, row in self.rows:
            if len(row) != width:
                row = table.fit(number, row)
            row.append("")
            yield number, row

    def close(self) -> None:
        self.workbook.close()

    def _rows(self) -> Iterator[Record]:
        try:
            sheet = self.workbook.worksheets[0]
            for number, values in enumerate(sheet.iter_rows(values_only=True), 1):
                row = [_cell_text(value) for value in values]
                if any(row):
                    yield number, row
        finally:
            self.workbook.close()


def _cell_text(value: Any) -> str:
    """A cell as the text a CSV export would hold (dates ISO, whole numbers without .0)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)
