"""The explanation step and the relationship flags, computed once per run in SQL.

Three working tables, keyed by the run:

* ``access_review_link``: the encounters that can explain an access (patient, day,
  department, rendering NPI), from the period widened by the explanation windows;
* ``access_review_user_day``: per user and day, unique patients and events, and how many
  events fell outside usual hours (the baselines of HIP009 and HIP011);
* ``access_review_case``: per user, patient and day, the accesses that are unexplained or
  raise a relationship flag, with every explanation tried and what matched.

Everything is ``INSERT … SELECT`` through SQLAlchemy Core, so the database does the work
(two scans of the period's events); the checks then read the cases.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Connection,
    and_,
    case,
    delete,
    exists,
    extract,
    false,
    func,
    insert,
    literal,
    not_,
    or_,
    select,
)

from auditkit.db.models import (
    AccessEvent,
    AccessReviewCase,
    AccessReviewLink,
    AccessReviewUserDay,
    CareTeam,
    CheckRun,
    Encounter,
    Patient,
    Provider,
    Workforce,
)
from auditkit.plugins.hipaa_access.settings import ReviewSettings
from auditkit.plugins.hipaa_access.sql import day_number
from auditkit.rules import SetScope

EXPLANATIONS = ("by_department", "by_provider", "by_care_team", "by_role")
FLAGS = ("same_name", "coworker", "self_access", "vip", "terminated", "same_address", "deceased")

_built: dict[tuple[int, int], tuple[Any, ...]] = {}


def period_bounds(scope: SetScope) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(scope.period_from, dt.time.min)
    end = dt.datetime.combine(scope.period_to + dt.timedelta(days=1), dt.time.min)
    return start, end


def ensure_review(scope: SetScope, settings: ReviewSettings) -> None:
    """Build the run's working tables unless this run already built them."""
    connection = scope.connection
    key = (id(connection), scope.run_id)
    marker = connection.scalar(
        select(func.count())
        .select_from(AccessReviewUserDay)
        .where(AccessReviewUserDay.run_id == scope.run_id)
    )
    if _built.get(key) == settings.key() and marker:
        return
    _clear(connection, scope.run_id)
    _links(connection, scope, settings)
    _user_days(connection, scope, settings)
    _cases(connection, scope, settings)
    # The links served the explanation step; the cases keep what it found.
    connection.execute(delete(AccessReviewLink).where(AccessReviewLink.run_id == scope.run_id))
    _built[key] = settings.key()


def _clear(connection: Connection, run_id: int) -> None:
    """This run's rows, and those of runs that no longer exist (re-runs replace runs)."""
    for model in (AccessReviewLink, AccessReviewUserDay, AccessReviewCase):
        connection.execute(
            delete(model).where(
                or_(model.run_id == run_id, model.run_id.not_in(select(CheckRun.id)))
            )
        )


def _in_period(scope: SetScope) -> Any:
    start, end = period_bounds(scope)
    return and_(AccessEvent.timestamp >= start, AccessEvent.timestamp < end)


def _off_hours(settings: ReviewSettings) -> Any:
    hour = extract("hour", AccessEvent.timestamp)
    return or_(hour < settings.day_starts, hour >= settings.day_ends)


def _links(connection: Connection, scope: SetScope, settings: ReviewSettings) -> None:
    widest = max(settings.window_before, settings.billing_window)
    low = scope.period_from - dt.timedelta(days=widest)
    high = scope.period_to + dt.timedelta(days=settings.window_after)
    query = (
        select(
            literal(scope.run_id),
            Patient.mrn,
            day_number(Encounter.date_of_service),
            Encounter.department,
            Provider.npi,
        )
        .select_from(Encounter)
        .join(Patient, Patient.id == Encounter.patient_id)
        .join(Provider, Provider.id == Encounter.provider_id)
        .where(Encounter.date_of_service >= low, Encounter.date_of_service <= high)
    )
    columns = ["run_id", "patient_id", "day", "department", "npi"]
    connection.execute(insert(AccessReviewLink).from_select(columns, query))


def _user_days(connection: Connection, scope: SetScope, settings: ReviewSettings) -> None:
    """Unique patients per user and day, with the day's events outside usual hours."""
    day = day_number(AccessEvent.timestamp).label("day")
    query = (
        select(
            literal(scope.run_id),
            AccessEvent.user_id,
            day,
            func.count(AccessEvent.patient_id.distinct()),
            func.count(),
            func.min(AccessEvent.id),
            func.sum(case((_off_hours(settings), 1), else_=0)),
        )
        .where(_in_period(scope))
        .group_by(AccessEvent.user_id, day)
    )
    columns = ["run_id", "user_id", "day", "patients", "events", "first_event", "off_hours"]
    connection.execute(insert(AccessReviewUserDay).from_select(columns, query))


