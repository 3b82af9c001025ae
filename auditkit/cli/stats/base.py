"""The ``auditkit stats`` group, its error handling and output helpers shared by the commands."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

import click

from sampling.errors import SamplingInputError

STRATUM = "stratum"
# Columns that identify a unit rather than measure it; never appraised unless named.
ID_NAMES = frozenset({"id", "key", "unit", "line", "order", "selection_order", "random_number"})
ID_SUFFIXES = ("_id", "_key", "_no", "_number")


class StatsInputError(click.ClickException):
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
            raise StatsInputError(error.format_message()) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SamplingInputError as error:
            raise StatsInputError(str(error)) from None


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
            raise StatsInputError(error.format_message()) from None


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


def emit_json(payload: object) -> None:
    click.echo(json.dumps(payload, indent=2))


def money(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.2f}"


def text_table(headers: Sequence[str], rows: Iterable[Sequence[str]], left: int = 1) -> str:
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


def pairs(rows: Sequence[tuple[str, str]]) -> str:
    """Label/value lines with the values right-aligned."""
    width = max(len(label) for label, _ in rows)
    value_width = max(len(value) for _, value in rows)
    return "\n".join(f"{label.ljust(width)}  {value.rjust(value_width)}" for label, value in rows)
