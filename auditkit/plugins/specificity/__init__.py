"""Specificity checks (SPC001-SPC006): is each diagnosis code valid, complete, sided,
compatible with the others, sequenced right and plausible for the patient?

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
