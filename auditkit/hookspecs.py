"""Hook specifications: the contract between auditkit and its plugins.

Built-in checks are plugins too: they register through these same hooks from the default
list in :mod:`auditkit.plugin_manager`. Third-party plugins are found through the
``auditkit`` entry-point group, e.g. in a plugin's ``pyproject.toml``::

    [project.entry-points.auditkit]
    my_checks = "my_package.auditkit_plugin"

and implement any of the hooks below with ``@auditkit.hookimpl``.
"""

from __future__ import annotations

import click
import pluggy

from auditkit.rules import Check

PROJECT = "auditkit"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


# --- registration: called once, when the plugin manager is built -------------------------


@hookspec
def auditkit_checks() -> list[type[Check]]:
    """Return the check classes this plugin provides.

    Called when the plugin manager is first used. Every rule id across all plugins must be
    unique and its metadata complete, or the plugin is refused with a message naming it.
    """
    raise NotImplementedError


@hookspec
def auditkit_register_commands(cli: click.Group) -> None:
    """Add click commands or groups to the ``auditkit`` command line.

    Called once while the CLI is built, before arguments are parsed.
    """
