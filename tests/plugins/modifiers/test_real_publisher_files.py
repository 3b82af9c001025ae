"""The modifier checks on CMS's own files (the real-data excerpts of the July 2026 PTP and
MUE tables, loaded with the periods their names encode): an active indicator-1 pair, a
pair bypassed by 59, an edit deleted before the date, an indicator-9 edit, MUE day edits;
skipped when the files are absent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Connection, create_engine
from sqlalchemy.pool import StaticPool

from auditkit.codesets import CodeSets
from auditkit.db.migrate import upgrade
from auditkit.plugin_manager import registry
from auditkit.plugins import family_checks
from auditkit.refdata.library import ReferenceLibrary
from auditkit.refdata.mue import Mue
from auditkit.refdata.ptp import NcciPtp
from auditkit.rules import CheckContext
from auditkit.units import DiagnosisRecord, EncounterRecord, LineRecord, PatientRecord

CHECKS = family_checks("auditkit.plugins.modifiers")

NCCI = Path(__file__).resolve().parents[3].parent / "shared" / "real-data" / "cms" / "ncci"
PTP = NCCI / "ccipra-v322r0-f1.first160lines.txt"
MUE = NCCI / "MCR_MUE_PractitionerServices_Eff_07-01-2026.first46records.csv"
DAY = dt.date(2026, 8, 3)  # in the quarter both file names put in force

pytestmark = pytest.mark.skipif(
    not (PTP.exists() and MUE.exists()), reason="real-data CMS excerpts not present"
)


@pytest.fixture(scope="module")
def context() -> Iterator[CheckContext]:
    engine = create_engine(
        "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
    )
    upgrade(engine)
    with engine.begin() as connection:
        NcciPtp().load(connection, PTP)
        Mue().load(connection, MUE)
    connection: Connection = engine.connect()
    kinds = registry().reference_kinds
    library = ReferenceLibrary(connection, kinds, sorted(kinds))
    yield CheckContext(codesets=CodeSets(), lookup=library.lookup)
    connection.close()
    engine.dispose()


def _findings(context: CheckContext, *lines: tuple[str, tuple[str, ...], int]) -> set[tuple]:
    encounter = EncounterRecord(
        id=1,
        key="real",
        date_of_service=DAY,
        patient=PatientRecord(mrn="P", sex="F", dob=dt.date(1960, 1, 1)),
        provider_npi="1234567893",
        coder_key="C",
        diagnoses=(DiagnosisRecord(1, "Z1159"),),
        lines=tuple(
            LineRecord(n, code, modifiers, units, None, Decimal("50.00"))
            for n, (code, modifiers, units) in enumerate(lines, start=1)
        ),
    )
    return {
        (finding.rule_id, finding.code)
        for check in CHECKS
        for finding in check().run(encounter, context)
    }


def test_active_indicator_1_pair_without_a_modifier(context: CheckContext) -> None:
    assert _findings(context, ("0001U", (), 1), ("0030U", (), 1)) == {("MOD001", "0030U")}


def test_the_pair_bypassed_by_59_is_silent(context: CheckContext) -> None:
    assert _findings(context, ("0001U", (), 1), ("0030U", ("59",), 1)) == set()


def test_edits_deleted_before_the_date_and_indicator_9_never_fire(context: CheckContext) -> None:
    deleted_0 = _findings(context, ("0001A", (), 1), ("36591", (), 1))  # deleted 2023-12-31
    deleted_1 = _findings(context, ("0001A", (), 1), ("0591T", (), 1))
    indicator_9 = _findings(context, ("0001A", (), 1), ("90473", (), 1))
    assert deleted_0 == deleted_1 == indicator_9 == set()


def test_59_on_a_line_a_deleted_edit_once_paired_is_overuse(context: CheckContext) -> None:
    assert _findings(context, ("0001A", (), 1), ("36591", ("59",), 1)) == {("MOD008", "36591")}


def test_mue_day_edits_of_the_real_table(context: CheckContext) -> None:
    assert _findings(context, ("0001U", (), 2)) == {("MOD005", "0001U")}  # MUE 1, MAI 2
    assert _findings(context, ("0002M", (), 1)) == set()
