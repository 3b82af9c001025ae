"""auditkit's own access trail: commands that touch PHI leave entries; tampering shows."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import Engine, text

from auditkit.cli import main

DATA = Path(__file__).parent.parent / "data" / "contract"


def ok(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def _work(database_url: str) -> tuple[str, str]:
    db = ("--database", database_url)
    ok("init", *db)
    ok("import", "claims", str(DATA / "claims.csv"), "--notes", str(DATA / "notes.csv"), *db)
    ok("audit", "create", "q", "--from", "2026-04-01", "--to", "2026-06-30", *db)
    ok("sample", "draw", "q", "--method", "all", *db)
    ok("audit", "run", "q", *db)
    ok("findings", "export", "q", "--format", "json", *db)
    return db


def test_phi_commands_leave_a_verified_trail(database_url: str) -> None:
    db = _work(database_url)
    entries = json.loads(ok("trail", "list", "--json", *db))
    assert [(e["command"], e["action"]) for e in entries] == [
        ("import claims", "write"),
        ("audit create", "write"),
        ("sample draw", "write"),
        ("audit run", "write"),
        ("findings export", "read"),
    ]
    verified = json.loads(ok("trail", "verify", "--json", *db))
    assert verified["intact"] and verified["entries"] == 5 and len(verified["head_hash"]) == 64


def test_an_edited_entry_is_detected(database_url: str, engine: Engine) -> None:
    db = _work(database_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE access_trail SET actor = 'someone-else' WHERE id = 3"))
    result = CliRunner().invoke(main, ["trail", "verify", "--json", *db])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["entry_id"] == 3


def test_a_deleted_entry_is_detected(database_url: str, engine: Engine) -> None:
    db = _work(database_url)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM access_trail WHERE id = 2"))
    result = CliRunner().invoke(main, ["trail", "verify", "--json", *db])
    assert result.exit_code == 1
    assert "missing" in json.loads(result.stdout)["problem"]


def test_entries_are_keyed_and_the_key_stays_outside_the_database(
    database_url: str, engine: Engine, trail_key: Path
) -> None:
    import hashlib

    from auditkit import trail

    db = _work(database_url)
    key = bytes.fromhex(trail_key.read_text().strip())
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT * FROM access_trail ORDER BY id")).mappings().all()
        dump = " ".join(str(value) for row in rows for value in row.values())
    assert key.hex() not in dump
    from sqlalchemy.orm import Session

    from auditkit.db.models import AccessTrailEntry

    with Session(engine) as session:
        first = session.get(AccessTrailEntry, 1)
        assert first is not None
        content = trail._content(first)
        assert first.entry_hash == trail.entry_hash(key, trail.GENESIS, content)
        canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
        unkeyed = hashlib.sha256((trail.GENESIS + canonical).encode()).hexdigest()
        assert first.entry_hash != unkeyed
    assert json.loads(ok("trail", "verify", "--json", *db))["intact"]
