"""Modifier and units checks (MOD001-MOD009): NCCI PTP bundling, modifier 25, MUE units,
bilateral and repeat modifiers, distinct-procedure modifier overuse and contradictions.

They read the NCCI PTP, MUE and PFS relative value editions in effect on each date of
service, and judge the lines of all the patient's encounters that day with the same
provider. Registered through the same ``auditkit_checks`` hook a third-party plugin uses.
"""

from __future__ import annotations

from auditkit.hookspecs import hookimpl
from auditkit.plugins.modifiers.mod001_ptp_modifier_missing import PtpModifierMissing
from auditkit.plugins.modifiers.mod002_ptp_never_bypassed import PtpNeverBypassed
from auditkit.plugins.modifiers.mod003_missing_25 import MissingModifier25
from auditkit.plugins.modifiers.mod004_25_without_procedure import Modifier25WithoutProcedure
from auditkit.plugins.modifiers.mod005_units_over_mue import UnitsOverMue
from auditkit.plugins.modifiers.mod006_laterality_conflict import LateralityConflict
from auditkit.plugins.modifiers.mod007_repeat_without_modifier import RepeatWithoutModifier
from auditkit.plugins.modifiers.mod008_distinct_without_edit import DistinctModifierWithoutEdit
from auditkit.plugins.modifiers.mod009_contradictory_modifiers import ContradictoryModifiers
from auditkit.rules import Check

CHECKS: tuple[type[Check], ...] = (
    PtpModifierMissing,
    PtpNeverBypassed,
    MissingModifier25,
    Modifier25WithoutProcedure,
    UnitsOverMue,
    LateralityConflict,
    RepeatWithoutModifier,
    DistinctModifierWithoutEdit,
    ContradictoryModifiers,
)


@hookimpl
def auditkit_checks() -> list[type[Check]]:
    return list(CHECKS)
