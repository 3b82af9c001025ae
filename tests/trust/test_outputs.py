"""Output paths that would destroy data, formats that contradict the name, permissions,
and writes that fail half-way: every command that writes a file goes through
auditkit.outputs and none of these leaves a damaged or world-readable file."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from auditkit import outputs

WRITERS = [
    ("report-html", ["report", "q", "--format", "html"]),
    ("report-xlsx", ["report", "q", "--format", "xlsx"]),
    ("findings-csv", ["findings", "export", "q", "--format", "csv"]),
    ("findings-json", ["findings", "export", "q", "--format", "json"]),
    ("trail-anchor", ["trail", "anchor"]),
]
IDS = [name for name, _ in WRITERS]
SUFFIX = {
    "report-html": ".html",
    "report-xlsx": ".xlsx",
    "findings-csv": ".csv",
    "findings-json": ".json",
    "trail-anchor": ".json",
}


def _db(path: Path) -> list[str]:
    return ["--database", f"sqlite:///{path}"]


def _trail_count(path: Path) -> int:
    import sqlite3

    with sqlite3.connect(path) as connection:
        return int(connection.execute("SELECT count(*) FROM access_trail").fetchone()[0])


@pytest.mark.parametrize(("name", "args"), WRITERS, ids=IDS)
def test_writing_over_the_database_in_use_is_refused(
    cli: Any, sqlite_file: Path, name: str, args: list[str]
) -> None:
    before = cli.digest(sqlite_file)
    result = cli.run(*args, "-o", str(sqlite_file), *_db(sqlite_file))
    cli.refused(result, "database in use")
    assert cli.digest(sqlite_file) == before


@pytest.mark.parametrize(("name", "args"), WRITERS, ids=IDS)
def test_writing_over_another_sqlite_database_is_refused(
    cli: Any, sqlite_file: Path, tmp_path: Path, name: str, args: list[str]
) -> None:
    other = tmp_path / f"other{SUFFIX[name]}"
    other.write_bytes(sqlite_file.read_bytes())
    cli.refused(cli.run(*args, "-o", str(other), *_db(sqlite_file)), "SQLite database")
    assert other.read_bytes() == sqlite_file.read_bytes()


def test_writing_over_the_database_by_another_name_is_refused(
    cli: Any, sqlite_file: Path, tmp_path: Path
) -> None:
    alias = tmp_path / "alias.html"
    alias.symlink_to(sqlite_file)
    before = cli.digest(sqlite_file)
    result = cli.run("report", "q", "-o", str(alias), *_db(sqlite_file))
    cli.refused(result, "database in use")
    assert cli.digest(sqlite_file) == before


def test_writing_over_the_settings_file_is_refused(
    cli: Any, sqlite_file: Path, tmp_path: Path
) -> None:
    settings = tmp_path / "auditkit.html"  # a settings file with an unlucky name
    settings.write_text("[scoring]\npass_threshold = 0.9\n")
    result = cli.run(
        "report", "q", "-o", str(settings), "--config", str(settings), *_db(sqlite_file)
    )
    cli.refused(result, "input file")
    assert settings.read_text().startswith("[scoring]")


@pytest.mark.parametrize(("name", "args"), WRITERS, ids=IDS)
def test_a_missing_folder_is_refused_before_anything_is_recorded(
    cli: Any, sqlite_file: Path, tmp_path: Path, name: str, args: list[str]
) -> None:
    entries = _trail_count(sqlite_file)
    target = tmp_path / "no-such-folder" / f"out{SUFFIX[name]}"
    cli.refused(cli.run(*args, "-o", str(target), *_db(sqlite_file)), "does not exist")
    assert not target.parent.exists()
    assert _trail_count(sqlite_file) == entries


def test_checks_docs_into_a_missing_folder_is_refused(cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "missing" / "rules.md"
    cli.refused(cli.run("checks", "docs", "-o", str(target)), "does not exist")


def test_a_folder_as_output_is_refused(cli: Any, sqlite_file: Path, tmp_path: Path) -> None:
    folder = tmp_path / "out.html"
    folder.mkdir()
    result = cli.run("report", "q", "-o", str(folder), *_db(sqlite_file))
    # click's own usage error (exit 2, the usage line, then the reason)
    assert result.exit_code == 2 and "is a directory" in result.stderr
    assert "Traceback" not in result.output
    assert outputs.check_output.__name__  # and the library refuses it too:
    with pytest.raises(outputs.AuditkitError, match="is a folder"):
        outputs.check_output(folder)


@pytest.mark.parametrize(
    ("fmt", "name"),
    [("html", "x.xlsx"), ("xlsx", "x.html"), ("html", "x.csv"), ("xlsx", "report.htm")],
)
def test_a_suffix_contradicting_the_format_is_refused(
    cli: Any, sqlite_file: Path, tmp_path: Path, fmt: str, name: str
) -> None:
    target = tmp_path / name
    result = cli.run("report", "q", "--format", fmt, "-o", str(target), *_db(sqlite_file))
    cli.refused(result, f"--format is {fmt}")
    assert not target.exists()


def test_the_format_is_taken_from_the_suffix(cli: Any, sqlite_file: Path, tmp_path: Path) -> None:
    cli.ok("report", "q", "-o", str(tmp_path / "r.xlsx"), *_db(sqlite_file))
    assert openpyxl.load_workbook(tmp_path / "r.xlsx").sheetnames
    cli.ok("report", "q", "-o", str(tmp_path / "r.HTML"), *_db(sqlite_file))
    assert (tmp_path / "r.HTML").read_text().startswith("<!DOCTYPE html>")
    cli.refused(
        cli.run("report", "q", "-o", str(tmp_path / "r.pdf"), *_db(sqlite_file)), "--format"
    )
    cli.ok("report", "q", "--format", "html", "-o", str(tmp_path / "noext"), *_db(sqlite_file))


@pytest.fixture
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    previous = os.umask(request.param)
    yield request.param
    os.umask(previous)


@pytest.mark.parametrize(
    ("umask", "mode"), [(0o022, 0o600), (0o000, 0o600), (0o277, 0o400)], indirect=["umask"]
)
@pytest.mark.parametrize(("name", "args"), WRITERS, ids=IDS)
def test_new_files_are_owner_only(
    cli: Any,
    sqlite_file: Path,
    tmp_path: Path,
    umask: int,
    mode: int,
    name: str,
    args: list[str],
) -> None:
    target = tmp_path / f"out{SUFFIX[name]}"
    cli.ok(*args, "-o", str(target), *_db(sqlite_file))
    assert stat.S_IMODE(target.stat().st_mode) == mode


def test_a_replaced_world_readable_file_becomes_owner_only(
    cli: Any, sqlite_file: Path, tmp_path: Path
) -> None:
    target = tmp_path / "r.html"
    target.write_text("old")
    target.chmod(0o644)
    cli.ok("report", "q", "-o", str(target), *_db(sqlite_file))
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o600), (0o077, 0o600)], indirect=["umask"])
def test_a_new_sqlite_database_is_owner_only(
    cli: Any, tmp_path: Path, umask: int, mode: int
) -> None:
    database = tmp_path / "new.db"
    cli.ok("init", *_db(database))
    assert stat.S_IMODE(database.stat().st_mode) == mode


def test_checks_docs_is_owner_only(cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "rules.md"
    cli.ok("checks", "docs", "-o", str(target))
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text().startswith("#")


def _no_leftovers(folder: Path) -> list[str]:
    return sorted(
        p.name
        for p in folder.iterdir()
        if p.name.endswith((".tmp.html", ".tmp.xlsx", ".tmp.csv", ".tmp.json")) or ".tmp" in p.name
    )


@pytest.mark.parametrize(("name", "args"), WRITERS, ids=IDS)
def test_a_full_disk_leaves_the_old_file_and_no_entry(
    cli: Any,
    sqlite_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    args: list[str],
) -> None:
    """ENOSPC as the kernel reports it on a full disk: at the flush before the rename."""
    out = tmp_path / "out"
    out.mkdir()
    target = out / f"r{SUFFIX[name]}"
    target.write_text("previous version")
    entries = _trail_count(sqlite_file)

    def full(_descriptor: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(outputs.os, "fsync", full)
    cli.refused(cli.run(*args, "-o", str(target), *_db(sqlite_file)), "disk is full")
    assert target.read_text() == "previous version"
    assert sorted(p.name for p in out.iterdir()) == [target.name]
    if name != "trail-anchor":  # the anchor records nothing
        assert _trail_count(sqlite_file) == entries


def test_a_renderer_failing_half_way_leaves_no_file(
    cli: Any, sqlite_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib

    report_module = importlib.import_module("auditkit.cli.report")

    def half(_context: object, path: Path) -> Path:
        path.write_bytes(b"PK\x03\x04 half a workbook")
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(report_module, "write_xlsx", half)
    target = tmp_path / "r.xlsx"
    cli.refused(cli.run("report", "q", "-o", str(target), *_db(sqlite_file)), "cannot write")
    assert list(tmp_path.glob("*r.xlsx*")) == []


def test_a_real_file_size_limit_is_a_clear_error(sqlite_file: Path, tmp_path: Path) -> None:
    """A real kernel refusal (RLIMIT_FSIZE → EFBIG), in a child process: no patching."""
    import resource
    import signal
    import subprocess
    import sys

    target = tmp_path / "r.html"
    limit = 20 * 1024  # the report (about 40 KB) is written before anything else

    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    code = "from auditkit.cli import main; main()"
    result = subprocess.run(
        [sys.executable, "-c", code, "report", "q", "-o", str(target), *_db(sqlite_file)],
        capture_output=True,
        text=True,
        preexec_fn=limited,
        timeout=300,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    # the report file, or the database's journal first (the read is recorded in the trail)
    assert ("cannot write" in result.stderr and "larger than allowed" in result.stderr) or (
        "the disk could not be read or written" in result.stderr
    )
    assert not target.exists() and list(tmp_path.glob(".r.html*")) == []


def _mount_tmpfs(folder: Path, options: str) -> bool:
    import subprocess

    folder.mkdir(exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


def _umount(folder: Path) -> None:
    import subprocess

    subprocess.run(["umount", str(folder)], capture_output=True, check=False)


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 48 KiB file system (needs root to mount; skipped otherwise)."""
    folder = tmp_path / "tiny"
    if os.geteuid() != 0 or not _mount_tmpfs(folder, "size=48k"):
        pytest.skip("mounting a tmpfs needs root")
    yield folder
    _umount(folder)


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder the process cannot write: a read-only tmpfs as root, else chmod 0555."""
    folder = tmp_path / "ro"
    if os.geteuid() == 0:
        if not _mount_tmpfs(folder, "ro,size=16k"):
            pytest.skip("cannot mount a read-only tmpfs")
        yield folder
        _umount(folder)
    else:
        folder.mkdir()
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)


@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize(("name", "args"), WRITERS, ids=IDS)
def test_a_really_full_disk(
    cli: Any, sqlite_file: Path, tiny_disk: Path, name: str, args: list[str]
) -> None:
    filler = tiny_disk / "filler"
    # Fill it up: a new file can still be created, but not written.
    with contextlib.suppress(OSError), filler.open("wb") as handle:
        handle.write(b"x" * (64 * 1024))
    target = tiny_disk / f"r{SUFFIX[name]}"
    result = cli.run(*args, "-o", str(target), *_db(sqlite_file))
    cli.refused(result, "cannot write")
    assert sorted(p.name for p in tiny_disk.iterdir()) == ["filler"]


@pytest.mark.parametrize(("name", "args"), WRITERS, ids=IDS)
def test_a_read_only_folder(
    cli: Any, sqlite_file: Path, read_only_folder: Path, name: str, args: list[str]
) -> None:
    target = read_only_folder / f"r{SUFFIX[name]}"
    result = cli.run(*args, "-o", str(target), *_db(sqlite_file))
    cli.refused(result, "cannot write")
    assert list(read_only_folder.iterdir()) == []


def test_checks_docs_into_a_read_only_folder(cli: Any, read_only_folder: Path) -> None:
    cli.refused(cli.run("checks", "docs", "-o", str(read_only_folder / "r.md")), "cannot write")
