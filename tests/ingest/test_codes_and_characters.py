"""Codes are imported as typed (SPC001 reports the malformed ones); control characters and a
mapping file that is not UTF-8 are input errors naming file, line and column."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, select

from auditkit.cli import main
from auditkit.db.models import Diagnosis, Encounter, Note, ServiceLine
from auditkit.errors import InputError
from auditkit.ingest import import_claims
from auditkit.testing import table_counts

if TYPE_CHECKING:
    from conftest import ClaimsData


def malformed(data: ClaimsData) -> None:
    """E1 with a too-long dx and a six-character procedure code, E2 with a bad 7th
    character and a dot out of place."""
    for row in data.claims[:2]:
        row["dx2"] = "S39.012A1"
    data.claims[1]["procedure_code"] = "992133"
    data.claims[2]["dx2"] = "S39012A0"
    data.claims[2]["dx3"] = "E1.19"


def test_malformed_codes_import_as_typed(engine: Engine, claims_data: ClaimsData) -> None:
    malformed(claims_data)

    import_claims(engine, *claims_data.write())

    with engine.connect() as connection:
        codes = connection.execute(
            select(Encounter.encounter_key, Diagnosis.position, Diagnosis.code)
            .join(Encounter, Encounter.id == Diagnosis.encounter_id)
            .where(Diagnosis.position > 1)
            .order_by(Encounter.encounter_key, Diagnosis.position)
        ).all()
        procedures = (
            connection.execute(
                select(ServiceLine.procedure_code).order_by(ServiceLine.procedure_code)
            )
            .scalars()
            .all()
        )
    assert [tuple(row) for row in codes] == [
        ("E1", 2, "S39012A1"),
        ("E2", 2, "S39012A0"),
        ("E2", 3, "E1.19"),
    ]
    assert "992133" in procedures


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("dx2", "S39.012A12", "longer than 8 characters without the dot"),
        ("dx2", "E11-9", "only letters, digits and one dot"),
        ("procedure_code", "992131234", "longer than 8 characters"),
        ("procedure_code", "99.21.3", "only letters, digits and one dot"),
    ],
)
def test_what_cannot_be_a_code_is_refused(
    engine: Engine, claims_data: ClaimsData, column: str, value: str, reason: str
) -> None:
    claims_data.claims[2][column] = value
    with pytest.raises(InputError) as raised:
        import_claims(engine, *claims_data.write())
    (problem,) = raised.value.problems
    assert (problem.file, problem.line, problem.column) == ("claims.csv", 4, column)
    assert reason in problem.message
    assert table_counts(engine)["encounter"] == 0


def test_audit_run_reports_malformed_codes_as_spc001(
    database_url: str, claims_data: ClaimsData
) -> None:
    malformed(claims_data)
    claims, notes = claims_data.write()
    db = ("--database", database_url)
    runner = CliRunner()
    for command in (
        ("init",),
        ("import", "claims", str(claims), "--notes", str(notes)),
        ("audit", "create", "q1", "--from", "2026-01-01", "--to", "2026-12-31"),
        ("sample", "draw", "q1", "--method", "all"),
        ("audit", "run", "q1"),
    ):
        result = runner.invoke(main, [*command, *db])
        assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["findings", "export", "q1", "--format", "json", *db])
    findings = [f for f in json.loads(result.stdout) if f["rule_id"] == "SPC001"]

    by_place: dict[tuple[str, int | None], str] = {}
    for finding in findings:
        place = (finding["encounter_id"], finding["line_number"])
        by_place[place] = by_place.get(place, "") + finding["message"]
    assert set(by_place) == {("E1", None), ("E1", 2), ("E2", None)}, by_place
    assert "S39012A1" in by_place["E1", None]
    assert "992133" in by_place["E1", 2]
    assert "E1.19" in by_place["E2", None]
    assert "S39012A0" in by_place["E2", None]


# --- control characters ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "row", "column", "value", "line", "char"),
    [
        ("claims", 3, "patient_last_name", "Le\x00e", 5, "U+0000"),
        ("claims", 0, "procedure_code", "99213\x00", 2, "U+0000"),
        ("claims", 2, "payer", "Medi\x07care", 4, "U+0007"),
        ("claims", 0, "department", "Cardio\tlogy", 2, "U+0009"),
        ("claims", 0, "department", "Cardio\nlogy", 2, "U+000A"),
        ("notes", 0, "note_text", "Seen\x00today", 2, "U+0000"),
        ("notes", 0, "note_text", "bell \x07", 2, "U+0007"),
        ("notes", 0, "note_text", "C1 \x85 control", 2, "U+0085"),
        ("notes", 0, "mdm_level", "low\t", 2, "U+0009"),
    ],
)
def test_control_characters_are_input_errors(
    engine: Engine,
    claims_data: ClaimsData,
    file: str,
    row: int,
    column: str,
    value: str,
    line: int,
    char: str,
) -> None:
    rows = claims_data.claims if file == "claims" else claims_data.notes
    rows[row][column] = value
    if file == "claims" and column in ("patient_last_name", "payer", "department"):
        # encounter-level: the same value on every line of the encounter
        key = rows[row]["encounter_id"]
        for other in rows:
            if other["encounter_id"] == key:
                other[column] = value
    before = table_counts(engine)

    with pytest.raises(InputError) as raised:
        import_claims(engine, *claims_data.write())

    assert table_counts(engine) == before
    located = [
        p
        for p in raised.value.problems
        if (p.file, p.line, p.column) == (f"{file}.csv", line, column)
    ]
    assert located, str(raised.value)
    assert f"control character {char}" in located[0].message


def test_notes_keep_tabs_and_line_breaks(engine: Engine, claims_data: ClaimsData) -> None:
    claims_data.notes[0]["note_text"] = "Plan:\tcontinue\r\nReturn in 3 months\n"
    import_claims(engine, *claims_data.write())
    with engine.connect() as connection:
        texts = connection.execute(select(Note.note_text)).scalars().all()
    assert "Plan:\tcontinue\r\nReturn in 3 months\n" in texts


def test_mapping_file_not_utf8_is_a_clear_error(tmp_path: Path, claims_data: ClaimsData) -> None:
    claims, notes = claims_data.write()
    mapping = claims_data.directory / "mapping.toml"
    mapping.write_bytes(
        '[columns]\n"Datum der Behandlung" = "date_of_service"\n# Größe\n'.encode("latin-1")
    )
    database = f"sqlite:///{tmp_path / 'm.db'}"
    runner = CliRunner()
    assert runner.invoke(main, ["init", "--database", database]).exit_code == 0

    result = runner.invoke(
        main,
        [
            "import",
            "claims",
            str(claims),
            "--notes",
            str(notes),
            "--mapping",
            str(mapping),
            "--database",
            database,
        ],
    )

    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "mapping.toml, line 3" in result.output
    assert "not UTF-8" in result.output
