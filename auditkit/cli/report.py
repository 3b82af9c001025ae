"""``auditkit report``: write the audit report as HTML or Excel."""

from __future__ import annotations

from pathlib import Path

import click
import jinja2

from auditkit.audits.scope import get_audit
from auditkit.cli.common import config_option, database_option, database_session
from auditkit.config import load_settings
from auditkit.errors import AuditkitError
from auditkit.outputs import atomic_output, check_output, flush
from auditkit.plugin_manager import registry
from auditkit.reports.build import build_report_context
from auditkit.reports.excel import write_xlsx
from auditkit.reports.html import render_html, template_problem

SUFFIXES = {".html": "html", ".htm": "html", ".xlsx": "xlsx"}


def report_format(fmt: str | None, output: Path) -> str:
    """The format asked for, or the one the file name says; a contradiction is refused."""
    implied = SUFFIXES.get(output.suffix.lower())
    if fmt is None:
        if implied is None:
            raise AuditkitError(
                f"{output}: cannot tell the format from the name; give --format html|xlsx "
                "or name a .html or .xlsx file"
            )
        return implied
    if output.suffix and implied != fmt:
        raise AuditkitError(
            f"{output}: the name says {output.suffix!r} but --format is {fmt}; name a .{fmt} file"
        )
    return fmt


@click.command()
@click.argument("name")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "xlsx"]),
    help="Report format (default: from the output file's suffix).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="File to write (owner-only; replaced only once complete).",
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
    name: str, fmt: str | None, output: Path, deidentify: bool, database: str, config: Path | None
) -> None:
    """Write the report of audit NAME as HTML or Excel.

    It holds the summary, sampling record, scorecards, findings,
    education feedback and the rules that ran."""
    check_output(output, database_url=database, inputs=[config])
    fmt = report_format(fmt, output)
    settings = load_settings(config)
    # The file is staged first and renamed only after the trail entry commits: a failure
    # on either side leaves neither a file nor an entry.
    with atomic_output(output) as staged, database_session(database) as session:
        context = build_report_context(
            session,
            get_audit(session, name),
            registry(),
            deidentify=deidentify,
            purpose={"format": fmt, "output": str(output)},
        )
        if fmt == "html":
            try:
                html = render_html(context, template_dirs=settings.template_dirs)
            except jinja2.TemplateError as error:
                raise AuditkitError(template_problem(error)) from None
            staged.write_text(html, encoding="utf-8")
        else:
            write_xlsx(context, staged)
        flush(staged, output)  # a full disk must fail before the trail entry commits
    click.echo(f"Wrote {output}")
