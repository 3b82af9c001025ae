"""Reading an input file row by row: CSV (RFC 4180, UTF-8, BOM accepted) or XLSX.

Each record comes with the physical line it starts on (a quoted cell may span lines) and its
cells in the order of the file spec's columns, so a problem names file, line and column.
Headers match canonical names case-insensitively after trimming, through ``--mapping``.
"""

from __future__ import annotations

import csv
import datetime as dt
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditkit.access.specs import FileSpec
from auditkit.ingest.mapping import load_mapping, normalise_header
from auditkit.ingest.problems import ProblemLog

Record = tuple[int, list[str]]
FIELD_SIZE_LIMIT = 16 * 1024 * 1024


def read_mapping(path: Path | None, spec: FileSpec, problems: ProblemLog) -> dict[str, str]:
    """``[columns] "User header" = "canonical"`` as {normalised user header: canonical}: the
    claims importer's reader (UTF-8, TOML and target checks), with this file's columns."""
    return load_mapping(path, spec.columns, problems)


@dataclass
class Table:
    """A file whose header was read: ``rows()`` yields (line, cells in spec order)."""

    file: str
    positions: list[int]  # per spec column, its position in the file's records (-1: absent)
    width: int
    records: Iterator[Record]
    warnings: list[str] = field(default_factory=list)

    def has(self, column_index: int) -> bool:
        return self.positions[column_index] < self.width

    def rows(self, problems: ProblemLog) -> Iterator[Record]:
        positions, width = self.positions, self.width
        for line, record in self.records:
            if len(record) != width:
                if len(record) > width and any(cell.strip() for cell in record[width:]):
                    problems.add(
                        self.file, line, None, f"has {len(record)} values; the header has {width}"
                    )
                record = record[:width] + [""] * (width - len(record))
            record.append("")  # absent columns point here
            yield line, [record[position] for position in positions]


def open_table(
    path: Path, spec: FileSpec, mapping: dict[str, str], problems: ProblemLog
) -> Table | None:
    """The file's header resolved against ``spec``; None (with a problem) when unusable."""
    file = path.name
    try:
        records = (
            _xlsx_records(path) if path.suffix.lower() == ".xlsx" else _csv_records(path, problems)
        )
        first = next(records, None)
    except (OSError, zipfile.BadZipFile, KeyError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not an .xlsx workbook"
        problems.add(file, None, None, f"cannot be read: {reason}")
        return None
    if first is None:
        problems.add(file, 1, None, "is empty; a header row is required")
        return None
    header_line, header = first
    index: dict[str, int] = {}
    warnings = []
    for position, cell in enumerate(header):
        name = mapping.get(normalise_header(cell), normalise_header(cell))
        if name not in spec.columns:
            warnings.append(f"{file}: column {cell.strip()!r} is not a {spec.kind} column; ignored")
        elif name in index:
            problems.add(file, header_line, name, "column given twice in the header")
        else:
            index[name] = position
    for name in spec.columns:
        if name in spec.required and name not in index:
            problems.add(file, header_line, name, "required column is missing from the header")
    if any(name not in index for name in spec.required):
        return None
    width = len(header)
    positions = [index.get(name, width) for name in spec.columns]
    return Table(file, positions, width, records, warnings)


def _csv_records(path: Path, problems: ProblemLog) -> Iterator[Record]:
    csv.field_size_limit(max(csv.field_size_limit(), FIELD_SIZE_LIMIT))
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, strict=True)
        start = 1
        while True:
            try:
                for row in reader:
                    if row and any(row):
                        yield start, row
                    start = reader.line_num + 1
                return
            except csv.Error as error:
                problems.add(path.name, start, None, f"is not valid CSV: {error}")
                start = reader.line_num + 1
            except UnicodeDecodeError:
                problems.add(
                    path.name, reader.line_num + 1, None, "is not UTF-8; save the file as UTF-8"
                )
                return


def _xlsx_records(path: Path) -> Iterator[Record]:
    from openpyxl import load_workbook  # only XLSX imports pay for it

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
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
