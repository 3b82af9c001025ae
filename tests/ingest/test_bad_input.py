"""Bad input: an InputError naming file, line and column, and a database left exactly as it was.

Every case runs on an empty database and on one that already holds an earlier import, on
SQLite and (when configured) PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import Engine

from auditkit.errors import InputError
from auditkit.ingest import import_claims
from auditkit.testing import table_counts

if TYPE_CHECKING:
    from conftest import ClaimsData

Spoil = Callable[["ClaimsData"], tuple[Path, Path]]


def missing_column(data: ClaimsData) -> tuple[Path, Path]:
    header = [name for name in data.claims[0] if name != "units"] + ["dx3"]
    return data.write(header=header)


def bad_date(data: ClaimsData) -> tuple[Path, Path]:
    data.claims[2]["date_of_service"] = "2026-02-30"
    return data.write()


def zero_units(data: ClaimsData) -> tuple[Path, Path]:
    data.claims[4]["units"] = "0"
    return data.write()


def dx1_disagrees(data: ClaimsData) -> tuple[Path, Path]:
    data.claims[1]["dx1"] = "I11.9"
    return data.write()


def not_utf8(data: ClaimsData) -> tuple[Path, Path]:
    data.claims[3]["patient_last_name"] = "Müller"
    claims, notes = data.write(encoding="latin-1")
    return claims, notes


def bad_npi(data: ClaimsData) -> tuple[Path, Path]:
    for row in data.claims[3:]:
        row["provider_npi"] = "1234567890"
    return data.write()


def unknown_note(data: ClaimsData) -> tuple[Path, Path]:
    data.notes.append(data.note("E9"))
    return data.write()


def second_note(data: ClaimsData) -> tuple[Path, Path]:
    data.notes.append(data.note("E1", "again"))
    return data.write()


def patient_dob_disagrees(data: ClaimsData) -> tuple[Path, Path]:
    data.claims[2]["patient_dob"] = "1960-05-02"
    return data.write()


def repeated_line_number(data: ClaimsData) -> tuple[Path, Path]:
    data.claims[1]["line_number"] = "1"
    return data.write()


def pointer_to_absent_dx(data: ClaimsData) -> tuple[Path, Path]:
    data.claims[4]["dx_pointers"] = "1,3"
    return data.write()


def unterminated_quote(data: ClaimsData) -> tuple[Path, Path]:
    claims, notes = data.write()
    text = claims.read_text(encoding="utf-8").splitlines(keepends=True)
    text[3] = text[3].replace("Cardiology", '"Cardiology', 1)
    claims.write_text("".join(text), encoding="utf-8")
    return claims, notes


CASES: list[tuple[Spoil, str, int, str | None, str]] = [
    (missing_column, "claims.csv", 1, "units", "required column is missing"),
    (bad_date, "claims.csv", 4, "date_of_service", "'2026-02-30' is not a real calendar date"),
    (zero_units, "claims.csv", 6, "units", "'0' is less than 1"),
    (dx1_disagrees, "claims.csv", 3, "dx1", "disagrees with line 2 of the same encounter"),
    (not_utf8, "claims.csv", 5, "patient_last_name", "not UTF-8 (b'\\xfc' at byte"),
    (bad_npi, "claims.csv", 5, "provider_npi", "check digit"),
    (unknown_note, "notes.csv", 6, "encounter_id", "'E9' is neither in claims.csv nor"),
    (second_note, "notes.csv", 6, "encounter_id", "'E1' already has a note on line 2"),
    (patient_dob_disagrees, "claims.csv", 4, "patient_dob", "disagrees with line 2 for patient"),
    (repeated_line_number, "claims.csv", 3, "line_number", "already used on line 2"),
    (pointer_to_absent_dx, "claims.csv", 6, "dx_pointers", "points at dx3"),
    (unterminated_quote, "claims.csv", 4, None, "is not valid CSV"),
]


@pytest.fixture(params=[False, True], ids=["empty-db", "earlier-import"])
def prepared(request: pytest.FixtureRequest, engine: Engine, earlier_data: ClaimsData) -> Engine:
    """The engine, holding an earlier import of other encounters when the param says so."""
    if request.param:
        import_claims(engine, *earlier_data.write())
    return engine


@pytest.mark.parametrize(
    ("spoil", "file", "line", "column", "message"),
    CASES,
    ids=[case[0].__name__ for case in CASES],
)
def test_bad_input_is_reported_and_nothing_changes(
    prepared: Engine,
    claims_data: ClaimsData,
    spoil: Spoil,
    file: str,
    line: int,
    column: str | None,
    message: str,
) -> None:
    before = table_counts(prepared)

    with pytest.raises(InputError) as raised:
        import_claims(prepared, *spoil(claims_data))

    assert table_counts(prepared) == before
    located = [
        problem
        for problem in raised.value.problems
        if (problem.file, problem.line, problem.column) == (file, line, column)
    ]
    assert located, str(raised.value)
    assert message in located[0].message, str(raised.value)
    assert "Nothing was imported" in str(raised.value)


def test_problems_beyond_the_cap_are_counted(prepared: Engine, claims_data: ClaimsData) -> None:
    claims_data.claims = [claims_data.claim(f"E{number}", 1, units="0") for number in range(1, 121)]
    claims_data.notes = []
    before = table_counts(prepared)

    with pytest.raises(InputError) as raised:
        import_claims(prepared, *claims_data.write())

    assert table_counts(prepared) == before
    assert raised.value.total == 120
    assert len(raised.value.problems) == 50
    assert "and 70 more problem(s) (120 in all)" in str(raised.value)


def test_bad_mapping_file(engine: Engine, claims_data: ClaimsData) -> None:
    mapping = claims_data.directory / "mapping.toml"
    mapping.write_text('[columns]\n"Service Date" = "service_day"\n', encoding="utf-8")

    with pytest.raises(InputError) as raised:
        import_claims(engine, *claims_data.write(), mapping_path=mapping)

    (problem,) = raised.value.problems
    assert (problem.file, problem.column) == ("mapping.toml", "Service Date")
    assert "'service_day', which is not an auditkit column" in problem.message


def test_missing_file(engine: Engine, tmp_path: Path) -> None:
    with pytest.raises(InputError) as raised:
        import_claims(engine, tmp_path / "nowhere.csv")

    assert "nowhere.csv: cannot be read" in str(raised.value)
