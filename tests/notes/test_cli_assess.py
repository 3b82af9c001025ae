"""``auditkit notes assess FILE [--json]``."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from auditkit.cli import main


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rows.tsv"
    path.write_text(text, encoding="utf-8")
    return path


def test_assess_prints_the_judgment_per_row(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "id\tcondition\ttext\n"
        "1\tchest pain\tPatient denies chest pain.\n"
        "2\tPE\tCT to r/o PE.\n"
        '3\tbreast cancer\t"Family history:\tmother with breast cancer."\n'
        "4\tMI\th/o MI in 2005.\n"
        "5\tasthma\tNo wheezing.\n",
    )
    result = CliRunner().invoke(main, ["notes", "assess", str(path), "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [(r["line"], r["negation"], r["temporality"], r["experiencer"]) for r in rows] == [
        (2, "negated", "recent", "patient"),
        (3, "possible", "recent", "patient"),
        (4, "affirmed", "historical", "other"),
        (5, "affirmed", "historical", "patient"),
        (6, "not_mentioned", "not_mentioned", "not_mentioned"),
    ]
    text = CliRunner().invoke(main, ["notes", "assess", str(path)])
    assert text.exit_code == 0
    assert text.output.splitlines()[1].split("\t") == [
        "2",
        "chest pain",
        "negated",
        "recent",
        "patient",
    ]


def test_missing_column_is_exit_2_naming_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "condition\tnote\nx\ty\n")
    result = CliRunner().invoke(main, ["notes", "assess", str(path)])
    assert result.exit_code == 2
    assert f"{path}, line 1" in result.output and "'text'" in result.output
    assert "Traceback" not in result.output


def test_ragged_row_is_exit_2_naming_line_and_column(tmp_path: Path) -> None:
    path = _write(tmp_path, "condition\ttext\nfever\tNo fever.\ncough\tcough\textra\n")
    result = CliRunner().invoke(main, ["notes", "assess", str(path)])
    assert result.exit_code == 2
    assert f"{path}, line 3, column 3" in result.output


def test_empty_condition_is_exit_2(tmp_path: Path) -> None:
    path = _write(tmp_path, "condition\ttext\n\tNo fever.\n")
    result = CliRunner().invoke(main, ["notes", "assess", str(path)])
    assert result.exit_code == 2
    assert "line 2, column 1 (condition)" in result.output


def test_missing_file_is_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["notes", "assess", str(tmp_path / "none.tsv")])
    assert result.exit_code == 2
    assert "none.tsv" in result.output


def test_line_numbers_count_line_breaks_inside_quoted_cells(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        'condition\ttext\nfever\t"Fever.\nNo cough."\ncough\t"No fever.\nNo cough."\n'
        "rash\tRash\textra\n",
    )
    result = CliRunner().invoke(main, ["notes", "assess", str(path)])
    assert result.exit_code == 2
    assert f"{path}, line 6, column 3" in result.output


def test_bad_file_leaves_no_partial_output(tmp_path: Path) -> None:
    path = _write(tmp_path, "condition\ttext\nfever\tNo fever.\n\tcough\n")
    result = CliRunner().invoke(main, ["notes", "assess", str(path), "--json"])
    assert result.exit_code == 2
    assert "negated" not in result.output  # every row is checked before any is printed
