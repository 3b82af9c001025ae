"""``auditkit stats appraise variable``: mean-per-unit projection, unrestricted or stratified."""

from __future__ import annotations

from collections.abc import Mapping

import click

from auditkit.cli.stats.base import (
    ID_NAMES,
    ID_SUFFIXES,
    STRATUM,
    appraise,
    emit_json,
    money,
    pairs,
    text_table,
)
from sampling.appraisal import (
    LEVELS,
    Interval,
    StratifiedVariableAppraisal,
    VariableAppraisal,
    appraise_variable,
    appraise_variable_stratified,
)
from sampling.datafiles import CsvTable, looks_numeric, read_csv
from sampling.errors import SamplingInputError


def _interval_json(interval: Interval, factor_name: str) -> dict[str, float]:
    return {
        factor_name: interval.factor,
        "lower": interval.lower,
        "upper": interval.upper,
        "precision": interval.precision,
        "precision_percent": interval.precision_percent,
    }


def _variable_json(result: VariableAppraisal) -> dict[str, object]:
    return {
        "n": result.n,
        "mean": result.mean,
        "sd": result.sd,
        "skewness": result.skewness,
        "kurtosis": result.kurtosis,
        "se_mean": result.se_mean,
        "se_total": result.se_total,
        "point_estimate": result.point_estimate,
        "levels": {level: _interval_json(result.levels[level], "t") for level in LEVELS},
    }


def _levels_table(levels: Mapping[str, Interval], factor_name: str) -> str:
    rows = [
        [
            f"{level}%",
            f"{levels[level].factor:.6f}",
            money(levels[level].lower),
            money(levels[level].upper),
            money(levels[level].precision),
            f"{levels[level].precision_percent:.2f}%",
        ]
        for level in LEVELS
    ]
    headers = ["Confidence", factor_name, "Lower limit", "Upper limit", "Precision", "Precision %"]
    return text_table(headers, rows)


def _print_variable(title: str, result: VariableAppraisal) -> None:
    click.echo(title)
    click.echo(
        pairs(
            [
                ("Universe size", f"{result.universe:,}"),
                ("Sample size", f"{result.n:,}"),
                ("Mean", money(result.mean)),
                ("Standard deviation", money(result.sd)),
                ("Skewness", money(result.skewness)),
                ("Kurtosis", money(result.kurtosis)),
                ("Standard error (mean)", money(result.se_mean)),
                ("Standard error (total)", money(result.se_total)),
                ("Point estimate", money(result.point_estimate)),
            ]
        )
    )
    click.echo()
    click.echo(_levels_table(result.levels, "t-value"))
    click.echo()


def _is_id_like(name: str) -> bool:
    lowered = name.lower()
    return lowered in ID_NAMES or lowered.endswith(ID_SUFFIXES)


def _value_columns(table: CsvTable, requested: str | None) -> list[str]:
    """The columns to appraise: those named, or by default every column whose first value is
    a number, except ``stratum`` and id-like ones (all their later cells must be numbers)."""
    if requested is not None:
        names = [name.strip() for name in requested.split(",") if name.strip()]
        for name in names:
            table.index(name)
        return names
    if not table.rows:
        raise SamplingInputError(table.path, 0, "no sampled rows after the header")
    names = [
        column
        for column, cell in zip(table.header, table.rows[0][1], strict=True)
        if column.lower() != STRATUM and not _is_id_like(column) and looks_numeric(cell)
    ]
    if not names:
        raise SamplingInputError(table.path, table.header, "no numeric column to appraise")
    return names


def _column_values(table: CsvTable, names: list[str], difference: bool) -> dict[str, list[float]]:
    values = {name: table.numbers(name) for name in names}
    if difference:
        if len(names) != 2:
            raise SamplingInputError("--difference", names, "needs exactly two columns")
        if "difference" in (name.lower() for name in names):
            raise SamplingInputError("--difference", names, "a column is already named difference")
        first, second = (values[name] for name in names)
        values["difference"] = [a - b for a, b in zip(first, second, strict=True)]
    return values


def _strata_universes(path: str) -> dict[str, int]:
    table = read_csv(path)
    names = table.texts(STRATUM)
    sizes = table.wholes("universe")
    universes: dict[str, int] = {}
    for (line, _), name, size in zip(table.rows, names, sizes, strict=True):
        if name in universes:
            raise SamplingInputError(table.where(line, STRATUM), name, "stratum listed twice")
        universes[name] = size
    return universes


