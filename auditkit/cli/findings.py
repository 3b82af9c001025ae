"""``auditkit findings export``: the contract's findings export (§6)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from auditkit.audits.export import finding_records, write_findings
from auditkit.audits.scope import get_audit
from auditkit.cli.common import database_option, database_session
from auditkit.outputs import atomic_output, check_output, flush


@click.group()
def findings() -> None:
    """Export an audit's findings."""


@findings.command(name="export")
@click.argument("name")
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json"]), required=True, help="Output format."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File (else stdout); owner-only, replaced only once complete.",
)
@click.option(
    "--raw",
    is_flag=True,
    help="CSV: write cells exactly as stored. By default a cell starting with = + - @, "
    "tab or CR gets a leading ' so a spreadsheet shows it as text, not a formula.",
)
@database_option
def export(name: str, fmt: str, output: Path | None, raw: bool, database: str) -> None:
    """Write one record per finding of audit NAME, with exactly the contract's fields."""
    if output is None:
        with database_session(database) as session:
            purpose = {"format": fmt, "output": "stdout"}
            records = finding_records(session, get_audit(session, name), purpose)
            write_findings(records, fmt, sys.stdout, formula_safe=not raw)
        return
    check_output(output, database_url=database)
    with atomic_output(output) as staged, database_session(database) as session:
        purpose = {"format": fmt, "output": str(output)}
        records = finding_records(session, get_audit(session, name), purpose)
        with staged.open("w", encoding="utf-8", newline="") as handle:
            count = write_findings(records, fmt, handle, formula_safe=not raw)
        flush(staged, output)  # a full disk fails here, before the trail entry commits
    click.echo(f"Wrote {count:,} findings to {output}.", err=True)
