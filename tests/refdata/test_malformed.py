"""Malformed files: exit code 2, a message naming file, line and column, nothing written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.refdata.helpers import (
    HCPCS,
    ICD_ORDER_2018,
    MUE,
    PTP,
    RVU,
    counts,
    load_json,
    real,
    refdata,
)

Edit = Callable[[list[str]], int]  # changes the lines in place, returns the 1-based line


def set_cell(lines: list[str], number: int, index: int, value: str, sep: str) -> None:
    cells = lines[number - 1].split(sep)
    cells[index] = value
    lines[number - 1] = sep.join(cells)


def ptp_cell(number: int, index: int, value: str) -> Edit:
    def edit(lines: list[str]) -> int:
        set_cell(lines, number, index, value, "\t")
        return number

    return edit


def ptp_truncated(lines: list[str]) -> int:
    lines[99] = "\t".join(lines[99].split("\t")[:4])
    return 100


def ptp_wrong_header(lines: list[str]) -> int:
    set_cell(lines, 3, 4, "Removal", "\t")
    set_cell(lines, 4, 4, "Day", "\t")
    return 3


def mue_bad_indicator(lines: list[str]) -> int:
    number = next(i for i, line in enumerate(lines, 1) if line.startswith("0003U,"))
    set_cell(lines, number, 2, "4 Date of Service Edit: Other", ",")
    return number


def mue_bad_value(lines: list[str]) -> int:
    number = next(i for i, line in enumerate(lines, 1) if line.startswith("0041U,"))
    set_cell(lines, number, 1, "one", ",")
    return number


def rvu_bad_global(lines: list[str]) -> int:
    number = next(i for i, line in enumerate(lines, 1) if line.startswith("99213,,"))
    set_cell(lines, number, 14, "0X0", ",")
    return number


def rvu_wrong_header(lines: list[str]) -> int:
    number = next(i for i, line in enumerate(lines, 1) if line.startswith("HCPCS,MOD,"))
    set_cell(lines, number, 14, "DAZE", ",")
    return number


def hcpcs_truncated(lines: list[str]) -> int:
    number = next(i for i, line in enumerate(lines, 1) if line.startswith("J1100"))
    lines[number - 1] = lines[number - 1][:200]
    return number


def hcpcs_bad_date(lines: list[str]) -> int:
    number = next(i for i, line in enumerate(lines, 1) if line.startswith("A0021"))
    line = lines[number - 1]
    lines[number - 1] = line[:268] + "19851301" + line[276:]
    return number


def icd_bad_flag(lines: list[str]) -> int:
    line = lines[1499]
    lines[1499] = line[:14] + "2" + line[15:]
    return 1500


CASES = [
    ("ncci-ptp", PTP, ptp_cell(7, 3, "20221301"), "4 (Effective Date)", "not a date"),
    ("ncci-ptp", PTP, ptp_cell(160, 4, "2023123"), "5 (Deletion Date)", "not a date"),
    ("ncci-ptp", PTP, ptp_cell(8, 5, "2"), "6 (Modifier)", "must be 0, 1 or 9"),
    ("ncci-ptp", PTP, ptp_cell(9, 1, "9059"), "2 (Column 2)", "not a CPT/HCPCS code"),
    ("ncci-ptp", PTP, ptp_truncated, "5", "expected 7 tab-separated cells, found 4"),
    ("ncci-ptp", PTP, ptp_wrong_header, "column 5", "should be 'Deletion Date'"),
    ("mue", MUE, mue_bad_indicator, "3 (MUE Adjudication Indicator)", "not an MUE adjudication"),
    ("mue", MUE, mue_bad_value, "2 (MUE Values)", "whole number"),
    ("pfs-rvu", RVU, rvu_bad_global, "15 (GLOB DAYS)", "not a global period"),
    ("pfs-rvu", RVU, rvu_wrong_header, "GLOB DAYS", "no column"),
    ("hcpcs", HCPCS, hcpcs_truncated, "column 201", "200 characters long"),
    ("hcpcs", HCPCS, hcpcs_bad_date, "269-276 (add date)", "not a date"),
    ("icd10cm", ICD_ORDER_2018, icd_bad_flag, "column 15", "flag must be 0 or 1"),
]


@pytest.mark.parametrize(
    "kind, original, edit, column, message",
    CASES,
    ids=[
        f"{kind}-{getattr(edit, '__name__', 'cell')}-{i}"
        for i, (kind, _, edit, _, _) in enumerate(CASES)
    ],
)
def test_malformed_file_is_refused_with_line_and_column(
    database_url: str,
    tmp_path: Path,
    kind: str,
    original: Path,
    edit: Edit,
    column: str | None,
    message: str,
) -> None:
    text = real(original).read_bytes().decode("latin-1")
    newline = "\r\n"
    lines = text.split(newline)
    record = edit(lines)
    # the physical line: the MUE notice has bare line feeds inside its quoted cell
    line = newline.join(lines[: record - 1]).count("\n") + 1 + (record > 1)
    broken = tmp_path / original.name  # same name, so the period still comes from it
    broken.write_bytes(newline.join(lines).encode("latin-1"))

    load_json(database_url, "mue", real(MUE))  # something already there must stay as it is
    before = counts(database_url)
    result = refdata(database_url, "load", kind, broken)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert f"{original.name}, line {line}" in result.output
    if column is not None:
        assert f"column {column}".replace("column column", "column") in result.output
    assert message in result.output
    assert "Nothing was imported" in result.output
    assert counts(database_url) == before


def test_a_problem_on_the_last_line_still_leaves_nothing(database_url: str, tmp_path: Path) -> None:
    """The rows before the bad line were already sent to the database: all rolled back."""
    lines = real(PTP).read_bytes().decode("latin-1").split("\r\n")
    lines[159] = lines[159].replace("\t1\t", "\tX\t").replace("\t0\t", "\tX\t")
    broken = tmp_path / PTP.name
    broken.write_bytes("\r\n".join(lines).encode("latin-1"))
    before = counts(database_url)
    result = refdata(database_url, "load", "ncci-ptp", broken)
    assert result.exit_code == 2 and "line 160" in result.output
    assert counts(database_url) == before


def test_a_file_with_no_rows_is_refused(database_url: str, tmp_path: Path) -> None:
    empty = tmp_path / PTP.name
    empty.write_bytes(b"\r\n".join(real(PTP).read_bytes().split(b"\r\n")[:6]) + b"\r\n")
    result = refdata(database_url, "load", "ncci-ptp", empty)
    assert result.exit_code == 2 and "no edits found" in result.output
    assert counts(database_url)["refdata_load"] == 0
