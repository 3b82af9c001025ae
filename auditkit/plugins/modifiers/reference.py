"""The reference data the modifier checks read, cached per run, quarter and code.

``context.reference`` hands a check the view of the edition in effect on a date (or None:
then the check cannot judge and says nothing). The views answer per (codes, date) with a
couple of queries; asking once per encounter and rule would mean hundreds of thousands of
queries on a large audit. So answers are kept per view object (one per run) and calendar
quarter (CMS publishes PTP and MUE quarterly): the first question in a quarter asks about
every day of it at once (the views' ``*_many`` methods, one query per edition), for every
code seen so far in the run; a later question is answered from memory unless it brings a
code not yet seen, which refreshes that quarter the same way. A quarter thus costs about
one query per edition plus one per code that first appears in it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from auditkit.rules import CheckContext

if TYPE_CHECKING:  # reference data types only: the refdata package loads on use
    from auditkit.refdata.mue import MueLimit
    from auditkit.refdata.ptp import PtpEdit
    from auditkit.refdata.rvu import RvuRow


PTP, MUE, RVU = "ncci-ptp", "mue", "pfs-rvu"
Quarter = tuple[int, int]
AskMany = Callable[[Sequence[tuple[Collection[str], dt.date]]], list[Any]]


@dataclass
class _QuarterAnswers:
    codes: frozenset[str] = frozenset()
    days: dict[dt.date, Any] = field(default_factory=dict)


@dataclass
class _ViewCache:
    seen: set[str] = field(default_factory=set)  # every code asked about in the run
    quarters: dict[Quarter, _QuarterAnswers] = field(default_factory=dict)


_caches: WeakKeyDictionary[Any, dict[str, _ViewCache]] = WeakKeyDictionary()


def _quarter_days(day: dt.date) -> list[dt.date]:
    first = dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    following = dt.date(first.year + (first.month == 10), (first.month + 2) % 12 + 1, 1)
    return [first + dt.timedelta(n) for n in range((following - first).days)]


def _answer(
    view: Any,
    name: str,
    codes: Collection[str],
    day: dt.date,
    ask: AskMany,
    shape: Callable[[Any], Any],
) -> Any:
    """The (shaped) answer of ``ask`` for the day, asking for a whole quarter on a miss."""
    caches = _caches.get(view)
    if caches is None:
        caches = _caches[view] = {}
    cache = caches.get(name)
    if cache is None:
        cache = caches[name] = _ViewCache()
    quarter = (day.year, (day.month - 1) // 3)
    answers = cache.quarters.get(quarter)
    if answers is None or not answers.codes.issuperset(codes):
        cache.seen.update(codes)
        everything = frozenset(cache.seen)
        days = _quarter_days(day)
        raw = ask([(everything, each) for each in days])
        answers = _QuarterAnswers(
            everything, {each: shape(got) for each, got in zip(days, raw, strict=True)}
        )
        cache.quarters[quarter] = answers
    return answers.days[day]


def _by_column1(edits: list[PtpEdit]) -> dict[str, list[PtpEdit]]:
    grouped: dict[str, list[PtpEdit]] = defaultdict(list)
    for edit in edits:
        grouped[edit.column1].append(edit)
    return dict(grouped)


def ptp_edits(context: CheckContext, codes: Collection[str], day: dt.date) -> list[PtpEdit] | None:
    """PTP edits in force on the day between two of ``codes`` (indicator 9 never comes
    back); None when no PTP edition covers the day."""
    view = context.reference(PTP, day)
    if view is None:
        return None
    wanted = frozenset(codes)
    last = _last_ptp.get(view)
    if last is not None and last[0] == (day, wanted):  # three rules ask in turn
        return last[1]
    by_column1 = _answer(view, PTP, wanted, day, view.edits_among_many, _by_column1)
    found = [
        edit
        for code in sorted(wanted)
        for edit in by_column1.get(code, ())
        if edit.column2 in wanted
    ]
    _last_ptp[view] = ((day, wanted), found)
    return found


_last_ptp: WeakKeyDictionary[Any, tuple[tuple[dt.date, frozenset[str]], list[PtpEdit]]] = (
    WeakKeyDictionary()
)


def mue_limits(
    context: CheckContext, codes: Collection[str], day: dt.date
) -> dict[str, MueLimit] | None:
    """The MUE of each code that has one; None when no MUE edition covers the day."""
    view = context.reference(MUE, day)
    if view is None:
        return None
    limits = _answer(view, MUE, set(codes), day, view.limits_many, dict)
    return {code: limits[code] for code in codes if code in limits}


def rvu_rows(
    context: CheckContext, codes: Collection[str], day: dt.date
) -> dict[str, RvuRow] | None:
    """The fee-schedule row without modifier of each code that has one; None when no
    fee-schedule edition covers the day."""
    view = context.reference(RVU, day)
    if view is None:
        return None

    def global_rows(rows: dict[tuple[str, str], RvuRow]) -> dict[str, RvuRow]:
        return {code: row for (code, modifier), row in rows.items() if modifier == ""}

    found = _answer(view, RVU, set(codes), day, view.values_many, global_rows)
    return {code: found[code] for code in codes if code in found}
