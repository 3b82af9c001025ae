"""auditkit's own unit kinds and reference-data kinds, registered through the plugin hooks
exactly like a third party's."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from functools import cached_property
from typing import Any

from auditkit.hookspecs import hookimpl
from auditkit.unit_kinds import AccessEventKind, EncounterKind, UnitKind

# name: (module, class). Imported on first use: registering the kinds (every command,
# `auditkit checks list` included) must not import SQLAlchemy and the models.
REFERENCE_KINDS: dict[str, tuple[str, str]] = {
    "ncci-ptp": ("auditkit.refdata.ptp", "NcciPtp"),
    "mue": ("auditkit.refdata.mue", "Mue"),
    "pfs-rvu": ("auditkit.refdata.rvu", "PfsRvu"),
    "icd10cm": ("auditkit.refdata.icd10cm", "Icd10cm"),
    "hcpcs": ("auditkit.refdata.hcpcs", "Hcpcs"),
}


class DeferredKind:
    """A built-in reference kind known by name until something uses it."""

    def __init__(self, name: str, module: str, attribute: str) -> None:
        self.name = name
        self._where = (module, attribute)

    @cached_property
    def kind(self) -> Any:
        module, attribute = self._where
        return getattr(importlib.import_module(module), attribute)()

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self.kind, attribute)


@hookimpl
def auditkit_unit_kinds() -> Sequence[UnitKind]:
    return [EncounterKind(), AccessEventKind()]


@hookimpl
def auditkit_reference_kinds() -> Sequence[Any]:
    return [DeferredKind(name, *where) for name, where in REFERENCE_KINDS.items()]
