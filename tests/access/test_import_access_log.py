"""``auditkit import access-log``: CSV (fast and row paths), XLSX, mapping, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from auditkit.db.models import AccessEvent, AccessTrailEntry
from auditkit.db.session import make_engine, session_scope
from auditkit.testing import table_counts

from .conftest import cli, ok

HEADER = "event_id,timestamp,user_id,patient_id,action,workstation,source,break_glass,reason\n"


def write(tmp_path: Path, body: str, name: str = "log.csv") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def events(url: str) -> list[AccessEvent]:
    engine = make_engine(url)
    with session_scope(engine) as session:
        rows = list(session.scalars(select(AccessEvent).order_by(AccessEvent.id)))
    engine.dispose()
    return rows


def test_clean_csv_imports_every_row_typed(tmp_path: Path, database_url: str) -> None:
    path = write(
        tmp_path,
        HEADER + "e1,2026-05-04T10:15:00,nurse7,MRN1,VIEW,WS1,EHR,Y,trauma\n"
        "e2,2026-05-04 11:00:00.250000,nurse7,MRN2,edit,,,N,\n",
    )
    out = json.loads(ok("import", "access-log", str(path), "--json", "--database", database_url))
    assert (out["rows"], out["inserted"]) == (2, 2)
    first, second = events(database_url)
    assert (first.event_id, first.action, first.break_glass, first.reason) == (
        "e1",
        "view",
        True,
        "trauma",
    )
    assert first.timestamp.isoformat() == "2026-05-04T10:15:00"
    assert first.day == 20577  # days since 1970-01-01
    assert (second.workstation, second.break_glass, second.timestamp.microsecond) == (
        None,
        False,
        250000,
    )


def test_missing_event_ids_come_from_a_hash_and_reimport_adds_nothing(
    tmp_path: Path, database_url: str
) -> None:
    path = write(
        tmp_path,
        HEADER + ",2026-05-04T10:15:00,u1,MRN1,view,,,,\n,2026-05-04T10:16:00,u1,MRN1,view,,,,\n",
    )
    ok("import", "access-log", str(path), "--database", database_url)
    again = json.loads(ok("import", "access-log", str(path), "--json", "--database", database_url))
    assert (again["inserted"], again["already_present"]) == (0, 2)
    ids = [event.event_id for event in events(database_url)]
    assert len(ids) == 2 and len(set(ids)) == 2 and all(i.startswith("h") for i in ids)


def test_offsets_take_the_row_path_and_keep_the_wall_clock(
    tmp_path: Path, database_url: str
) -> None:
    path = write(tmp_path, HEADER + "e1,2026-05-04T23:30:00+02:00,u1,MRN1,view,,,,\n")
    ok("import", "access-log", str(path), "--database", database_url)
    (event,) = events(database_url)
    assert event.timestamp.isoformat() == "2026-05-04T23:30:00"


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ("e1,yesterday,u1,MRN1,view,,,,", "timestamp", "not an ISO 8601 timestamp"),
        ("e1,2026-05-04T10:00:00,,MRN1,view,,,,", "user_id", "required"),
        ("e1,2026-05-04T10:00:00,u1,MRN1,view,,,maybe,", "break_glass", "not Y or N"),
        ("e1,2026-05-04T10:00:00,u\x07x,MRN1,view,,,,", "user_id", "control character U+0007"),
        ("e1,2026-05-04T10:00:00,u1," + "M" * 70 + ",view,,,,", "patient_id", "longer than 64"),
    ],
)
def test_bad_rows_are_refused_naming_line_and_column(
    tmp_path: Path, database_url: str, row: str, column: str, message: str
) -> None:
    path = write(tmp_path, HEADER + "e0,2026-05-04T09:00:00,u1,MRN1,view,,,,\n" + row + "\n")
    engine = make_engine(database_url)
    before = table_counts(engine)
    result = cli("import", "access-log", str(path), "--database", database_url)
    assert result.exit_code == 2
    assert f"log.csv, line 3, column {column}" in result.output and message in result.output
    assert "Nothing was imported" in result.output
    assert table_counts(engine) == before  # no event, no batch, no trail entry
    engine.dispose()


def test_missing_required_column_is_line_one(tmp_path: Path, database_url: str) -> None:
    path = write(tmp_path, "timestamp,user_id,action\n2026-05-04T09:00:00,u1,view\n")
    result = cli("import", "access-log", str(path), "--database", database_url)
    assert result.exit_code == 2 and "line 1, column patient_id" in result.output


def test_mapping_renames_vendor_columns(tmp_path: Path, database_url: str) -> None:
    path = write(
        tmp_path,
        "Access Time,Login,MRN,Activity,Extra\n2026-05-04T09:00:00,u1,MRN1,Chart Viewed,x\n",
    )
    mapping = write(
        tmp_path,
        '[columns]\n"Access Time" = "timestamp"\n"Login" = "user_id"\n'
        '"MRN" = "patient_id"\n"Activity" = "action"\n',
        "map.toml",
    )
    result = cli(
        "import", "access-log", str(path), "--mapping", str(mapping), "--database", database_url
    )
    assert result.exit_code == 0, result.output
    assert "'Extra' is not a access-log column; ignored" in result.output
    (event,) = events(database_url)
    assert (event.user_id, event.action) == ("u1", "chart viewed")


def test_xlsx_first_sheet(tmp_path: Path, database_url: str) -> None:
    import datetime as dt

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["timestamp", "user_id", "patient_id", "action", "break_glass"])
    sheet.append([dt.datetime(2026, 5, 4, 9, 30), "u1", "MRN1", "view", "Y"])
    path = tmp_path / "log.xlsx"
    workbook.save(path)
    ok("import", "access-log", str(path), "--database", database_url)
    (event,) = events(database_url)
    assert event.timestamp == dt.datetime(2026, 5, 4, 9, 30) and event.break_glass


def test_import_leaves_a_trail_entry(tmp_path: Path, database_url: str) -> None:
    path = write(tmp_path, HEADER + "e1,2026-05-04T10:15:00,u1,MRN1,view,,,,\n")
    ok("import", "access-log", str(path), "--database", database_url)
    engine = make_engine(database_url)
    with session_scope(engine) as session:
        (entry,) = session.scalars(select(AccessTrailEntry))
        assert (entry.command, entry.action, entry.detail["events"]) == (
            "import access-log",
            "write",
            1,
        )
    engine.dispose()
