"""Load encounters as :class:`EncounterRecord` views, in batches, with set-based queries.

Each loaded encounter carries the patient-day view: the patient's other encounters on its
date of service (with diagnoses and lines, without notes), found through the
(date, patient) index whether they were sampled or not.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import replace

from sqlalchemy import Connection, and_, select
from sqlalchemy.orm import aliased

from auditkit.db.models import Coder, Diagnosis, Encounter, Note, Patient, Provider, ServiceLine
from auditkit.units import (
    DiagnosisRecord,
    EncounterRecord,
    LineRecord,
    NoteRecord,
    PatientRecord,
)

BATCH = 500


def _modifiers(row: object) -> tuple[str, ...]:
    values = (row.modifier1, row.modifier2, row.modifier3, row.modifier4)  # type: ignore[attr-defined]
    return tuple(m for m in values if m)


def _same_day_ids(connection: Connection, ids: Sequence[int]) -> dict[int, list[int]]:
    """For each encounter, the ids of the patient's other encounters on the same day."""
    other = aliased(Encounter)
    query = (
        select(Encounter.id, other.id)
        .join(
            other,
            and_(
                other.date_of_service == Encounter.date_of_service,
                other.patient_id == Encounter.patient_id,
                other.id != Encounter.id,
            ),
        )
        .where(Encounter.id.in_(ids))
    )
    siblings: dict[int, list[int]] = defaultdict(list)
    for encounter_id, sibling_id in connection.execute(query):
        siblings[encounter_id].append(sibling_id)
    return siblings


def _load_batch(
    connection: Connection, ids: Sequence[int], with_same_day: bool = True
) -> list[EncounterRecord]:
    siblings = _same_day_ids(connection, ids) if with_same_day else {}
    sibling_ids = sorted({s for found in siblings.values() for s in found} - set(ids))
    sibling_records = (
        {record.id: record for record in _load_batch(connection, sibling_ids, with_same_day=False)}
        if sibling_ids
        else {}
    )
    diagnoses: dict[int, list[DiagnosisRecord]] = defaultdict(list)
    for dx in connection.execute(
        select(Diagnosis.encounter_id, Diagnosis.position, Diagnosis.code)
        .where(Diagnosis.encounter_id.in_(ids))
        .order_by(Diagnosis.encounter_id, Diagnosis.position)
    ):
        diagnoses[dx.encounter_id].append(DiagnosisRecord(dx.position, dx.code))

    lines: dict[int, list[LineRecord]] = defaultdict(list)
    for line in connection.execute(
        select(ServiceLine)
        .where(ServiceLine.encounter_id.in_(ids))
        .order_by(ServiceLine.encounter_id, ServiceLine.line_number)
    ):
        lines[line.encounter_id].append(
            LineRecord(
                line_number=line.line_number,
                procedure_code=line.procedure_code,
                modifiers=_modifiers(line),
                units=line.units,
                dx_pointers=line.dx_pointers,
                charge=line.charge,
                paid_amount=line.paid_amount,
                denial_codes=tuple(filter(None, (line.denial_codes or "").split(";"))),
            )
        )

    notes = (
        {
            row.encounter_id: NoteRecord(
                text=row.note_text,
                author_npi=row.author_npi,
                signed_at=row.signed_at,
                total_time_minutes=row.total_time_minutes,
                mdm_level=row.mdm_level,
            )
            for row in connection.execute(select(Note).where(Note.encounter_id.in_(ids)))
        }
        if with_same_day
        else {}
    )

    query = (
        select(
            Encounter,
            Patient.mrn,
            Patient.sex,
            Patient.dob,
            Patient.first_name,
            Patient.last_name,
            Provider.npi,
            Provider.name.label("provider_name"),
            Coder.coder_key,
            Coder.name.label("coder_name"),
        )
        .join(Patient, Patient.id == Encounter.patient_id)
        .join(Provider, Provider.id == Encounter.provider_id)
        .join(Coder, Coder.id == Encounter.coder_id)
        .where(Encounter.id.in_(ids))
        .order_by(Encounter.id)
    )
    records = []
    for row in connection.execute(query):  # type: ignore[assignment]
        records.append(
            EncounterRecord(
                id=row.id,
                key=row.encounter_key,
                date_of_service=row.date_of_service,
                patient=PatientRecord(row.mrn, row.sex, row.dob, row.first_name, row.last_name),
                provider_npi=row.npi,
                coder_key=row.coder_key,
                diagnoses=tuple(diagnoses.get(row.id, ())),
                lines=tuple(lines.get(row.id, ())),
                note=notes.get(row.id),
                place_of_service=row.place_of_service,
                department=row.department,
                payer=row.payer,
                provider_name=row.provider_name,
                coder_name=row.coder_name,
            )
        )
    if with_same_day:
        by_id = {record.id: record for record in records}
        by_id_all = {**sibling_records, **by_id}
        records = [
            replace(
                record,
                same_day=tuple(
                    _without_note(by_id_all[s]) for s in sorted(siblings.get(record.id, ()))
                ),
            )
            for record in records
        ]
    return records


def _without_note(record: EncounterRecord) -> EncounterRecord:
    """A same-day encounter as its siblings see it (notes are read only for the unit)."""
    return replace(record, note=None) if record.note is not None else record


def load_encounters(
    connection: Connection, encounter_ids: Sequence[int], batch: int = BATCH
) -> Iterator[EncounterRecord]:
    """Yield the encounters in id order, a few queries per batch rather than per encounter."""
    ordered = sorted(encounter_ids)
    for start in range(0, len(ordered), batch):
        yield from _load_batch(connection, ordered[start : start + batch])
