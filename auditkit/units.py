"""What a per-unit check reads: immutable views of one unit under review.

Checks never touch the database; the engine loads the units in batches and hands each one
over as a record. That keeps plugins independent of sessions, fast (set-based loading) and
easy to test with hand-written records. Two kinds ship with auditkit:

* ``encounter``: an :class:`EncounterRecord` with its lines and note, and ``same_day``, the
  patient's other encounters on that date of service (the patient-day view NCCI and MUE
  edits need), whether sampled or not;
* ``access_event``: an :class:`AccessEventRecord`, one row of an EHR access log.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


def dotted(code: str) -> str:
    """ICD-10-CM codes are stored without the dot; people read them with it."""
    return code if len(code) <= 3 else f"{code[:3]}.{code[3:]}"


@dataclass(frozen=True)
class DiagnosisRecord:
    position: int  # 1 = first-listed
    code: str  # upper case, no dot

    @property
    def display(self) -> str:
        return dotted(self.code)


@dataclass(frozen=True)
class LineRecord:
    line_number: int
    procedure_code: str
    modifiers: tuple[str, ...]
    units: int
    dx_pointers: str | None
    charge: Decimal
    paid_amount: Decimal | None = None
    denial_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class NoteRecord:
    text: str
    author_npi: str | None = None
    signed_at: dt.datetime | None = None
    total_time_minutes: int | None = None
    mdm_level: str | None = None


@dataclass(frozen=True)
class PatientRecord:
    mrn: str
    sex: str | None
    dob: dt.date | None
    first_name: str | None = None
    last_name: str | None = None


@dataclass(frozen=True)
class EncounterRecord:
    id: int  # internal id; findings point at it
    key: str  # the user's encounter_id
    date_of_service: dt.date
    patient: PatientRecord
    provider_npi: str
    coder_key: str
    diagnoses: tuple[DiagnosisRecord, ...]
    lines: tuple[LineRecord, ...] = ()
    note: NoteRecord | None = None
    place_of_service: str | None = None
    department: str | None = None
    payer: str | None = None
    provider_name: str | None = None
    coder_name: str | None = None
    # The patient's other encounters on this date of service (their own same_day is empty).
    same_day: tuple[EncounterRecord, ...] = ()

    @property
    def patient_day(self) -> tuple[EncounterRecord, ...]:
        """This encounter and the patient's other encounters that day, in id order."""
        return tuple(sorted((self, *self.same_day), key=lambda encounter: encounter.id))

    @property
    def patient_age(self) -> int | None:
        """Age in whole years on the date of service."""
        dob = self.patient.dob
        if dob is None:
            return None
        dos = self.date_of_service
        return dos.year - dob.year - ((dos.month, dos.day) < (dob.month, dob.day))

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(d.code for d in self.diagnoses)


@dataclass(frozen=True)
class AccessEventRecord:
    """One access to a patient's record in an EHR access log."""

    id: int  # internal id
    event_id: str
    timestamp: dt.datetime
    user_id: str
    patient_id: str
    action: str
    workstation: str | None = None
    source: str | None = None
    break_glass: bool = False
    reason: str | None = None
