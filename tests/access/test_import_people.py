"""``auditkit import patients|workforce|care-team``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sqlalchemy import select

from auditkit.db.models import CareTeam, Patient, Workforce
from auditkit.db.session import make_engine, session_scope

from .conftest import cli, ok


def test_patients_insert_then_update(tmp_path: Path, database_url: str) -> None:
    path = tmp_path / "patients.csv"
    path.write_text(
        "patient_id,last_name,first_name,dob,sex,address,postal_code,vip,deceased_date\n"
        "P1,Ortiz,Ana,1970-01-02,f,1 Oak St,10001,Y,\n"
        "P2,Quinn,,,,,,,2026-03-01\n"
    )
    first = json.loads(ok("import", "patients", str(path), "--json", "--database", database_url))
    assert (first["inserted"], first["updated"]) == (2, 0)
    path.write_text("patient_id,last_name,vip\nP1,Ortiz-Lee,N\n")
    second = json.loads(ok("import", "patients", str(path), "--json", "--database", database_url))
    assert (second["inserted"], second["updated"]) == (0, 1)
    engine = make_engine(database_url)
    with session_scope(engine) as session:
        p1, p2 = session.scalars(select(Patient).order_by(Patient.mrn))
        assert (p1.last_name, p1.vip) == ("Ortiz-Lee", False)
        assert p2.deceased_date == dt.date(2026, 3, 1)
    engine.dispose()


def test_workforce_replaces_and_validates(tmp_path: Path, database_url: str) -> None:
    path = tmp_path / "workforce.csv"
    path.write_text(
        "user_id,last_name,role,department,npi,termination_date,patient_id\n"
        "u1,Abara,nurse,Cardiology,,2026-05-15,P1\n"
        "u2,Bede,physician,Surgery,1234567893,,\n"
    )
    ok("import", "workforce", str(path), "--database", database_url)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "user_id,last_name,npi,hire_date\nu3,Cole,12345,\nu1,Dup,,\nu4,Eze,,2026-13-01\n"
    )
    result = cli("import", "workforce", str(bad), "--database", database_url)
    assert result.exit_code == 2
    assert "bad.csv, line 2, column npi: '12345' is not a 10-digit NPI" in result.output
    assert "bad.csv, line 4, column hire_date" in result.output
    engine = make_engine(database_url)
    with session_scope(engine) as session:
        assert {w.user_id for w in session.scalars(select(Workforce))} == {"u1", "u2"}
    engine.dispose()


def test_care_team_skips_rows_already_there(tmp_path: Path, database_url: str) -> None:
    path = tmp_path / "care_team.csv"
    path.write_text(
        "patient_id,user_id,start_date,end_date\nP1,u1,2026-05-01,2026-05-20\n"
        "P1,u1,2026-05-01,2026-05-20\nP2,u1,,\n"
    )
    first = json.loads(ok("import", "care-team", str(path), "--json", "--database", database_url))
    again = json.loads(ok("import", "care-team", str(path), "--json", "--database", database_url))
    assert (first["inserted"], again["inserted"]) == (2, 0)
    backwards = tmp_path / "backwards.csv"
    backwards.write_text("patient_id,user_id,start_date,end_date\nP1,u2,2026-05-20,2026-05-01\n")
    result = cli("import", "care-team", str(backwards), "--database", database_url)
    assert (
        result.exit_code == 2 and "line 2, column end_date: is before start_date" in result.output
    )
    engine = make_engine(database_url)
    with session_scope(engine) as session:
        assert len(list(session.scalars(select(CareTeam)))) == 2
    engine.dispose()
