"""Every command documents itself and takes --database; user errors exit 2 without traceback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from auditkit.cli import COMMANDS, main

EXEMPT_FROM_DATABASE = {"checks list", "checks docs", "checks show", "demo", "notes assess"}


def _commands(group: click.Group, prefix: str = "") -> Iterator[tuple[str, click.Command]]:
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        assert command is not None, f"`auditkit {prefix}{name}` is listed but cannot be loaded"
        path = f"{prefix}{name}"
        yield path, command
        if isinstance(command, click.Group):
            yield from _commands(command, path + " ")


ALL = list(_commands(main))


@pytest.mark.parametrize("path, command", ALL, ids=[p for p, _ in ALL])
def test_every_command_has_help(path: str, command: click.Command) -> None:
    assert (command.help or "").strip(), f"`auditkit {path}` has no help text"
    result = CliRunner().invoke(main, [*path.split(), "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output


LEAVES = [(p, c) for p, c in ALL if not isinstance(c, click.Group) and not p.startswith("stats")]


@pytest.mark.parametrize("path, command", LEAVES, ids=[p for p, _ in LEAVES])
def test_database_commands_take_database_option(path: str, command: click.Command) -> None:
    if path in EXEMPT_FROM_DATABASE:
        return
    assert "--database" in {opt for param in command.params for opt in param.opts}


def test_missing_schema_is_a_clear_error(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    result = CliRunner().invoke(main, ["audit", "list", "--database", url])
    assert result.exit_code == 2
    assert "auditkit init" in result.output
    assert "Traceback" not in result.output


def test_unknown_audit_is_a_clear_error(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a.db'}"
    runner = CliRunner()
    assert runner.invoke(main, ["init", "--database", url]).exit_code == 0
    result = runner.invoke(main, ["audit", "run", "nope", "--database", url])
    assert result.exit_code == 2
    assert "no audit named 'nope'" in result.output


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_quick_help_line_is_the_commands_own(name: str) -> None:
    """``auditkit --help`` lists commands without importing them, from a table: each line
    there must be the first line of the command's own help."""
    command = main.get_command(click.Context(main), name)
    assert command is not None
    assert COMMANDS[name][2] == command.get_short_help_str(300)


def test_a_bare_help_imports_no_heavy_library() -> None:
    """`auditkit --help` must answer at once: no database, numeric, spreadsheet or template
    library, and no check module, is imported for it."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from auditkit.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(len(sys.modules), ' '.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    count, names = result.stderr.strip().split(" ", 1)
    modules = set(names.split())
    heavy = {
        "sqlalchemy",
        "alembic",
        "numpy",
        "scipy",
        "openpyxl",
        "jinja2",
        "pyarrow",
        "simple_icd_10_cm",
        "auditkit.db.models",
        "auditkit.plugins.specificity.spc001_invalid_code",
    }
    assert not heavy & modules, f"--help imported {sorted(heavy & modules)}"
    assert int(count) < 260, f"--help imported {count} modules"
    assert "Usage:" in result.stdout and "demo" in result.stdout
