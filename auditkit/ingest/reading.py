"""Input files as batches of text columns, each record with the line where it starts.

A CSV file is parsed by pyarrow in C, a few batches ahead on a thread (pyarrow lets go of the
GIL while it parses); an ``.xlsx`` workbook's first sheet is read with openpyxl into the same
batches. Each batch holds the canonical columns as Arrow string arrays (an absent optional
column reads as empty cells) and, per record, its line: the physical line of the file where
the record starts, as an editor shows it (a note spanning five lines moves everything after
it down by five); in a workbook, the sheet's row number.

pyarrow is lenient where the contract is strict: it takes ``"x"y`` as ``xy`` and it stops
at bytes that are not UTF-8 or a record with too few cells without saying where. Such files
are read once more by the strict reader (:mod:`~auditkit.ingest.strict_csv`) to name the
line and column of every such problem; a quoting scan over the raw bytes
(:func:`~auditkit.ingest.strict_csv.quoting_is_plain`) tells when that is needed for stray
quotes.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from auditkit.ingest.columns import FileSpec
from auditkit.ingest.mapping import normalise_header
from auditkit.ingest.prefetch import prefetched
from auditkit.ingest.problems import ProblemLog, quote
from auditkit.ingest.strict_csv import StrictCsv, report_csv_problems

PREFETCH = 2  # batches parsed ahead of the one being validated (bounds memory)
XLSX_BATCH_ROWS = 5_000


@dataclass
class Batch:
    """Records of one input file: canonical column -> text per record, and their lines."""

    columns: dict[str, pa.Array]
    lines: pa.Array  # int64, the line where each record starts

    @property
    def size(self) -> int:
        return len(self.lines)

    def take(self, indices: pa.Array) -> Batch:
        return Batch(
            {k: v.take(indices) for k, v in self.columns.items()}, self.lines.take(indices)
        )

    def slice(self, start: int, length: int | None = None) -> Batch:
        return Batch(
            {k: v.slice(start, length) for k, v in self.columns.items()},
            self.lines.slice(start, length),
        )

    @staticmethod
    def concat(first: Batch, second: Batch) -> Batch:
        return Batch(
            {
                name: pa.concat_arrays([first.columns[name], second.columns[name]])
                for name in first.columns
            },
            pa.concat_arrays([first.lines, second.lines]),
        )


@dataclass
class InputFile:
    """One input file whose header has been read and matched to the canonical columns."""

    path: Path
    spec: FileSpec
    header: list[str]
    index: dict[str, int]  # canonical name -> position in the header
    header_lines: int  # physical lines the header takes
    warnings: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def file(self) -> str:
        return self.path.name

    @property
    def usable(self) -> bool:
        """Whether the records can be read at all: every required column is there."""
        return not self.missing

    @property
    def is_xlsx(self) -> bool:
        return self.path.suffix.lower() == ".xlsx"

    def batches(self, problems: ProblemLog, block_size: int, multiline: bool) -> Iterator[Batch]:
        """The records in batches of about ``block_size`` bytes (CSV) or rows (XLSX).

        ``multiline``: quoted cells may hold line breaks. Else a record is one line, and a
        cell with a line break is reported (by the strict reader) as a control character.
        """
        if self.is_xlsx:
            yield from _xlsx_batches(self, problems)
        else:
            yield from _csv_batches(self, problems, block_size, multiline)


def open_input(
    path: Path, spec: FileSpec, mapping: dict[str, str], problems: ProblemLog
) -> InputFile | None:
    """Read the header of ``path`` (CSV, or XLSX by its suffix); ``None`` when the file
    cannot be read or is empty (the problem is logged)."""
    file = path.name
    try:
        if path.suffix.lower() == ".xlsx":
            rows = _xlsx_rows(path)
            first = next(rows, None)
            rows.close()
            header_lines = first[0] if first is not None else 0
        else:
            with StrictCsv(path, problems) as reader:
                first = next(reader.records(), None)
                header_lines = reader.line_num
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
    return InputFile(path, spec, header, index, header_lines, warnings, missing)


def _resolve_header(
    file: str, header: list[str], spec: FileSpec, mapping: dict[str, str], problems: ProblemLog
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


def _csv_batches(
    source: InputFile, problems: ProblemLog, block_size: int, multiline: bool
) -> Iterator[Batch]:
    names = [f"c{position}" for position in range(len(source.header))]
    wanted = {name: f"c{position}" for name, position in source.index.items()}
    next_line = source.header_lines + 1
    try:
        reader = pacsv.open_csv(
            source.path,
            read_options=pacsv.ReadOptions(
                column_names=names,
                skip_rows=source.header_lines,
                block_size=block_size,
                use_threads=False,
            ),
            parse_options=pacsv.ParseOptions(
                newlines_in_values=multiline, ignore_empty_lines=False
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                include_columns=list(wanted.values()) or names[:1],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        for batch in prefetched(iter(reader), PREFETCH, f"auditkit-read-{source.file}"):
            if not batch.num_rows:
                continue
            columns = {name: batch.column(column) for name, column in wanted.items()}
            if multiline:
                lines, next_line = _record_lines(batch, next_line)
            else:
                lines = pa.array(range(next_line, next_line + batch.num_rows), pa.int64())
                next_line += batch.num_rows
            records = _without_blank_records(source, columns, lines, batch.num_rows)
            if records.size:
                yield records
    except (pa.ArrowInvalid, OSError) as error:
        # Bytes that are not UTF-8, a record with too few cells, an unclosed quote: the
        # strict reader names the line and column of each.
        if not report_csv_problems(source, problems, line_breaks=not multiline):
            reason = str(error).splitlines()[0]
            problems.add(source.file, None, None, f"is not valid CSV: {reason}")


def _record_lines(batch: pa.RecordBatch, first: int) -> tuple[pa.Array, int]:
    """The line where each record of ``batch`` starts, and the line after the batch."""
    breaks: Any = None
    for column in batch.columns:
        if pc.any(pc.match_substring(column, "\n")).as_py():
            counted = pc.count_substring(column, "\n")
            breaks = counted if breaks is None else pc.add(breaks, counted)
    if breaks is None:
        count = batch.num_rows
        return pa.array(range(first, first + count), pa.int64()), first + count
    spans = pc.add(breaks.cast(pa.int64()), 1)
    ends = pc.add(pc.cumulative_sum(spans), first)
    return pc.subtract(ends, spans), ends[-1].as_py()


def _without_blank_records(
    source: InputFile, columns: dict[str, pa.Array], lines: pa.Array, count: int
) -> Batch:
    """The batch with every canonical column (absent ones empty), blank lines left out."""
    blank: Any = None
    for column in columns.values():
        empty = pc.equal(column, "")
        blank = empty if blank is None else pc.and_(blank, empty)
    full = {
        name: columns[name] if name in columns else pa.repeat("", count).cast(pa.string())
        for name in source.spec.columns
    }
    batch = Batch(full, lines)
    if blank is not None and pc.any(blank).as_py():
        batch = batch.take(pc.indices_nonzero(pc.invert(blank)))
    return batch


# --- XLSX --------------------------------------------------------------------------------


def _xlsx_batches(source: InputFile, problems: ProblemLog) -> Iterator[Batch]:
    rows = _xlsx_rows(source.path)
    next(rows, None)  # the header
    width = len(source.header)
    positions = {name: source.index.get(name) for name in source.spec.columns}
    try:
        while chunk := list(islice(rows, XLSX_BATCH_ROWS)):
            for number, row in chunk:
                if len(row) > width and any(cell.strip() for cell in row[width:]):
                    problems.add(
                        source.file,
                        number,
                        None,
                        f"has {len(row)} values but the header has {width}",
                    )
            columns = {
                name: pa.array(
                    [
                        "" if position is None or position >= len(row) else row[position]
                        for _, row in chunk
                    ],
                    pa.string(),
                )
                for name, position in positions.items()
            }
            yield Batch(columns, pa.array([number for number, _ in chunk], pa.int64()))
    finally:
        rows.close()


def _xlsx_rows(path: Path) -> Generator[tuple[int, list[str]], None, None]:
    """The non-empty rows of the first sheet as text, numbered as the sheet numbers them."""
    from openpyxl import load_workbook  # imported here: only XLSX imports pay for it

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), 1):
            row = [_cell_text(value) for value in values]
            if any(row):
                yield number, row
    finally:
        workbook.close()


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