def _split_by_stratum(
    table: CsvTable, values: Mapping[str, list[float]], universes: Mapping[str, int]
) -> dict[str, dict[str, list[float]]]:
    """Each column's values per stratum, strata in the strata file's order."""
    strata: dict[str, dict[str, list[float]]] = {
        name: {column: [] for column in values} for name in universes
    }
    for row, ((line, _), name) in enumerate(zip(table.rows, table.texts(STRATUM), strict=True)):
        if name not in strata:
            raise SamplingInputError(table.where(line, STRATUM), name, "not in the strata file")
        for column, column_values in values.items():
            strata[name][column].append(column_values[row])
    return strata


def _overall_json(result: StratifiedVariableAppraisal) -> dict[str, object]:
    return {
        "point_estimate": result.point_estimate,
        "standard_error": result.standard_error,
        "levels": {level: _interval_json(result.levels[level], "z") for level in LEVELS},
    }


def _stratified_variable(
    table: CsvTable, values: Mapping[str, list[float]], universes: Mapping[str, int], as_json: bool
) -> None:
    by_stratum = _split_by_stratum(table, values, universes)
    results = {
        column: appraise_variable_stratified(
            {name: (universes[name], by_stratum[name][column]) for name in universes}
        )
        for column in values
    }
    if as_json:
        total = sum(universes.values())
        emit_json(
            {
                # The pooled sample as if unrestricted, for reference; the stratified
                # estimate is "overall".
                "columns": {
                    column: _variable_json(appraise_variable(data, total, f"column {column!r}"))
                    for column, data in values.items()
                },
                "strata": {
                    name: {
                        column: _variable_json(results[column].strata[name]) for column in values
                    }
                    for name in universes
                },
                "overall": {column: _overall_json(results[column]) for column in values},
            }
        )
        return
    for column, result in results.items():
        for name, part in result.strata.items():
            _print_variable(f"Variable appraisal: column {column}, stratum {name}", part)
        click.echo(f"Stratified overall: column {column}")
        click.echo(
            pairs(
                [
                    ("Universe size", f"{sum(universes.values()):,}"),
                    ("Point estimate", money(result.point_estimate)),
                    ("Standard error (total)", money(result.standard_error)),
                ]
            )
        )
        click.echo()
        click.echo(_levels_table(result.levels, "z-value"))
        click.echo()


@appraise.command(name="variable")
@click.option("--universe", type=int, help="Units in the universe (unrestricted sample).")
@click.option(
    "--file",
    "data_file",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="CSV with a header, one row per sampled unit.",
)
@click.option("--columns", help="Columns to appraise, comma-separated (default: all numeric).")
@click.option("--difference", is_flag=True, help="Add a difference column: first − second.")
@click.option(
    "--strata-file",
    type=click.Path(exists=True, dir_okay=False),
    help="CSV with stratum,universe rows; the data file then needs a stratum column.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON with unrounded numbers.")
def appraise_variable_command(
    universe: int | None,
    data_file: str,
    columns: str | None,
    difference: bool,
    strata_file: str | None,
    as_json: bool,
) -> None:
    """Variable appraisal: project dollar columns (e.g. examined, audited) to the universe.

    Mean-per-unit estimation with exact t limits at 80, 90 and 95%; with --strata-file,
    each stratum too and the stratified total with z limits. Without --columns every
    numeric column is used except 'stratum' and id-like ones (id, key, unit, line, order,
    selection_order, random_number, or names ending in _id, _key, _no, _number).
    """
    table = read_csv(data_file)
    values = _column_values(table, _value_columns(table, columns), difference)
    if strata_file is None:
        if universe is None:
            raise SamplingInputError("--universe", None, "needed without --strata-file")
        results = {
            name: appraise_variable(data, universe, f"column {name!r}")
            for name, data in values.items()
        }
        if as_json:
            emit_json({"columns": {name: _variable_json(r) for name, r in results.items()}})
        else:
            for name, result in results.items():
                _print_variable(f"Variable appraisal: column {name}", result)
        return
    universes = _strata_universes(strata_file)
    if universe is not None and universe != sum(universes.values()):
        raise SamplingInputError("--universe", universe, "differs from the strata file's total")
    _stratified_variable(table, values, universes, as_json)
