"""The .xlsx twins of the PTP and MUE files load the same rows as the text files."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import Engine, select

from auditkit.db.models import RefdataMue, RefdataPtpEdit
from auditkit.errors import InputError
from auditkit.refdata import kind_named
from tests.refdata.helpers import MUE, PTP, real


def as_excel_value(text: str) -> object:
    # Excel keeps all-digit cells as numbers: codes like 36591 and dates like 20220101
    return int(text) if text.isdigit() else (text or None)


def write_xlsx(path: Path, rows: list[list[str]]) -> None:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append([as_excel_value(cell) for cell in row])
    workbook.save(path)


def stored(engine: Engine, model: type, load_id: int, columns: list[str]) -> list[tuple]:
    table = model.__table__  # type: ignore[attr-defined]
    with engine.connect() as connection:
        return [
            tuple(row)
            for row in connection.execute(
                select(*(table.c[name] for name in columns))
                .where(table.c.load_id == load_id)
                .order_by(table.c.id)
            )
        ]


def test_ptp_xlsx_matches_the_txt(engine: Engine, tmp_path: Path) -> None:
    lines = real(PTP).read_bytes().decode("latin-1").split("\r\n")
    workbook = tmp_path / "ccipra-v322r0-f1.xlsx"
    write_xlsx(workbook, [line.split("\t") for line in lines if line])
    kind = kind_named("ncci-ptp")
    with engine.begin() as connection:
        from_text = kind.load(connection, PTP)
        from_excel = kind.load(connection, workbook)
    assert from_excel.rows == from_text.rows == 154
    assert (from_excel.effective_from, from_excel.edition) == (
        from_text.effective_from,
        from_text.edition,
    )
    columns = list(kind.columns)
    assert stored(engine, RefdataPtpEdit, from_excel.id, columns) == stored(
        engine, RefdataPtpEdit, from_text.id, columns
    )


def test_mue_xlsx_matches_the_csv(engine: Engine, tmp_path: Path) -> None:
    text = real(MUE).read_bytes().decode("latin-1")
    records = list(csv.reader(io.StringIO(text, newline="")))
    workbook = tmp_path / "MCR_MUE_PractitionerServices_Eff_07-01-2026.xlsx"
    write_xlsx(workbook, records)
    kind = kind_named("mue")
    with engine.begin() as connection:
        from_csv = kind.load(connection, MUE)
        from_excel = kind.load(connection, workbook)
    assert from_excel.rows == from_csv.rows == 44
    columns = list(kind.columns)
    assert stored(engine, RefdataMue, from_excel.id, columns) == stored(
        engine, RefdataMue, from_csv.id, columns
    )


def test_a_bad_xlsx_cell_is_named_by_row_and_letter(engine: Engine, tmp_path: Path) -> None:
    lines = real(PTP).read_bytes().decode("latin-1").split("\r\n")
    rows = [line.split("\t") for line in lines if line]
    rows[20][3] = "2022-01-01"
    workbook = tmp_path / "ccipra-v322r0-f1.xlsx"
    write_xlsx(workbook, rows)
    with pytest.raises(InputError) as raised, engine.begin() as connection:
        kind_named("ncci-ptp").load(connection, workbook)
    assert "ccipra-v322r0-f1.xlsx, line 21, column D (Effective Date)" in str(raised.value)
