"""HIPAA access review (HIP001–HIP011, HIP100): explain first, then flag.

The explanation step (:mod:`.review`) links each user's accesses to a patient on a day to
the treatment relationships in the data — encounters in the user's department or with the
user as rendering provider, care-team entries, billing and coding work — and keeps the
relationship red flags (family, co-worker, self, VIP, neighbour) even on explained
accesses. The rules read its cases in SQL; the run's figures roll findings up per user.
Registered through the same hooks a third-party plugin uses.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from auditkit.hookspecs import hookimpl
from auditkit.plugins.hipaa_access.hip001_no_treatment_relationship import (
    NoTreatmentRelationship,
)
from auditkit.plugins.hipaa_access.hip002_same_last_name import SameLastName
from auditkit.plugins.hipaa_access.hip003_coworker import Coworker
from auditkit.plugins.hipaa_access.hip004_self_access import SelfAccess
from auditkit.plugins.hipaa_access.hip005_vip_unexplained import VipUnexplained
from auditkit.plugins.hipaa_access.hip006_after_termination import AfterTermination
from auditkit.plugins.hipaa_access.hip007_same_address import SameAddress
from auditkit.plugins.hipaa_access.hip008_deceased_unexplained import DeceasedUnexplained
from auditkit.plugins.hipaa_access.hip009_volume_anomaly import VolumeAnomaly
from auditkit.plugins.hipaa_access.hip010_break_glass_without_reason import (
    BreakGlassWithoutReason,
)
from auditkit.plugins.hipaa_access.hip011_after_hours import AfterHours
from auditkit.plugins.hipaa_access.hip100_logging_integrity import LoggingIntegrity
from auditkit.rules import SetCheck, SetScope

CHECKS: tuple[type[SetCheck], ...] = (
    NoTreatmentRelationship,
    SameLastName,
    Coworker,
    SelfAccess,
    VipUnexplained,
    AfterTermination,
    SameAddress,
    DeceasedUnexplained,
    VolumeAnomaly,
    BreakGlassWithoutReason,
    AfterHours,
    LoggingIntegrity,
)
FIGURES_KEY = "auditkit.plugins.hipaa_access"  # context.figures drops "plugin:"


@hookimpl
def auditkit_checks() -> list[type[SetCheck]]:
    return list(CHECKS)


@hookimpl
def auditkit_run_figures(scope: SetScope) -> Mapping[str, Any] | None:
    from auditkit.plugins.hipaa_access.figures import access_figures

    return access_figures(scope)


@hookimpl
def auditkit_report_sections(context: Any) -> Sequence[Any] | None:
    from auditkit.plugins.hipaa_access.sections import access_section

    figures = context.figures.get(FIGURES_KEY)
    return [access_section(figures)] if figures else None
