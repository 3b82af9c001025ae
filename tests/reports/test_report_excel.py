"""The Excel workbook, re-read from disk: layout, typed numbers, and no formula injection."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from auditkit.reports.context import ReportContext
from auditkit.reports.excel import write_xlsx

SHEETS = ["Summary", "Findings", "Scorecards", "Feedback", "Rules"]


@pytest.fixture(scope="module")
def xlsx(report_context: ReportContext, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_xlsx(report_context, tmp_path_factory.mktemp("xlsx") / "audit.xlsx")


@pytest.fixture(scope="module")
def workbook(xlsx: Path) -> Workbook:
    return load_workbook(xlsx)


def _rows(sheet: Worksheet) -> list[dict[str, object]]:
    """Data rows as dicts keyed by header, for readable assertions."""
    header = [cell.value for cell in sheet[1]]
    return [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(2, values_only=True)]


def _cell(sheet: Worksheet, header: str, row: int) -> Cell:
    column = [cell.value for cell in sheet[1]].index(header) + 1
    return sheet.cell(row=row, column=column)


def test_sheets_are_filterable_tables_with_frozen_bold_headers(workbook: Workbook) -> None:
    assert workbook.sheetnames == SHEETS
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2"
        last = sheet.cell(row=sheet.max_row, column=sheet.max_column).coordinate
        assert sheet.auto_filter.ref == f"A1:{last}"
        assert all(cell.font.b for cell in sheet[1])
        assert all(sheet.column_dimensions[c.column_letter].width >= 6 for c in sheet[1])


def test_one_row_per_finding_with_every_field(
    workbook: Workbook, report_context: ReportContext
) -> None:
    rows = _rows(workbook["Findings"])
    assert len(rows) == len(report_context.findings)
    assert rows[0]["Finding ID"] == 101 and rows[0]["Code"] == "M54.50"
    assert rows[0]["Date of service"] == dt.datetime(2026, 1, 11)
    assert len(rows[0]) == len(dataclasses.fields(report_context.findings[0]))


def test_numbers_are_numbers_with_formats(workbook: Workbook) -> None:
    cards = workbook["Scorecards"]
    accuracy = _cell(cards, "Code accuracy", 2)
    assert isinstance(accuracy.value, float) and accuracy.number_format == "0.0%"
    assert accuracy.value == pytest.approx(35 / 36)
    findings = workbook["Findings"]
    impacts = {row["Finding ID"]: row["Financial impact"] for row in _rows(findings)}
    assert impacts[107] == pytest.approx(-45.10)  # a negative number stays a number
    assert _cell(findings, "Financial impact", 8).number_format == "#,##0.00"
    assert _cell(findings, "Date of service", 2).number_format == "yyyy-mm-dd"
    assert [row["Result"] for row in _rows(cards)][:2] == ["Pass", "Fail"]


def test_summary_holds_scope_sample_run_headline_and_extrapolation(workbook: Workbook) -> None:
    values = {(row["Section"], row["Item"]): row["Value"] for row in _rows(workbook["Summary"])}
    assert values["Audit", "Name"] == "Family Medicine — Medicare Part B, Q1 2026"
    assert values["Sample", "Seed"] == "20260402"
    assert values["Run", "Units checked"] == 40
    assert values["Headline", "Code accuracy"] == pytest.approx(104 / 112)
    assert values["Extrapolation", "Amount demanded"] == pytest.approx(41210.55)
    assert values["Report", "Generated at"] == dt.datetime(2026, 4, 14, 9, 30)


def test_summary_without_optional_parts(report_context: ReportContext, tmp_path: Path) -> None:
    bare = dataclasses.replace(report_context, sample=None, run=None, extrapolation=None)
    summary = load_workbook(write_xlsx(bare, tmp_path / "bare.xlsx"))["Summary"]
    sections = {row["Section"] for row in _rows(summary)}
    assert "Extrapolation" not in sections and {"Sample", "Run"} <= sections


def test_feedback_is_per_person_per_rule(workbook: Workbook) -> None:
    rows = _rows(workbook["Feedback"])
    assert [(row["ID / NPI"], row["Rule ID"]) for row in rows] == [
        ("C002", "DX001"),
        ("1689403217", "EM001"),
        ("1689403217", "MOD025"),
        ("1093817465", "EM001"),
    ]


def test_formula_like_input_comes_back_as_literal_text(workbook: Workbook, hostile: dict) -> None:
    findings = workbook["Findings"]
    messages = [row["Message"] for row in _rows(findings)]
    assert hostile["formula"] in messages
    names = [row["Person name"] for row in _rows(findings)]
    for name in hostile["formula_names"]:
        assert name.replace("\r", "\n") in names  # CR is stored as Excel's line break
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str) and cell.value[:1] in "=+-@\t\n":
                    assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate


def test_workbook_xml_has_no_formula_element(xlsx: Path) -> None:
    with zipfile.ZipFile(xlsx) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
        assert len(sheets) == len(SHEETS)
        for name in sheets:
            xml = archive.read(name).decode("utf-8")
            assert "<f>" not in xml and "<f " not in xml, name
        findings = archive.read("xl/worksheets/sheet2.xml").decode("utf-8")
    # the message is an inline string cell: text, with the quote-prefix style
    assert re.search(r'<c [^>]*t="inlineStr"[^>]*><is><t>=HYPERLINK\("http://evil"', findings)


def test_control_characters_do_not_break_the_export(
    report_context: ReportContext, tmp_path: Path
) -> None:
    finding = dataclasses.replace(report_context.findings[0], message="bell\x07 and nul\x00")
    context = dataclasses.replace(report_context, findings=(finding,))
    rows = _rows(load_workbook(write_xlsx(context, tmp_path / "c.xlsx"))["Findings"])
    assert rows[0]["Message"] == "bell\ufffd and nul\ufffd"
