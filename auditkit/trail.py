"""auditkit's own access trail: append-only, keyed, hash-chained, verifiable.

Reports, worksheets and exports show PHI, so every command that reads or writes it leaves
an entry: when, which operating-system account (from the process uid; a name given with
``--user`` is kept beside it, marked as claimed), which command, read or write, and what.

Each entry's ``entry_hash`` is an HMAC-SHA-256, under a key kept *outside* the database,
of its content and the previous entry's hash. Someone who can write to the database but
cannot read the key can neither edit an entry nor forge a consistent chain. Removing
entries from the end, or wiping the table, leaves a valid (shorter) chain, so a
*checkpoint* (entry count and head hash, HMAC'd with the same key) is kept beside the key
and advanced after every commit that adds an entry and every verification; a trail shorter
than its checkpoint, or with another entry at the checkpoint's position, is reported.
``docs/trail.md`` says what this proves and what it cannot.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, select, text
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

from auditkit.db.models import AccessTrailEntry
from auditkit.errors import AuditkitError

GENESIS = "0" * 64
KEY_ENV = "AUDITKIT_TRAIL_KEY"
KEY_BYTES = 32
CHECKPOINT_FOLDER = "trail-checkpoints"

_claimed_user: str | None = None


# --- who ---------------------------------------------------------------------------------


def claim_user(name: str | None) -> None:
    """Remember a display name given with ``--user``; it is recorded as claimed, not proven."""
    global _claimed_user
    _claimed_user = name.strip() if name and name.strip() else None


def os_account() -> str:
    """The account the process runs as, from its uid (``$LOGNAME`` is anyone's to set)."""
    uid = os.geteuid() if hasattr(os, "geteuid") else None
    if uid is None:  # no uids on this platform: the login name is all there is
        import getpass

        return getpass.getuser()
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name
    except (ImportError, KeyError):  # a uid with no passwd entry (some containers)
        return f"uid:{uid}"


# --- the key -----------------------------------------------------------------------------


def key_path() -> Path:
    """``$AUDITKIT_TRAIL_KEY``, else ``[trail] key_file`` of the settings in force, else the
    user's config folder (``$XDG_CONFIG_HOME/auditkit/trail.key``, ``~/.config/…``)."""
    env = os.environ.get(KEY_ENV)
    if env:
        return Path(env).expanduser()
    from auditkit.config import load_settings  # settings import plugins: only when needed

    configured = load_settings(_settings_file).trail_key_file
    if configured is not None:
        return configured
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "auditkit" / "trail.key"


_settings_file: Path | None = None


def use_settings_file(path: Path | None) -> None:
    """Take ``[trail] key_file`` from this settings file (``--config``) from now on."""
    global _settings_file
    _settings_file = path


def _read_key(path: Path) -> bytes | None:
    try:
        raw = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise AuditkitError(f"{path}: cannot read the access-trail key: {exc}") from None
    try:
        key = bytes.fromhex(raw)
    except ValueError:
        key = b""
    if len(key) < KEY_BYTES:
        raise AuditkitError(
            f"{path}: not an access-trail key (expected {KEY_BYTES * 2} hex digits)"
        )
    return key


def _create_key(path: Path) -> bytes:
    key = secrets.token_bytes(KEY_BYTES)
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it first: use theirs
        existing = _read_key(path)
        assert existing is not None
        return existing
    except OSError as exc:
        raise AuditkitError(f"{path}: cannot create the access-trail key: {exc.strerror}") from None
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(key.hex() + "\n")
    return key


def load_key(*, create: bool) -> tuple[bytes | None, Path]:
    path = key_path()
    key = _read_key(path)
    if key is None and create:
        key = _create_key(path)
    return key, path


# --- entries -----------------------------------------------------------------------------


def entry_hash(key: bytes, previous_hash: str, content: dict[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hmac.new(key, (previous_hash + canonical).encode("utf-8"), hashlib.sha256).hexdigest()


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
    key, path = load_key(create=last is None)
    if key is None:
        raise AuditkitError(
            f"the access trail has entries but its key {path} is missing; restore the key "
            f"(or point ${KEY_ENV} at it): a new key would leave the trail unverifiable. "
            "Nothing was written."
        )
    if _claimed_user:
        detail = {**detail, "claimed_user": _claimed_user}
    entry = AccessTrailEntry(
        id=previous_id + 1,
        recorded_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
        actor=os_account(),
        command=command,
        action=action,
        subject=subject,
        detail=detail,
        previous_hash=previous_hash,
        entry_hash="",
    )
    entry.entry_hash = entry_hash(key, previous_hash, _content(entry))
    session.add(entry)
    session.flush()
    _advance_checkpoint_on_commit(session, key, path, entry.id, entry.entry_hash)
    return entry


# --- the checkpoint ----------------------------------------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    database: str
    entries: int
    head: str


def database_identity(session: Session) -> str:
    """Which database a checkpoint belongs to: a SQLite file's absolute path, else the URL
    without its password."""
    url: URL = session.get_bind().engine.url
    if url.get_backend_name() == "sqlite":
        return "sqlite:" + str(Path(url.database or ":memory:").resolve())
    return url.set(password=None, drivername=url.get_backend_name()).render_as_string(
        hide_password=False
    )


def checkpoint_path(key_file: Path, database: str) -> Path:
    name = hashlib.sha256(database.encode("utf-8")).hexdigest()[:32]
    return key_file.parent / CHECKPOINT_FOLDER / f"{name}.json"


def _checkpoint_mac(key: bytes, checkpoint: Checkpoint) -> str:
    message = f"{checkpoint.database}\n{checkpoint.entries}\n{checkpoint.head}"
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()


class CheckpointTampered(Exception):
    """The checkpoint file exists but its HMAC does not match its content."""


def read_checkpoint(key: bytes, key_file: Path, database: str) -> Checkpoint | None:
    path = checkpoint_path(key_file, database)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        checkpoint = Checkpoint(raw["database"], int(raw["entries"]), str(raw["head"]))
        mac = str(raw["mac"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CheckpointTampered(f"checkpoint {path} is unreadable ({exc})") from None
    if checkpoint.database != database or not hmac.compare_digest(
        mac, _checkpoint_mac(key, checkpoint)
    ):
        raise CheckpointTampered(f"checkpoint {path} was altered (its HMAC does not match)")
    return checkpoint


def write_checkpoint(key: bytes, key_file: Path, checkpoint: Checkpoint) -> None:
    """Replace the checkpoint atomically, owner-only; never move it backwards."""
    path = checkpoint_path(key_file, checkpoint.database)
    try:
        current = read_checkpoint(key, key_file, checkpoint.database)
    except CheckpointTampered:
        current = None  # verify reports it; a writer only moves forward
    if current is not None and current.entries >= checkpoint.entries:
        return
    from auditkit.outputs import write_text

    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    body = {
        "database": checkpoint.database,
        "entries": checkpoint.entries,
        "head": checkpoint.head,
        "mac": _checkpoint_mac(key, checkpoint),
    }
    write_text(path, json.dumps(body, indent=2) + "\n")


def _advance_checkpoint_on_commit(
    session: Session, key: bytes, key_file: Path, entries: int, head: str
) -> None:
    from sqlalchemy import event

    checkpoint = Checkpoint(database_identity(session), entries, head)

    def advance(_session: Session) -> None:
        # The work is committed; if this fails the next `trail verify` writes the checkpoint.
        with suppress(OSError, AuditkitError):
            write_checkpoint(key, key_file, checkpoint)

    bind = session.bind
    if isinstance(bind, Connection):  # a session joined to the caller's connection (imports)
        event.listen(bind, "commit", lambda _connection: advance(session), once=True)
    else:
        event.listen(session, "after_commit", advance, once=True)


# --- verification ------------------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    entries: int
    intact: bool
    problem: str | None = None
    entry_id: int | None = None
    head_hash: str | None = None
    checkpoint_entries: int | None = None  # what the checkpoint held before this run


def verify(session: Session, *, update_checkpoint: bool = True) -> Verification:
    """Walk the chain under the key, then compare it with the checkpoint.

    The first edited, forged, missing or reordered entry is reported; so is a trail shorter
    than its checkpoint (entries cut from the end, or all of them). An intact trail moves
    the checkpoint to its head. Raises :class:`AuditkitError` when the key is missing.
    """
    key, key_file = load_key(create=False)
    total = session.scalar(select(func.count()).select_from(AccessTrailEntry)) or 0
    database = database_identity(session)
    if key is None:
        if total:
            raise AuditkitError(
                f"cannot verify the access trail: its key {key_file} is missing "
                f"(set ${KEY_ENV} to the key's path)"
            )
        return Verification(0, True)
    try:
        checkpoint = read_checkpoint(key, key_file, database)
    except CheckpointTampered as exc:
        return Verification(total, False, str(exc))
    chain = _walk_chain(session, key)
    if not chain.intact:
        return chain
    seen = checkpoint.entries if checkpoint else None
    if checkpoint is not None and checkpoint.entries > 0:
        if chain.entries == 0:
            return Verification(
                0,
                False,
                f"the trail is empty but {checkpoint.entries} entries were recorded (wiped)",
                None,
                None,
                seen,
            )
        if chain.entries < checkpoint.entries:
            return Verification(
                chain.entries,
                False,
                f"entries {chain.entries + 1}–{checkpoint.entries} were cut from the end "
                f"(the checkpoint saw {checkpoint.entries})",
                chain.entries + 1,
                chain.head_hash,
                seen,
            )
        at_checkpoint = session.scalar(
            select(AccessTrailEntry.entry_hash).where(AccessTrailEntry.id == checkpoint.entries)
        )
        if at_checkpoint != checkpoint.head:
            return Verification(
                chain.entries,
                False,
                "the entry at the checkpoint is not the one recorded there (trail replaced)",
                checkpoint.entries,
                chain.head_hash,
                seen,
            )
    if update_checkpoint and chain.entries and chain.head_hash:
        write_checkpoint(key, key_file, Checkpoint(database, chain.entries, chain.head_hash))
    return Verification(chain.entries, True, None, None, chain.head_hash, seen)


def _walk_chain(session: Session, key: bytes) -> Verification:
    previous_hash, expected_id, count = GENESIS, 1, 0
    for entry in session.scalars(select(AccessTrailEntry).order_by(AccessTrailEntry.id)):
        count += 1
        if entry.id != expected_id:
            return Verification(count, False, f"entry {expected_id} is missing", expected_id)
        if entry.previous_hash != previous_hash:
            return Verification(count, False, "chain broken before this entry", entry.id)
        if not hmac.compare_digest(
            entry.entry_hash, entry_hash(key, previous_hash, _content(entry))
        ):
            return Verification(
                count, False, "entry was altered or forged (its HMAC does not match)", entry.id
            )
        previous_hash, expected_id = entry.entry_hash, entry.id + 1
    return Verification(count, True, head_hash=previous_hash if count else None)


def check_anchor(session: Session, anchor: dict[str, Any]) -> str | None:
    """``None`` when the trail still holds the anchored head at the anchored position."""
    try:
        entries, head = int(anchor["entries"]), str(anchor["head_hash"])
    except (KeyError, TypeError, ValueError):
        return "the anchor file has no entries/head_hash"
    if entries == 0:
        return None
    found = session.scalar(
        select(AccessTrailEntry.entry_hash).where(AccessTrailEntry.id == entries)
    )
    if found is None:
        return f"the anchor saw {entries} entries; the trail no longer has entry {entries}"
    if found != head:
        return f"entry {entries} is not the one anchored (head {head[:16]}…)"
    return None
