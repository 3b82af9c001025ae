"""``auditkit stats sample-size …``: the tables of sample sizes RAT-STATS prints."""

from __future__ import annotations

from collections.abc import Mapping

import click

from auditkit.cli.stats.base import STRATUM, emit_json, sample_size, text_table
from sampling.datafiles import read_csv
from sampling.errors import SamplingInputError
from sampling.sample_size import (
    PRECISIONS,
    SizeTable,
    StratifiedSize,
    StratumEstimate,
    attribute_sample_sizes,
    error_rate_moments,
    small_cells,
    stratified_sample_sizes,
    variable_sample_sizes,
)


def _sizes_table(table: SizeTable) -> str:
    confidences = list(next(iter(table.values())))
    rows = [[f"±{p}%", *(f"{table[p][c]:,}" for c in confidences)] for p in table]
    return text_table(["Precision", *(f"{c}%" for c in confidences)], rows)


def _emit_sizes(title: str, table: SizeTable, as_json: bool, extra: Mapping[str, object]) -> None:
    flagged = small_cells(table)
    if as_json:
        emit_json({**extra, "sizes": table, "below_30": [list(cell) for cell in flagged]})
        return
    click.echo(title)
    for label, value in extra.items():
        click.echo(f"{label.replace('_', ' ').capitalize()}: {value:,.2f}")
    click.echo(_sizes_table(table))
    if flagged:
        click.echo("Sizes below 30 are too small to rely on the normal approximation.")


@sample_size.command(name="variable")
@click.option("--universe", type=int, required=True, help="Units in the universe.")
@click.option("--mean", type=float, required=True, help="Mean from a probe sample.")
@click.option("--sd", type=float, required=True, help="Standard deviation from the probe.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def sample_size_variable(universe: int, mean: float, sd: float, as_json: bool) -> None:
    """Variable sample sizes from a probe sample's mean and standard deviation.

    n = (SD·N)² / ((E/Z)² + N·SD²) with E = precision% × mean × N, rounded (halves up).
    """
    table = variable_sample_sizes(universe, mean, sd)
    _emit_sizes("Variable sample sizes", table, as_json, {})


@sample_size.command(name="error-rate")
@click.option("--universe", type=int, required=True, help="Units in the universe.")
@click.option("--error-rate", type=float, required=True, help="Expected error rate, percent.")
@click.option("--total", type=float, required=True, help="Total audited dollars in the universe.")
@click.option("--sd", type=float, required=True, help="SD of the audited dollars per unit.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def sample_size_error_rate(
    universe: int, error_rate: float, total: float, sd: float, as_json: bool
) -> None:
    """Variable sample sizes from an expected error rate and the audited dollars.

    The overpayment mean and SD are derived from the rate (see docs/sampling.md), then the
    variable formula applies.
    """
    mean, sd_difference = error_rate_moments(universe, error_rate, total, sd)
    table = variable_sample_sizes(universe, mean, sd_difference)
    extra = {"difference_mean": mean, "difference_sd": sd_difference}
    _emit_sizes("Variable sample sizes from an error rate", table, as_json, extra)


def _stratum_estimates(path: str) -> dict[str, StratumEstimate]:
    table = read_csv(path)
    rows = zip(
        table.texts(STRATUM),
        table.wholes("universe"),
        table.numbers("mean"),
        table.numbers("sd"),
        strict=True,
    )
    strata: dict[str, StratumEstimate] = {}
    for (line, _), (name, universe, mean, sd) in zip(table.rows, rows, strict=True):
        if name in strata:
            raise SamplingInputError(table.where(line, STRATUM), name, "stratum listed twice")
        strata[name] = StratumEstimate(universe, mean, sd)
    return strata


def _stratified_json(cell: StratifiedSize) -> dict[str, object]:
    return {"total": cell.total, "strata": cell.strata}


@sample_size.command(name="stratified")
@click.option(
    "--strata-file",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="CSV with stratum,universe,mean,sd rows.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def sample_size_stratified(strata_file: str, as_json: bool) -> None:
    """Stratified variable sample sizes with Neyman allocation.

    Each stratum's size is rounded up and capped at its universe; the total is their sum.
    """
    strata = _stratum_estimates(strata_file)
    table = stratified_sample_sizes(strata)
    if as_json:
        sizes = {
            p: {c: _stratified_json(cell) for c, cell in row.items()} for p, row in table.items()
        }
        emit_json({"sizes": sizes})
        return
    click.echo("Stratified variable sample sizes (Neyman allocation)")
    rows = [
        [f"±{p}%", f"{c}%", f"{cell.total:,}", *(f"{cell.strata[name]:,}" for name in strata)]
        for p, row in table.items()
        for c, cell in row.items()
    ]
    click.echo(text_table(["Precision", "Confidence", "Total", *strata], rows))


@sample_size.command(name="attribute")
@click.option("--universe", type=int, required=True, help="Units in the universe.")
@click.option("--rate", type=float, required=True, help="Anticipated error rate, percent.")
@click.option(
    "--width",
    help="Desired precision: half-width of the interval, percent of the "
    "universe (default: the table 1, 2, 5, 10, 15, 25).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def sample_size_attribute(universe: int, rate: float, width: str | None, as_json: bool) -> None:
    """Attribute sample sizes: the smallest n whose exact interval is narrow enough.

    For each n the expected errors are round(n × rate); n qualifies when half the width of
    its exact hypergeometric interval is at most the precision (percent of the universe).
    """
    precisions = list(PRECISIONS) if width is None else [_precision(width)]
    table = attribute_sample_sizes(universe, rate, precisions)
    if as_json:
        emit_json({"sizes": table})
        return
    click.echo("Attribute sample sizes (exact hypergeometric)")
    click.echo(_sizes_table(table))


def _precision(text: str) -> str:
    """Validate --width and keep it as typed (it becomes a key of the table)."""
    try:
        value = float(text)
    except ValueError:
        raise SamplingInputError("--width", text, "not a number") from None
    if not 0 < value <= 100:
        raise SamplingInputError("--width", text, "must be above 0 and up to 100")
    return text.strip()
