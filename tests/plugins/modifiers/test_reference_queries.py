"""The modifier checks do not query per encounter: reference answers are kept per run,
quarter and code, so the number of statements grows with the codes and quarters seen,
not with the encounters; and a new run (a new library) never reuses another's answers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import StaticPool

from auditkit.codesets import CodeSets
from auditkit.db.migrate import upgrade
from auditkit.plugin_manager import registry
from auditkit.plugins import family_checks
from auditkit.refdata.demo import load_fixtures
from auditkit.refdata.library import ReferenceLibrary
from auditkit.rules import CheckContext
from auditkit.units import DiagnosisRecord, EncounterRecord, LineRecord, PatientRecord

CHECKS = family_checks("auditkit.plugins.modifiers")

DAY_LINES = (
    ("99213", ("25",)),
    ("20610", ("RT",)),
    ("96372", ()),
    ("J1030", ()),
)


@pytest.fixture(scope="module")
def engine() -> Iterator[Engine]:
    engine = create_engine(
        "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
    )
    upgrade(engine)
    with engine.begin() as connection:
        load_fixtures(connection)
    yield engine
    engine.dispose()


def _encounters(count: int, start: dt.date) -> list[EncounterRecord]:
    found = []
    for number in range(count):
        lines = DAY_LINES[: 2 + number % 3]
        found.append(
            EncounterRecord(
                id=number + 1,
                key=f"E{number}",
                date_of_service=start + dt.timedelta(days=number % 150),
                patient=PatientRecord(mrn=f"P{number}", sex="F", dob=dt.date(1950, 1, 1)),
                provider_npi="1234567893",
                coder_key="C",
                diagnoses=(DiagnosisRecord(1, "M1711"),),
                lines=tuple(
                    LineRecord(i + 1, code, modifiers, 1, None, Decimal("10"))
                    for i, (code, modifiers) in enumerate(lines)
                ),
            )
        )
    return found


def _statements(engine: Engine, encounters: list[EncounterRecord]) -> tuple[int, int]:
    """Statements run and findings made by the MOD checks over the encounters."""
    connection = engine.connect()
    kinds = registry().reference_kinds
    library = ReferenceLibrary(connection, kinds, sorted(kinds))
    context = CheckContext(codesets=CodeSets(), lookup=library.lookup)
    counted: list[str] = []

    def count(*args: object) -> None:
        counted.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", count)
    try:
        checks = [check() for check in CHECKS]
        findings = sum(1 for e in encounters for c in checks for _ in c.run(e, context))
    finally:
        event.remove(engine, "before_cursor_execute", count)
        connection.close()
    return len(counted), findings


def test_statements_do_not_grow_with_encounters(engine: Engine) -> None:
    few, _ = _statements(engine, _encounters(60, dt.date(2026, 4, 1)))
    many, findings = _statements(engine, _encounters(1500, dt.date(2026, 4, 1)))
    assert findings > 0
    assert many <= few + 10, (few, many)  # 25 times the encounters, (almost) no more queries
    assert many < 60
