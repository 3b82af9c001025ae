"""``auditkit init``: create or upgrade the schema."""

from __future__ import annotations

import click

from auditkit.cli.common import database_option, emit_json, json_option, open_engine
from auditkit.db.migrate import current_revision, upgrade


@click.command()
@database_option
@json_option
def init(database: str, as_json: bool) -> None:
    """Create the database schema, or upgrade it to this version of auditkit."""
    engine = open_engine(database, require_schema=False)
    try:
        before = current_revision(engine)
        after = upgrade(engine)
    finally:
        engine.dispose()
    if as_json:
        emit_json({"database": database, "from_revision": before, "revision": after})
    elif before == after:
        click.echo(f"{database}: schema is current (revision {after}).")
    else:
        click.echo(f"{database}: schema {'upgraded' if before else 'created'} (revision {after}).")
