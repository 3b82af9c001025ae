"""Reading a publisher's file: its name, its hash, its cells, and precise complaints.

Every parser reports the first problem it meets as an :class:`InputError` naming the file,
the line (or spreadsheet row) and the column, so the load stops before anything commits.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from auditkit.errors import InputError, InputProblem

# CPT and HCPCS Level II codes: five letters or digits (the tables hold no other kind).
PROCEDURE_CODE = re.compile(r"[0-9A-Z]{4}[0-9A-Z]")


@dataclass(frozen=True)
class SourceFile:
    """A file given to ``auditkit refdata load``."""

    path: Path

    @property
    def name(self) -> str:
        return self.path.name

    def sha256(self) -> str:
        digest = hashlib.sha256()
        with self.path.open("rb") as stream:
            while chunk := stream.read(1 << 20):
                digest.update(chunk)
        return digest.hexdigest()

    @property
    def is_xlsx(self) -> bool:
        return self.path.suffix.lower() in {".xlsx", ".xlsm"}

    def fail(self, line: int | None, column: str | None, message: str) -> NoReturn:
        raise InputError([InputProblem(self.name, line, column, message)])


class DateParser:
    """``YYYYMMDD`` to ISO ``YYYY-MM-DD``; remembers each distinct value (files repeat a few
    thousand dates over a million rows)."""

    def __init__(self) -> None:
        self._seen: dict[str, str] = {}

    def __call__(self, text: str) -> str | None:
        """The ISO date, or ``None`` when ``text`` is not a real ``YYYYMMDD`` date."""
        known = self._seen.get(text)
        if known is not None:
            return known
        if len(text) != 8 or not text.isdigit():
            return None
        try:
            iso = dt.date(int(text[:4]), int(text[4:6]), int(text[6:])).isoformat()
        except ValueError:
            return None
        self._seen[text] = iso
        return iso


def cell_text(value: object) -> str:
    """A spreadsheet cell as the text CMS's TXT/CSV twin would hold.

    Excel keeps all-digit codes and ``YYYYMMDD`` dates as numbers: 100 is code ``00100``
    only once padded, which :func:`code_text` does where a code is expected.
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y%m%d")
    return str(value).strip()


def code_text(value: object) -> str:
    text = cell_text(value)
    return text.zfill(5) if text.isdigit() else text


def xlsx_rows(source: SourceFile) -> Iterator[tuple[int, list[object]]]:
    """(row number, cell values) of the first sheet, read in streaming mode."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(source.path, read_only=True, data_only=True)
    except Exception as exc:
        source.fail(None, None, f"not a readable .xlsx workbook ({exc.__class__.__name__})")
    try:
        sheet = workbook.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(row)
    finally:
        workbook.close()


def column_number(index: int) -> str:
    """1-based column number of a 0-based index, as messages name text-file columns."""
    return str(index + 1)


def column_letter(index: int) -> str:
    """Spreadsheet letter of a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
