"""Extrapolate an audit's sampled overpayments to its frame, with the audit's design.

Per sampled encounter, billed = the sum of its line charges and supported = billed minus the
financial impact of its findings that were not dismissed (never below zero). The difference
is appraised like RAT-STATS does for the design that drew the sample:

* random: unrestricted mean-per-unit over the frame (t intervals);
* stratified and targeted: stratified, N per stratum from the sampling record (z intervals);
  the targeted design's risk cell is a certainty stratum (every unit in it was reviewed);
* all and probe: not extrapolated (a census needs no estimate; a probe is not a
  statistically valid sample for extrapolation).

Which lower limit is demanded (``cms`` or ``oig``) was locked in the audit when it was created.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from auditkit.audits.run import find_latest_run, latest_sample
from auditkit.db.models import Audit, Finding, SampleUnit, ServiceLine
from auditkit.errors import AuditkitError
from sampling.errors import SamplingInputError
from sampling.extrapolation import Extrapolation, SampledClaim, extrapolate

EXTRAPOLATED_METHODS = ("random", "stratified", "targeted")


@dataclass(frozen=True)
class AuditExtrapolation:
    result: Extrapolation
    universe_size: int
    sample_size: int


def _billed(session: Session, sample_id: int) -> dict[int, Decimal]:
    units = select(SampleUnit.encounter_id).where(
        SampleUnit.sample_id == sample_id, SampleUnit.is_spare.is_(False)
    )
    query = (
        select(ServiceLine.encounter_id, func.sum(ServiceLine.charge))
        .where(ServiceLine.encounter_id.in_(units))
        .group_by(ServiceLine.encounter_id)
    )
    return {encounter_id: Decimal(total or 0) for encounter_id, total in session.execute(query)}


def _impacts(session: Session, audit: Audit) -> dict[int, Decimal]:
    run = find_latest_run(session, audit)
    if run is None:
        raise AuditkitError(f"audit {audit.name!r} has not been run yet; run it first")
    query = (
        select(Finding.encounter_id, func.sum(Finding.financial_impact))
        .where(
            Finding.run_id == run.id,
            Finding.status != "dismissed",
            Finding.encounter_id.is_not(None),
        )
        .group_by(Finding.encounter_id)
    )
    return {
        encounter_id: Decimal(total or 0)
        for encounter_id, total in session.execute(query)
        if encounter_id is not None
    }


def extrapolate_audit(session: Session, audit: Audit) -> AuditExtrapolation | None:
    """The audit's projected overpayment, or None when its design is not extrapolated."""
    sample = latest_sample(session, audit)
    if sample.method not in EXTRAPOLATED_METHODS:
        return None
    billed = _billed(session, sample.id)
    impacts = _impacts(session, audit)
    strata = session.execute(
        select(SampleUnit.encounter_id, SampleUnit.stratum).where(
            SampleUnit.sample_id == sample.id, SampleUnit.is_spare.is_(False)
        )
    ).all()
    claims = []
    for encounter_id, stratum in strata:
        amount = billed.get(encounter_id, Decimal(0))
        supported = max(Decimal(0), amount - impacts.get(encounter_id, Decimal(0)))
        claims.append(SampledClaim(float(amount), float(supported), stratum))
    universe: int | dict[str, int]
    if sample.method == "random":
        universe = sample.frame_size
    else:
        sizes: dict[str, int] = defaultdict(int)
        for name, cell in sample.design["strata"].items():
            if cell["sample_size"]:
                sizes[name] = cell["frame_size"]
        universe = dict(sizes)
    basis = audit.scoring.get("extrapolation_basis", "cms")
    try:
        result = extrapolate(claims, universe, basis)
    except SamplingInputError as exc:
        raise AuditkitError(f"cannot extrapolate audit {audit.name!r}: {exc}") from None
    return AuditExtrapolation(result, sample.frame_size, len(claims))
