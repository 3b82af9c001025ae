"""The fixtures shipped in ``auditkit/refdata/fixtures``, loaded for tests and the demo."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import Connection

from auditkit.refdata.hcpcs import Hcpcs
from auditkit.refdata.icd10cm import Icd10cm
from auditkit.refdata.kinds import LoadRecord, RefdataKind
from auditkit.refdata.mue import Mue
from auditkit.refdata.ptp import NcciPtp
from auditkit.refdata.rvu import PfsRvu

FIXTURES = Path(__file__).with_name("fixtures")
DEMO_YEAR = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))

# kind, file, effective period (None: the period the file name encodes)
FIXTURE_FILES: tuple[tuple[RefdataKind, str, tuple[dt.date, dt.date] | None], ...] = (
    (NcciPtp(), "ccipra-v320r0-f1_office_excerpt.txt", DEMO_YEAR),
    (Mue(), "MCR_MUE_PractitionerServices_Eff_01-01-2026_office_excerpt.csv", DEMO_YEAR),
    (PfsRvu(), "PPRRVU23_JAN_office_excerpt.csv", DEMO_YEAR),
    (Hcpcs(), "HCPC2019_ANWEB_office_excerpt.txt", DEMO_YEAR),
    (Icd10cm(), "icd10cm_order_2018_excerpt.txt", None),
)


def load_fixtures(connection: Connection) -> list[LoadRecord]:
    """Load every fixture in the caller's transaction (again: nothing new is written)."""
    records = []
    for kind, name, period in FIXTURE_FILES:
        start, end = period if period is not None else (None, None)
        records.append(kind.load(connection, FIXTURES / name, start, end))
    return records
