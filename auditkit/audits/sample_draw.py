"""Draw an audit's sample with the standalone :mod:`sampling` package and record it.

The record keeps what CMS's Program Integrity Manual (ch. 8) expects of a sample file: the
frame definition (period, filters, unit), frame size, dollars and hash, the design, the
random-number source (generator, version) and seed, sizes and spares. Drawing again with
the same seed over the same frame gives the same sample.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from auditkit import trail
from auditkit.audits.risk import risk_scores
from auditkit.audits.scope import FILTER_COLUMNS, frame_query
from auditkit.audits.suite import CheckSuite
from auditkit.db.models import Audit, CheckRun, Sample, SampleUnit
from auditkit.db.session import lock_for_writing
from auditkit.errors import AuditkitError
from sampling.designs import (
    AllUnits,
    Design,
    FrameUnit,
    Probe,
    SimpleRandom,
    Stratified,
    Targeted,
)
from sampling.designs import (
    draw_sample as draw_design,
)
from sampling.errors import SamplingInputError
from sampling.generators import make_generator, new_seed, seed_from_text

METHODS = ("all", "random", "stratified", "probe", "targeted")
STRATIFY_FIELDS = tuple(FILTER_COLUMNS)  # provider, coder, department, payer, place_of_service
ALLOCATIONS = ("equal", "proportional", "neyman")


def _design(
    method: str,
    size: int | None,
    spares: int,
    allocation: str,
    random_share: float,
) -> Design:
    if method == "all":
        return AllUnits()
    if size is None:
        raise AuditkitError(f"--method {method} needs --size")
    if method == "random":
        return SimpleRandom(size, spares)
    if method == "stratified":
        # Two per stratum at least: a stratum needs a variance to be appraised.
        return Stratified(allocation, n=size, spares=spares, min_per_stratum=2)  # type: ignore[arg-type]
    if method == "probe":
        return Probe(size, spares)
    if method == "targeted":
        return Targeted(size, random_share, spares)
    raise AuditkitError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")


def _frame(
    session: Session,
    audit: Audit,
    method: str,
    by: str | None,
    suite: CheckSuite | None,
) -> tuple[list[FrameUnit], dict[str, int]]:
    if by is not None and by not in STRATIFY_FIELDS:
        raise AuditkitError(f"--by {by!r} is not one of {', '.join(STRATIFY_FIELDS)}")
    if method == "stratified" and by is None:
        raise AuditkitError("--method stratified needs --by FIELD")
    rows = session.execute(frame_query(audit)).all()
    ids = {row.encounter_key: row.id for row in rows}
    risks: dict[int, float] = {}
    if method == "targeted":
        if suite is None:
            raise AuditkitError("a targeted sample needs the checks for its risk pre-scan")
        risks = risk_scores(session, list(ids.values()), suite)
    group_field = by or "provider"
    units = [
        FrameUnit(
            key=row.encounter_key,
            amount=float(row.amount),
            stratum=(getattr(row, by) or "(none)") if method == "stratified" and by else None,
            group=(getattr(row, group_field) or "(none)") if method == "probe" else None,
            risk=risks.get(row.id, 0.0),
        )
        for row in rows
    ]
    return units, ids


def _replace_previous(session: Session, audit: Audit) -> None:
    """A sample can be redrawn until the audit has been run on it."""
    if session.scalar(select(func.count()).where(CheckRun.audit_id == audit.id)):
        raise AuditkitError(
            f"audit {audit.name!r} has already been run; its sample can no longer be redrawn"
        )
    previous = select(Sample.id).where(Sample.audit_id == audit.id)
    session.execute(delete(SampleUnit).where(SampleUnit.sample_id.in_(previous)))
    session.execute(delete(Sample).where(Sample.audit_id == audit.id))


def draw_sample(
    session: Session,
    audit: Audit,
    *,
    method: str,
    size: int | None = None,
    spares: int = 0,
    seed: str | float | None = None,
    generator: str = "pcg64",
    by: str | None = None,
    allocation: str = "proportional",
    random_share: float = 0.2,
    suite: CheckSuite | None = None,
) -> Sample:
    """Draw and store the audit's sample (replacing an earlier one not yet run).

    The audit is locked first: a second draw started at the same time waits, then replaces
    this sample (or is refused once the audit has been run), so an audit has one sample.
    """
    lock_for_writing(session, audit)
    try:
        design = _design(method, size, spares, allocation, random_share)
        units, ids = _frame(session, audit, method, by, suite)
        if not units:
            raise AuditkitError(
                f"audit {audit.name!r} has no encounters in its scope "
                f"({audit.period_from} … {audit.period_to}, filters {audit.filters or 'none'})"
            )
        random_source = None
        if method != "all":
            if seed is None:
                seed = new_seed(generator)
            elif isinstance(seed, str):
                seed = seed_from_text(generator, seed)
            random_source = make_generator(generator, seed)
        result = draw_design(units, design, random_source)
    except SamplingInputError as exc:
        raise AuditkitError(str(exc)) from None
    _replace_previous(session, audit)
    sample = Sample(
        audit_id=audit.id,
        method=result.method,
        generator=result.generator,
        generator_version=result.generator_version,
        seed=None if result.seed is None else repr(result.seed),
        frame_definition={
            "unit": "encounter",
            "period": [str(audit.period_from), str(audit.period_to)],
            "filters": dict(audit.filters),
            "amount": "sum of the encounter's line charges",
            "order": "encounter_id ascending; random numbers 1..N map to units in this order",
        },
        frame_size=result.frame_size,
        frame_amount=Decimal(str(round(result.frame_amount, 2))),
        frame_hash=result.frame_hash,
        size=len(result.sample),
        spares=len(result.spares),
        design=_design_record(result.parameters, by, result.generator_warning, result.strata),
        drawn_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
    )
    session.add(sample)
    session.flush()
    trail.record(session, "sample draw", "write", f"audit:{audit.name}", method=result.method)
    session.execute(
        insert(SampleUnit),
        [
            {
                "sample_id": sample.id,
                "encounter_id": ids[unit.key],
                "selection_order": unit.selection_order,
                "is_spare": unit.spare,
                "stratum": unit.stratum,
                "random_number": unit.random_number,
            }
            for unit in result.units
        ],
    )
    return sample


def _design_record(
    parameters: dict[str, Any], by: str | None, warning: str | None, strata: dict[str, Any]
) -> dict[str, Any]:
    record: dict[str, Any] = {"parameters": parameters, "by": by}
    if warning:
        record["generator_warning"] = warning
    record["strata"] = {
        name: {
            "frame_size": size.frame_size,
            "frame_amount": round(size.frame_amount, 2),
            "sample_size": size.sample_size,
            "spares": size.spares,
        }
        for name, size in strata.items()
    }
    return record


def sample_units(session: Session, audit: Audit) -> list[dict[str, Any]]:
    """Every unit of the audit's sample in selection order, with the random number that
    selected it: the list an auditor pulls records from and an appeal re-creates."""
    from auditkit.audits.run import latest_sample
    from auditkit.db.models import Encounter

    sample = latest_sample(session, audit)
    query = (
        select(
            Encounter.encounter_key,
            Encounter.date_of_service,
            SampleUnit.selection_order,
            SampleUnit.random_number,
            SampleUnit.stratum,
            SampleUnit.is_spare,
        )
        .join(Encounter, Encounter.id == SampleUnit.encounter_id)
        .where(SampleUnit.sample_id == sample.id)
        .order_by(SampleUnit.is_spare, SampleUnit.stratum, SampleUnit.selection_order)
    )
    trail.record(session, "sample show", "read", f"audit:{audit.name}")
    return [
        {
            "encounter_id": key,
            "date_of_service": str(day),
            "selection_order": order,
            "random_number": number,
            "stratum": stratum,
            "spare": spare,
        }
        for key, day, order, number, stratum, spare in session.execute(query)
    ]
