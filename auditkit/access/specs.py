"""The columns of each access-review input file (contract §3)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FileSpec:
    kind: str
    columns: tuple[str, ...]
    required: frozenset[str]
    # Columns whose cells may hold line breaks (free text); elsewhere they are refused.
    free_text: frozenset[str] = frozenset()


ACCESS_LOG = FileSpec(
    "access-log",
    (
        "event_id",
        "timestamp",
        "user_id",
        "patient_id",
        "action",
        "workstation",
        "source",
        "break_glass",
        "reason",
    ),
    frozenset({"timestamp", "user_id", "patient_id", "action"}),
    frozenset({"reason"}),
)

WORKFORCE = FileSpec(
    "workforce",
    (
        "user_id",
        "first_name",
        "last_name",
        "role",
        "department",
        "npi",
        "address",
        "postal_code",
        "hire_date",
        "termination_date",
        "patient_id",
    ),
    frozenset({"user_id", "last_name"}),
)

PATIENTS = FileSpec(
    "patients",
    (
        "patient_id",
        "first_name",
        "last_name",
        "dob",
        "sex",
        "address",
        "postal_code",
        "vip",
        "deceased_date",
    ),
    frozenset({"patient_id", "last_name"}),
)

CARE_TEAM = FileSpec(
    "care-team",
    ("patient_id", "user_id", "start_date", "end_date"),
    frozenset({"patient_id", "user_id"}),
)

SPECS = {spec.kind: spec for spec in (ACCESS_LOG, WORKFORCE, PATIENTS, CARE_TEAM)}

# Widths of the stored columns: a longer value is refused, not cut.
WIDTHS = {
    "event_id": 64,
    "user_id": 64,
    "patient_id": 64,
    "action": 32,
    "workstation": 128,
    "source": 128,
    "first_name": 128,
    "last_name": 128,
    "role": 64,
    "department": 128,
    "npi": 10,
    "address": 256,
    "postal_code": 16,
    "sex": 1,
}
