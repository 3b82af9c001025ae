"""auditkit's own unit kinds and reference kinds, registered through the plugin hooks
exactly like a third party's."""

from __future__ import annotations

from collections.abc import Sequence

from auditkit.hookspecs import hookimpl
from auditkit.references import ReferenceKind
from auditkit.unit_kinds import AccessEventKind, EncounterKind, UnitKind


@hookimpl
def auditkit_unit_kinds() -> Sequence[UnitKind]:
    return [EncounterKind(), AccessEventKind()]


@hookimpl
def auditkit_reference_kinds() -> Sequence[ReferenceKind]:
    return []
