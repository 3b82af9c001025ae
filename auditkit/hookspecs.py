"""Hook specifications: the contract between auditkit and its plugins.

Built-in checks are plugins too: they register through these same hooks from the default
list in :mod:`auditkit.plugin_manager`. Third-party plugins are found through the
``auditkit`` entry-point group, e.g. in a plugin's ``pyproject.toml``::

    [project.entry-points.auditkit]
    my_checks = "my_package.auditkit_plugin"

and implement any of the hooks below with ``@auditkit.hookimpl``. Every hook is documented
in ``docs/plugins.md`` and has a test named ``test_hook_<name>``; a test fails when one is
missing. A plugin whose module cannot be imported, whose hooks do not match these
specifications, or whose registration fails is reported once (``auditkit checks list``) and
skipped; everything else keeps working.

Hooks are grouped by the phase in which auditkit calls them. None is ``firstresult``: every
plugin's answer is used.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    import click

    from auditkit.refdata.kinds import RefdataKind
    from auditkit.reports.context import ReportContext
    from auditkit.reports.sections import ReportSection
    from auditkit.rules import Check, SetCheck, SetScope
    from auditkit.unit_kinds import UnitKind

PROJECT = "auditkit"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


# --- registration: called once, when the registry is first built --------------------------


@hookspec
def auditkit_checks() -> Sequence[type[Check] | type[SetCheck]]:
    """Return the check classes this plugin provides (per-unit and set-based).

    Every rule id across all plugins must be unique, its metadata complete, and the unit
    kind and reference kinds a check names must be registered; otherwise this plugin is
    reported and skipped.
    """
    raise NotImplementedError


@hookspec
def auditkit_reference_kinds() -> Sequence[RefdataKind]:
    """Return the kinds of reference data this plugin defines (e.g. a payer's fee list).

    ``auditkit refdata load KIND FILE`` loads files of these kinds; checks name them in
    ``needs`` and read the edition in effect on a unit's date through
    ``context.reference(kind, date)``.
    """
    raise NotImplementedError


@hookspec
def auditkit_unit_kinds() -> Sequence[UnitKind]:
    """Return the kinds of unit under review this plugin defines.

    A unit kind counts its units in an audit and, for per-unit checks, loads them as
    immutable records. auditkit defines ``encounter`` and ``access_event``.
    """
    raise NotImplementedError


@hookspec
def auditkit_register_commands(cli: click.Group) -> None:
    """Add click commands or groups to the ``auditkit`` command line.

    Called once while the CLI is built, before arguments are parsed. Import heavy
    libraries inside the commands, not at module level: ``auditkit --help`` stays quick.
    """


# --- audit run: called once per `audit run`, inside its transaction ------------------------


@hookspec
def auditkit_run_figures(scope: SetScope) -> Mapping[str, Any] | None:
    """Compute this plugin's own figures of a finished run (JSON-serialisable), or None.

    Called after the checks ran and the scores were stored, in the same transaction. The
    figures are stored under the plugin's name and reach the reports through
    ``context.figures[plugin_name]``: reports never compute.
    """


# --- reports: called when a report is rendered; no database access -----------------------


@hookspec
def auditkit_report_sections(context: ReportContext) -> Sequence[ReportSection] | None:
    """Return report sections to add to the HTML and Excel reports, built from ``context``.

    Called once per report. Read the figures stored at run time from ``context.figures``.
    A section is text and tables (never HTML): the renderers escape and lay it out, a sheet
    per section in Excel.
    """
