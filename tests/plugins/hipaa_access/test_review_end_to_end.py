"""``audit run`` over imported access data: findings with evidence, after-hours priority,
the per-user roll-up, repeat offenders across audits, reports and the terminal summary."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from click.testing import CliRunner
from sqlalchemy import select

from auditkit.db.models import AccessTrailEntry
from auditkit.db.session import make_engine, session_scope

WORKFORCE = (
    (
        "user_id,first_name,last_name,role,department,npi,address,postal_code,termination_date,"
        "patient_id\n"
    )
    + """nurse1,Ana,Garcia,nurse,Cardiology,,1 Oak St,10001,,P9
nurse2,Ben,Lee,nurse,Cardiology,,2 Elm Rd,10002,,
"""
)
PATIENTS = """patient_id,first_name,last_name,dob,sex,vip
P1,Rosa,Garcia,1950-01-01,F,N
P2,Tom,Quinn,1960-01-01,M,Y
P3,Ivy,Stone,1970-01-01,F,N
P9,Ana,Garcia,1980-01-01,F,N
"""
CLAIMS = (
    (
        "encounter_id,patient_id,patient_first_name,patient_last_name,patient_dob,patient_sex,"
        "date_of_service,department,provider_npi,coder_id,dx1,line_number,procedure_code,units,"
        "charge\n"
    )
    + """E1,P3,Ivy,Stone,1970-01-01,F,2026-05-03,Cardiology,1234567893,C1,I10,1,99213,1,100.00
"""
)


def log() -> str:
    rows = ["event_id,timestamp,user_id,patient_id,action,break_glass,reason"]
    for day in range(1, 29):  # nurse1's ordinary day-time work on P3 (explained)
        for hour in (9, 11, 14):
            rows.append(f"w{day}-{hour},2026-05-{day:02d}T{hour:02d}:10:00,nurse1,P3,view,N,")
    rows += [
        "s1,2026-05-04T23:40:00,nurse1,P1,view,N,",  # relative, at night: HIP001+002+011
        "s2,2026-05-05T10:00:00,nurse1,P2,view,N,",  # VIP, unexplained: HIP001+005
        "s3,2026-05-06T10:00:00,nurse1,P9,view,N,",  # own record: HIP001+004
        "g1,2026-05-07T10:00:00,nurse2,P3,view,Y,",  # break the glass, explained: HIP010
    ]
    return "\n".join(rows) + "\n"


def ok(*args: str) -> str:
    from auditkit.cli import main

    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_run_report_and_roll_up(tmp_path: Path, database_url: str) -> None:
    db = ("--database", database_url)
    for name, text in (
        ("workforce.csv", WORKFORCE),
        ("patients.csv", PATIENTS),
        ("claims.csv", CLAIMS),
        ("log.csv", log()),
    ):
        (tmp_path / name).write_text(text)
    ok("import", "claims", str(tmp_path / "claims.csv"), *db)
    ok("import", "patients", str(tmp_path / "patients.csv"), *db)
    ok("import", "workforce", str(tmp_path / "workforce.csv"), *db)
    ok("import", "access-log", str(tmp_path / "log.csv"), *db)
    config = tmp_path / "auditkit.toml"
    config.write_text(
        '[checks]\ndisable = ["SPC001", "SPC002", "SPC003", "SPC004", "SPC005", "SPC006"]\n'
    )
    ok("audit", "create", "may", "--from", "2026-05-01", "--to", "2026-05-31", *db)
    printed = ok("audit", "run", "may", "--config", str(config), *db)
    assert "Access review: 88 accesses" in printed and "nurse1  score" in printed
    assert printed.startswith("Checked 88 access events and 0 encounters with ")

    findings = json.loads(ok("findings", "export", "may", "--format", "json", *db))
    by_rule: dict[str, list[dict]] = {}
    for finding in findings:
        by_rule.setdefault(finding["rule_id"], []).append(finding)
    assert {f["event_id"] for f in by_rule["HIP001"]} == {"s1", "s2", "s3"}
    assert [f["event_id"] for f in by_rule["HIP002"]] == ["s1"]
    assert [f["event_id"] for f in by_rule["HIP004"]] == ["s3"]
    assert [f["event_id"] for f in by_rule["HIP005"]] == ["s2"]
    assert [f["event_id"] for f in by_rule["HIP010"]] == ["g1"]
    assert [f["event_id"] for f in by_rule["HIP011"]] == ["s1"]
    night = next(f for f in by_rule["HIP001"] if f["event_id"] == "s1")
    assert night["severity"] == "error" and night["category"] == "privacy"
    assert night["person_id"] == "nurse1" and night["responsible"] == "user"
    assert "encounter in the user's department: no" in night["evidence"]
    assert "same last name" in night["evidence"] and "usual hours" in night["evidence"]
    assert "HIP003" not in by_rule and "HIP009" not in by_rule

    # a second audit: nurse1 is a repeat offender
    ok("audit", "create", "may-again", "--from", "2026-05-01", "--to", "2026-05-31", *db)
    again = json.loads(ok("audit", "run", "may-again", "--config", str(config), "--json", *db))
    access = again["access_review"]
    top = access["top_users"][0]
    assert top["user_id"] == "nurse1" and top["other_audits"] == 1
    assert [user["user_id"] for user in access["repeat_offenders"]] == ["nurse1", "nurse2"]
    assert access["alerts"] == len(findings) - 1  # HIP011 raises priority, is no alert
    assert access["alerts_per_1000_accesses"] == round(access["alerts"] * 1000 / 88, 3)

    html, xlsx = tmp_path / "r.html", tmp_path / "r.xlsx"
    ok("report", "may", "--format", "html", "-o", str(html), *db)
    ok("report", "may", "--format", "xlsx", "-o", str(xlsx), *db)
    page = html.read_text(encoding="utf-8")
    assert 'id="section-access-review"' in page and "Users to review first" in page
    sheet = openpyxl.load_workbook(xlsx)["access-review"]
    cells = [cell.value for row in sheet.iter_rows() for cell in row if cell.value]
    assert "nurse1" in cells and "HIP005" in cells

    engine = make_engine(database_url)
    with session_scope(engine) as session:
        entries = list(session.scalars(select(AccessTrailEntry)))
        assert any(
            e.command == "audit run" and e.detail.get("part") == "access review" for e in entries
        )
        assert any(e.command == "import access-log" for e in entries)
    engine.dispose()
