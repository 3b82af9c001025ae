"""``auditkit stats``: RAT-STATS-equivalent statistics on the command line.

The commands are thin: they read options and files, call the standalone ``sampling`` package
and print either RAT-STATS-like text tables or JSON (``--json``, unrounded numbers). Bad input
of any kind ends with exit code 2 and a one-line message naming the value and its place.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import click

from sampling.appraisal import (
    LEVELS,
    AttributeAppraisal,
    Interval,
    Limits,
    StratifiedAttributeAppraisal,
    StratifiedVariableAppraisal,
    VariableAppraisal,
    appraise_attribute,
    appraise_attribute_stratified,
    appraise_variable,
    appraise_variable_stratified,
)
from sampling.datafiles import CsvTable, looks_numeric, parse_whole, read_csv
from sampling.errors import SamplingInputError
from sampling.generators import GENERATORS, RATSTATS, make_generator, new_seed, seed_from_text
from sampling.random_numbers import DrawnNumber, RandomNumbers, random_numbers
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

STRATUM = "stratum"
# Columns that identify a unit rather than measure it; never appraised unless named.
ID_NAMES = frozenset({"id", "key", "unit", "line", "order", "selection_order", "random_number"})
ID_SUFFIXES = ("_id", "_key", "_no", "_number")


class _InputError(click.ClickException):
    """Bad input: printed as one ``Error: ...`` line, exit code 2, no usage block."""

    exit_code = 2


class _Command(click.Command):
    """A command whose usage and input errors are one line and exit with code 2."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as error:
            raise _InputError(error.format_message()) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SamplingInputError as error:
            raise _InputError(str(error)) from None


class _Group(click.Group):
    """Group whose commands (and sub-groups) report errors the same way."""

    command_class = _Command
    group_class = type

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError as error:
            raise _InputError(error.format_message()) from None


@click.group(name="stats", cls=_Group)
def stats() -> None:
    """RAT-STATS-equivalent statistics: random numbers, appraisal and sample sizes.

    Every command prints RAT-STATS-like tables, or JSON with unrounded numbers when given
    --json. Bad input exits with code 2 and a one-line message.
    """


@stats.group(name="appraise")
def appraise() -> None:
    """Project a reviewed sample to its universe (variable or attribute)."""


@stats.group(name="sample-size")
def sample_size() -> None:
    """Sample sizes by precision (1-25%) and confidence (80-99%)."""


# ---------------------------------------------------------------------------- output helpers


def _emit_json(payload: object) -> None:
    click.echo(json.dumps(payload, indent=2))


def _money(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.2f}"


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]], left: int = 1) -> str:
    """Aligned text table: the first ``left`` columns left-aligned, the others right."""
    body = [list(headers), *[list(row) for row in rows]]
    widths = [max(len(row[i]) for row in body) for i in range(len(headers))]
    lines = []
    for row in body:
        cells = [
            cell.ljust(width) if i < left else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _pairs(rows: Sequence[tuple[str, str]]) -> str:
    """Label/value lines with the values right-aligned."""
    width = max(len(label) for label, _ in rows)
    value_width = max(len(value) for _, value in rows)
    return "\n".join(f"{label.ljust(width)}  {value.rjust(value_width)}" for label, value in rows)


# ---------------------------------------------------------------------------- random numbers


def _parse_ranges(text: str) -> list[tuple[int, int]]:
    """``L1-H1,L2-H2[,...]`` into (low, high) pairs (bounds ≥ 0, like page and line numbers)."""
    ranges = []
    for position, part in enumerate(text.split(","), start=1):
        low, dash, high = part.strip().partition("-")
        where = f"--ranges, range {position}"
        if not dash:
            raise SamplingInputError(where, part, "expected LOW-HIGH")
        ranges.append((parse_whole(low, where), parse_whole(high, where)))
    if not 2 <= len(ranges) <= 4:
        raise SamplingInputError("--ranges", text, "give 2 to 4 ranges for sets")
    return ranges


def _ranges(low: int | None, high: int | None, ranges: str | None) -> list[tuple[int, int]]:
    if ranges is not None:
        if low is not None or high is not None:
            raise SamplingInputError("--ranges", ranges, "use either --ranges or --low/--high")
        return _parse_ranges(ranges)
    if low is None or high is None:
        raise SamplingInputError("--low/--high", (low, high), "both are needed without --ranges")
    return [(low, high)]


def _number_json(number: DrawnNumber, sets: bool) -> dict[str, object]:
    return {"order": number.order, "value": list(number.values) if sets else number.values[0]}


def _numbers_table(numbers: Sequence[DrawnNumber], components: int) -> str:
    headers = ["Order"] + (
        [f"Value {i}" for i in range(1, components + 1)] if components > 1 else ["Value"]
    )
    rows = [[f"{n.order:,}", *(f"{value:,}" for value in n.values)] for n in numbers]
    return _table(headers, rows, left=0)


def _print_random_numbers(result: RandomNumbers) -> None:
    ranges = "; ".join(f"{low:,} to {high:,}" for low, high in result.ranges)
    click.echo(f"Random numbers: generator {result.generator} ({result.generator_version})")
    click.echo(f"Seed: {result.seed}")
    click.echo(f"Range{'s' if len(result.ranges) > 1 else ''}: {ranges}")
    click.echo(f"Sample: {len(result.sample):,}   Spares: {len(result.spares):,}")
    click.echo(f"Sum of all values (spares included): {result.total:,}")
    if result.warning:
        click.echo(f"Warning: {result.warning}")
    click.echo("\nSample, sorted by value")
    click.echo(_numbers_table(result.sample, len(result.ranges)))
    if result.spares:
        click.echo("\nSpares, in draw order")
        click.echo(_numbers_table(result.spares, len(result.ranges)))


@stats.command(name="random-numbers")
@click.option(
    "--seed",
    help="Seed; a number for ratstats, a whole number ≥ 0 for pcg64. "
    "A fresh one is made and printed when omitted.",
)
@click.option("--low", type=int, help="Lowest value (single-stage numbers).")
@click.option("--high", type=int, help="Highest value (single-stage numbers).")
@click.option("--count", type=int, required=True, help="How many values in the sample.")
@click.option("--spares", type=int, default=0, show_default=True, help="Spare values after it.")
@click.option("--ranges", help="Sets of 2-4 numbers, one range per component: L1-H1,L2-H2[,...].")
@click.option(
    "--generator",
    type=click.Choice(list(GENERATORS)),
    default=RATSTATS,
    show_default=True,
    help="ratstats reproduces RAT-STATS 2005-2010; pcg64 is modern.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON with unrounded numbers.")
def random_numbers_command(
    seed: str | None,
    low: int | None,
    high: int | None,
    count: int,
    spares: int,
    ranges: str | None,
    generator: str,
    as_json: bool,
) -> None:
    """Random numbers without replacement, as RAT-STATS single-stage numbers or sets.

    The sample is listed sorted by value with its selection order; spares follow in draw
    order and their order continues after the sample. The sum covers every value drawn,
    spares included (for sets: every component). The default generator is ratstats, since
    this command replaces RAT-STATS; it keeps only 16 bits of the seed (see the warning).
    """
    bounds = _ranges(low, high, ranges)
    chosen_seed = new_seed(generator) if seed is None else seed_from_text(generator, seed)
    result = random_numbers(make_generator(generator, chosen_seed), bounds, count, spares)
    if not as_json:
        _print_random_numbers(result)
        return
    sets = ranges is not None
    _emit_json(
        {
            "generator": result.generator,
            "generator_version": result.generator_version,
            "seed": result.seed,
            "warning": result.warning,
            "sample": [_number_json(number, sets) for number in result.sample],
            "spares": [_number_json(number, sets) for number in result.spares],
            "sum": result.total,
        }
    )


# ---------------------------------------------------------------------------- variable appraisal


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
            _money(levels[level].lower),
            _money(levels[level].upper),
            _money(levels[level].precision),
            f"{levels[level].precision_percent:.2f}%",
        ]
        for level in LEVELS
    ]
    headers = ["Confidence", factor_name, "Lower limit", "Upper limit", "Precision", "Precision %"]
    return _table(headers, rows)


