"""Modifier and units checks (MOD001-MOD009): NCCI PTP bundling, modifier 25, MUE units,
bilateral and repeat modifiers, distinct-procedure modifier overuse and contradictions.

They read the NCCI PTP, MUE and PFS relative value editions in effect on each date of
service, and judge the lines of all the patient's encounters that day with the same
provider. Registered through the same ``auditkit_checks`` hook a third-party plugin uses;
each rule is a module of this package (found by :func:`auditkit.plugins.family_checks`).
"""

from __future__ import annotations

from auditkit.hookspecs import hookimpl
from auditkit.plugins import family_checks
from auditkit.rules import Check, SetCheck


@hookimpl
def auditkit_checks() -> list[type[Check] | type[SetCheck]]:
    return family_checks(__name__)
