"""``auditkit checks list``: the rules every installed plugin provides."""

from __future__ import annotations

from pathlib import Path

import click

from auditkit.cli.group import emit_json, json_option
from auditkit.errors import AuditkitError
from auditkit.plugin_manager import registry
from auditkit.rules_doc import rule_markdown, rules_markdown


@click.group()
def checks() -> None:
    """Inspect the installed checks and their rules."""


@checks.command(name="list")
@json_option
def list_checks(as_json: bool) -> None:
    """List every rule: id, name, severity, category, who is responsible, plugin.

    Plugins that could not be loaded are listed on standard error with the reason; they are
    skipped, and everything else works.
    """
    found = registry()
    for broken in found.broken:
        click.echo(f"plugin {broken.name} skipped: {broken.error}", err=True)
    rules = found.sorted_rules()
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
                    "plugin_version": found.versions.get(entry.plugin),
                    "unit_kind": entry.check.unit_kind,
                    "needs": list(entry.check.needs),
                    "examines": list(entry.rule.examines),
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


@checks.command(name="show")
@click.argument("rule_id")
def show(rule_id: str) -> None:
    """Print one rule's documentation: what it checks, why, examples, references."""
    entry = registry().rules.get(rule_id.upper())
    if entry is None:
        raise AuditkitError(f"no installed rule {rule_id!r}; `auditkit checks list` shows them")
    click.echo(rule_markdown(entry), nl=False)


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
        from auditkit.outputs import check_output, write_text

        write_text(check_output(output), text)
        click.echo(f"Wrote {output}", err=True)
