"""The ``auditkit`` command line: thin click commands over the core services."""

from __future__ import annotations

import click

from auditkit import __version__
from auditkit.cli.audit import audit
from auditkit.cli.checks import checks
from auditkit.cli.common import AuditkitGroup
from auditkit.cli.demo import demo
from auditkit.cli.findings import findings
from auditkit.cli.importing import import_group
from auditkit.cli.init import init
from auditkit.cli.notes import notes
from auditkit.cli.report import report
from auditkit.cli.sample import sample
from auditkit.cli.stats import stats
from auditkit.cli.trail import trail
from auditkit.plugin_manager import plugin_manager


@click.group(cls=AuditkitGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="auditkit")
def main() -> None:
    """auditkit: coding-compliance audits of medical claims, offline and reproducible.

    Typical flow: init → import claims → audit create → sample draw → audit run →
    findings export / report. `auditkit demo` runs all of it on synthetic data.
    """


for command in (init, import_group, audit, sample, findings, report, checks, stats, trail, demo):
    main.add_command(command)
main.add_command(notes)

plugin_manager().hook.auditkit_register_commands(cli=main)
