"""``auditkit stats random-numbers``: RAT-STATS single-stage numbers and sets of 2-4."""

from __future__ import annotations

from collections.abc import Sequence

import click

from auditkit.cli.stats.base import emit_json, stats, text_table
from sampling.datafiles import parse_whole
from sampling.errors import SamplingInputError
from sampling.generators import GENERATORS, RATSTATS, make_generator, new_seed, seed_from_text
from sampling.random_numbers import DrawnNumber, RandomNumbers, random_numbers


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
    return text_table(headers, rows, left=0)


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
    emit_json(
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
