"""Effective periods: the dates of service a loaded file governs.

CMS and NCHS encode them in file names; the rules here are the ones each kind uses.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Period:
    """From ``start`` through ``end`` inclusive; ``end`` is ``None`` when open-ended."""

    start: dt.date
    end: dt.date | None

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def __str__(self) -> str:
        return f"{self.start.isoformat()} to {self.end.isoformat() if self.end else 'open'}"


def quarter_end(start: dt.date) -> dt.date:
    """Last day of the calendar quarter holding ``start``."""
    first_month_of_next = (start.month - 1) // 3 * 3 + 4
    if first_month_of_next > 12:
        return dt.date(start.year, 12, 31)
    return dt.date(start.year, first_month_of_next, 1) - dt.timedelta(days=1)


def fiscal_year(year: int) -> Period:
    """US federal fiscal year ``year``: October 1 of the year before through September 30."""
    return Period(dt.date(year - 1, 10, 1), dt.date(year, 9, 30))


def full_year(year: int) -> int:
    """Two-digit years in CMS names (``PPRRVU23``) are this century's."""
    return year + 2000 if year < 100 else year


MONTHS = {
    name: number
    for number, name in enumerate(
        ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"),
        start=1,
    )
}
