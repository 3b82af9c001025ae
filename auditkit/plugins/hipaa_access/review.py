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
from typing import Any, cast

from sqlalchemy import (
    Connection,
    Table,
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
    update,
)

from auditkit.db.models import (
    AccessEvent,
    AccessReviewCase,
    AccessReviewLink,
    AccessReviewUserDay,
    AccessReviewUserHour,
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
    _user_hours(connection, scope)
    _cases(connection, scope, settings)
    # The links served the explanation step; the cases keep what it found.
    connection.execute(delete(AccessReviewLink).where(AccessReviewLink.run_id == scope.run_id))
    _built[key] = settings.key()


def _clear(connection: Connection, run_id: int) -> None:
    """This run's rows, and those of runs that no longer exist (re-runs replace runs)."""
    for model in (AccessReviewLink, AccessReviewUserDay, AccessReviewUserHour, AccessReviewCase):
        connection.execute(
            delete(model).where(
                or_(model.run_id == run_id, model.run_id.not_in(select(CheckRun.id)))
            )
        )


def _in_period(scope: SetScope) -> Any:
    start, end = period_bounds(scope)
    return and_(AccessEvent.timestamp >= start, AccessEvent.timestamp < end)


def _event_day() -> Any:
    """The event's day number: stored at import, computed for rows written otherwise."""
    return func.coalesce(AccessEvent.day, day_number(AccessEvent.timestamp))


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
    day = _event_day().label("day")
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


def _explanations(
    run_id: int, settings: ReviewSettings, user: Any, patient: Any, day: Any, staff: Any
) -> dict[str, Any]:
    """The four explanations of one user's accesses to one patient on one day, as SQL
    (``staff`` is the user's workforce row)."""
    link = AccessReviewLink
    linked = and_(link.run_id == run_id, link.patient_id == patient)
    near = link.day.between(day - settings.window_before, day + settings.window_after)
    billed = exists().where(linked, link.day.between(day - settings.billing_window, day))
    return {
        "by_department": exists().where(linked, near, link.department == staff.c.department),
        "by_provider": exists().where(linked, near, link.npi == staff.c.npi),
        "by_care_team": exists().where(
            CareTeam.user_id == user,
            CareTeam.patient_id == patient,
            or_(CareTeam.start_date.is_(None), day_number(CareTeam.start_date) <= day),
            or_(CareTeam.end_date.is_(None), day_number(CareTeam.end_date) >= day),
        ),
        "by_role": and_(func.lower(staff.c.role).in_(settings.billing_roles), billed),
    }


def _cases(connection: Connection, scope: SetScope, settings: ReviewSettings) -> None:
    """Phase 1 keeps the user-patient-days that nothing explains (the explanations are
    tried in order and the first match ends the search) or that raise a flag; phase 2
    records, for those few, every explanation tried and what it found."""
    day = _event_day()
    grouped = (
        select(
            AccessEvent.user_id.label("user_id"),
            AccessEvent.patient_id.label("patient_id"),
            day.label("day"),
            func.min(AccessEvent.id).label("first_event"),
            func.count().label("events"),
        )
        .where(_in_period(scope))
        .group_by(AccessEvent.user_id, AccessEvent.patient_id, day)
        .subquery("g")
    )
    staff = Workforce.__table__
    tries = _explanations(
        scope.run_id, settings, grouped.c.user_id, grouped.c.patient_id, grouped.c.day, staff
    )
    explained_any = or_(*tries.values())
    other_staff = Workforce.__table__.alias("colleague")
    coworker = exists().where(
        other_staff.c.patient_id == grouped.c.patient_id,
        other_staff.c.user_id != grouped.c.user_id,
    )
    self_access = staff.c.patient_id == grouped.c.patient_id
    not_self = not_(func.coalesce(self_access, false()))
    same_name = and_(
        func.lower(func.trim(staff.c.last_name)) == func.lower(func.trim(Patient.last_name)),
        not_self,
    )
    same_address = and_(
        func.lower(func.trim(staff.c.address)) == func.lower(func.trim(Patient.address)),
        or_(
            staff.c.postal_code.is_(None),
            Patient.postal_code.is_(None),
            staff.c.postal_code == Patient.postal_code,
        ),
        not_self,
    )
    terminated = day_number(staff.c.termination_date) < grouped.c.day
    deceased = day_number(Patient.deceased_date) < grouped.c.day

    def flag(expression: Any) -> Any:
        return func.coalesce(expression, false())

    flags = {
        "known_user": staff.c.user_id.is_not(None),
        "same_name": flag(same_name),
        "coworker": flag(coworker),
        "self_access": flag(self_access),
        "vip": flag(Patient.vip),
        "terminated": flag(terminated),
        "same_address": flag(same_address),
        "deceased": flag(deceased),
    }
    keep = or_(
        not_(flags["known_user"]),
        *(flags[name] for name in FLAGS),
        not_(func.coalesce(explained_any, false())),
    )
    names = ["user_id", "patient_id", "day", "first_event", "events"]
    query = (
        select(
            literal(scope.run_id),
            *(grouped.c[name] for name in names),
            false(),  # after_hours: phase 2
            *(false() for _ in EXPLANATIONS),
            *flags.values(),
        )
        .select_from(grouped)
        .outerjoin(staff, staff.c.user_id == grouped.c.user_id)
        .outerjoin(Patient, Patient.mrn == grouped.c.patient_id)
        .where(keep)
    )
    columns = ["run_id", *names, "after_hours", *EXPLANATIONS, *flags]
    connection.execute(insert(AccessReviewCase).from_select(columns, query))

    # phase 2: every explanation of the kept cases, for the evidence
    cases = cast(Table, AccessReviewCase.__table__)
    mine = staff.alias("mine")
    link = AccessReviewLink.__table__
    linked = and_(
        link.c.run_id == scope.run_id,
        link.c.patient_id == cases.c.patient_id,
        mine.c.user_id == cases.c.user_id,
    )
    near = link.c.day.between(
        cases.c.day - settings.window_before, cases.c.day + settings.window_after
    )
    detail = {
        "by_department": exists().where(linked, near, link.c.department == mine.c.department),
        "by_provider": exists().where(linked, near, link.c.npi == mine.c.npi),
        "by_care_team": exists().where(
            CareTeam.user_id == cases.c.user_id,
            CareTeam.patient_id == cases.c.patient_id,
            or_(CareTeam.start_date.is_(None), day_number(CareTeam.start_date) <= cases.c.day),
            or_(CareTeam.end_date.is_(None), day_number(CareTeam.end_date) >= cases.c.day),
        ),
        "by_role": exists().where(
            linked,
            func.lower(mine.c.role).in_(settings.billing_roles),
            link.c.day.between(cases.c.day - settings.billing_window, cases.c.day),
        ),
    }
    for name, expression in detail.items():
        connection.execute(
            update(cases)
            .where(cases.c.run_id == scope.run_id)
            .values({name: expression.correlate(cases)})
        )
    _after_hours(connection, scope, settings)


def _user_hours(connection: Connection, scope: SetScope) -> None:
    hour = extract("hour", AccessEvent.timestamp)
    query = (
        select(literal(scope.run_id), AccessEvent.user_id, hour, func.count())
        .where(_in_period(scope))
        .group_by(AccessEvent.user_id, hour)
    )
    columns = ["run_id", "user_id", "hour", "events"]
    connection.execute(insert(AccessReviewUserHour).from_select(columns, query))


def _after_hours(connection: Connection, scope: SetScope, settings: ReviewSettings) -> None:
    """A case is after hours when its first access falls in an hour the user rarely works:
    less than ``min_share`` of their accesses within an hour of it; users with little
    history are judged by the organisation's hours."""
    cases = cast(Table, AccessReviewCase.__table__)
    hours = AccessReviewUserHour.__table__
    first_hour = (
        select(extract("hour", AccessEvent.timestamp))
        .where(AccessEvent.id == cases.c.first_event)
        .correlate(cases)
        .scalar_subquery()
    )
    mine = and_(hours.c.run_id == scope.run_id, hours.c.user_id == cases.c.user_id)
    total = select(func.sum(hours.c.events)).where(mine).scalar_subquery()
    near = [(first_hour + shift + 24) % 24 for shift in (-1, 0, 1)]
    around = (
        select(func.coalesce(func.sum(hours.c.events), 0))
        .where(mine, hours.c.hour.in_(near))
        .correlate(cases)
        .scalar_subquery()
    )
    organisation = or_(first_hour < settings.day_starts, first_hour >= settings.day_ends)
    unusual = case(
        (total >= settings.min_events, around < total * settings.min_share),
        else_=organisation,
    )
    connection.execute(
        update(cases).where(cases.c.run_id == scope.run_id).values(after_hours=unusual)
    )


def explained(case_row: Any) -> bool:
    return any(getattr(case_row, name) for name in EXPLANATIONS)
