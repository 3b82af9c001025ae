"""Two SQL expressions that differ between SQLite and PostgreSQL, as compiled constructs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Float, Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class day_number(FunctionElement[int]):
    """Days since 1970-01-01 of a date or timestamp: windows become integer ranges."""

    type = Integer()
    inherit_cache = True


@compiles(day_number, "sqlite")
def _day_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    (argument,) = element.clauses
    return f"CAST(julianday(date({compiler.process(argument, **kw)})) - 2440587.5 AS INTEGER)"


@compiles(day_number)
def _day_default(element: Any, compiler: Any, **kw: Any) -> str:
    (argument,) = element.clauses
    return f"(CAST({compiler.process(argument, **kw)} AS DATE) - DATE '1970-01-01')"


class minutes_between(FunctionElement[float]):
    """Minutes from the first timestamp to the second (negative when it is earlier)."""

    type = Float()
    inherit_cache = True


@compiles(minutes_between, "sqlite")
def _minutes_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    first, second = (compiler.process(c, **kw) for c in element.clauses)
    return f"((julianday({second}) - julianday({first})) * 1440.0)"


@compiles(minutes_between)
def _minutes_default(element: Any, compiler: Any, **kw: Any) -> str:
    first, second = (compiler.process(c, **kw) for c in element.clauses)
    return f"(EXTRACT(EPOCH FROM ({second} - {first})) / 60.0)"


EPOCH = dt.date(1970, 1, 1)


def to_day(value: dt.date) -> int:
    return (value - EPOCH).days


def from_day(number: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(number))
