"""Every command documents itself and takes --database; user errors exit 2 without traceback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from auditkit.cli import main

EXEMPT_FROM_DATABASE = {"checks list", "checks docs", "demo"}


def _commands(group: click.Group, prefix: str = "") -> Iterator[tuple[str, click.Command]]:
    for name, command in group.commands.items():
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
