"""Shared pieces of the reference-data tests: the publishers' files, the CLI, table counts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import func, select

from auditkit.cli import main
from auditkit.db.models import (
    RefdataHcpcs,
    RefdataIcd10cm,
    RefdataLoad,
    RefdataMue,
    RefdataPtpEdit,
    RefdataRvu,
)
from auditkit.db.session import make_engine

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "real-data" / "cms"
PTP = REAL / "ncci" / "ccipra-v322r0-f1.first160lines.txt"
MUE = REAL / "ncci" / "MCR_MUE_PractitionerServices_Eff_07-01-2026.first46records.csv"
RVU = REAL / "pfs_rvu" / "PPRRVU23_JAN.csv"
HCPCS = REAL / "hcpcs" / "HCPC2019_CONTR_ANWEB.txt"
ICD_ORDER_2026 = REAL / "icd10cm" / "icd10cm-order-2026.first10000lines.txt"
ICD_ORDER_2018 = REAL / "icd10cm" / "icd10cm_order_2018.first2000lines.txt"
ICD_CODES_2026 = REAL / "icd10cm" / "icd10cm-codes-2026.txt"

TABLES = (RefdataLoad, RefdataPtpEdit, RefdataMue, RefdataRvu, RefdataHcpcs, RefdataIcd10cm)


def real(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path.name} is not in shared/real-data")
    return path


def refdata(database_url: str, *args: str | Path) -> Result:
    return CliRunner().invoke(main, ["refdata", *map(str, args), "--database", database_url])


def load_json(database_url: str, kind: str, path: Path, *options: str) -> dict[str, Any]:
    result = refdata(database_url, "load", kind, path, *options, "--json")
    assert result.exit_code == 0, result.output
    loaded: dict[str, Any] = json.loads(result.output)
    return loaded


def counts(database_url: str) -> dict[str, int]:
    """Rows in every reference-data table."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            return {
                model.__tablename__: connection.execute(
                    select(func.count()).select_from(model)
                ).scalar_one()
                for model in TABLES
            }
    finally:
        engine.dispose()
