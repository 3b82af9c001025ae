"""NCCI procedure-to-procedure (PTP) edits: the ``ccipra``/``ccioph`` tables, TXT or xlsx.

Layout as CMS publishes it: an AMA copyright line, a title line, then a header whose cells
wrap over several lines (or stand on one), then one tab-separated edit per line: column 1,
column 2, ``*`` when in existence before 1996, effective date, deletion date (``*`` = none),
modifier indicator (0 not allowed, 1 allowed, 9 not applicable) and the rationale.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
from sqlalchemy import Connection, select

from auditkit.db.models import RefdataPtpEdit
from auditkit.refdata import ptp_arrow
from auditkit.refdata.editions import group_by_edition
from auditkit.refdata.kinds import Parsed, RefdataKind, table_of
from auditkit.refdata.periods import Period, quarter_end
from auditkit.refdata.source import (
    PROCEDURE_CODE,
    DateParser,
    SourceFile,
    cell_text,
    code_text,
    column_letter,
    column_number,
    xlsx_rows,
)

TABLE = table_of(RefdataPtpEdit)
COLUMN_NAMES = (
    "Column 1",
    "Column 2",
    "*=in existence prior to 1996",
    "Effective Date",
    "Deletion Date",
    "Modifier",
    "PTP Edit Rationale",
)
# What each header cell must contain, fragments joined (the rationale column came in 2018).
HEADER_WORDS = ("column 1", "column 2", "prior to 1996", "effective", "deletion", "modifier")
# ccipra-v322r0-f1: practitioner table, version 32.2 revision 0, part 1. Version N.M is in
# force from quarter M+1 of 1994+N: the zip holding ccipra-v322r0 is CMS's "2026q3" file.
NAME = re.compile(r"^(cci(pra|oph)-v(\d\d)(\d)r(\d+))", re.IGNORECASE)
INDICATORS = {"0": 0, "1": 1, "9": 9}

Cells = list[str]


@dataclass(frozen=True)
class PtpEdit:
    """A column 1 / column 2 pair in force on the date asked about."""

    column1: str
    column2: str
    modifier_indicator: int  # 0: no modifier bypasses it; 1: a PTP-associated modifier may
    effective_date: dt.date
    deletion_date: dt.date | None
    rationale: str | None

    @property
    def modifier_allowed(self) -> bool:
        return self.modifier_indicator == 1


class NcciPtp(RefdataKind):
    name = "ncci-ptp"
    description = "NCCI procedure-to-procedure edits (practitioner or hospital outpatient)"
    layouts = (
        "CMS PTP .TXT: tab-separated, Latin-1, header wrapped over lines or on one line",
        "CMS PTP .xlsx: first sheet, header over several rows",
    )
    table = TABLE
    columns = (
        "column1",
        "column2",
        "prior_1996",
        "effective_date",
        "deletion_date",
        "modifier_indicator",
        "rationale",
    )

    def parse(self, source: SourceFile) -> Parsed:
        if source.is_xlsx:
            lines: Iterator[tuple[int, Cells]] = (
                (
                    number,
                    [code_text(cell) if i < 2 else cell_text(cell) for i, cell in enumerate(row)],
                )
                for number, row in xlsx_rows(source)
            )
            label: Callable[[int], str] = column_letter
        else:
            checked = _checked_columns(source)
            if checked is not None:
                return Parsed(checked, self._details(source.name))
            lines = _tsv_lines(source)
            label = column_number
        return Parsed(_edits(source, lines, label), self._details(source.name))

    def period_from_name(self, file_name: str) -> Period | None:
        match = NAME.match(file_name)
        if match is None or int(match[4]) > 3:
            return None
        start = dt.date(1994 + int(match[3]), int(match[4]) * 3 + 1, 1)
        return Period(start, quarter_end(start))

    def default_end(self, start: dt.date) -> dt.date | None:
        return quarter_end(start)

    def edition_of(self, file_name: str) -> str:
        match = NAME.match(file_name)
        return match[1].lower() if match else super().edition_of(file_name)

    def _details(self, file_name: str) -> dict[str, Any]:
        match = NAME.match(file_name)
        if match is None:
            return {}
        table = "practitioner" if match[2].lower() == "pra" else "hospital outpatient"
        return {"table": table, "version": f"{int(match[3])}.{match[4]} r{int(match[5])}"}

    def view(self, connection: Connection) -> PtpView:
        return PtpView(connection)


def _checked_columns(source: SourceFile) -> pa.Table | None:
    """The whole file checked column-wise (fast), or ``None`` to read it row by row."""
    found = ptp_arrow.header_lines(source)
    if found is None:
        return None
    header, first_edit = found
    _check_header(source, header, first_edit, column_number)
    return ptp_arrow.read_edits(source, first_edit)


def _tsv_lines(source: SourceFile) -> Iterator[tuple[int, Cells]]:
    with source.path.open(encoding="latin-1", newline="") as stream:
        for number, line in enumerate(stream, start=1):
            yield number, line.rstrip("\r\n").split("\t")


def _edits(
    source: SourceFile, lines: Iterator[tuple[int, Cells]], label: Callable[[int], str]
) -> Iterator[tuple[Any, ...]]:
    def where(index: int) -> str:
        return f"{label(index)} ({COLUMN_NAMES[index]})"

    header: list[tuple[int, Cells]] = []
    is_code = PROCEDURE_CODE.fullmatch
    date = DateParser()
    seen_codes: set[str] = set()
    started = False
    for number, cells in lines:
        if not started:
            if not cells or not is_code(cells[0]):
                header.append((number, cells))
                continue
            _check_header(source, header, number, label)
            started = True
        if len(cells) < 6 or len(cells) > 7:
            if not any(cells):
                continue  # blank line (the xlsx has empty rows at the end)
            source.fail(
                number,
                label(min(len(cells), 7)),
                f"expected 7 tab-separated cells, found {len(cells)}",
            )
        column1, column2, prior, effective, deletion, indicator = cells[:6]
        for index, code in ((0, column1), (1, column2)):
            if code not in seen_codes:
                if not is_code(code):
                    source.fail(number, where(index), f"{code!r} is not a CPT/HCPCS code")
                seen_codes.add(code)
        if prior not in ("", "*"):
            source.fail(number, where(2), f"expected empty or '*', found {prior!r}")
        effective_iso = date(effective)
        if effective_iso is None:
            source.fail(number, where(3), f"{effective!r} is not a date (YYYYMMDD)")
        deletion_iso = None if deletion == "*" else date(deletion)
        if deletion_iso is None and deletion != "*":
            source.fail(number, where(4), f"{deletion!r} is not a date (YYYYMMDD) or '*'")
        modifier = INDICATORS.get(indicator)
        if modifier is None:
            source.fail(
                number, where(5), f"modifier indicator must be 0, 1 or 9, not {indicator!r}"
            )
        rationale = cells[6] if len(cells) == 7 and cells[6] else None
        yield column1, column2, prior == "*", effective_iso, deletion_iso, modifier, rationale
    if not started:
        source.fail(None, None, "no edits found (no line starts with a CPT/HCPCS code)")


def _check_header(
    source: SourceFile, lines: list[tuple[int, Cells]], first_data: int, label: Callable[[int], str]
) -> None:
    """The header cells, fragments joined over its lines, name the expected columns."""
    start = next(
        (index for index, (_, cells) in enumerate(lines) if cells and cells[0] == "Column 1"),
        None,
    )
    if start is None:
        source.fail(first_data, "1", "no header line ('Column 1', 'Column 2', …) above the edits")
    header_line = lines[start][0]
    joined: dict[int, list[str]] = defaultdict(list)
    for _, cells in lines[start:]:
        for index, cell in enumerate(cells):
            if cell.strip():
                joined[index].append(cell.strip())
    for index, word in enumerate(HEADER_WORDS):
        text = " ".join(joined[index])
        if word not in text.lower():
            source.fail(
                header_line,
                f"{label(index)}",
                f"header cell {text!r} should be {COLUMN_NAMES[index]!r}",
            )


class PtpView:
    """PTP edits in force on dates of service, answered in bulk."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def edits_among(self, codes: Collection[str], date_of_service: dt.date) -> list[PtpEdit]:
        """Edits between any two of ``codes`` in force on the date (indicator 9 left out:
        such an edit never applies)."""
        return self.edits_among_many([(codes, date_of_service)])[0]

    def edits_among_many(
        self, days: Sequence[tuple[Collection[str], dt.date]]
    ) -> list[list[PtpEdit]]:
        """:meth:`edits_among` for each (codes, date) of a batch: one query per edition."""
        answers: list[list[PtpEdit]] = [[] for _ in days]
        dates = [day for _, day in days]
        for edition, positions in group_by_edition(self.connection, NcciPtp.name, dates).items():
            codes = sorted({code for position in positions for code in days[position][0]})
            if len(codes) < 2:
                continue
            rows = self.connection.execute(
                select(
                    TABLE.c.column1,
                    TABLE.c.column2,
                    TABLE.c.modifier_indicator,
                    TABLE.c.effective_date,
                    TABLE.c.deletion_date,
                    TABLE.c.rationale,
                ).where(
                    TABLE.c.load_id.in_(edition.load_ids),
                    TABLE.c.column1.in_(codes),
                    TABLE.c.column2.in_(codes),
                    TABLE.c.modifier_indicator != 9,
                )
            ).all()
            edits = [PtpEdit(*row) for row in rows]
            for position in positions:
                day_codes, day = set(days[position][0]), days[position][1]
                answers[position] = [
                    edit
                    for edit in edits
                    if edit.column1 in day_codes
                    and edit.column2 in day_codes
                    and edit.effective_date <= day
                    # the deletion date is the last date of service the edit applies to
                    and (edit.deletion_date is None or day <= edit.deletion_date)
                ]
        return answers
