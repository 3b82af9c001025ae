"""Parsing one cell: timestamps, dates, flags, and refusing control characters."""

from __future__ import annotations

import datetime as dt
import re

# C0 controls and DEL; tab, line feed and carriage return are allowed in free text only.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_OR_BREAK = re.compile(r"[\x00-\x1f\x7f]")

YES = frozenset({"y", "yes", "true", "1"})
NO = frozenset({"n", "no", "false", "0", ""})


class BadValue(ValueError):
    """A cell that cannot be read; the message says what was expected."""


def control_problem(value: str, free_text: bool) -> str | None:
    match = (CONTROL if free_text else CONTROL_OR_BREAK).search(value)
    if match is None:
        return None
    return f"contains control character U+{ord(match.group()):04X} at position {match.start() + 1}"


def timestamp(value: str) -> dt.datetime:
    """ISO 8601; an offset is dropped, keeping the wall-clock time as written (the hours a
    review compares are the organisation's own)."""
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise BadValue(f"{value!r} is not an ISO 8601 timestamp (2026-03-02T14:05:00)") from None
    return parsed.replace(tzinfo=None) if parsed.tzinfo is not None else parsed


def date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if len(value) == 10 else _bad_date(value)
    except ValueError:
        return _bad_date(value)


def _bad_date(value: str) -> dt.date:
    raise BadValue(f"{value!r} is not a date (YYYY-MM-DD)")


def flag(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in YES:
        return True
    if lowered in NO:
        return False
    raise BadValue(f"{value!r} is not Y or N")
