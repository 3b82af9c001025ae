"""Re-import policy: replace an encounter's lines, diagnoses (and note, when one comes) in
place, keeping its internal id; upsert patients, providers and coders by natural key."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Engine, select

from auditkit.db.models import Encounter, ImportBatch, Note, Patient, ServiceLine
from auditkit.ingest import import_claims
from auditkit.testing import table_counts

if TYPE_CHECKING:
    from conftest import ClaimsData


def encounter_ids(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return dict(connection.execute(select(Encounter.encounter_key, Encounter.id)).all())


def test_same_files_twice_leave_the_same_rows(engine: Engine, claims_data: ClaimsData) -> None:
    files = claims_data.write()
    import_claims(engine, *files)
    once = table_counts(engine)
    ids = encounter_ids(engine)

    summary = import_claims(engine, *files)

    twice = table_counts(engine)
    assert twice == {**once, "import_batch": 2, "access_trail": 2}  # each import is on the trail
    assert encounter_ids(engine) == ids
    assert summary.replaced_encounters == 3
    with engine.connect() as connection:
        batches = connection.execute(
            select(ImportBatch.rows, ImportBatch.encounters, ImportBatch.replaced)
        ).all()
    assert [tuple(batch) for batch in batches] == [(5, 3, 0), (5, 3, 3)]


def test_changed_encounter_is_replaced_in_place(engine: Engine, claims_data: ClaimsData) -> None:
    import_claims(engine, *claims_data.write())
    ids = encounter_ids(engine)
    claims_data.claims = [
        claims_data.claim("E1", 1, procedure_code="99214", dx2="", dx_pointers="A"),
        claims_data.claim("E4", 1),
    ]
    claims_data.notes = [claims_data.note("E1", "amended note")]

    summary = import_claims(engine, *claims_data.write())

    assert (summary.encounters, summary.replaced_encounters) == (2, 1)
    after = encounter_ids(engine)
    assert after["E1"] == ids["E1"]
    assert set(after) == {"E1", "E2", "E3", "E4"}
    with engine.connect() as connection:
        lines = connection.execute(
            select(ServiceLine.procedure_code).where(ServiceLine.encounter_id == ids["E1"])
        ).all()
        notes = dict(connection.execute(select(Note.encounter_id, Note.note_text)).all())
    assert [line[0] for line in lines] == ["99214"]
    assert notes[ids["E1"]] == "amended note"
    assert ids["E2"] in notes  # E2 was not in the new notes file: its note stays


def test_claims_alone_keep_the_notes(engine: Engine, claims_data: ClaimsData) -> None:
    claims, notes = claims_data.write()
    import_claims(engine, claims, notes)

    import_claims(engine, claims)

    assert table_counts(engine)["note"] == 2


def test_note_for_an_encounter_already_in_the_database(
    engine: Engine, claims_data: ClaimsData, earlier_data: ClaimsData
) -> None:
    import_claims(engine, *earlier_data.write())
    claims_data.notes.append(claims_data.note("OLD-E3", "late documentation"))

    summary = import_claims(engine, *claims_data.write())

    assert summary.notes == 3
    assert table_counts(engine)["note"] == 5


def test_new_names_win_and_empty_names_never_erase(engine: Engine, claims_data: ClaimsData) -> None:
    import_claims(engine, *claims_data.write())
    for row in claims_data.claims:
        row["patient_first_name"] = "Anna" if row["patient_id"] == "MRN1" else ""

    import_claims(engine, *claims_data.write())

    with engine.connect() as connection:
        names = dict(connection.execute(select(Patient.mrn, Patient.first_name)).all())
    assert names == {"MRN1": "Anna", "MRN2": "Bo"}
