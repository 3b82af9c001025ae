"""ICD-10-CM releases other than the shipped one, from the NCHS/CMS text files.

Two layouts are read:

* the order file ``icd10cm_order_YYYY.txt`` / ``icd10cm-order-YYYY.txt`` (every code,
  header or billable): order number 1–5, code 7–13, flag 15 (``1`` valid for HIPAA
  transactions, ``0`` header), short description 17–76, long description from 78;
* the codes file ``icd10cm-codes-YYYY.txt`` (billable codes only): code 1–7, description
  from 9. Header codes are then inferred from the billable ones (see
  :mod:`auditkit.codesets.loaded`).

A release named for fiscal year YYYY governs dates of service from October 1 of YYYY-1
through September 30 of YYYY; an April update from April 1 through September 30.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, select

from auditkit.codesets import CodeSets
from auditkit.codesets.loaded import LoadedIcd10cmRelease
from auditkit.db.models import RefdataIcd10cm
from auditkit.refdata.kinds import LoadRecord, Parsed, RefdataKind, all_loads, table_of
from auditkit.refdata.periods import Period, fiscal_year
from auditkit.refdata.source import SourceFile

TABLE = table_of(RefdataIcd10cm)
NAME = re.compile(r"icd10cm[-_ ](order|codes)[-_ ](?:(april|apr)[-_ ]?)?(\d{4})", re.IGNORECASE)
ICD_CODE = re.compile(r"[A-Z][0-9A-Z]{2,6}")  # FY2026 brought QA0 (letter second)


class Icd10cm(RefdataKind):
    name = "icd10cm"
    description = "ICD-10-CM release of a fiscal year (NCHS/CMS order file or codes file)"
    layouts = (
        "NCHS/CMS icd10cm_order_YYYY.txt: fixed width, header (0) and billable (1) codes",
        "NCHS/CMS icd10cm-codes-YYYY.txt: billable codes only",
    )
    table = TABLE
    columns = ("code", "billable", "description")

    def parse(self, source: SourceFile) -> Parsed:
        details: dict[str, Any] = {}
        return Parsed(_codes(source, details), details)

    def period_from_name(self, file_name: str) -> Period | None:
        match = NAME.search(file_name)
        if match is None:
            return None
        year = int(match[3])
        if match[2]:
            return Period(dt.date(year, 4, 1), dt.date(year, 9, 30))
        return fiscal_year(year)

    def default_end(self, start: dt.date) -> dt.date | None:
        return dt.date(start.year + (start.month >= 10), 9, 30)

    def edition_of(self, file_name: str) -> str:
        match = NAME.search(file_name)
        if match is None:
            return super().edition_of(file_name)
        april = " (April 1 update)" if match[2] else ""
        return f"ICD-10-CM FY{match[3]}{april}"

    def view(self, connection: Connection) -> Icd10cmView:
        return Icd10cmView(connection)


def _codes(source: SourceFile, details: dict[str, Any]) -> Iterator[tuple[Any, ...]]:
    layout = None
    with source.path.open(encoding="latin-1", newline="") as stream:
        for number, raw in enumerate(stream, start=1):
            line = raw.rstrip("\r\n")
            if not line.strip():
                continue
            if layout is None:
                layout = "order" if line[:5].isdigit() and line[5:6] == " " else "codes"
                details["layout"] = layout
            if layout == "order":
                yield _order_line(source, number, line)
            else:
                yield _codes_line(source, number, line)


def _order_line(source: SourceFile, number: int, line: str) -> tuple[Any, ...]:
    if not line[:5].isdigit() or line[5:6] != " ":
        source.fail(number, "1-5", f"{line[:5]!r} is not an order number")
    code = line[6:13].strip()
    if not ICD_CODE.fullmatch(code) or line[13:14] != " ":
        source.fail(number, "7-13", f"{line[6:13]!r} is not an ICD-10-CM code (no dot)")
    flag = line[14:15]
    if flag not in ("0", "1") or line[15:16] != " ":
        source.fail(number, "15", f"header/billable flag must be 0 or 1, not {flag!r}")
    description = line[77:].strip() or line[16:76].strip()
    if not description:
        source.fail(number, "17", "no description")
    return code, flag == "1", description


def _codes_line(source: SourceFile, number: int, line: str) -> tuple[Any, ...]:
    code = line[:7].strip()
    if not ICD_CODE.fullmatch(code) or line[7:8] != " ":
        source.fail(number, "1-7", f"{line[:7]!r} is not an ICD-10-CM code (no dot)")
    description = line[8:].strip()
    if not description:
        source.fail(number, "9", "no description")
    return code, True, description


class Icd10cmView:
    """Loaded ICD-10-CM releases, as releases :class:`CodeSets` can hold."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def releases(self) -> list[LoadedIcd10cmRelease]:
        """One release per loaded edition and period (the latest load of each), newest
        period first. Its codes are read now; the shipped tabular only on first use."""
        latest: dict[tuple[str, Period], LoadRecord] = {}
        for load in all_loads(self.connection, Icd10cm.name):
            latest[(load.edition, load.period)] = load
        chosen = sorted(latest.values(), key=lambda load: (load.effective_from, load.id))
        return [self._release(load) for load in reversed(chosen)]

    def release_for(self, date_of_service: dt.date) -> LoadedIcd10cmRelease | None:
        """The loaded release in effect on the date (latest start wins), if any."""
        return next((r for r in self.releases() if r.covers(date_of_service)), None)

    def codesets(self) -> CodeSets:
        """The shipped release plus every loaded one; a loaded release wins where both
        cover a date."""
        return CodeSets().with_releases(self.releases())

    def _release(self, load: LoadRecord) -> LoadedIcd10cmRelease:
        rows = self.connection.execute(
            select(TABLE.c.code, TABLE.c.billable, TABLE.c.description).where(
                TABLE.c.load_id == load.id
            )
        ).all()
        return LoadedIcd10cmRelease(
            name=load.edition,
            effective_from=load.effective_from,
            effective_to=load.effective_to or dt.date.max,
            codes={code: (bool(billable), description) for code, billable, description in rows},
            headers_inferred=load.details.get("layout") == "codes",
        )
