"""The ``auditkit`` command line: thin click commands over the core services.

Commands are imported only when they run: ``auditkit --help`` lists them from the table
below without importing SQLAlchemy models, numpy, openpyxl or Jinja, so it answers at once.
Plugins' commands (``auditkit_register_commands``) are added the first time the command list
is needed, from the plugin manager in force.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

import click

from auditkit import __version__
from auditkit.cli.group import AuditkitGroup

# name: (module, attribute, one line of help). The test of the CLI checks these lines
# against each command's own docstring, so they cannot drift.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "init": (
        "auditkit.cli.init",
        "init",
        "Create the database schema, or upgrade it to this version of auditkit.",
    ),
    "import": (
        "auditkit.cli.importing",
        "import_group",
        "Import input files (CSV or XLSX) into the database, validated, in one transaction.",
    ),
    "refdata": (
        "auditkit.cli.refdata",
        "refdata",
        "Load and list reference data (NCCI PTP, MUE, PFS RVU, ICD-10-CM, HCPCS, plugins' kinds).",
    ),
    "notes": (
        "auditkit.cli.notes",
        "notes",
        "Read clinical notes the way the documentation checks do.",
    ),
    "audit": ("auditkit.cli.audit", "audit", "Create audits, run their checks, list them."),
    "sample": ("auditkit.cli.sample", "sample", "Draw and inspect audit samples."),
    "findings": ("auditkit.cli.findings", "findings", "Export an audit's findings."),
    "report": (
        "auditkit.cli.report",
        "report",
        "Write the report of audit NAME as HTML or Excel.",
    ),
    "checks": ("auditkit.cli.checks", "checks", "Inspect the installed checks and their rules."),
    "stats": (
        "auditkit.cli.stats",
        "stats",
        "RAT-STATS-equivalent statistics: random numbers, appraisal and sample sizes.",
    ),
    "trail": (
        "auditkit.cli.trail",
        "trail",
        "auditkit's own keyed, hash-chained record of who read or wrote PHI through it.",
    ),
    "demo": (
        "auditkit.cli.demo",
        "demo",
        "Run the whole audit on synthetic data, in a new folder.",
    ),
}


def _available(name: str) -> bool:
    """A command whose module is not part of this installation is left out."""
    module = COMMANDS[name][0]
    return importlib.util.find_spec(module) is not None


class MainGroup(AuditkitGroup):
    """The top-level group: built-in commands loaded lazily, plugins' commands added once."""

    _plugins_from: Any = None

    def _plugin_commands(self) -> None:
        from auditkit.plugin_manager import loaded_plugin_manager

        manager = loaded_plugin_manager()
        if self._plugins_from is manager:
            return
        for name in [name for name in self.commands if name not in COMMANDS]:
            del self.commands[name]  # added by an earlier manager (tests reset it)
        manager.hook.auditkit_register_commands(cli=self)
        self._plugins_from = manager

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._plugin_commands()
        names = {name for name in COMMANDS if _available(name)} | set(self.commands)
        return sorted(names)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in COMMANDS and name not in self.commands and _available(name):
            module, attribute, _ = COMMANDS[name]
            command = getattr(importlib.import_module(module), attribute)
            self.add_command(command, name)
        if name not in self.commands:
            self._plugin_commands()
        return self.commands.get(name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The list in ``--help``: built-ins from the table, plugins' from their commands."""
        self._plugin_commands()
        rows = []
        for name in self.list_commands(ctx):
            if name in COMMANDS:
                rows.append((name, COMMANDS[name][2]))
            else:
                command = self.commands[name]
                rows.append((name, command.get_short_help_str(formatter.width)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=MainGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="auditkit")
def main() -> None:
    """auditkit: coding-compliance audits of medical claims, offline and reproducible.

    Typical flow: init → import claims → audit create → sample draw → audit run →
    findings export / report. `auditkit demo` runs all of it on synthetic data.
    """
