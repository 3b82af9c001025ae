"""Input tables: every bad cell is reported with file, line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from sampling.datafiles import read_csv
from sampling.errors import SamplingInputError


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "data.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_reads_columns_by_name_without_case(tmp_path: Path) -> None:
    table = read_csv(write(tmp_path, "Stratum,Audited\nA, 1.5\n\nB,2\n"))
    assert table.numbers("audited") == [1.5, 2.0]
    assert table.texts("STRATUM") == ["A", "B"]
    assert [line for line, _ in table.rows] == [2, 4]


def test_non_numeric_cell_names_file_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "examined,audited\n1,2\n3,x4\n")
    with pytest.raises(SamplingInputError) as caught:
        read_csv(path).numbers("audited")
    assert str(caught.value) == f"{path}, line 3, column 'audited': not a number (got 'x4')"
    with pytest.raises(SamplingInputError, match="not a finite number"):
        read_csv(write(tmp_path, "a\nnan\n")).numbers("a")
    with pytest.raises(SamplingInputError, match="line 2, column 'n': not a whole number"):
        read_csv(write(tmp_path, "n\n1.5\n")).wholes("n")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("33\n126\n", "a header row is needed"),
        ("a,a\n1,2\n", "repeated column"),
        ("a,\n1,2\n", "empty or repeated"),
        ("a,b\n1,2,3\n", "line 2: expected 2 cells"),
    ],
)
def test_bad_files(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(SamplingInputError, match=message):
        read_csv(write(tmp_path, text))


def test_missing_file_and_column(tmp_path: Path) -> None:
    with pytest.raises(SamplingInputError, match="cannot be read"):
        read_csv(tmp_path / "missing.csv")
    with pytest.raises(SamplingInputError, match="line 1: no such column"):
        read_csv(write(tmp_path, "a\n1\n")).numbers("b")
