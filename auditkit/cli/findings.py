"""``auditkit findings export``: the contract's findings export (§6)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from auditkit.audits.export import finding_records, write_findings
from auditkit.audits.scope import get_audit
from auditkit.cli.common import database_option, database_session


@click.group()
def findings() -> None:
    """Export an audit's findings."""


@findings.command(name="export")
@click.argument("name")
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json"]), required=True, help="Output format."
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File (else stdout)."
)
@database_option
def export(name: str, fmt: str, output: Path | None, database: str) -> None:
    """Write one record per finding of audit NAME, with exactly the contract's fields."""
    with database_session(database) as session:
        records = finding_records(
            session,
            get_audit(session, name),
            {"format": fmt, "output": str(output) if output else "stdout"},
        )
        if output is None:
            count = write_findings(records, fmt, sys.stdout)
        else:
            with output.open("w", encoding="utf-8", newline="") as handle:
                count = write_findings(records, fmt, handle)
    if output is not None:
        click.echo(f"Wrote {count:,} findings to {output}.", err=True)
