"""HCPCS Level II: the CMS alpha-numeric file of fixed-width 320-character records.

A disclaimer preamble comes first. Record identification code (column 11): ``3`` first line
of a code, ``4`` continuation of its long description, ``7`` first line of a modifier (the
modifier stands in columns 4–5), ``8`` continuation of a modifier. Level II descriptions are
public, so they are kept.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from auditkit.db.models import RefdataHcpcs
from auditkit.refdata.editions import group_by_edition
from auditkit.refdata.kinds import Parsed, RefdataKind, table_of
from auditkit.refdata.periods import MONTHS, Period, full_year
from auditkit.refdata.source import DateParser, SourceFile

TABLE = table_of(RefdataHcpcs)
NAME = re.compile(r"HCPCS?(\d{4}|\d\d)(?:_(JAN|APR|JUL|OCT))?", re.IGNORECASE)
RECORD = re.compile(r"[0-9A-Z ]{5}[0-9]{5}[3478]")
CODE = re.compile(r"[A-Z0-9]{5}")
MODIFIER = re.compile(r"   [A-Z0-9]{2}")
# 1-based inclusive positions from CMS's record layout.
FIELDS = {
    "long description": (12, 91),
    "short description": (92, 119),
    "add date": (269, 276),
    "action effective date": (277, 284),
    "termination date": (285, 292),
    "action code": (293, 293),
}
MIN_LENGTH = FIELDS["action code"][1]  # one published record is 316 characters, not 320


@dataclass(frozen=True)
class HcpcsCode:
    """A Level II code or modifier with its dates (``None`` where the file leaves them blank)."""

    code: str
    is_modifier: bool
    long_description: str
    short_description: str
    add_date: dt.date | None
    action_effective_date: dt.date | None
    termination_date: dt.date | None
    action_code: str

    def in_effect(self, date_of_service: dt.date) -> bool:
        """Added on or before the date and not terminated before it."""
        added = self.add_date is None or self.add_date <= date_of_service
        return added and (self.termination_date is None or date_of_service <= self.termination_date)


class Hcpcs(RefdataKind):
    name = "hcpcs"
    description = "HCPCS Level II codes and modifiers (CMS alpha-numeric file)"
    layouts = ("CMS HCPC<YYYY>_*_ANWEB.txt: fixed-width 320-character records, Latin-1",)
    table = TABLE
    columns = (
        "code",
        "is_modifier",
        "long_description",
        "short_description",
        "add_date",
        "action_effective_date",
        "termination_date",
        "action_code",
    )

    def parse(self, source: SourceFile) -> Parsed:
        return Parsed(_codes(source))

    def period_from_name(self, file_name: str) -> Period | None:
        match = NAME.search(file_name)
        if match is None:
            return None
        year = full_year(int(match[1]))
        month = MONTHS[match[2].upper()] if match[2] else 1
        return Period(dt.date(year, month, 1), dt.date(year, 12, 31))

    def default_end(self, start: dt.date) -> dt.date | None:
        return dt.date(start.year, 12, 31)

    def view(self, connection: Connection) -> HcpcsView:
        return HcpcsView(connection)


def _field(line: str, name: str) -> str:
    first, last = FIELDS[name]
    return line[first - 1 : last].strip()


def _codes(source: SourceFile) -> Iterator[tuple[Any, ...]]:
    date = DateParser()
    current: list[Any] | None = None
    started = False
    with source.path.open(encoding="latin-1", newline="") as stream:
        for number, raw in enumerate(stream, start=1):
            line = raw.rstrip("\r\n")
            if not started:
                if len(line) < MIN_LENGTH or not RECORD.match(line):
                    continue  # the disclaimer preamble
                started = True
            if not line.strip():
                continue
            if len(line) < MIN_LENGTH:
                source.fail(
                    number,
                    str(len(line) + 1),
                    f"record is {len(line)} characters long; expected 320",
                )
            record_id = line[10]
            if not RECORD.match(line):
                source.fail(
                    number, "11", f"record identification code {record_id!r} is not 3, 4, 7 or 8"
                )
            is_modifier = record_id in "78"
            code = line[3:5] if is_modifier else line[:5]
            if not (MODIFIER if is_modifier else CODE).fullmatch(line[:5]):
                source.fail(number, "1-5", f"{line[:5]!r} is not a HCPCS code or modifier")
            if record_id in "48":
                if current is None or current[0] != code or current[1] != is_modifier:
                    source.fail(
                        number, "11", f"continuation record of {code} follows no record of it"
                    )
                current[2] = f"{current[2]} {_field(line, 'long description')}".strip()
                continue
            if current is not None:
                yield tuple(current)
            dates = []
            for name in ("add date", "action effective date", "termination date"):
                text = _field(line, name)
                iso = date(text) if text else None
                if text and iso is None:
                    first, last = FIELDS[name]
                    source.fail(
                        number, f"{first}-{last} ({name})", f"{text!r} is not a date (YYYYMMDD)"
                    )
                dates.append(iso)
            current = [
                code,
                is_modifier,
                _field(line, "long description"),
                _field(line, "short description"),
                *dates,
                _field(line, "action code"),
            ]
    if current is not None:
        yield tuple(current)


class HcpcsView:
    """HCPCS Level II codes and modifiers of the edition in effect on each date, in bulk."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def codes(self, codes: Collection[str], date_of_service: dt.date) -> dict[str, HcpcsCode]:
        """The Level II codes among ``codes`` that the file lists (CPT codes are not in it);
        ask :meth:`HcpcsCode.in_effect` whether each was in force on the date."""
        return self.codes_many([(codes, date_of_service)])[0]

    def modifiers(
        self, modifiers: Collection[str], date_of_service: dt.date
    ) -> dict[str, HcpcsCode]:
        return self._find([(modifiers, date_of_service)], modifiers=True)[0]

    def codes_many(
        self, days: Sequence[tuple[Collection[str], dt.date]]
    ) -> list[dict[str, HcpcsCode]]:
        """:meth:`codes` for each (codes, date) of a batch: one query per edition."""
        return self._find(days, modifiers=False)

    def _find(
        self, days: Sequence[tuple[Collection[str], dt.date]], modifiers: bool
    ) -> list[dict[str, HcpcsCode]]:
        answers: list[dict[str, HcpcsCode]] = [{} for _ in days]
        dates = [day for _, day in days]
        for edition, positions in group_by_edition(self.connection, Hcpcs.name, dates).items():
            wanted = sorted({code for position in positions for code in days[position][0]})
            rows = self.connection.execute(
                select(*(TABLE.c[name] for name in Hcpcs.columns))
                .where(
                    TABLE.c.load_id.in_(edition.load_ids),
                    TABLE.c.code.in_(wanted),
                    TABLE.c.is_modifier == modifiers,
                )
                .order_by(TABLE.c.id)
            ).all()
            found = {row.code: HcpcsCode(*row) for row in rows}
            for position in positions:
                answers[position] = {
                    code: found[code] for code in days[position][0] if code in found
                }
        return answers
