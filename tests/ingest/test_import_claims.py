"""import_claims end to end, on SQLite and (when configured) PostgreSQL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import Engine, select

from auditkit.db.migrate import upgrade
from auditkit.db.models import Coder, Diagnosis, Encounter, Note, Patient, Provider, ServiceLine
from auditkit.db.session import make_engine
from auditkit.errors import InputError
from auditkit.ingest import import_claims
from auditkit.ingest.columns import CLAIMS
from auditkit.testing import table_counts

if TYPE_CHECKING:
    from conftest import ClaimsData

EXPECTED = {
    "import_batch": 1,
    "patient": 2,
    "provider": 2,
    "coder": 1,
    "encounter": 3,
    "diagnosis": 5,
    "service_line": 5,
    "note": 2,
}


def counts(engine: Engine) -> dict[str, int]:
    return {name: n for name, n in table_counts(engine).items() if name in EXPECTED}


def contents(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """What an import wrote, by natural keys, comparable across databases and formats."""
    with engine.connect() as connection:
        return {
            "lines": connection.execute(
                select(
                    Encounter.encounter_key,
                    ServiceLine.line_number,
                    ServiceLine.procedure_code,
                    ServiceLine.modifier1,
                    ServiceLine.units,
                    ServiceLine.dx_pointers,
                    ServiceLine.charge,
                    ServiceLine.paid_amount,
                )
                .join(Encounter, Encounter.id == ServiceLine.encounter_id)
                .order_by(Encounter.encounter_key, ServiceLine.line_number)
            ).all(),
            "diagnoses": connection.execute(
                select(Encounter.encounter_key, Diagnosis.position, Diagnosis.code)
                .join(Encounter, Encounter.id == Diagnosis.encounter_id)
                .order_by(Encounter.encounter_key, Diagnosis.position)
            ).all(),
            "encounters": connection.execute(
                select(
                    Encounter.encounter_key,
                    Patient.mrn,
                    Patient.dob,
                    Encounter.date_of_service,
                    Encounter.place_of_service,
                )
                .join(Patient)
                .order_by(Encounter.encounter_key)
            ).all(),
            "notes": connection.execute(
                select(Encounter.encounter_key, Note.signed_at, Note.mdm_level, Note.note_text)
                .join(Encounter, Encounter.id == Note.encounter_id)
                .order_by(Encounter.encounter_key)
            ).all(),
        }


def test_happy_path_fills_every_table(engine: Engine, claims_data: ClaimsData) -> None:
    claims, notes = claims_data.write()
    seen: list[int] = []

    summary = import_claims(engine, claims, notes, progress=seen.append)

    assert counts(engine) == EXPECTED
    assert (summary.lines, summary.encounters, summary.notes) == (5, 3, 2)
    assert summary.replaced_encounters == 0
    assert summary.warnings == []
    assert seen[-1] == 5
    written = contents(engine)
    assert written["diagnoses"] == [
        ("E1", 1, "I10"),
        ("E1", 2, "E119"),
        ("E2", 1, "I10"),
        ("E2", 2, "E119"),
        ("E3", 1, "J45909"),
    ]
    assert written["lines"][1] == (
        "E1",
        2,
        "93000",
        None,
        1,
        "A",
        Decimal("35.00"),
        Decimal("80.50"),
    )
    assert written["notes"][0][1:3] == (dt.datetime(2026, 3, 2, 14, 5), "low")


def test_notes_keep_quoted_newlines(engine: Engine, claims_data: ClaimsData) -> None:
    claims_data.notes[1]["note_text"] = 'Line one\nline two, "quoted"\r\nline three'
    claims, notes = claims_data.write()

    import_claims(engine, claims, notes)

    texts = {key: text for key, _, _, text in contents(engine)["notes"]}
    assert texts["E2"] == 'Line one\nline two, "quoted"\r\nline three'


def test_xlsx_gives_the_same_result_as_csv(
    engine: Engine, claims_data: ClaimsData, tmp_path: Path
) -> None:
    csv_engine = make_engine(f"sqlite:///{tmp_path / 'csv.db'}")
    upgrade(csv_engine)
    import_claims(csv_engine, *claims_data.write())

    import_claims(engine, *claims_data.write_xlsx())

    assert contents(engine) == contents(csv_engine)
    csv_engine.dispose()


def test_mapping_renames_columns(engine: Engine, claims_data: ClaimsData) -> None:
    header = [
        "Service Date" if name == "date_of_service" else name for name in claims_data.claims[0]
    ]
    for row in claims_data.claims:
        row["Service Date"] = row.pop("date_of_service")
    claims, notes = claims_data.write(header=header)
    mapping = claims_data.directory / "mapping.toml"
    mapping.write_text('[columns]\n"  service date " = "date_of_service"\n', encoding="utf-8")

    summary = import_claims(engine, claims, notes, mapping_path=mapping)

    assert summary.warnings == []
    assert contents(engine)["encounters"][1][3] == dt.date(2026, 3, 9)


def test_headers_match_case_insensitively_after_trimming(
    engine: Engine, claims_data: ClaimsData
) -> None:
    header = [f"  {name.upper()} " for name in CLAIMS.columns]
    claims, notes = claims_data.write()
    text = claims.read_text(encoding="utf-8").split("\n", 1)[1]
    claims.write_text(",".join(header) + "\n" + text, encoding="utf-8")

    import_claims(engine, claims, notes)

    assert counts(engine) == EXPECTED


def test_bom_is_accepted(engine: Engine, claims_data: ClaimsData) -> None:
    claims, notes = claims_data.write(encoding="utf-8-sig")

    import_claims(engine, claims, notes)

    assert counts(engine) == EXPECTED


def test_unknown_column_is_a_warning(engine: Engine, claims_data: ClaimsData) -> None:
    for row in claims_data.claims:
        row["Internal Memo"] = "x"
    claims, notes = claims_data.write(header=[*claims_data.claims[0]])

    summary = import_claims(engine, claims, notes)

    assert counts(engine) == EXPECTED
    assert summary.warnings == [
        "claims.csv: column 'Internal Memo' is not an auditkit column; ignored"
    ]


def test_claims_without_notes(engine: Engine, claims_data: ClaimsData) -> None:
    claims, _ = claims_data.write()

    summary = import_claims(engine, claims)

    assert summary.notes == 0
    assert counts(engine) == {**EXPECTED, "note": 0}


def test_scattered_lines_of_one_encounter_are_one_encounter(
    engine: Engine, claims_data: ClaimsData
) -> None:
    rows = claims_data.claims
    claims_data.claims = [rows[0], rows[2], rows[1], rows[3], rows[4]]  # E1, E2, E1, E3, E3

    import_claims(engine, *claims_data.write())

    assert counts(engine) == EXPECTED
    assert [row[:2] for row in contents(engine)["lines"][:2]] == [("E1", 1), ("E1", 2)]


def test_names_newest_non_empty_wins(engine: Engine, claims_data: ClaimsData) -> None:
    claims_data.claims.append(
        claims_data.claim("E4", 1, patient_first_name="Annie", patient_last_name="")
    )
    import_claims(engine, *claims_data.write())

    with engine.connect() as connection:
        names = connection.execute(
            select(Patient.first_name, Patient.last_name).where(Patient.mrn == "MRN1")
        ).one()
    assert tuple(names) == ("Annie", "Lee")


def test_offset_timestamps_become_local_time(engine: Engine, claims_data: ClaimsData) -> None:
    claims_data.notes[0]["signed_at"] = "2026-03-02T14:05:00+00:00"

    import_claims(engine, *claims_data.write())

    expected = dt.datetime(2026, 3, 2, 14, 5, tzinfo=dt.UTC).astimezone().replace(tzinfo=None)
    assert contents(engine)["notes"][0][1] == expected


def test_line_numbers_count_physical_lines(engine: Engine, claims_data: ClaimsData) -> None:
    """E2's note spans lines 3-5 of notes.csv, so E3's note starts on line 6."""
    claims_data.notes.append(claims_data.note("E3", mdm_level="extreme"))

    with pytest.raises(InputError) as raised:
        import_claims(engine, *claims_data.write())

    assert [(p.line, p.column) for p in raised.value.problems] == [(6, "mdm_level")]


def test_notes_problems_come_back_from_the_reader(engine: Engine, claims_data: ClaimsData) -> None:
    claims_data.notes.append(claims_data.note("E3", signed_at="yesterday", author_npi="1"))
    claims, notes = claims_data.write()
    with pytest.raises(InputError) as raised:
        import_claims(engine, claims, notes)
    assert [(p.file, p.line, p.column) for p in raised.value.problems] == [
        ("notes.csv", 6, "author_npi"),
        ("notes.csv", 6, "signed_at"),
    ]
    assert counts(engine) == dict.fromkeys(EXPECTED, 0)


def test_sqlite_foreign_keys_are_checked_again_after_an_import(
    engine: Engine, claims_data: ClaimsData
) -> None:
    """The import turns SQLite's foreign key checks off for its transaction only."""
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    import_claims(engine, *claims_data.write())
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1