def _cases(connection: Connection, scope: SetScope, settings: ReviewSettings) -> None:
    day = day_number(AccessEvent.timestamp)
    grouped = (
        select(
            AccessEvent.user_id.label("user_id"),
            AccessEvent.patient_id.label("patient_id"),
            day.label("day"),
            func.min(AccessEvent.id).label("first_event"),
            func.count().label("events"),
            func.max(case((_off_hours(settings), 1), else_=0)).label("off"),
        )
        .where(_in_period(scope))
        .group_by(AccessEvent.user_id, AccessEvent.patient_id, day)
        .subquery("g")
    )
    share = (
        select(
            AccessReviewUserDay.user_id.label("user_id"),
            (
                func.sum(AccessReviewUserDay.off_hours) * 1.0 / func.sum(AccessReviewUserDay.events)
            ).label("share"),
        )
        .where(AccessReviewUserDay.run_id == scope.run_id)
        .group_by(AccessReviewUserDay.user_id)
        .subquery("s")
    )
    link = AccessReviewLink
    linked = and_(link.run_id == scope.run_id, link.patient_id == grouped.c.patient_id)
    near = link.day.between(
        grouped.c.day - settings.window_before, grouped.c.day + settings.window_after
    )
    by_department = exists().where(linked, near, link.department == Workforce.department)
    by_provider = exists().where(linked, near, link.npi == Workforce.npi)
    by_care_team = exists().where(
        CareTeam.user_id == grouped.c.user_id,
        CareTeam.patient_id == grouped.c.patient_id,
        or_(CareTeam.start_date.is_(None), day_number(CareTeam.start_date) <= grouped.c.day),
        or_(CareTeam.end_date.is_(None), day_number(CareTeam.end_date) >= grouped.c.day),
    )
    billed = exists().where(
        linked, link.day.between(grouped.c.day - settings.billing_window, grouped.c.day)
    )
    by_role = and_(func.lower(Workforce.role).in_(settings.billing_roles), billed)
    other_staff = Workforce.__table__.alias("colleague")
    coworker = exists().where(
        other_staff.c.patient_id == grouped.c.patient_id,
        other_staff.c.user_id != grouped.c.user_id,
    )
    self_access = Workforce.patient_id == grouped.c.patient_id
    same_name = and_(
        func.lower(func.trim(Workforce.last_name)) == func.lower(func.trim(Patient.last_name)),
        not_(func.coalesce(self_access, false())),
    )
    same_address = and_(
        func.lower(func.trim(Workforce.address)) == func.lower(func.trim(Patient.address)),
        or_(
            Workforce.postal_code.is_(None),
            Patient.postal_code.is_(None),
            Workforce.postal_code == Patient.postal_code,
        ),
        not_(func.coalesce(self_access, false())),
    )
    terminated = day_number(Workforce.termination_date) < grouped.c.day
    deceased = day_number(Patient.deceased_date) < grouped.c.day

    def flag(expression: Any) -> Any:
        return func.coalesce(expression, false())

    computed = (
        select(
            grouped.c.user_id,
            grouped.c.patient_id,
            grouped.c.day,
            grouped.c.first_event,
            grouped.c.events,
            flag(and_(grouped.c.off == 1, share.c.share <= settings.user_share)).label(
                "after_hours"
            ),
            flag(by_department).label("by_department"),
            flag(by_provider).label("by_provider"),
            flag(by_care_team).label("by_care_team"),
            flag(by_role).label("by_role"),
            Workforce.user_id.is_not(None).label("known_user"),
            flag(same_name).label("same_name"),
            flag(coworker).label("coworker"),
            flag(self_access).label("self_access"),
            flag(Patient.vip).label("vip"),
            flag(terminated).label("terminated"),
            flag(same_address).label("same_address"),
            flag(deceased).label("deceased"),
        )
        .select_from(grouped)
        .outerjoin(Workforce, Workforce.user_id == grouped.c.user_id)
        .outerjoin(Patient, Patient.mrn == grouped.c.patient_id)
        .outerjoin(share, share.c.user_id == grouped.c.user_id)
        .subquery("c")
    )
    c = computed.c
    explained = or_(*(c[name] for name in EXPLANATIONS))
    keep = or_(not_(explained), not_(c.known_user), *(c[name] for name in FLAGS))
    names = [
        "user_id",
        "patient_id",
        "day",
        "first_event",
        "events",
        "after_hours",
        *EXPLANATIONS,
        "known_user",
        *FLAGS,
    ]
    query = select(literal(scope.run_id), *(c[name] for name in names)).where(keep)
    connection.execute(insert(AccessReviewCase).from_select(["run_id", *names], query))


def explained(case_row: Any) -> bool:
    return any(getattr(case_row, name) for name in EXPLANATIONS)
