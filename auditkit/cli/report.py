"""``auditkit report``: write the audit report as HTML or Excel."""

from __future__ import annotations

from pathlib import Path

import click

from auditkit.audits.scope import get_audit
from auditkit.cli.common import config_option, database_option, database_session
from auditkit.config import load_settings
from auditkit.plugin_manager import registry
from auditkit.reports.build import build_report_context
from auditkit.reports.excel import write_xlsx
from auditkit.reports.html import write_html


@click.command()
@click.argument("name")
@click.option(
    "--format", "fmt", type=click.Choice(["html", "xlsx"]), required=True, help="Report format."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="File to write.",
)
@click.option(
    "--deidentify",
    is_flag=True,
    help=(
        "De-identify by HIPAA Safe Harbor: patient and encounter ids become stand-ins; "
        "patient names, MRNs, dates (all but the year), ages over 89, phone numbers, "
        "e-mail addresses and other identifiers are removed from messages, evidence and "
        "quoted notes. Staff names and NPIs stay (they are not patient identifiers)."
    ),
)
@database_option
@config_option
def report(
    name: str, fmt: str, output: Path, deidentify: bool, database: str, config: Path | None
) -> None:
    """Write the report of audit NAME: summary, sampling record, scorecards, findings,
    education feedback and the rules that ran."""
    settings = load_settings(config)
    with database_session(database) as session:
        context = build_report_context(
            session,
            get_audit(session, name),
            registry(),
            deidentify=deidentify,
            purpose={"format": fmt, "output": str(output)},
        )
    if fmt == "html":
        write_html(context, output, template_dirs=settings.template_dirs)
    else:
        write_xlsx(context, output)
    click.echo(f"Wrote {output}")