def _print_variable(title: str, result: VariableAppraisal) -> None:
    click.echo(title)
    click.echo(
        _pairs(
            [
                ("Universe size", f"{result.universe:,}"),
                ("Sample size", f"{result.n:,}"),
                ("Mean", _money(result.mean)),
                ("Standard deviation", _money(result.sd)),
                ("Skewness", _money(result.skewness)),
                ("Kurtosis", _money(result.kurtosis)),
                ("Standard error (mean)", _money(result.se_mean)),
                ("Standard error (total)", _money(result.se_total)),
                ("Point estimate", _money(result.point_estimate)),
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
        _emit_json(
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
            _pairs(
                [
                    ("Universe size", f"{sum(universes.values()):,}"),
                    ("Point estimate", _money(result.point_estimate)),
                    ("Standard error (total)", _money(result.standard_error)),
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
            _emit_json({"columns": {name: _variable_json(r) for name, r in results.items()}})
        else:
            for name, result in results.items():
                _print_variable(f"Variable appraisal: column {name}", result)
        return
    universes = _strata_universes(strata_file)
    if universe is not None and universe != sum(universes.values()):
        raise SamplingInputError("--universe", universe, "differs from the strata file's total")
    _stratified_variable(table, values, universes, as_json)


# ---------------------------------------------------------------------------- attribute appraisal


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
    return _table(["Confidence", "Lower limit", "Upper limit"], rows)


def _print_attribute(title: str, result: AttributeAppraisal) -> None:
    click.echo(title)
    click.echo(
        _pairs(
            [
                ("Universe size", f"{result.universe:,}"),
                ("Sample size", f"{result.sample:,}"),
                ("Errors in sample", f"{result.errors:,}"),
                ("Point estimate", _money(result.point_estimate)),
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
        _pairs(
            [
                ("Point estimate", _money(result.point_estimate)),
                ("Standard error", _money(result.standard_error)),
            ]
        )
    )
    click.echo()
    click.echo(_limits_table(result.levels, _money))


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
        _emit_json(
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
        _emit_json(_attribute_json(single))
    else:
        _print_attribute("Attribute appraisal", single)


# ---------------------------------------------------------------------------- sample sizes


def _sizes_table(table: SizeTable) -> str:
    confidences = list(next(iter(table.values())))
    rows = [[f"±{p}%", *(f"{table[p][c]:,}" for c in confidences)] for p in table]
    return _table(["Precision", *(f"{c}%" for c in confidences)], rows)


def _emit_sizes(title: str, table: SizeTable, as_json: bool, extra: Mapping[str, object]) -> None:
    flagged = small_cells(table)
    if as_json:
        _emit_json({**extra, "sizes": table, "below_30": [list(cell) for cell in flagged]})
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
        _emit_json({"sizes": sizes})
        return
    click.echo("Stratified variable sample sizes (Neyman allocation)")
    rows = [
        [f"±{p}%", f"{c}%", f"{cell.total:,}", *(f"{cell.strata[name]:,}" for name in strata)]
        for p, row in table.items()
        for c, cell in row.items()
    ]
    click.echo(_table(["Precision", "Confidence", "Total", *strata], rows))


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
        _emit_json({"sizes": table})
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
