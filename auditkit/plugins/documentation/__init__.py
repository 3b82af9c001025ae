"""Documentation checks (DOC001-DOC008): does the note support what was billed and coded,
is it the note of this visit, and is it signed in time? Responsible: the provider.

Registered through the same ``auditkit_checks`` hook a third-party plugin uses; each rule is
a module of this package (found by :func:`auditkit.plugins.family_checks`).
"""

from __future__ import annotations

from auditkit.hookspecs import hookimpl
from auditkit.plugins import family_checks
from auditkit.rules import Check, SetCheck


@hookimpl
def auditkit_checks() -> list[type[Check] | type[SetCheck]]:
    return family_checks(__name__)
