"""Medically Unlikely Edits: ``MCR_MUE_<table>_Eff_MM-DD-YYYY.csv`` (or its .xlsx twin).

A quoted, multi-line AMA notice comes first, then the header (its first cell ``HCPCS/`` line
break ``CPT Code``), then one code per record: the MUE value and the MUE adjudication
indicator written as number and label (``2 Date of Service Edit: Policy``).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from auditkit.db.models import RefdataMue
from auditkit.refdata.editions import group_by_edition
from auditkit.refdata.kinds import Parsed, RefdataKind, table_of
from auditkit.refdata.periods import Period, quarter_end
from auditkit.refdata.source import (
    PROCEDURE_CODE,
    SourceFile,
    cell_text,
    code_text,
    column_letter,
    column_number,
    xlsx_rows,
)

TABLE = table_of(RefdataMue)
NAME = re.compile(r"MUE_(\w+?)_Eff_(\d\d)-(\d\d)-(\d{4})", re.IGNORECASE)
ADJUDICATION = {
    "1": "line edit",
    "2": "date of service edit: policy",
    "3": "date of service edit: clinical",
}
COLUMN_NAMES = ("HCPCS/CPT Code", "MUE Values", "MUE Adjudication Indicator", "MUE Rationale")

Record = tuple[int, list[str]]


@dataclass(frozen=True)
class MueLimit:
    """Most units of a code: per line (MAI 1) or per day (MAI 2 policy, 3 clinical)."""

    value: int
    mai: int
    rationale: str | None

    @property
    def per_line(self) -> bool:
        return self.mai == 1


class Mue(RefdataKind):
    name = "mue"
    description = "Medically Unlikely Edits (practitioner, outpatient hospital or DME table)"
    layouts = (
        "CMS MUE .csv: Latin-1, quoted multi-line notice, then the header",
        "CMS MUE .xlsx: first sheet, same header",
    )
    table = TABLE
    columns = ("code", "value", "adjudication_indicator", "rationale")

    def parse(self, source: SourceFile) -> Parsed:
        details: dict[str, Any] = {}
        if source.is_xlsx:
            records: Iterator[Record] = (
                (number, [code_text(row[0]) if row else "", *map(cell_text, row[1:])])
                for number, row in xlsx_rows(source)
            )
            label: Callable[[int], str] = column_letter
        else:
            records = _csv_records(source)
            label = column_number
        return Parsed(_limits(source, records, label, details), details)

    def period_from_name(self, file_name: str) -> Period | None:
        match = NAME.search(file_name)
        if match is None:
            return None
        try:
            start = dt.date(int(match[4]), int(match[2]), int(match[3]))
        except ValueError:
            return None
        return Period(start, quarter_end(start))

    def default_end(self, start: dt.date) -> dt.date | None:
        return quarter_end(start)

    def view(self, connection: Connection) -> MueView:
        return MueView(connection)


def _csv_records(source: SourceFile) -> Iterator[Record]:
    """Records with the line each starts on (quoted cells span lines)."""
    with source.path.open(encoding="latin-1", newline="") as stream:
        reader = csv.reader(stream)
        start = 1
        try:
            for record in reader:
                yield start, record
                start = reader.line_num + 1
        except csv.Error as exc:
            source.fail(start, None, f"not valid CSV: {exc}")


def _limits(
    source: SourceFile,
    records: Iterator[Record],
    label: Callable[[int], str],
    details: dict[str, Any],
) -> Iterator[tuple[Any, ...]]:
    def where(index: int) -> str:
        return f"{label(index)} ({COLUMN_NAMES[index]})"

    header_seen = False
    for number, cells in records:
        first = " ".join(cells[0].split()) if cells else ""
        if not header_seen:
            if first.upper().startswith("HCPCS"):
                _check_header(source, number, cells, label)
                details["table"] = " ".join(cells[1].split()).removesuffix(" MUE Values")
                header_seen = True
            elif PROCEDURE_CODE.fullmatch(first):
                source.fail(number, "1", "data before the header ('HCPCS/CPT Code', …)")
            continue
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) < 3:
            source.fail(number, label(len(cells)), f"expected 4 cells, found {len(cells)}")
        code, value, indicator = cells[0].strip(), cells[1].strip(), cells[2].strip()
        if not PROCEDURE_CODE.fullmatch(code):
            source.fail(number, where(0), f"{code!r} is not a CPT/HCPCS code")
        if not value.isdigit():
            source.fail(number, where(1), f"MUE value must be a whole number, not {value!r}")
        number_part, _, label_part = indicator.partition(" ")
        expected = ADJUDICATION.get(number_part)
        if expected is None or (label_part and " ".join(label_part.split()).lower() != expected):
            source.fail(
                number,
                where(2),
                f"{indicator!r} is not an MUE adjudication indicator "
                "(1 Line Edit, 2 Date of Service Edit: Policy, 3 Date of Service Edit: Clinical)",
            )
        rationale = cells[3].strip() if len(cells) > 3 and cells[3].strip() else None
        yield code, int(value), int(number_part), rationale
    if not header_seen:
        source.fail(None, None, "no header record ('HCPCS/CPT Code', 'MUE Values', …) found")


def _check_header(
    source: SourceFile, number: int, cells: list[str], label: Callable[[int], str]
) -> None:
    words = ("hcpcs", "mue values", "adjudication indicator")
    for index, word in enumerate(words):
        text = " ".join(cells[index].split()) if index < len(cells) else ""
        if word not in text.lower():
            source.fail(
                number, label(index), f"header cell {text!r} should be {COLUMN_NAMES[index]!r}"
            )


class MueView:
    """MUE limits in force on dates of service, answered in bulk."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def limits(self, codes: Collection[str], date_of_service: dt.date) -> dict[str, MueLimit]:
        return self.limits_many([(codes, date_of_service)])[0]

    def limits_many(
        self, days: Sequence[tuple[Collection[str], dt.date]]
    ) -> list[dict[str, MueLimit]]:
        """:meth:`limits` for each (codes, date) of a batch: one query per edition."""
        answers: list[dict[str, MueLimit]] = [{} for _ in days]
        dates = [day for _, day in days]
        for edition, positions in group_by_edition(self.connection, Mue.name, dates).items():
            codes = sorted({code for position in positions for code in days[position][0]})
            rows = self.connection.execute(
                select(
                    TABLE.c.code, TABLE.c.value, TABLE.c.adjudication_indicator, TABLE.c.rationale
                )
                .where(TABLE.c.load_id.in_(edition.load_ids), TABLE.c.code.in_(codes))
                .order_by(TABLE.c.id)
            ).all()
            limits = {code: MueLimit(value, mai, rationale) for code, value, mai, rationale in rows}
            for position in positions:
                answers[position] = {
                    code: limits[code] for code in days[position][0] if code in limits
                }
        return answers
