"""HIPAA access review (HIP001–HIP011, HIP100): explain first, then flag.

The explanation step (:mod:`.review`) links each user's accesses to a patient on a day to
the treatment relationships in the data — encounters in the user's department or with the
user as rendering provider, care-team entries, billing and coding work — and keeps the
relationship red flags (family, co-worker, self, VIP, neighbour) even on explained
accesses. The rules read its cases in SQL; the run's figures roll findings up per user.
Registered through the same hooks a third-party plugin uses; each rule is a module of this
package (found by :func:`auditkit.plugins.family_checks`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from auditkit.hookspecs import hookimpl
from auditkit.plugins import family_checks
from auditkit.rules import Check, SetCheck, SetScope

FIGURES_KEY = "auditkit.plugins.hipaa_access"  # context.figures drops "plugin:"


@hookimpl
def auditkit_checks() -> list[type[Check] | type[SetCheck]]:
    return family_checks(__name__)


@hookimpl
def auditkit_run_figures(scope: SetScope) -> Mapping[str, Any] | None:
    from auditkit.plugins.hipaa_access.figures import access_figures

    return access_figures(scope)


@hookimpl
def auditkit_report_sections(context: Any) -> Sequence[Any] | None:
    from auditkit.plugins.hipaa_access.sections import access_section

    figures = context.figures.get(FIGURES_KEY)
    return [access_section(figures)] if figures else None
