"""The canonical columns of the claims and notes files (contract §1 and §2).

Column groups matter beyond naming: encounter-level columns must agree on every line of one
encounter, while line-level columns describe a single service line.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FileSpec:
    """What one kind of input file may and must contain."""

    kind: str
    columns: tuple[str, ...]
    required: frozenset[str]


DX_COLUMNS = tuple(f"dx{position}" for position in range(1, 13))
MODIFIER_COLUMNS = tuple(f"modifier{position}" for position in range(1, 5))

PATIENT_COLUMNS = (
    "patient_id",
    "patient_first_name",
    "patient_last_name",
    "patient_dob",
    "patient_sex",
)
VISIT_COLUMNS = ("date_of_service", "place_of_service", "department", "payer")
PROVIDER_COLUMNS = ("provider_npi", "provider_name", "provider_specialty")
CODER_COLUMNS = ("coder_id", "coder_name")

# Everything that describes the encounter rather than one of its lines, in staging order.
ENCOUNTER_COLUMNS = PATIENT_COLUMNS + VISIT_COLUMNS + PROVIDER_COLUMNS + CODER_COLUMNS + DX_COLUMNS

# The columns of one service line, in staging order (dx_pointers last: it is checked against
# the encounter's diagnoses before staging).
LINE_COLUMNS = (
    ("line_number", "procedure_code")
    + MODIFIER_COLUMNS
    + ("units", "denial_codes", "charge", "paid_amount", "dx_pointers")
)

CLAIMS = FileSpec(
    kind="claims",
    columns=("encounter_id",) + ENCOUNTER_COLUMNS + LINE_COLUMNS,
    required=frozenset(
        {
            "encounter_id",
            "patient_id",
            "patient_dob",
            "patient_sex",
            "date_of_service",
            "provider_npi",
            "coder_id",
            "dx1",
            "line_number",
            "procedure_code",
            "units",
            "charge",
        }
    ),
)

NOTES = FileSpec(
    kind="notes",
    columns=(
        "encounter_id",
        "author_npi",
        "signed_at",
        "total_time_minutes",
        "mdm_level",
        "note_text",
    ),
    required=frozenset({"encounter_id", "note_text"}),
)
