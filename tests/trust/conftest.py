"""Shared pieces of the hostile and faulty cases: a database with an audited sample, and
what a user error must look like (exit 2, one ``Error:`` line, no traceback)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from auditkit.cli import main

DATA = Path(__file__).resolve().parents[1] / "data" / "contract"
AUDIT = "q"


class Cli:
    """Runs ``auditkit`` in-process; reached through the ``cli`` fixture."""

    audit = AUDIT
    data = DATA

    @staticmethod
    def run(*args: str, env: dict[str, str] | None = None) -> Result:
        return run(*args, env=env)

    @staticmethod
    def ok(*args: str, env: dict[str, str] | None = None) -> Result:
        return ok(*args, env=env)

    @staticmethod
    def refused(result: Result, *fragments: str) -> str:
        return assert_user_error(result, *fragments)

    @staticmethod
    def digest(path: Path) -> str:
        return file_digest(path)


@pytest.fixture
def cli() -> Cli:
    return Cli()


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env)


def ok(*args: str, env: dict[str, str] | None = None) -> Result:
    result = run(*args, env=env)
    assert result.exit_code == 0, result.output
    return result


def assert_user_error(result: Result, *fragments: str) -> str:
    """Exit 2, no traceback, exactly one ``Error:`` line, holding every fragment."""
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    errors = [line for line in errors if not line.startswith("Settings: ")]
    assert len(errors) == 1 and errors[0].startswith("Error: "), result.stderr
    for fragment in fragments:
        assert fragment.lower() in errors[0].lower(), (fragment, errors[0])
    return errors[0]


def audit_database(url: str) -> tuple[str, str]:
    """Import the contract's claims, create audit ``q``, sample everything and run it."""
    db = ("--database", url)
    ok("init", *db)
    ok("import", "claims", str(DATA / "claims.csv"), "--notes", str(DATA / "notes.csv"), *db)
    ok("audit", "create", AUDIT, "--from", "2026-04-01", "--to", "2026-06-30", *db)
    ok("sample", "draw", AUDIT, "--method", "all", *db)
    ok("audit", "run", AUDIT, *db)
    return db


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def audited(database_url: str) -> tuple[str, str]:
    """``--database URL`` of an audited database (SQLite, and PostgreSQL when configured)."""
    return audit_database(database_url)


@pytest.fixture
def sqlite_file(tmp_path: Path) -> Path:
    """An audited SQLite database file (for the cases about files)."""
    path = tmp_path / "audit.db"
    audit_database(f"sqlite:///{path}")
    return path
