"""Which loaded edition answers for a date of service.

An edition is what one publication put in force: one file, or the several files CMS splits
one table into (the PTP table's four code ranges). On a date of service the edition in
effect is the one whose period covers the date and starts latest; among loads starting the
same day, the one loaded last. Views group a batch of dates by edition first, so they ask
the database once per edition, not once per encounter.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection

from auditkit.refdata.kinds import LoadRecord, all_loads
from auditkit.refdata.periods import Period


@dataclass(frozen=True)
class Edition:
    """The loads that together make one publication in force over ``period``."""

    kind: str
    name: str
    period: Period
    load_ids: tuple[int, ...]


def edition_in_effect(
    connection: Connection, kind: str, date_of_service: dt.date
) -> Edition | None:
    """The edition of ``kind`` in effect on the date; ``None`` when no load covers it."""
    return editions_in_effect(connection, kind, [date_of_service])[date_of_service]


def editions_in_effect(
    connection: Connection, kind: str, dates: Iterable[dt.date]
) -> dict[dt.date, Edition | None]:
    """The edition in effect on each date, with one query for the whole batch."""
    return choose_editions(all_loads(connection, kind), dates)


def choose_editions(
    loads: Sequence[LoadRecord], dates: Iterable[dt.date]
) -> dict[dt.date, Edition | None]:
    """:func:`editions_in_effect` on loads already read."""
    chosen: dict[dt.date, Edition | None] = {}
    for day in set(dates):
        covering = [load for load in loads if load.period.covers(day)]
        if not covering:
            chosen[day] = None
            continue
        newest = max(covering, key=lambda load: (load.effective_from, load.id))
        parts = tuple(
            load.id
            for load in loads
            if load.edition == newest.edition and load.period == newest.period
        )
        chosen[day] = Edition(newest.kind, newest.edition, newest.period, parts)
    return chosen


def group_by_edition(
    connection: Connection, kind: str, dates: Sequence[dt.date]
) -> dict[Edition, list[int]]:
    """Positions in ``dates`` grouped by the edition in effect (dates no edition covers
    are left out)."""
    editions = editions_in_effect(connection, kind, dates)
    groups: dict[Edition, list[int]] = defaultdict(list)
    for position, day in enumerate(dates):
        edition = editions[day]
        if edition is not None:
            groups[edition].append(position)
    return groups
