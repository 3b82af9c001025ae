"""HIP009 volume-anomaly."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import and_, func, select

from auditkit.db.models import AccessEvent, AccessReviewUserDay, Workforce
from auditkit.plugins.hipaa_access.base import access_rule
from auditkit.plugins.hipaa_access.review import ensure_review
from auditkit.plugins.hipaa_access.settings import VOLUME, review_settings, value
from auditkit.plugins.hipaa_access.sql import from_day
from auditkit.rules import CheckContext, Finding, SetCheck, SetScope

RULE = access_rule(
    "HIP009",
    "volume-anomaly",
    "Volume anomaly: unique patients accessed far above the user's own and peer baseline.",
    "Mass look-ups precede data theft (Montefiore: 12,517 patients, found years later); a "
    "day far above the user's own habit and their role's is worth a look.",
    parameters=VOLUME,
)


class VolumeAnomaly(SetCheck):
    """Flags days on which a user opened far more patients than usual.

    ## What it does
    Counts the unique patients each user opened each day of the period. A day is flagged
    when it reaches ``min_patients`` and exceeds ``factor`` times both the user's average
    over their other days and the average day of users with the same role. One finding per
    user and day, on the day's first access.

    ## Why it matters
    Insiders who take data in bulk show up as volume; a baseline of the user's own and
    their peers' days separates a busy clinic day from a harvest.

    ## Example
    A scheduler who opens about 25 patients a day opens 400 on one Sunday.

    ## Use instead
    Use reports and work lists for bulk work; large extracts go through the data team.
    """

    rules = (RULE,)
    unit_kind = "access_event"

    def check_set(self, scope: SetScope, context: CheckContext) -> Iterator[Finding]:
        ensure_review(scope, review_settings(context))
        factor = float(value(context, "HIP009", "factor"))
        minimum = int(value(context, "HIP009", "min_patients"))
        days = AccessReviewUserDay
        mine = days.run_id == scope.run_id
        own = (
            select(
                days.user_id.label("user_id"),
                func.sum(days.patients).label("total"),
                func.count().label("days"),
            )
            .where(mine)
            .group_by(days.user_id)
            .subquery("own")
        )
        role = func.coalesce(Workforce.role, "")
        peers = (
            select(role.label("role"), func.avg(days.patients).label("average"))
            .select_from(days)
            .outerjoin(Workforce, Workforce.user_id == days.user_id)
            .where(mine)
            .group_by(role)
            .subquery("peers")
        )
        own_other = (own.c.total - days.patients) * 1.0 / func.nullif(own.c.days - 1, 0)
        query = (
            select(
                days.user_id,
                days.day,
                days.patients,
                own_other.label("own"),
                peers.c.average,
                AccessEvent.event_id,
                AccessEvent.patient_id,
                AccessEvent.timestamp,
            )
            .select_from(days)
            .join(own, own.c.user_id == days.user_id)
            .outerjoin(Workforce, Workforce.user_id == days.user_id)
            .join(peers, peers.c.role == func.coalesce(Workforce.role, ""))
            .join(AccessEvent, AccessEvent.id == days.first_event)
            .where(
                mine,
                days.patients >= minimum,
                days.patients > factor * peers.c.average,
                and_(func.coalesce(own_other, 0) * factor < days.patients),
            )
            .order_by(days.user_id, days.day)
        )
        for row in scope.connection.execute(query):
            own_text = f"{row.own:.1f}" if row.own is not None else "no other day"
            yield Finding(
                "HIP009",
                f"{row.user_id} opened {row.patients} patients on {from_day(row.day).isoformat()}",
                evidence=(
                    f"unique patients that day: {row.patients}; the user's other days: "
                    f"{own_text} a day; the role's average day: {row.average:.1f}; "
                    f"factor {factor:g}, minimum {minimum}"
                ),
                event_id=row.event_id,
                user_id=row.user_id,
                patient_id=row.patient_id,
                event_time=row.timestamp,
            )