@pytest.mark.parametrize("scattered", [False, True])
def test_provider_and_coder_names_newest_non_empty_wins(
    engine: Engine, claims_data: ClaimsData, scattered: bool
) -> None:
    """The reader works provider and coder names out itself; with scattered encounters SQL
    does, and both agree. A stored name survives an empty cell."""
    import_claims(engine, *claims_data.write())
    claims_data.claims = [
        claims_data.claim("E7", 1, provider_name="Dr Old", provider_specialty="", coder_name=""),
        claims_data.claim("E8", 1, provider_name="", provider_specialty="Cardio", coder_name="Cy"),
        claims_data.claim("E9", 1, provider_name="", provider_specialty="", coder_name=""),
    ]
    if scattered:
        claims_data.claims.append(
            claims_data.claim("E7", 2, provider_name="Dr Old", provider_specialty="", coder_name="")
        )
    claims_data.notes = []
    import_claims(engine, *claims_data.write())

    with engine.connect() as connection:
        provider = connection.execute(
            select(Provider.name, Provider.specialty).where(Provider.npi == "1234567893")
        ).one()
        coder = connection.execute(select(Coder.name).where(Coder.coder_key == "C1")).one()
        other = connection.execute(select(Provider.name).where(Provider.npi == "1245319599")).one()
    assert tuple(provider) == ("Dr Old", "Cardio")
    assert tuple(coder) == ("Cy",)
    assert tuple(other) == ("Dr Heart",)  # not in this file: untouched
