"""Audits and their scope: the period and filters that define the sampling frame."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from auditkit import trail
from auditkit.config import ScoringSettings
from auditkit.db.models import Audit, Coder, Encounter, Provider, ServiceLine
from auditkit.errors import AuditkitError

# Filter name → the column it constrains; each accepts several values (OR within a filter).
FILTER_COLUMNS = {
    "provider": Provider.npi,
    "coder": Coder.coder_key,
    "department": Encounter.department,
    "payer": Encounter.payer,
    "place_of_service": Encounter.place_of_service,
}


def describe_scoring(scoring: dict[str, Any]) -> str:
    measure = {
        "code": "code-over-code (correct codes ÷ codes reviewed)",
        "encounter": "record-over-record (encounters without error ÷ encounters reviewed)",
    }[scoring["measure"]]
    return (
        f"Pass at ≥ {scoring['pass_threshold']:.0%} {measure}; findings count against the "
        "person responsible (coder or provider); dismissed findings do not count."
    )


def get_audit(session: Session, name: str) -> Audit:
    audit = session.scalar(select(Audit).where(Audit.name == name))
    if audit is None:
        known = session.scalars(select(Audit.name).order_by(Audit.name)).all()
        hint = f" Known audits: {', '.join(known)}." if known else " No audits exist yet."
        raise AuditkitError(f"no audit named {name!r}.{hint}")
    return audit


def create_audit(
    session: Session,
    name: str,
    period_from: dt.date,
    period_to: dt.date,
    filters: dict[str, list[str]],
    scoring: ScoringSettings,
    extrapolation_basis: str = "cms",
) -> Audit:
    """Create an audit; its scoring and extrapolation methods are locked now."""
    if period_to < period_from:
        raise AuditkitError(f"--to {period_to} is before --from {period_from}")
    if session.scalar(select(Audit.id).where(Audit.name == name)) is not None:
        raise AuditkitError(f"an audit named {name!r} already exists")
    unknown = set(filters) - set(FILTER_COLUMNS)
    if unknown:
        raise AuditkitError(f"unknown filter(s): {', '.join(sorted(unknown))}")
    audit = Audit(
        name=name,
        period_from=period_from,
        period_to=period_to,
        filters={key: values for key, values in filters.items() if values},
        scoring={
            "pass_threshold": scoring.pass_threshold,
            "measure": scoring.measure,
            "extrapolation_basis": extrapolation_basis,
        },
        status="created",
        created_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
    )
    session.add(audit)
    session.flush()
    trail.record(session, "audit create", "write", f"audit:{name}")
    return audit


def frame_query(audit: Audit) -> Select[*tuple[Any, ...]]:
    """Encounters in the audit's scope with their billed amount: the sampling frame."""
    charges = (
        select(ServiceLine.encounter_id, func.sum(ServiceLine.charge).label("amount"))
        .group_by(ServiceLine.encounter_id)
        .subquery()
    )
    query: Select[*tuple[Any, ...]] = (
        select(
            Encounter.id,
            Encounter.encounter_key,
            Provider.npi.label("provider"),
            Coder.coder_key.label("coder"),
            Encounter.department,
            Encounter.payer,
            Encounter.place_of_service,
            func.coalesce(charges.c.amount, 0).label("amount"),
        )
        .join(Provider, Provider.id == Encounter.provider_id)
        .join(Coder, Coder.id == Encounter.coder_id)
        .outerjoin(charges, charges.c.encounter_id == Encounter.id)
        .where(Encounter.date_of_service.between(audit.period_from, audit.period_to))
        .order_by(Encounter.encounter_key)
    )
    for name, values in audit.filters.items():
        query = query.where(FILTER_COLUMNS[name].in_(values))
    return query
