"""``auditkit trail …``: list, verify and anchor auditkit's own access trail."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import click
from sqlalchemy import select

from auditkit.cli.common import (
    config_option,
    database_option,
    database_session,
    emit_json,
    json_option,
)
from auditkit.db.models import AccessTrailEntry
from auditkit.errors import AuditkitError
from auditkit.outputs import atomic_output, check_output
from auditkit.trail import check_anchor, database_identity, key_path, verify


@click.group()
def trail() -> None:
    """auditkit's own keyed, hash-chained record of who read or wrote PHI through it."""


@trail.command(name="list")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@database_option
@json_option
def list_entries(limit: int, database: str, as_json: bool) -> None:
    """Show the newest entries of the access trail (oldest first)."""
    with database_session(database) as session:
        entries = session.scalars(
            select(AccessTrailEntry).order_by(AccessTrailEntry.id.desc()).limit(limit)
        ).all()
        rows: list[dict[str, Any]] = [
            {
                "id": e.id,
                "recorded_at": e.recorded_at.isoformat(),
                "actor": e.actor,
                "claimed_user": (e.detail or {}).get("claimed_user"),
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
        who = row["actor"] + (f" (claims {row['claimed_user']})" if row["claimed_user"] else "")
        click.echo(
            f"{row['id']:>6}  {row['recorded_at'][:19]}  {who:<12} "
            f"{row['action']:<5} {row['command']:<16} {row['subject']}"
        )


@trail.command(name="verify")
@click.option(
    "--anchor",
    "anchor_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Also check the trail still holds the head exported by `trail anchor`.",
)
@database_option
@config_option
@json_option
def verify_command(
    anchor_file: Path | None, database: str, config: Path | None, as_json: bool
) -> None:
    """Check every entry's HMAC and the chain, and compare with the checkpoint kept beside
    the key; exit 1 when an entry was edited, forged, removed or reordered, or entries
    were cut from the end or wiped.

    An intact trail moves the checkpoint to its head. `trail anchor -o FILE` exports the
    head for safekeeping elsewhere.
    """
    anchor = _read_anchor(anchor_file) if anchor_file else None
    with database_session(database) as session:
        result = verify(session)
        anchor_problem = check_anchor(session, anchor) if anchor is not None else None
    intact = result.intact and anchor_problem is None
    problem = result.problem or anchor_problem
    if as_json:
        emit_json(
            {
                "entries": result.entries,
                "intact": intact,
                "problem": problem,
                "entry_id": result.entry_id,
                "head_hash": result.head_hash,
                "checkpoint_entries": result.checkpoint_entries,
                "key_file": str(key_path()),
            }
        )
    elif intact:
        click.echo(f"Access trail intact: {result.entries} entries; head {result.head_hash or '-'}")
        if result.checkpoint_entries is None and result.entries:
            click.echo(
                "Note: no earlier checkpoint for this database; entries cut from the end "
                "before now cannot be detected (keep an anchor: `auditkit trail anchor`).",
                err=True,
            )
    else:
        where = f" at entry {result.entry_id}" if result.entry_id else ""
        click.echo(f"Access trail BROKEN{where}: {problem}", err=True)
    if not intact:
        raise click.exceptions.Exit(1)


@trail.command(name="anchor")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="File to write the anchor (JSON) to; keep it away from this machine.",
)
@database_option
@config_option
def anchor_command(output: Path, database: str, config: Path | None) -> None:
    """Verify the trail and export its head (entry count and hash) for safekeeping.

    Printed, mailed or stored elsewhere, the anchor later shows whether entries were cut
    or the trail replaced: `auditkit trail verify --anchor FILE`. Exit 1 if the trail is
    broken (nothing written).
    """
    check_output(output, database_url=database)
    with database_session(database) as session:
        result = verify(session)
        identity = database_identity(session)
    if not result.intact:
        click.echo(f"Access trail BROKEN: {result.problem}; no anchor written", err=True)
        raise click.exceptions.Exit(1)
    body = {
        "database": identity,
        "entries": result.entries,
        "head_hash": result.head_hash,
        "anchored_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    with atomic_output(output) as temporary:
        temporary.write_text(json.dumps(body, indent=2) + "\n", encoding="utf-8")
    click.echo(f"Wrote {output}: {result.entries} entries, head {result.head_hash or '-'}")


def _read_anchor(path: Path) -> dict[str, Any]:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AuditkitError(f"{path}: not an anchor file: {exc}") from None
    if not isinstance(value, dict):
        raise AuditkitError(f"{path}: not an anchor file")
    return value
