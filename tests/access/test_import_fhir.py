"""FHIR R4 AuditEvent: the official examples, as single resources, NDJSON and a Bundle."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from auditkit.db.models import AccessEvent
from auditkit.db.session import make_engine, session_scope

from .conftest import cli, ok

# What each official example is: (events, skipped reason) — read from the files by hand.
EXPECTED = {
    "audit-event-example-login.json": (0, "no patient entity (user authentication (login/logout))"),
    "audit-event-example-logout.json": (
        0,
        "no patient entity (user authentication (login/logout))",
    ),
    "audit-event-example-media.json": (1, None),
    "audit-event-example-pixQuery.json": (1, None),
    "audit-event-example-search.json": (0, "no patient entity (search)"),
    "audit-event-example-vread.json": (1, None),
    "auditevent-example-disclosure.json": (1, None),
    "auditevent-example-error.json": (0, "no patient entity (create)"),
    "auditevent-example.json": (0, "no patient entity (application activity)"),
}


def stored(url: str) -> dict[str, AccessEvent]:
    engine = make_engine(url)
    with session_scope(engine) as session:
        rows = {e.event_id: e for e in session.scalars(select(AccessEvent))}
    engine.dispose()
    return rows


def test_each_official_example(fhir_dir: Path, database_url: str) -> None:
    for name, (events, reason) in EXPECTED.items():
        out = json.loads(
            ok(
                "import",
                "access-log",
                str(fhir_dir / name),
                "--format",
                "fhir",
                "--json",
                "--database",
                database_url,
            )
        )
        assert out["inserted"] == events, name
        assert out["skipped"] == ({reason: 1} if reason else {}), name
    rows = stored(database_url)
    media = next(e for e in rows.values() if e.action == "export")
    assert (media.user_id, media.patient_id) == ("95", "e3cdfc81a0d24bd")  # CX ID part
    vread = next(e for e in rows.values() if e.patient_id == "example" and e.action == "view")
    assert vread.user_id == "95"
    disclosure = next(e for e in rows.values() if e.action == "disclose")
    assert disclosure.user_id == "SomeIdiot@nowhere"
    assert {e.action for e in rows.values()} == {"export", "search", "view", "disclose"}


def test_ndjson_and_bundle_of_all_examples(
    fhir_dir: Path, database_url: str, tmp_path: Path
) -> None:
    resources = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(fhir_dir.glob("*.json"))]
    ndjson = tmp_path / "audit.ndjson"
    ndjson.write_text("\n".join(json.dumps(r) for r in resources) + "\n", encoding="utf-8")
    result = ok("import", "access-log", str(ndjson), "--format", "fhir", "--database", database_url)
    assert "imported 4 access-log row(s)" in result
    assert "skipped 5 event(s) that touch no patient record" in result
    bundle = tmp_path / "bundle.json"
    bundle.write_text(
        json.dumps(
            {
                "resourceType": "Bundle",
                "type": "collection",
                "entry": [{"resource": r} for r in resources],
            }
        ),
        encoding="utf-8",
    )
    again = json.loads(
        ok(
            "import",
            "access-log",
            str(bundle),
            "--format",
            "fhir",
            "--json",
            "--database",
            database_url,
        )
    )
    assert (again["inserted"], again["already_present"]) == (0, 4)


def test_broken_ndjson_line_is_refused(tmp_path: Path, database_url: str) -> None:
    path = tmp_path / "bad.ndjson"
    good = {
        "resourceType": "AuditEvent",
        "id": "a1",
        "recorded": "2026-05-04T10:00:00Z",
        "action": "R",
        "agent": [{"requestor": True, "who": {"identifier": {"value": "u1"}}}],
        "entity": [{"what": {"reference": "Patient/MRN1"}}],
    }
    no_time = {**good, "id": "a2", "recorded": None}
    path.write_text(json.dumps(good) + "\n{not json\n" + json.dumps(no_time) + "\n")
    result = cli("import", "access-log", str(path), "--format", "fhir", "--database", database_url)
    assert result.exit_code == 2
    assert "bad.ndjson, line 2: is not valid JSON" in result.output
    assert "bad.ndjson, line 3: AuditEvent has no 'recorded' time" in result.output
    assert stored(database_url) == {}
