"""The fast way through a PTP TXT file: pyarrow reads and checks it column-wise.

A quarter's practitioner table is over a million edits; checking them one Python row at a
time took most of a load. This path reads the tab-separated rows with pyarrow and checks
each column at once. When any check fails (or the file is not plain enough: a row with
other than seven cells, say) it gives up, and the row-by-row parser in :mod:`ptp` reads
the file again to name the exact line and column.
"""

from __future__ import annotations

import itertools
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import csv as pa_csv

from auditkit.refdata.source import PROCEDURE_CODE, SourceFile

NAMES = ["column1", "column2", "prior", "effective", "deletion", "indicator", "rationale"]
HEADER_SCAN = 100  # lines searched for the first edit; CMS's header takes six


def header_lines(source: SourceFile) -> tuple[list[tuple[int, list[str]]], int] | None:
    """The lines above the first edit and that edit's line number (``None``: not found)."""
    lines: list[tuple[int, list[str]]] = []
    with source.path.open(encoding="latin-1", newline="") as stream:
        for number, line in enumerate(itertools.islice(stream, HEADER_SCAN), start=1):
            cells = line.rstrip("\r\n").split("\t")
            if PROCEDURE_CODE.fullmatch(cells[0]):
                return lines, number
            lines.append((number, cells))
    return None


def read_edits(source: SourceFile, first_edit: int) -> pa.Table | None:
    """The edits as columns ready for the table, or ``None`` when anything needs a closer
    look by the row-by-row parser."""
    try:
        table = pa_csv.read_csv(
            source.path,
            read_options=pa_csv.ReadOptions(
                skip_rows=first_edit - 1, column_names=NAMES, encoding="latin-1"
            ),
            parse_options=pa_csv.ParseOptions(delimiter="\t", quote_char=False),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(NAMES, pa.string()),
                strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, OSError):
        return None
    code = f"^{PROCEDURE_CODE.pattern}$"
    checks = [
        pc.match_substring_regex(table["column1"], code),
        pc.match_substring_regex(table["column2"], code),
        pc.is_in(table["prior"], pa.array(["", "*"])),
        pc.is_in(table["indicator"], pa.array(["0", "1", "9"])),
    ]
    effective = _dates(table["effective"])
    deleted = pc.not_equal(table["deletion"], "*")
    deletion = _dates(pc.if_else(deleted, table["deletion"], pa.scalar(None, pa.string())))
    checks += [
        pc.is_valid(effective),
        pc.or_(pc.invert(deleted), pc.is_valid(deletion)),
    ]
    if table.num_rows == 0 or not all(pc.all(check).as_py() for check in checks):
        return None
    rationale = table["rationale"]
    return pa.table(
        {
            "column1": table["column1"],
            "column2": table["column2"],
            "prior_1996": pc.equal(table["prior"], "*"),
            "effective_date": pc.cast(effective, pa.string()),
            "deletion_date": pc.cast(deletion, pa.string()),
            "modifier_indicator": pc.cast(table["indicator"], pa.int32()),
            "rationale": pc.if_else(
                pc.equal(rationale, ""), pa.scalar(None, pa.string()), rationale
            ),
        }
    )


def _dates(column: Any) -> Any:
    """``YYYYMMDD`` text to dates; null where the text is not a real date."""
    eight_digits = pc.match_substring_regex(column, r"^\d{8}$")
    text = pc.if_else(eight_digits, column, pa.scalar(None, pa.string()))
    return pc.cast(pc.strptime(text, format="%Y%m%d", unit="s", error_is_null=True), pa.date32())
