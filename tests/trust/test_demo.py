"""`auditkit demo` checks its arguments before writing anything, refuses a folder holding
other files, and leaves owner-only files."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--encounters", "50", "--sample-size", "80"], "more than --encounters"),
        (["--encounters", "0"], "--encounters"),
        (["--sample-size", "0"], "--sample-size"),
        (["--encounters", "-5"], "--encounters"),
        (["--seed", "-1"], "--seed"),
        (["--encounters", "many"], "--encounters"),
    ],
)
def test_bad_arguments_write_nothing(
    cli: Any, tmp_path: Path, args: list[str], fragment: str
) -> None:
    out = tmp_path / "demo"
    result = cli.run("demo", "--out", str(out), *args)
    assert result.exit_code == 2 and fragment in result.stderr, result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_a_folder_with_other_files_is_refused(cli: Any, tmp_path: Path) -> None:
    (tmp_path / "thesis.docx").write_text("precious")
    cli.refused(cli.run("demo", "--out", str(tmp_path)), "did not write")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["thesis.docx"]


def test_a_file_as_the_folder_is_refused(cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "demo"
    target.write_text("x")
    result = cli.run("demo", "--out", str(target))  # click's usage error
    assert result.exit_code == 2 and "is a file" in result.stderr
    assert "Traceback" not in result.output and target.read_text() == "x"


def test_a_missing_parent_folder_is_refused(cli: Any, tmp_path: Path) -> None:
    cli.refused(cli.run("demo", "--out", str(tmp_path / "a" / "b")), "does not exist")


def test_the_demo_writes_owner_only_files_and_can_run_again(cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "demo"
    args = ["demo", "--out", str(out), "--encounters", "30", "--sample-size", "10", "--json"]
    cli.ok(*args)
    summary = json.loads(cli.ok(*args).stdout)  # a rerun replaces its own files
    assert summary["encounters_audited"] == 10
    for path in [out, *out.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o077 == 0, (path, oct(mode))
