"""The access trail under attack: each kind of tampering is detected by `trail verify`.

The attacker here can write to the database (an administrator, a copied file) but cannot
read the key kept outside it; docs/trail.md says what follows when they can.
"""

from __future__ import annotations

import hashlib
import json
import stat
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from sqlalchemy import Engine, text

from auditkit import trail


def verify(cli: Any, db: tuple[str, str], *extra: str) -> tuple[Result, dict[str, Any]]:
    result = cli.run("trail", "verify", "--json", *extra, *db)
    return result, json.loads(result.stdout)


def broken(cli: Any, db: tuple[str, str], *extra: str) -> dict[str, Any]:
    result, body = verify(cli, db, *extra)
    assert result.exit_code == 1, result.output
    assert body["intact"] is False
    return body


def test_an_untouched_trail_verifies(cli: Any, audited: tuple[str, str]) -> None:
    result, body = verify(cli, audited)
    assert result.exit_code == 0 and body["intact"]
    assert body["entries"] == 4 and len(body["head_hash"]) == 64


def test_an_edited_entry_is_detected(cli: Any, audited: tuple[str, str], engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("UPDATE access_trail SET subject = 'audit:other' WHERE id = 2"))
    body = broken(cli, audited)
    assert body["entry_id"] == 2 and "HMAC" in body["problem"]


def test_an_edited_detail_is_detected(cli: Any, audited: tuple[str, str], engine: Engine) -> None:
    with engine.begin() as connection:
        row = connection.execute(text("SELECT detail FROM access_trail WHERE id = 1")).scalar_one()
        detail = row if isinstance(row, dict) else json.loads(row)
        detail["lines"] = 1
        connection.execute(
            text("UPDATE access_trail SET detail = :d WHERE id = 1"), {"d": json.dumps(detail)}
        )
    assert broken(cli, audited)["entry_id"] == 1


def _rechain_with_sha256(engine: Engine) -> None:
    """What the old, unkeyed trail allowed: edit an entry and recompute the whole chain."""
    with engine.begin() as connection:
        connection.execute(text("UPDATE access_trail SET actor = 'someone-else' WHERE id = 2"))
        rows = connection.execute(text("SELECT * FROM access_trail ORDER BY id")).mappings().all()
        previous = trail.GENESIS
        for row in rows:
            detail = row["detail"] if isinstance(row["detail"], dict) else json.loads(row["detail"])
            content = {
                "id": row["id"],
                "recorded_at": _iso(row["recorded_at"]),
                "actor": row["actor"],
                "command": row["command"],
                "action": row["action"],
                "subject": row["subject"],
                "detail": detail,
            }
            canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
            digest = hashlib.sha256((previous + canonical).encode()).hexdigest()
            connection.execute(
                text("UPDATE access_trail SET previous_hash = :p, entry_hash = :h WHERE id = :i"),
                {"p": previous, "h": digest, "i": row["id"]},
            )
            previous = digest


def _iso(value: Any) -> str:
    return value.isoformat(timespec="microseconds") if hasattr(value, "isoformat") else value


def test_a_recomputed_chain_without_the_key_is_detected(
    cli: Any, audited: tuple[str, str], engine: Engine
) -> None:
    _rechain_with_sha256(engine)
    body = broken(cli, audited)
    assert body["entry_id"] == 1 and "forged" in body["problem"]


