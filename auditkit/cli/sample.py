"""``auditkit sample draw``: draw an audit's sample and record how."""

from __future__ import annotations

from pathlib import Path

import click

from auditkit.audits.sample_draw import (
    ALLOCATIONS,
    METHODS,
    STRATIFY_FIELDS,
    draw_sample,
    sample_units,
)
from auditkit.audits.scope import get_audit
from auditkit.audits.suite import CheckSuite
from auditkit.cli.common import (
    config_option,
    database_option,
    database_session,
    emit_json,
    json_option,
)
from auditkit.config import load_settings
from auditkit.plugin_manager import registry


@click.group()
def sample() -> None:
    """Draw and inspect audit samples."""


@sample.command(name="draw")
@click.argument("name")
@click.option("--method", type=click.Choice(METHODS), required=True, help="Sample design.")
@click.option("--size", type=click.IntRange(min=1), help="Units to draw (per group for probe).")
@click.option(
    "--spares",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Spare units drawn after the sample (per stratum or group).",
)
@click.option("--seed", help="Seed to record (default: a fresh random one, printed).")
@click.option(
    "--generator",
    type=click.Choice(["pcg64", "ratstats"]),
    help="Random-number generator (default from settings: pcg64).",
)
@click.option(
    "--by",
    type=click.Choice(STRATIFY_FIELDS),
    help="Stratify (stratified) or group (probe; default provider) by this field.",
)
@click.option(
    "--allocation",
    type=click.Choice(ALLOCATIONS),
    default="proportional",
    show_default=True,
    help="How a stratified sample splits --size over strata.",
)
@click.option(
    "--random-share",
    type=click.FloatRange(0, 1),
    default=0.2,
    show_default=True,
    help="Targeted: share of --size drawn at random from the units not taken by risk.",
)
@database_option
@config_option
@json_option
def draw(
    name: str,
    method: str,
    size: int | None,
    spares: int,
    seed: str | None,
    generator: str | None,
    by: str | None,
    allocation: str,
    random_share: float,
    database: str,
    config: Path | None,
    as_json: bool,
) -> None:
    """Draw the sample of audit NAME from the encounters in its scope.

    The same seed over the same frame gives the same sample; the record keeps the frame
    definition, size, dollars and hash, the design, generator, version and seed.
    """
    settings = load_settings(config)
    with database_session(database) as session:
        audit = get_audit(session, name)
        drawn = draw_sample(
            session,
            audit,
            method=method,
            size=size,
            spares=spares,
            seed=seed,
            generator=generator or settings.sampling.generator,
            by=by,
            allocation=allocation,
            random_share=random_share,
            suite=CheckSuite(registry(), settings) if method == "targeted" else None,
        )
        record = {
            "audit": name,
            "method": drawn.method,
            "generator": drawn.generator,
            "generator_version": drawn.generator_version,
            "seed": drawn.seed,
            "frame_size": drawn.frame_size,
            "frame_amount": float(drawn.frame_amount),
            "frame_hash": drawn.frame_hash,
            "size": drawn.size,
            "spares": drawn.spares,
            "design": drawn.design,
        }
    if as_json:
        emit_json(record)
        return
    click.echo(
        f"Drew {record['size']:,} of {record['frame_size']:,} encounters "
        f"(${record['frame_amount']:,.2f}) by {method}"
        + (f" with {record['generator']} seed {record['seed']}" if record["seed"] else "")
        + (f", plus {record['spares']:,} spares" if record["spares"] else "")
        + "."
    )
    warning = drawn.design.get("generator_warning")
    if warning:
        click.echo(f"Note: {warning}", err=True)


@sample.command(name="show")
@click.argument("name")
@database_option
@json_option
def show(name: str, database: str, as_json: bool) -> None:
    """List every sampled unit of audit NAME with its selection order and random number."""
    with database_session(database) as session:
        rows = sample_units(session, get_audit(session, name))
    if as_json:
        emit_json(rows)
        return
    click.echo(f"{'order':>5}  {'random':>8}  {'stratum':<16} encounter_id (date)")
    for row in rows:
        spare = " spare" if row["spare"] else ""
        number = "" if row["random_number"] is None else row["random_number"]
        click.echo(
            f"{row['selection_order']:>5}  {number!s:>8}  {row['stratum'] or '':<16} "
            f"{row['encounter_id']} ({row['date_of_service']}){spare}"
        )
