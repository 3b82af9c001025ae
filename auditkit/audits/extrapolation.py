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
It is computed when the audit runs and stored with the run's figures
(:mod:`auditkit.audits.figures`); reports and ``audit extrapolate`` read the stored figure.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from auditkit.db.models import Audit, CheckRun, Sample, SampleUnit, ServiceLine, StoredFinding
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


def _impacts(session: Session, run: CheckRun) -> dict[int, Decimal]:
    query = (
        select(StoredFinding.encounter_id, func.sum(StoredFinding.financial_impact))
        .where(
            StoredFinding.run_id == run.id,
            StoredFinding.status != "dismissed",
            StoredFinding.encounter_id.is_not(None),
        )
        .group_by(StoredFinding.encounter_id)
    )
    return {
        encounter_id: Decimal(total or 0)
        for encounter_id, total in session.execute(query)
        if encounter_id is not None
    }


def extrapolate_run(
    session: Session, audit: Audit, sample: Sample, run: CheckRun
) -> AuditExtrapolation | None:
    """The run's projected overpayment, or None when the sample's design is not extrapolated."""
    if sample.method not in EXTRAPOLATED_METHODS:
        return None
    billed = _billed(session, sample.id)
    impacts = _impacts(session, run)
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


def extrapolation_figure(found: AuditExtrapolation) -> dict[str, object]:
    """The stored form of an extrapolation: every number a report or the CLI shows."""
    result = found.result
    return {
        "basis": result.basis,
        "basis_description": result.basis_description,
        "universe_size": found.universe_size,
        "sample_size": found.sample_size,
        "sample_overpayment": result.sample_overpayment,
        "point_estimate": result.point_estimate,
        "standard_error": result.standard_error,
        "levels": {
            level: {"lower": i.lower, "upper": i.upper, "precision": i.precision}
            for level, i in sorted(result.levels.items())
        },
        "demanded_amount": result.demanded_amount,
    }
