"""``auditkit checks list``: the rules every installed plugin provides."""

from __future__ import annotations

from pathlib import Path

import click

from auditkit.cli.common import emit_json, json_option
from auditkit.outputs import check_output, write_text
from auditkit.plugin_manager import registry
from auditkit.rules_doc import rules_markdown


@click.group()
def checks() -> None:
    """Inspect the installed checks and their rules."""


@checks.command(name="list")
@json_option
def list_checks(as_json: bool) -> None:
    """List every rule: id, name, severity, category, who is responsible, plugin."""
    rules = registry().sorted_rules()
    if as_json:
        emit_json(
            [
                {
                    "rule_id": entry.rule.id,
                    "name": entry.rule.name,
                    "summary": entry.rule.summary,
                    "severity": entry.rule.severity,
                    "category": entry.rule.category,
                    "responsible": entry.rule.responsible,
                    "rationale": entry.rule.rationale,
                    "education_topic": entry.rule.education_topic,
                    "references": list(entry.rule.references),
                    "parameters": [
                        {"name": p.name, "default": p.default, "description": p.description}
                        for p in entry.rule.parameters
                    ],
                    "check": entry.check.__name__,
                    "plugin": entry.plugin,
                }
                for entry in rules
            ]
        )
        return
    for entry in rules:
        rule = entry.rule
        click.echo(
            f"{rule.id}  {rule.name:<32} {rule.severity:<8} {rule.responsible:<9} {rule.summary}"
        )


@checks.command(name="docs")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (else stdout); replaced only once complete.",
)
def docs(output: Path | None) -> None:
    """Print the rules reference (Markdown) generated from the checks' own metadata."""
    text = rules_markdown(registry())
    if output is None:
        click.echo(text, nl=False)
    else:
        write_text(check_output(output), text)
        click.echo(f"Wrote {output}", err=True)
