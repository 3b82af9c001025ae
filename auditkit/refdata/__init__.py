"""Reference data a user downloads from CMS/NCHS each quarter or year, loaded as published.

``BUILTIN_KINDS`` holds one :class:`RefdataKind` per kind (``ncci-ptp``, ``mue``,
``pfs-rvu``, ``icd10cm``, ``hcpcs``): its name, description, accepted layouts, ``load``
and ``view``. A load records the file (kind, name, effective period, rows, sha256, when)
and writes its rows in the caller's transaction. A view answers the checks' questions for
the edition in effect on each date of service, a batch of encounters at a time.
"""

from __future__ import annotations

from auditkit.refdata.editions import Edition, edition_in_effect, editions_in_effect
from auditkit.refdata.hcpcs import Hcpcs, HcpcsCode, HcpcsView
from auditkit.refdata.icd10cm import Icd10cm, Icd10cmView
from auditkit.refdata.kinds import LoadRecord, RefdataKind, all_loads
from auditkit.refdata.mue import Mue, MueLimit, MueView
from auditkit.refdata.periods import Period
from auditkit.refdata.ptp import NcciPtp, PtpEdit, PtpView
from auditkit.refdata.rvu import PfsRvu, RvuRow, RvuView

BUILTIN_KINDS: tuple[RefdataKind, ...] = (NcciPtp(), Mue(), PfsRvu(), Icd10cm(), Hcpcs())


def kind_named(name: str, kinds: tuple[RefdataKind, ...] = BUILTIN_KINDS) -> RefdataKind:
    """The kind called ``name`` (``KeyError`` when there is none)."""
    for kind in kinds:
        if kind.name == name:
            return kind
    raise KeyError(name)


__all__ = [
    "BUILTIN_KINDS",
    "Edition",
    "HcpcsCode",
    "HcpcsView",
    "Icd10cmView",
    "LoadRecord",
    "MueLimit",
    "MueView",
    "Period",
    "PtpEdit",
    "PtpView",
    "RefdataKind",
    "RvuRow",
    "RvuView",
    "all_loads",
    "edition_in_effect",
    "editions_in_effect",
    "kind_named",
]
