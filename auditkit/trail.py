"""auditkit's own access trail: append-only, hash-chained, verifiable.

Reports, worksheets and exports show PHI, so every command that reads or writes it leaves
an entry: when, which operating-system user, which command, read or write, and what (an
audit, a file). Each entry's hash covers its content and the previous entry's hash, so an
edited, deleted or reordered entry breaks the chain and :func:`verify` names the first one.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from auditkit.db.models import AccessTrailEntry

GENESIS = "0" * 64


def _actor() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name (some containers): still record something
        return "unknown"


def entry_hash(previous_hash: str, content: dict[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256((previous_hash + canonical).encode("utf-8")).hexdigest()


def _content(entry: AccessTrailEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "recorded_at": entry.recorded_at.isoformat(timespec="microseconds"),
        "actor": entry.actor,
        "command": entry.command,
        "action": entry.action,
        "subject": entry.subject,
        "detail": entry.detail,
    }


def record(
    session: Session, command: str, action: str, subject: str, **detail: Any
) -> AccessTrailEntry:
    """Append one entry in the caller's transaction (it commits or rolls back with the work)."""
    if session.get_bind().dialect.name == "postgresql":
        # One writer at a time, so two sessions cannot both chain onto the same entry.
        session.execute(text("SELECT pg_advisory_xact_lock(727274)"))
    last = session.execute(
        select(AccessTrailEntry.id, AccessTrailEntry.entry_hash)
        .order_by(AccessTrailEntry.id.desc())
        .limit(1)
    ).first()
    previous_id, previous_hash = (last.id, last.entry_hash) if last else (0, GENESIS)
    entry = AccessTrailEntry(
        id=previous_id + 1,
        recorded_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
        actor=_actor(),
        command=command,
        action=action,
        subject=subject,
        detail=detail,
        previous_hash=previous_hash,
        entry_hash="",
    )
    entry.entry_hash = entry_hash(previous_hash, _content(entry))
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True)
class Verification:
    entries: int
    intact: bool
    problem: str | None = None
    entry_id: int | None = None


def verify(session: Session) -> Verification:
    """Walk the chain; the first edited, missing or reordered entry is reported."""
    previous_hash, expected_id, count = GENESIS, 1, 0
    for entry in session.scalars(select(AccessTrailEntry).order_by(AccessTrailEntry.id)):
        count += 1
        if entry.id != expected_id:
            return Verification(count, False, f"entry {expected_id} is missing", expected_id)
        if entry.previous_hash != previous_hash:
            return Verification(count, False, "chain broken before this entry", entry.id)
        if entry.entry_hash != entry_hash(previous_hash, _content(entry)):
            return Verification(count, False, "entry was altered", entry.id)
        previous_hash, expected_id = entry.entry_hash, entry.id + 1
    return Verification(count, True)
