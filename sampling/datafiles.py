"""Reading RAT-STATS style input tables (CSV with a header) with precise error locations.

Appraisal and sample-size inputs come from spreadsheets; when a cell is wrong the user must
be told the file, line and column, so every value read here carries its location.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

from sampling.errors import SamplingInputError


def parse_number(text: str, where: str) -> float:
    """A finite decimal number; ``where`` locates the text for the error message."""
    try:
        value = float(text.strip())
    except ValueError:
        raise SamplingInputError(where, text, "not a number") from None
    if not math.isfinite(value):
        raise SamplingInputError(where, text, "not a finite number")
    return value


def parse_whole(text: str, where: str) -> int:
    """A whole number (digits, optional sign); ``where`` locates the text."""
    try:
        return int(text.strip())
    except ValueError:
        raise SamplingInputError(where, text, "not a whole number") from None


@dataclass(frozen=True)
class CsvTable:
    """A CSV file's header and its non-blank rows, each with its line number."""

    path: str
    header: list[str]
    rows: list[tuple[int, list[str]]]

    def index(self, name: str) -> int:
        """Position of column ``name``; a missing column is an input error."""
        wanted = name.strip().lower()
        for position, column in enumerate(self.header):
            if column.lower() == wanted:
                return position
        raise SamplingInputError(f"{self.path}, line 1", name, "no such column")

    def where(self, line: int, name: str) -> str:
        """The location of a cell, for messages."""
        return f"{self.path}, line {line}, column '{name}'"

    def texts(self, name: str) -> list[str]:
        position = self.index(name)
        return [cells[position].strip() for _, cells in self.rows]

    def numbers(self, name: str) -> list[float]:
        position = self.index(name)
        return [parse_number(cells[position], self.where(line, name)) for line, cells in self.rows]

    def wholes(self, name: str) -> list[int]:
        position = self.index(name)
        return [parse_whole(cells[position], self.where(line, name)) for line, cells in self.rows]


def looks_numeric(text: str) -> bool:
    """Whether ``text`` reads as a number (used to tell a header row from data)."""
    try:
        float(text)
    except ValueError:
        return False
    return True


def read_csv(path: str | Path) -> CsvTable:
    """Read a CSV file that starts with a header row; blank lines are ignored."""
    name = str(path)
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            lines = [(reader.line_num, row) for row in reader]
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise SamplingInputError(name, name, f"cannot be read ({error})") from None
    lines = [(line, row) for line, row in lines if any(cell.strip() for cell in row)]
    if not lines:
        raise SamplingInputError(name, name, "the file is empty")
    header = [cell.strip() for cell in lines[0][1]]
    if all(looks_numeric(cell) for cell in header):
        raise SamplingInputError(f"{name}, line 1", lines[0][1], "a header row is needed first")
    lowered = [cell.lower() for cell in header]
    for position, column in enumerate(header):
        if not column or lowered.index(column.lower()) != position:
            raise SamplingInputError(f"{name}, line 1", column, "empty or repeated column name")
    for line, row in lines[1:]:
        if len(row) != len(header):
            raise SamplingInputError(
                f"{name}, line {line}", len(row), f"expected {len(header)} cells"
            )
    return CsvTable(name, header, lines[1:])