def test_a_chain_forged_with_another_key_is_detected(
    cli: Any,
    audited: tuple[str, str],
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    real_key = Path(trail.key_path())
    # The attacker appends an entry with a key of their own.
    monkeypatch.setenv("AUDITKIT_TRAIL_KEY", str(tmp_path / "attacker.key"))
    attacker_key = trail.load_key(create=True)[0]
    assert attacker_key is not None
    with engine.begin() as connection:
        head = connection.execute(
            text("SELECT id, entry_hash FROM access_trail ORDER BY id DESC LIMIT 1")
        ).one()
    from sqlalchemy.orm import Session

    with Session(engine) as session, session.begin():
        trail.record(session, "report", "read", "audit:q", output="forged")
    monkeypatch.setenv("AUDITKIT_TRAIL_KEY", str(real_key))
    body = broken(cli, audited)
    assert body["entry_id"] == head.id + 1


def test_reordered_entries_are_detected(cli: Any, audited: tuple[str, str], engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("UPDATE access_trail SET id = 1000 WHERE id = 2"))
        connection.execute(text("UPDATE access_trail SET id = 2 WHERE id = 3"))
        connection.execute(text("UPDATE access_trail SET id = 3 WHERE id = 1000"))
    assert broken(cli, audited)["entry_id"] == 2


def test_a_deleted_middle_entry_is_detected(
    cli: Any, audited: tuple[str, str], engine: Engine
) -> None:
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM access_trail WHERE id = 2"))
    assert "missing" in broken(cli, audited)["problem"]


def test_entries_cut_from_the_end_are_detected(
    cli: Any, audited: tuple[str, str], engine: Engine
) -> None:
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM access_trail WHERE id >= 3"))
    body = broken(cli, audited)
    assert "cut from the end" in body["problem"] and body["entry_id"] == 3


def test_cut_detected_even_without_a_verify_in_between(
    cli: Any, audited: tuple[str, str], engine: Engine
) -> None:
    cli.ok("trail", "verify", *audited)
    cli.ok("findings", "export", cli.audit, "--format", "json", *audited)  # entry 5
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM access_trail WHERE id = 5"))
    assert "cut" in broken(cli, audited)["problem"]


def test_a_wiped_trail_is_detected(cli: Any, audited: tuple[str, str], engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM access_trail"))
    body = broken(cli, audited)
    assert "wiped" in body["problem"] and body["entries"] == 0


def test_a_replaced_last_entry_is_detected_even_when_rewritten_with_the_key(
    cli: Any, audited: tuple[str, str], engine: Engine
) -> None:
    """Someone holding the key deletes the last entry and records another in its place:
    the chain is valid, but the checkpoint holds the head that was there."""
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM access_trail WHERE id = 4"))
    from sqlalchemy.orm import Session

    with Session(engine) as session, session.begin():
        trail.record(session, "audit run", "write", "audit:q", findings=0)
    body = broken(cli, audited)
    assert body["entry_id"] == 4 and "replaced" in body["problem"]


def test_an_altered_checkpoint_is_detected(
    cli: Any, audited: tuple[str, str], trail_key: Path
) -> None:
    cli.ok("trail", "verify", *audited)
    (checkpoint,) = (trail_key.parent / trail.CHECKPOINT_FOLDER).glob("*.json")
    body = json.loads(checkpoint.read_text())
    body["entries"] = 1
    checkpoint.write_text(json.dumps(body))
    assert "checkpoint" in broken(cli, audited)["problem"]


def test_the_anchor_reveals_a_cut_the_checkpoint_lost(
    cli: Any, audited: tuple[str, str], engine: Engine, trail_key: Path, tmp_path: Path
) -> None:
    anchor = tmp_path / "anchor.json"
    cli.ok("trail", "anchor", "-o", str(anchor), *audited)
    assert json.loads(anchor.read_text())["entries"] == 4
    assert stat.S_IMODE(anchor.stat().st_mode) == 0o600
    for checkpoint in (trail_key.parent / trail.CHECKPOINT_FOLDER).glob("*.json"):
        checkpoint.unlink()  # the attacker also reached the checkpoint folder
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM access_trail WHERE id = 4"))
    result, body = verify(cli, audited)
    assert result.exit_code == 0  # the shorter chain alone is consistent …
    body = broken(cli, audited, "--anchor", str(anchor))  # … the anchor is not
    assert "no longer has entry 4" in body["problem"]


def test_a_missing_key_is_a_clear_error_and_no_new_key_is_made(
    cli: Any, audited: tuple[str, str], trail_key: Path
) -> None:
    trail_key.unlink()
    cli.refused(cli.run("trail", "verify", *audited), "key", str(trail_key))
    result = cli.run("findings", "export", cli.audit, "--format", "json", *audited)
    cli.refused(result, "key", "missing", "nothing was written")
    assert not trail_key.exists()


def test_the_key_is_owner_only(audited: tuple[str, str], trail_key: Path) -> None:
    assert stat.S_IMODE(trail_key.stat().st_mode) == 0o600
    assert len(bytes.fromhex(trail_key.read_text().strip())) == trail.KEY_BYTES


def test_the_user_is_the_os_account_not_logname(
    cli: Any, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import pwd

    monkeypatch.setenv("LOGNAME", "mallory")
    monkeypatch.setenv("USER", "mallory")
    db = ("--database", database_url)
    cli.ok("init", *db)
    cli.ok(
        "--user",
        "Dr Jane Roe",
        "audit",
        "create",
        "q",
        "--from",
        "2026-04-01",
        "--to",
        "2026-06-30",
        *db,
    )
    cli.ok("audit", "create", "r", "--from", "2026-04-01", "--to", "2026-06-30", *db)
    entries = json.loads(cli.ok("trail", "list", "--json", *db).stdout)
    account = pwd.getpwuid(os.geteuid()).pw_name
    assert [e["actor"] for e in entries] == [account, account]
    assert [e["claimed_user"] for e in entries] == ["Dr Jane Roe", None]
    assert "mallory" not in json.dumps(entries)


def test_record_keeps_its_signature_and_the_callers_transaction(engine: Engine) -> None:
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        with session.begin():
            trail.record(session, "report", "read", "audit:x", format="html")
        try:
            with session.begin():
                trail.record(session, "report", "read", "audit:y")
                raise RuntimeError("the work failed")
        except RuntimeError:
            pass
    with engine.connect() as connection:
        subjects = connection.execute(text("SELECT subject FROM access_trail")).scalars().all()
    assert subjects == ["audit:x"]
