"""``auditkit trail …``: read and verify auditkit's own access trail."""

from __future__ import annotations

from typing import Any

import click
from sqlalchemy import select

from auditkit.cli.common import database_option, database_session, emit_json, json_option
from auditkit.db.models import AccessTrailEntry
from auditkit.trail import verify


@click.group()
def trail() -> None:
    """auditkit's own hash-chained record of who read or wrote PHI through it."""


@trail.command(name="list")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@database_option
@json_option
def list_entries(limit: int, database: str, as_json: bool) -> None:
    """Show the newest entries of the access trail."""
    with database_session(database) as session:
        entries = session.scalars(
            select(AccessTrailEntry).order_by(AccessTrailEntry.id.desc()).limit(limit)
        ).all()
        rows: list[dict[str, Any]] = [
            {
                "id": e.id,
                "recorded_at": e.recorded_at.isoformat(),
                "actor": e.actor,
                "command": e.command,
                "action": e.action,
                "subject": e.subject,
                "detail": e.detail,
            }
            for e in reversed(entries)
        ]
    if as_json:
        emit_json(rows)
        return
    for row in rows:
        click.echo(
            f"{row['id']:>6}  {row['recorded_at'][:19]}  {row['actor']:<12} "
            f"{row['action']:<5} {row['command']:<16} {row['subject']}"
        )


@trail.command(name="verify")
@database_option
@json_option
def verify_command(database: str, as_json: bool) -> None:
    """Check the hash chain; exit 1 when an entry was altered, removed or reordered.

    Keep the printed head hash somewhere else: it also reveals entries cut from the end.
    """
    with database_session(database) as session:
        result = verify(session)
        head = session.scalar(
            select(AccessTrailEntry.entry_hash).order_by(AccessTrailEntry.id.desc()).limit(1)
        )
    if as_json:
        emit_json(
            {
                "entries": result.entries,
                "intact": result.intact,
                "problem": result.problem,
                "entry_id": result.entry_id,
                "head_hash": head,
            }
        )
    elif result.intact:
        click.echo(f"Access trail intact: {result.entries} entries; head {head or '-'}")
    else:
        click.echo(f"Access trail BROKEN at entry {result.entry_id}: {result.problem}", err=True)
    if not result.intact:
        raise click.exceptions.Exit(1)
