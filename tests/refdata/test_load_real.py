"""Each publisher's own file loads with exactly the rows it holds, on SQLite and PostgreSQL.

The expected counts are taken from the files here with plain string handling, not with the
parsers under test.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from auditkit.db.models import RefdataHcpcs, RefdataIcd10cm, RefdataMue, RefdataPtpEdit, RefdataRvu
from auditkit.db.session import make_engine
from tests.refdata.helpers import (
    HCPCS,
    ICD_CODES_2026,
    ICD_ORDER_2018,
    ICD_ORDER_2026,
    MUE,
    PTP,
    RVU,
    counts,
    load_json,
    real,
    refdata,
)


def ptp_edits(path: Path) -> list[list[str]]:
    lines = path.read_bytes().decode("latin-1").split("\r\n")
    return [line.split("\t") for line in lines[6:] if line]


def mue_records(path: Path) -> list[list[str]]:
    records = list(csv.reader(io.StringIO(path.read_bytes().decode("latin-1"), newline="")))
    return records[2:]


def rvu_rows(path: Path) -> list[str]:
    lines = path.read_text(encoding="latin-1").splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("HCPCS,MOD,"))
    return [line for line in lines[header + 1 :] if line and not line.startswith("\x1a")]


def hcpcs_items(path: Path) -> list[str]:
    lines = path.read_bytes().decode("latin-1").split("\r\n")
    return [line for line in lines if len(line) > 300 and line[10] in "37"]


def non_blank_lines(path: Path) -> list[str]:
    return [line for line in path.read_bytes().decode("latin-1").split("\r\n") if line.strip()]


CASES = [
    ("ncci-ptp", PTP, lambda p: len(ptp_edits(p)), RefdataPtpEdit),
    ("mue", MUE, lambda p: len(mue_records(p)), RefdataMue),
    ("pfs-rvu", RVU, lambda p: len(rvu_rows(p)), RefdataRvu),
    ("hcpcs", HCPCS, lambda p: len(hcpcs_items(p)), RefdataHcpcs),
    ("icd10cm", ICD_ORDER_2026, lambda p: len(non_blank_lines(p)), RefdataIcd10cm),
    ("icd10cm", ICD_ORDER_2018, lambda p: len(non_blank_lines(p)), RefdataIcd10cm),
    ("icd10cm", ICD_CODES_2026, lambda p: len(non_blank_lines(p)), RefdataIcd10cm),
]


@pytest.mark.parametrize(
    "kind, path, count, model", CASES, ids=[path.name for _, path, _, _ in CASES]
)
def test_real_file_loads_every_row(
    database_url: str, kind: str, path: Path, count: object, model: type
) -> None:
    path = real(path)
    expected = count(path)  # type: ignore[operator]
    loaded = load_json(database_url, kind, path)
    assert loaded["rows"] == expected
    assert loaded["kind"] == kind and loaded["file_name"] == path.name
    assert len(loaded["sha256"]) == 64 and not loaded["already_loaded"]
    engine = make_engine(database_url)
    with engine.connect() as connection:
        stored = connection.execute(
            select(func.count()).select_from(model).where(model.load_id == loaded["id"])
        ).scalar_one()
    engine.dispose()
    assert stored == expected


def test_known_counts_of_the_publishers_files() -> None:
    """The counts PROVENANCE.md states, as a check on the independent counting above."""
    assert len(ptp_edits(real(PTP))) == 154
    assert len(mue_records(real(MUE))) == 44
    assert len(rvu_rows(real(RVU))) == 18_010
    assert len(hcpcs_items(real(HCPCS))) == 6_440 + 360
    assert len(non_blank_lines(real(ICD_CODES_2026))) == 74_719


def test_ptp_rows_keep_dates_indicators_and_rationale(database_url: str) -> None:
    loaded = load_json(database_url, "ncci-ptp", real(PTP))
    engine = make_engine(database_url)
    table = RefdataPtpEdit.__table__
    with engine.connect() as connection:
        rows = connection.execute(
            select(
                table.c.column1,
                table.c.column2,
                table.c.prior_1996,
                table.c.effective_date,
                table.c.deletion_date,
                table.c.modifier_indicator,
                table.c.rationale,
            )
            .where(table.c.load_id == loaded["id"])
            .order_by(table.c.id)
        ).all()
    engine.dispose()
    expected = []
    for cells in ptp_edits(PTP):
        deletion = None if cells[4] == "*" else dt.datetime.strptime(cells[4], "%Y%m%d").date()
        expected.append(
            (
                cells[0],
                cells[1],
                cells[2] == "*",
                dt.datetime.strptime(cells[3], "%Y%m%d").date(),
                deletion,
                int(cells[5]),
                cells[6] or None,
            )
        )
    assert [tuple(row) for row in rows] == expected
    assert {row[5] for row in rows} == {0, 1, 9}


def test_effective_periods_come_from_the_names(database_url: str) -> None:
    periods = {
        path.name: (loaded["effective_from"], loaded["effective_to"], loaded["edition"])
        for kind, path in [
            ("ncci-ptp", real(PTP)),
            ("mue", real(MUE)),
            ("pfs-rvu", real(RVU)),
            ("hcpcs", real(HCPCS)),
            ("icd10cm", real(ICD_ORDER_2018)),
        ]
        for loaded in [load_json(database_url, kind, path)]
    }
    assert periods[PTP.name] == ("2026-07-01", "2026-09-30", "ccipra-v322r0")
    assert periods[MUE.name][:2] == ("2026-07-01", "2026-09-30")
    assert periods[RVU.name][:2] == ("2023-01-01", "2023-12-31")
    assert periods[HCPCS.name][:2] == ("2019-01-01", "2019-12-31")
    assert periods[ICD_ORDER_2018.name] == ("2017-10-01", "2018-09-30", "ICD-10-CM FY2018")


def test_options_override_the_name_and_a_nameless_file_needs_them(
    database_url: str, tmp_path: Path
) -> None:
    copy = tmp_path / "ptp-edits.txt"
    copy.write_bytes(real(PTP).read_bytes())
    result = refdata(database_url, "load", "ncci-ptp", copy)
    assert result.exit_code == 2
    assert "--effective-from" in result.output and "Traceback" not in result.output
    loaded = load_json(database_url, "ncci-ptp", copy, "--effective-from", "2026-04-01")
    assert (loaded["effective_from"], loaded["effective_to"]) == ("2026-04-01", "2026-06-30")
    backwards = refdata(
        database_url,
        "load",
        "mue",
        real(MUE),
        "--effective-from",
        "2026-07-01",
        "--effective-to",
        "2026-06-30",
    )
    assert backwards.exit_code == 2 and "before it starts" in backwards.output


def test_loading_the_same_file_twice_is_idempotent(database_url: str) -> None:
    first = load_json(database_url, "mue", real(MUE))
    before = counts(database_url)
    again = refdata(database_url, "load", "mue", MUE)
    assert again.exit_code == 0
    assert f"already loaded as load {first['id']}" in again.output
    assert counts(database_url) == before
    other_period = refdata(database_url, "load", "mue", MUE, "--effective-from", "2027-01-01")
    assert other_period.exit_code == 2
    assert "already loaded" in other_period.output
    assert counts(database_url) == before


def test_list_shows_every_load(database_url: str) -> None:
    assert "No reference data loaded" in refdata(database_url, "list").output
    ptp = load_json(database_url, "ncci-ptp", real(PTP))
    mue = load_json(database_url, "mue", real(MUE))
    listed = json.loads(refdata(database_url, "list", "--json").output)
    assert [(row["id"], row["kind"], row["rows"]) for row in listed] == [
        (ptp["id"], "ncci-ptp", 154),
        (mue["id"], "mue", 44),
    ]
    assert listed[0]["sha256"] == ptp["sha256"] and listed[0]["loaded_at"]
    text = refdata(database_url, "list", "--kind", "mue").output
    assert MUE.name in text and PTP.name not in text


def test_load_fixtures_command(database_url: str) -> None:
    result = refdata(database_url, "load-fixtures", "--json")
    assert result.exit_code == 0, result.output
    loaded = json.loads(result.output)
    assert [row["kind"] for row in loaded] == ["ncci-ptp", "mue", "pfs-rvu", "hcpcs", "icd10cm"]
    assert counts(database_url)["refdata_load"] == 5
    again = refdata(database_url, "load-fixtures")
    assert again.exit_code == 0 and again.output.count("already loaded") == 5
    assert counts(database_url)["refdata_load"] == 5
