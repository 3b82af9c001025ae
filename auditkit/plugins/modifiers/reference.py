"""The reference data the modifier checks read, cached per run, date of service and code.

``context.reference`` hands a check the view of the edition in effect on a date (or None:
then the check cannot judge and says nothing). The views answer per (codes, date) with a
query; asking once per encounter and rule would mean hundreds of thousands of queries on a
large audit. So the answers are kept per view object (one per run) and date: the codes
already asked about on a date are answered from memory, and a new code widens the next
query to every code seen that day, so a date costs about one query per new code.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any
from weakref import WeakKeyDictionary

from auditkit.refdata.mue import MueLimit
from auditkit.refdata.ptp import PtpEdit
from auditkit.refdata.rvu import RvuRow
from auditkit.rules import CheckContext

PTP, MUE, RVU = "ncci-ptp", "mue", "pfs-rvu"


@dataclass
class _PtpDay:
    codes: set[str] = field(default_factory=set)
    by_column1: dict[str, list[PtpEdit]] = field(default_factory=dict)


@dataclass
class _PerCodeDay:
    known: dict[str, Any] = field(default_factory=dict)  # code -> answer (None: none)


_ptp_days: WeakKeyDictionary[Any, dict[dt.date, _PtpDay]] = WeakKeyDictionary()
_mue_days: WeakKeyDictionary[Any, dict[dt.date, _PerCodeDay]] = WeakKeyDictionary()
_rvu_days: WeakKeyDictionary[Any, dict[dt.date, _PerCodeDay]] = WeakKeyDictionary()


def ptp_edits(context: CheckContext, codes: Collection[str], day: dt.date) -> list[PtpEdit] | None:
    """PTP edits in force on the day between two of ``codes`` (indicator 9 never comes
    back); None when no PTP edition covers the day."""
    view = context.reference(PTP, day)
    if view is None:
        return None
    cached = _ptp_days.setdefault(view, defaultdict(_PtpDay))[day]
    wanted = set(codes)
    if not wanted <= cached.codes:
        cached.codes |= wanted
        grouped: dict[str, list[PtpEdit]] = defaultdict(list)
        for edit in view.edits_among(sorted(cached.codes), day):
            grouped[edit.column1].append(edit)
        cached.by_column1 = dict(grouped)
    return [
        edit
        for code in sorted(wanted)
        for edit in cached.by_column1.get(code, ())
        if edit.column2 in wanted
    ]


def mue_limits(
    context: CheckContext, codes: Collection[str], day: dt.date
) -> dict[str, MueLimit] | None:
    """The MUE of each code that has one; None when no MUE edition covers the day."""
    view = context.reference(MUE, day)
    if view is None:
        return None
    known = _per_code(_mue_days, view, day, codes, view.limits)
    return {code: known[code] for code in codes if known.get(code) is not None}


def rvu_rows(
    context: CheckContext, codes: Collection[str], day: dt.date
) -> dict[str, RvuRow] | None:
    """The fee-schedule row without modifier of each code that has one; None when no
    fee-schedule edition covers the day."""
    view = context.reference(RVU, day)
    if view is None:
        return None

    def global_rows(missing: Collection[str], on: dt.date) -> dict[str, RvuRow]:
        rows = view.values(missing, on)
        return {code: row for (code, modifier), row in rows.items() if modifier == ""}

    known = _per_code(_rvu_days, view, day, codes, global_rows)
    return {code: known[code] for code in codes if known.get(code) is not None}


def _per_code(
    store: WeakKeyDictionary[Any, dict[dt.date, _PerCodeDay]],
    view: Any,
    day: dt.date,
    codes: Collection[str],
    ask: Any,
) -> dict[str, Any]:
    cached = store.setdefault(view, defaultdict(_PerCodeDay))[day]
    missing = sorted(set(codes) - cached.known.keys())
    if missing:
        found = ask(missing, day)
        for code in missing:
            cached.known[code] = found.get(code)
    return cached.known
