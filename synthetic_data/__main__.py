"""Command line: ``python -m synthetic_data --out DIR --encounters N --seed S``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date

from synthetic_data.generate import generate
from synthetic_data.modifiers import DEFAULT_MOD_RATES


def _rate(text: str) -> tuple[str, float]:
    rule, sep, value = text.partition("=")
    try:
        if not sep:
            raise ValueError
        return rule.strip().upper(), float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected RULE=P, e.g. SPC003=0.1, got {text!r}"
        ) from None


def parser() -> argparse.ArgumentParser:
    """The argument parser (kept separate so tests can inspect it)."""
    cli = argparse.ArgumentParser(
        prog="python -m synthetic_data",
        description="Write a synthetic organisation's claims.csv, notes.csv, "
        "ground_truth.csv and manifest.json.",
    )
    cli.add_argument("--out", required=True, help="output directory (created if missing)")
    cli.add_argument("--encounters", type=int, default=400, help="number of encounters")
    cli.add_argument("--seed", type=int, default=7, help="random seed (same seed, same files)")
    cli.add_argument(
        "--lines", type=int, default=None, help="generate until exactly N claim lines instead"
    )
    cli.add_argument(
        "--rate",
        type=_rate,
        action="append",
        default=[],
        metavar="RULE=P",
        help="per-encounter error rate for a rule, repeatable (e.g. --rate SPC003=0.1)",
    )
    cli.add_argument(
        "--start", type=date.fromisoformat, default=date(2026, 4, 1), help="first date of service"
    )
    cli.add_argument(
        "--end", type=date.fromisoformat, default=date(2026, 9, 30), help="last date of service"
    )
    cli.add_argument(
        "--modifier-errors",
        action="store_true",
        help="plant every MOD error at its suggested rate (a --rate MOD00N=P overrides it)",
    )
    cli.add_argument(
        "--hard-negatives",
        type=float,
        default=0.0,
        metavar="P",
        help="share of encounters without a MOD error given a correct look-alike pattern",
    )
    cli.add_argument("--providers", type=int, default=12, help="number of rendering providers")
    cli.add_argument("--coders", type=int, default=8, help="number of coders (habits cycle)")
    return cli


def main(argv: Sequence[str] | None = None) -> int:
    """Run the generator; exit status 2 on bad arguments."""
    args = parser().parse_args(argv)
    try:
        result = generate(
            args.out,
            encounters=args.encounters,
            seed=args.seed,
            error_rates={
                **(DEFAULT_MOD_RATES if args.modifier_errors else {}),
                **dict(args.rate),
            },
            hard_negative_rate=args.hard_negatives,
            start=args.start,
            end=args.end,
            providers=args.providers,
            coders=args.coders,
            target_lines=args.lines,
        )
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(
        f"{result.encounters} encounters, {result.lines} claim lines, "
        f"{sum(result.errors.values())} injected errors -> {result.out_dir}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
