"""Physician Fee Schedule relative value file (``PPRRVU<YY>_<MON>.csv``).

A caption block spreads each column's name over several lines above the real header,
whose names repeat (``TOTAL`` twice, ``SURG`` four times); a column is known only by its
caption fragments joined with its header cell (``PCTC`` + ``IND``). The file ends with a
DOS end-of-file byte (``^Z``) on a line of its own. Descriptions are not kept: for CPT
codes they are AMA text.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, select

from auditkit.db.models import RefdataRvu
from auditkit.refdata.editions import group_by_edition
from auditkit.refdata.kinds import Parsed, RefdataKind, table_of
from auditkit.refdata.periods import MONTHS, Period, full_year
from auditkit.refdata.source import PROCEDURE_CODE, SourceFile

TABLE = table_of(RefdataRvu)
NAME = re.compile(r"PPRRVU(\d{4}|\d\d)(?:_?([A-Z]{3}))?", re.IGNORECASE)
DECIMAL = re.compile(r"-?\d+(\.\d+)?")
GLOBAL_DAYS = frozenset({"000", "010", "090", "MMM", "XXX", "YYY", "ZZZ"})

# Table column -> the column's joined caption + header name in the CMS file.
SOURCE_COLUMNS = {
    "code": "HCPCS",
    "modifier": "MOD",
    "status": "STATUS CODE",
    "work_rvu": "WORK RVU",
    "non_facility_pe_rvu": "NON-FAC PE RVU",
    "facility_pe_rvu": "FACILITY PE RVU",
    "mp_rvu": "MP RVU",
    "non_facility_total": "NON-FACILITY TOTAL",
    "facility_total": "FACILITY TOTAL",
    "pctc_indicator": "PCTC IND",
    "global_days": "GLOB DAYS",
    "multiple_procedure": "MULT PROC",
    "bilateral_surgery": "BILAT SURG",
    "assistant_surgery": "ASST SURG",
    "co_surgery": "CO- SURG",
    "team_surgery": "TEAM SURG",
    "conversion_factor": "CONV FACTOR",
}
DECIMAL_COLUMNS = frozenset(
    {
        "work_rvu",
        "non_facility_pe_rvu",
        "facility_pe_rvu",
        "mp_rvu",
        "non_facility_total",
        "facility_total",
        "conversion_factor",
    }
)
DIGIT_COLUMNS = frozenset(
    {
        "pctc_indicator",
        "multiple_procedure",
        "bilateral_surgery",
        "assistant_surgery",
        "co_surgery",
        "team_surgery",
    }
)


@dataclass(frozen=True)
class RvuRow:
    """What the checks read from the fee schedule for one code and modifier."""

    code: str
    modifier: str  # "" for the global (no-modifier) row
    status: str
    work_rvu: Decimal
    non_facility_pe_rvu: Decimal
    facility_pe_rvu: Decimal
    mp_rvu: Decimal
    non_facility_total: Decimal
    facility_total: Decimal
    pctc_indicator: str
    global_days: str  # 000, 010, 090, MMM, XXX, YYY, ZZZ
    multiple_procedure: str
    bilateral_surgery: str  # 0 not applicable, 1 modifier 50 allowed, 2 already bilateral …
    assistant_surgery: str
    co_surgery: str
    team_surgery: str
    conversion_factor: Decimal

    def payment(self, facility: bool = False) -> Decimal:
        """National unadjusted amount: total RVUs times the conversion factor."""
        total = self.facility_total if facility else self.non_facility_total
        return (total * self.conversion_factor).quantize(Decimal("0.01"))


class PfsRvu(RefdataKind):
    name = "pfs-rvu"
    description = "Medicare Physician Fee Schedule relative value file (PPRRVU)"
    layouts = ("CMS PPRRVU .csv: caption block, duplicate header names, ^Z last line",)
    table = TABLE
    columns = tuple(SOURCE_COLUMNS)

    def parse(self, source: SourceFile) -> Parsed:
        details: dict[str, Any] = {}
        return Parsed(_rows(source, details), details)

    def period_from_name(self, file_name: str) -> Period | None:
        match = NAME.search(file_name)
        if match is None:
            return None
        month = MONTHS.get((match[2] or "JAN").upper())
        if month is None:
            return None
        year = full_year(int(match[1]))
        return Period(dt.date(year, month, 1), dt.date(year, 12, 31))

    def default_end(self, start: dt.date) -> dt.date | None:
        return dt.date(start.year, 12, 31)

    def view(self, connection: Connection) -> RvuView:
        return RvuView(connection)


def _rows(source: SourceFile, details: dict[str, Any]) -> Iterator[tuple[Any, ...]]:
    with source.path.open(encoding="latin-1", newline="") as stream:
        reader = csv.reader(stream)
        captions: dict[int, list[str]] = defaultdict(list)
        positions: dict[str, int] | None = None
        line = 0
        end_seen = False
        for cells in reader:
            line = reader.line_num
            if positions is None:
                if len(cells) > 1 and cells[0].strip() == "HCPCS" and cells[1].strip() == "MOD":
                    positions = _positions(source, line, cells, captions)
                else:
                    for index, cell in enumerate(cells):
                        if cell.strip():
                            captions[index].append(cell.strip())
                continue
            if end_seen:
                source.fail(line, None, "data after the end-of-file mark (^Z)")
            if cells and cells[0].startswith("\x1a"):
                end_seen = True
                continue
            if not any(cell.strip() for cell in cells):
                continue
            yield _row(source, line, cells, positions, details)
    if positions is None:
        source.fail(None, None, "no header line starting 'HCPCS,MOD,' found")


def _positions(
    source: SourceFile, line: int, header: list[str], captions: dict[int, list[str]]
) -> dict[str, int]:
    names = {
        " ".join([*captions[index], cell.strip()]).upper(): index
        for index, cell in enumerate(header)
    }
    positions = {}
    for column, name in SOURCE_COLUMNS.items():
        if name not in names:
            source.fail(line, name, f"no column {name!r} in the caption and header lines")
        positions[column] = names[name]
    return positions


def _row(
    source: SourceFile,
    line: int,
    cells: list[str],
    positions: dict[str, int],
    details: dict[str, Any],
) -> tuple[Any, ...]:
    values = []
    for column, index in positions.items():
        if index >= len(cells):
            source.fail(line, SOURCE_COLUMNS[column], f"the line ends after {len(cells)} cells")
        value = cells[index].strip()
        problem = _problem(column, value)
        if problem:
            source.fail(line, f"{index + 1} ({SOURCE_COLUMNS[column]})", f"{value!r} {problem}")
        values.append(value)
    details.setdefault("conversion_factor", values[-1])
    return tuple(values)


def _problem(column: str, value: str) -> str | None:
    if column == "code":
        return None if PROCEDURE_CODE.fullmatch(value) else "is not a CPT/HCPCS code"
    if column == "modifier":
        ok = value == "" or (len(value) == 2 and value.isalnum())
        return None if ok else "is not a modifier"
    if column == "status":
        return None if len(value) == 1 and value.isalpha() else "is not a status code"
    if column in DECIMAL_COLUMNS:
        return None if DECIMAL.fullmatch(value) else "is not a number"
    if column in DIGIT_COLUMNS:
        return None if len(value) == 1 and value.isdigit() else "is not a one-digit indicator"
    if column == "global_days":
        return None if value in GLOBAL_DAYS else "is not a global period (000, 010, 090, XXX …)"
    return None


class RvuView:
    """Fee schedule rows in force on dates of service, answered in bulk."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def values(
        self, codes: Collection[str], date_of_service: dt.date
    ) -> dict[tuple[str, str], RvuRow]:
        """Every row of the codes (each modifier, ``""`` for none), keyed (code, modifier)."""
        return self.values_many([(codes, date_of_service)])[0]

    def values_many(
        self, days: Sequence[tuple[Collection[str], dt.date]]
    ) -> list[dict[tuple[str, str], RvuRow]]:
        answers: list[dict[tuple[str, str], RvuRow]] = [{} for _ in days]
        dates = [day for _, day in days]
        columns = [TABLE.c[name] for name in SOURCE_COLUMNS]
        for edition, positions in group_by_edition(self.connection, PfsRvu.name, dates).items():
            codes = sorted({code for position in positions for code in days[position][0]})
            rows = self.connection.execute(
                select(*columns)
                .where(TABLE.c.load_id.in_(edition.load_ids), TABLE.c.code.in_(codes))
                .order_by(TABLE.c.id)
            ).all()
            found = [RvuRow(*(_decimal(value) for value in row)) for row in rows]
            for position in positions:
                wanted = set(days[position][0])
                answers[position] = {
                    (row.code, row.modifier): row for row in found if row.code in wanted
                }
        return answers


def _decimal(value: Any) -> Any:
    # SQLite hands NUMERIC back as float; the fee schedule has two decimals (factor four).
    return Decimal(str(value)) if isinstance(value, float) else value
