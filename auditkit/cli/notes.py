"""``auditkit notes …``: the note reader's judgments, for checking and tuning it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from auditkit.cli.common import database_option, emit_json, json_option


@click.group()
def notes() -> None:
    """Read clinical notes the way the documentation checks do."""


@notes.command(name="assess")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@database_option
@json_option
def assess_command(file: Path, database: str, as_json: bool) -> None:
    """Judge each (condition, text) row of a tab-separated FILE: negation
    (affirmed|negated|possible), temporality (recent|historical|hypothetical) and
    experiencer (patient|other), as the DOC checks read them.

    FILE has a header with the columns `condition` and `text`. A text that does not
    mention the condition is reported as `not_mentioned`. No database is read
    (--database is accepted like on every command).
    """
    from auditkit.notes.context import assess
    from auditkit.notes.table import read_rows

    rows: list[dict[str, Any]] = []
    for row in read_rows(file):
        judgment = assess(row.condition, row.text)
        rows.append(
            {
                "line": row.line,
                "condition": row.condition,
                "mentioned": judgment is not None,
                "negation": judgment.negation if judgment else "not_mentioned",
                "temporality": judgment.temporality if judgment else "not_mentioned",
                "experiencer": judgment.experiencer if judgment else "not_mentioned",
                "cues": list(judgment.cues) if judgment else [],
            }
        )
    if as_json:
        emit_json(rows)
        return
    click.echo("line\tcondition\tnegation\ttemporality\texperiencer")
    for r in rows:
        click.echo(
            f"{r['line']}\t{r['condition']}\t{r['negation']}\t{r['temporality']}\t{r['experiencer']}"
        )
