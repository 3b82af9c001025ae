"""``auditkit stats appraise attribute``: exact hypergeometric limits of an error count."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import click

from auditkit.cli.stats.base import STRATUM, appraise, emit_json, money, pairs, text_table
from sampling.appraisal import (
    LEVELS,
    AttributeAppraisal,
    Limits,
    StratifiedAttributeAppraisal,
    appraise_attribute,
    appraise_attribute_stratified,
)
from sampling.datafiles import read_csv
from sampling.errors import SamplingInputError


def _limits_json(levels: Mapping[str, Limits]) -> dict[str, dict[str, float]]:
    return {level: {"lower": levels[level].lower, "upper": levels[level].upper} for level in LEVELS}


def _attribute_json(result: AttributeAppraisal) -> dict[str, object]:
    return {
        "point_estimate": result.point_estimate,
        "one_sided": result.one_sided,
        "levels": _limits_json(result.levels),
    }


def _limits_table(levels: Mapping[str, Limits], count: Callable[[float], str]) -> str:
    rows = [[f"{lvl}%", count(levels[lvl].lower), count(levels[lvl].upper)] for lvl in LEVELS]
    return text_table(["Confidence", "Lower limit", "Upper limit"], rows)


def _print_attribute(title: str, result: AttributeAppraisal) -> None:
    click.echo(title)
    click.echo(
        pairs(
            [
                ("Universe size", f"{result.universe:,}"),
                ("Sample size", f"{result.sample:,}"),
                ("Errors in sample", f"{result.errors:,}"),
                ("Point estimate", money(result.point_estimate)),
                ("Limits", "one-sided" if result.one_sided else "two-sided"),
            ]
        )
    )
    click.echo()
    click.echo(_limits_table(result.levels, lambda value: f"{value:,.0f}"))
    click.echo()


def _required(option: str, value: int | None) -> int:
    if value is None:
        raise SamplingInputError(option, None, "needed without --strata-file")
    return value


def _attribute_strata(path: str) -> dict[str, tuple[int, int, int]]:
    table = read_csv(path)
    names = table.texts(STRATUM)
    columns = zip(
        table.wholes("universe"), table.wholes("sample"), table.wholes("errors"), strict=True
    )
    strata: dict[str, tuple[int, int, int]] = {}
    for (line, _), name, counts in zip(table.rows, names, columns, strict=True):
        if name in strata:
            raise SamplingInputError(table.where(line, STRATUM), name, "stratum listed twice")
        strata[name] = counts
    return strata


def _print_stratified_attribute(result: StratifiedAttributeAppraisal) -> None:
    for name, part in result.strata.items():
        _print_attribute(f"Attribute appraisal: stratum {name}", part)
    click.echo(f"Stratified overall ({result.method})")
    click.echo(
        pairs(
            [
                ("Point estimate", money(result.point_estimate)),
                ("Standard error", money(result.standard_error)),
            ]
        )
    )
    click.echo()
    click.echo(_limits_table(result.levels, money))


@appraise.command(name="attribute")
@click.option("--universe", type=int, help="Units in the universe.")
@click.option("--sample", type=int, help="Units in the sample.")
@click.option("--errors", type=int, help="Sampled units in error (with the attribute).")
@click.option("--one-sided", is_flag=True, help="One-sided limits (only for 0 or all errors).")
@click.option(
    "--strata-file",
    type=click.Path(exists=True, dir_okay=False),
    help="CSV with stratum,universe,sample,errors rows (replaces the counts).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON with unrounded numbers.")
def appraise_attribute_command(
    universe: int | None,
    sample: int | None,
    errors: int | None,
    one_sided: bool,
    strata_file: str | None,
    as_json: bool,
) -> None:
    """Attribute appraisal: how many units of the universe are in error.

    Exact hypergeometric limits (Buonaccorsi) at 80, 90 and 95%, as counts of units. With
    --strata-file each stratum gets exact limits and the overall total a normal
    approximation (see docs/sampling.md).
    """
    if strata_file is not None:
        if (universe, sample, errors) != (None, None, None) or one_sided:
            raise SamplingInputError("--strata-file", strata_file, "give it without counts")
        result = appraise_attribute_stratified(_attribute_strata(strata_file))
        if not as_json:
            _print_stratified_attribute(result)
            return
        emit_json(
            {
                "strata": {name: _attribute_json(part) for name, part in result.strata.items()},
                "overall": {
                    "point_estimate": result.point_estimate,
                    "standard_error": result.standard_error,
                    "method": result.method,
                    "levels": _limits_json(result.levels),
                },
            }
        )
        return
    single = appraise_attribute(
        _required("--universe", universe),
        _required("--sample", sample),
        _required("--errors", errors),
        one_sided,
    )
    if as_json:
        emit_json(_attribute_json(single))
    else:
        _print_attribute("Attribute appraisal", single)
