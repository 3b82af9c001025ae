"""Every command under the faults a user meets: a database locked by another program, a
read-only database, a database in a missing folder. Each ends in exit 2 with one line,
no traceback, and the database exactly as it was."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CONTRACT = Path(__file__).resolve().parents[1] / "data" / "contract"


def commands(tmp: Path) -> dict[str, list[str]]:
    """Every command that opens the database, with arguments that would succeed."""
    return {
        "import claims": [
            "import",
            "claims",
            str(CONTRACT / "claims.csv"),
            "--notes",
            str(CONTRACT / "notes.csv"),
        ],
        "audit create": ["audit", "create", "new", "--from", "2026-04-01", "--to", "2026-06-30"],
        "audit run": ["audit", "run", "q"],
        "audit list": ["audit", "list"],
        "audit extrapolate": ["audit", "extrapolate", "q"],
        "sample draw": [
            "sample",
            "draw",
            "fresh",
            "--method",
            "random",
            "--size",
            "2",
            "--seed",
            "1",
        ],
        "findings export stdout": ["findings", "export", "q", "--format", "json"],
        "findings export file": [
            "findings",
            "export",
            "q",
            "--format",
            "csv",
            "-o",
            str(tmp / "f.csv"),
        ],
        "report html": ["report", "q", "-o", str(tmp / "r.html")],
        "report xlsx": ["report", "q", "-o", str(tmp / "r.xlsx")],
        "trail list": ["trail", "list"],
        "trail verify": ["trail", "verify"],
        "trail anchor": ["trail", "anchor", "-o", str(tmp / "anchor.json")],
    }


NAMES = list(commands(Path("/")))
# Commands that only read may well succeed on a read-only database; the others must not.
READ_ONLY_OK = {"audit list", "trail list", "trail verify", "trail anchor"}


@pytest.fixture
def database(cli: Any, sqlite_file: Path) -> Path:
    """The audited database plus an audit ``fresh`` that has no sample yet."""
    cli.ok(
        "audit",
        "create",
        "fresh",
        "--from",
        "2026-04-01",
        "--to",
        "2026-06-30",
        "--database",
        f"sqlite:///{sqlite_file}",
    )
    return sqlite_file


@pytest.fixture
def locked(database: Path) -> Iterator[Path]:
    """Another program holds an exclusive lock on the database."""
    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    yield database
    holder.execute("ROLLBACK")
    holder.close()


@pytest.mark.parametrize("name", NAMES)
def test_a_locked_database(
    cli: Any, locked: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.setenv("AUDITKIT_BUSY_TIMEOUT", "0.2")
    before = cli.digest(locked)
    args = commands(tmp_path)[name]
    result = cli.run(*args, "--database", f"sqlite:///{locked}")
    cli.refused(result, "locked")
    assert cli.digest(locked) == before
    assert not any(p.suffix in {".csv", ".html", ".xlsx"} for p in tmp_path.iterdir())


def test_the_busy_timeout_must_be_a_number(cli: Any, sqlite_file: Path) -> None:
    result = cli.run(
        "audit",
        "list",
        "--database",
        f"sqlite:///{sqlite_file}",
        env={"AUDITKIT_BUSY_TIMEOUT": "soon"},
    )
    cli.refused(result, "AUDITKIT_BUSY_TIMEOUT")


@pytest.mark.parametrize("name", NAMES)
def test_a_read_only_database(cli: Any, database: Path, tmp_path: Path, name: str) -> None:
    before = cli.digest(database)
    url = f"sqlite:///file:{database}?mode=ro&uri=true"
    result = cli.run(*commands(tmp_path)[name], "--database", url)
    if name in READ_ONLY_OK and result.exit_code == 0:
        pass
    else:
        cli.refused(result)
        assert "read-only" in result.stderr or "readonly" in result.stderr
    assert cli.digest(database) == before


@pytest.mark.parametrize("name", NAMES)
def test_a_database_in_a_missing_folder(cli: Any, tmp_path: Path, name: str) -> None:
    url = f"sqlite:///{tmp_path / 'nowhere' / 'a.db'}"
    result = cli.run(*commands(tmp_path)[name], "--database", url)
    cli.refused(result)
    assert not (tmp_path / "nowhere").exists()


def test_init_in_a_missing_folder(cli: Any, tmp_path: Path) -> None:
    result = cli.run("init", "--database", f"sqlite:///{tmp_path / 'nowhere' / 'a.db'}")
    cli.refused(result, "cannot")


@pytest.fixture
def database_on_a_full_disk(database: Path, tmp_path: Path) -> Iterator[Path]:
    """The database on a real, full file system (a tmpfs; needs root, skipped otherwise)."""
    import contextlib
    import os
    import shutil
    import subprocess

    folder = tmp_path / "full"
    folder.mkdir()
    size = database.stat().st_size + 256 * 1024
    mounted = os.geteuid() == 0 and (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
            capture_output=True,
            check=False,
        ).returncode
        == 0
    )
    if not mounted:
        pytest.skip("mounting a tmpfs needs root")
    try:
        copy = folder / "audit.db"
        shutil.copyfile(database, copy)
        with contextlib.suppress(OSError), (folder / "filler").open("wb") as handle:
            handle.write(b"x" * size)
        yield copy
    finally:
        subprocess.run(["umount", str(folder)], capture_output=True, check=False)


WRITERS = ["audit create", "audit run", "sample draw", "report html", "findings export stdout"]


@pytest.mark.parametrize("name", WRITERS)
def test_a_database_on_a_full_disk(
    cli: Any, database_on_a_full_disk: Path, tmp_path: Path, name: str
) -> None:
    before = cli.digest(database_on_a_full_disk)
    result = cli.run(
        *commands(tmp_path)[name], "--database", f"sqlite:///{database_on_a_full_disk}"
    )
    message = cli.refused(result)
    assert "disk" in message or "cannot be opened" in message, message
    assert cli.digest(database_on_a_full_disk) == before
