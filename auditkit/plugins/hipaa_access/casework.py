"""Pass/fail cases of set-based access rules, as data, run against a real database.

A per-unit rule's case is one encounter; a set-based rule needs a small world: staff,
patients, encounters, care-team entries and the access events of a period. A case file
(``cases/HIPnnn.toml``) holds that world in ``[defaults]`` and, per case, what differs::

    rule = "HIP002"

    [defaults]
    period = ["2026-05-01", "2026-05-31"]
    workforce = [{ user_id = "u1", last_name = "Garcia", department = "Cardiology" }]
    patients = [{ patient_id = "P1", last_name = "Garcia" }]
    encounters = [{ patient_id = "P1", date = "2026-05-03", department = "Cardiology" }]

    [[fail]]
    name = "nurse opens a relative's record"
    events = [{ event_id = "e1", timestamp = "2026-05-04T10:00:00", user_id = "u1",
                patient_id = "P1" }]
    expect = ["e1"]             # the events the rule must name (fail cases)

    [[pass]]
    name = "…"
    events = [...]

A case's keys replace the defaults' (lists whole). ``parameters`` sets rule parameters
(``{ HIP001 = { window_before_days = 3 } }``). :func:`run_access_case` writes the world
inside one transaction on the given engine, runs the rule's check through the same code as
``audit run``, compares, and rolls everything back, so one migrated database serves every
case, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert

from auditkit.db.models import (
    AccessEvent,
    CareTeam,
    Coder,
    Encounter,
    ImportBatch,
    Patient,
    Provider,
    Workforce,
)
from auditkit.rules import CheckContext, Finding, SetCheck, SetScope

CASES = Path(__file__).with_name("cases")
DEFAULT_NPI = "1234567893"
PERIOD = ("2026-05-01", "2026-05-31")


@dataclass(frozen=True)
class AccessCase:
    rule_id: str
    outcome: str  # "pass" or "fail"
    name: str
    world: dict[str, Any]

    @property
    def id(self) -> str:
        return f"{self.rule_id}-{self.outcome}-{self.name}"


def load_access_cases(path: Path) -> list[AccessCase]:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    rule = str(data.get("rule") or "")
    if not rule:
        raise ValueError(f'{path}: missing rule = "HIPnnn"')
    defaults = data.get("defaults", {})
    cases = []
    for outcome in ("pass", "fail"):
        for number, raw in enumerate(data.get(outcome, []), 1):
            world = {**defaults, **raw}
            if outcome == "fail" and not world.get("expect"):
                raise ValueError(f"{path}: fail case {number} lists no expect = [event ids]")
            cases.append(AccessCase(rule, outcome, str(raw.get("name", number)), world))
    return cases


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) and value else value or None


def _write_world(connection: Any, world: dict[str, Any]) -> None:
    batch = connection.execute(
        insert(ImportBatch).returning(ImportBatch.id),
        {
            "kind": "case",
            "source_name": "case",
            "source_sha256": "0" * 64,
            "imported_at": dt.datetime(2026, 1, 1),
            "rows": 0,
        },
    ).scalar_one()
    patients = {row["patient_id"]: row for row in world.get("patients", [])}
    for encounter in world.get("encounters", []):
        patients.setdefault(
            encounter["patient_id"], {"patient_id": encounter["patient_id"], "last_name": "Doe"}
        )
    ids: dict[str, int] = {}
    for mrn, row in patients.items():
        ids[mrn] = connection.execute(
            insert(Patient).returning(Patient.id),
            {
                "mrn": mrn,
                "first_name": row.get("first_name"),
                "last_name": row["last_name"],
                "address": row.get("address"),
                "postal_code": row.get("postal_code"),
                "vip": row.get("vip", False),
                "deceased_date": _date(row.get("deceased_date")),
            },
        ).scalar_one()
    for row in world.get("workforce", []):
        connection.execute(
            insert(Workforce),
            {
                "user_id": row["user_id"],
                "last_name": row.get("last_name", row["user_id"]),
                "first_name": row.get("first_name"),
                "role": row.get("role", "nurse"),
                "department": row.get("department"),
                "npi": row.get("npi"),
                "address": row.get("address"),
                "postal_code": row.get("postal_code"),
                "termination_date": _date(row.get("termination_date")),
                "patient_id": row.get("patient_id"),
            },
        )
    for row in world.get("care_team", []):
        connection.execute(
            insert(CareTeam),
            {
                "patient_id": row["patient_id"],
                "user_id": row["user_id"],
                "start_date": _date(row.get("start_date")),
                "end_date": _date(row.get("end_date")),
            },
        )
    coder = None
    providers: dict[str, int] = {}
    for number, row in enumerate(world.get("encounters", []), 1):
        if coder is None:
            coder = connection.execute(
                insert(Coder).returning(Coder.id), {"coder_key": "case-coder"}
            ).scalar_one()
        npi = row.get("npi", DEFAULT_NPI)
        if npi not in providers:
            providers[npi] = connection.execute(
                insert(Provider).returning(Provider.id), {"npi": npi}
            ).scalar_one()
        connection.execute(
            insert(Encounter),
            {
                "encounter_key": f"case-{number}",
                "patient_id": ids[row["patient_id"]],
                "provider_id": providers[npi],
                "coder_id": coder,
                "date_of_service": _date(row["date"]),
                "department": row.get("department"),
                "import_batch_id": batch,
            },
        )
    events = [
        {
            "event_id": row["event_id"],
            "timestamp": dt.datetime.fromisoformat(row["timestamp"]),
            "user_id": row["user_id"],
            "patient_id": row["patient_id"],
            "action": row.get("action", "view"),
            "source": row.get("source"),
            "break_glass": bool(row.get("break_glass", False)),
            "reason": row.get("reason"),
        }
        for row in world.get("events", [])
    ]
    if events:
        connection.execute(insert(AccessEvent), events)


def case_findings(engine: Engine, check: SetCheck, case: AccessCase) -> list[Finding]:
    """The check's findings of the case's rule, computed in a transaction rolled back."""
    first, last = (dt.date.fromisoformat(v) for v in case.world.get("period", PERIOD))
    # Access rules read no code sets.
    context = CheckContext(codesets=None, parameters=case.world.get("parameters", {}))  # type: ignore[arg-type]
    with engine.connect() as connection:
        transaction = connection.begin()
        try:
            _write_world(connection, case.world)
            scope = SetScope(
                connection,
                audit_id=0,
                run_id=1,
                period_from=first,
                period_to=last,
            )
            found = [f for f in check.run_set(scope, context) if f.rule_id == case.rule_id]
        finally:
            transaction.rollback()
    return found


def run_access_case(engine: Engine, check: SetCheck, case: AccessCase) -> None:
    """Raise AssertionError when the rule's findings are not what the case expects."""
    found = case_findings(engine, check, case)
    named = sorted(f.event_id or "" for f in found)
    if case.outcome == "pass":
        assert not found, (
            f"{case.id}: expected no {case.rule_id} finding, got {named}: "
            + "; ".join(f.message for f in found)
        )
    else:
        expected = sorted(case.world["expect"])
        assert named == expected, f"{case.id}: expected {expected}, got {named}"
