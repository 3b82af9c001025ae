"""Small, readable claims and notes files for the importer's tests, written into tmp_path.

``ClaimsData`` holds rows as dicts of canonical column -> text; a test changes a cell and
writes the files (CSV or XLSX), so each test states only what it is about.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from auditkit.ingest.columns import CLAIMS, NOTES

NPI_A = "1234567893"  # the CMS example NPI: valid check digit
NPI_B = "1245319599"


def claim(encounter: str, line: int, **cells: str) -> dict[str, str]:
    """A valid claim line of ``encounter``; keyword arguments override cells."""
    row = {
        "encounter_id": encounter,
        "patient_id": "MRN1",
        "patient_first_name": "Ann",
        "patient_last_name": "Lee",
        "patient_dob": "1960-05-01",
        "patient_sex": "F",
        "date_of_service": "2026-03-02",
        "place_of_service": "11",
        "department": "Cardiology",
        "payer": "Medicare",
        "provider_npi": NPI_A,
        "provider_name": "Dr Heart",
        "provider_specialty": "Cardiology",
        "coder_id": "C1",
        "coder_name": "Cody",
        "dx1": "I10",
        "dx2": "E11.9",
        "line_number": str(line),
        "procedure_code": "99213",
        "units": "1",
        "dx_pointers": "AB",
        "charge": "120.00",
        "paid_amount": "80.5",
        "denial_codes": "",
    }
    row.update(cells)
    return row


def note(
    encounter: str, text: str = "Hypertension, diabetes. Total time spent: 20 minutes", **cells: str
) -> dict[str, str]:
    row = {
        "encounter_id": encounter,
        "author_npi": NPI_A,
        "signed_at": "2026-03-02T14:05:00",
        "total_time_minutes": "20",
        "mdm_level": "low",
        "note_text": text,
    }
    row.update(cells)
    return row


@dataclass
class ClaimsData:
    """Three encounters (E1: 2 lines, E2: 1 line, E3: 2 lines, another patient) and notes."""

    directory: Path
    claims: list[dict[str, str]] = field(default_factory=list)
    notes: list[dict[str, str]] = field(default_factory=list)

    claim = staticmethod(claim)
    note = staticmethod(note)

    def __post_init__(self) -> None:
        # E3's encounter-level cells, the same on both of its lines.
        e3 = {
            "patient_id": "MRN2",
            "patient_first_name": "Bo",
            "patient_dob": "1990-01-01",
            "patient_sex": "M",
            "provider_npi": NPI_B,
            "dx1": "j45.909",
            "dx2": "",
        }
        self.claims = [
            claim("E1", 1),
            claim("E1", 2, procedure_code="93000", dx_pointers="1", charge="35"),
            claim("E2", 1, date_of_service="2026-03-09", modifier1="25"),
            claim("E3", 1, **e3, dx_pointers="A"),
            claim("E3", 2, **e3, procedure_code="J1100", dx_pointers="A", units="3", charge="10.5"),
        ]
        self.notes = [note("E1"), note("E2", 'Line one\nline two, "quoted"\nline three')]

    def write(
        self,
        header: list[str] | None = None,
        notes_header: list[str] | None = None,
        encoding: str = "utf-8",
    ) -> tuple[Path, Path]:
        """Write claims.csv and notes.csv; headers default to the canonical columns."""
        claims_path = self.directory / "claims.csv"
        notes_path = self.directory / "notes.csv"
        _write_csv(claims_path, header or list(CLAIMS.columns), self.claims, encoding)
        _write_csv(notes_path, notes_header or list(NOTES.columns), self.notes, encoding)
        return claims_path, notes_path

    def write_xlsx(self) -> tuple[Path, Path]:
        from openpyxl import Workbook

        paths = []
        for name, header, rows in (
            ("claims.xlsx", list(CLAIMS.columns), self.claims),
            ("notes.xlsx", list(NOTES.columns), self.notes),
        ):
            workbook = Workbook()
            sheet = workbook.active
            sheet.append(header)
            for row in rows:
                sheet.append([_xlsx_value(row.get(column, "")) for column in header])
            path = self.directory / name
            workbook.save(path)
            paths.append(path)
        return paths[0], paths[1]


def _xlsx_value(text: str) -> object:
    """What a spreadsheet user would have typed: numbers as numbers, the rest as text."""
    if text.isdigit() and not text.startswith("0") and len(text) < 6:
        return int(text)
    return text or None


def _write_csv(path: Path, header: list[str], rows: list[dict[str, str]], encoding: str) -> None:
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(column, "") for column in header])


@pytest.fixture
def claims_data(tmp_path: Path) -> Iterator[ClaimsData]:
    directory = tmp_path / "input"
    directory.mkdir()
    yield ClaimsData(directory)


@pytest.fixture
def earlier_data(tmp_path: Path) -> Iterator[ClaimsData]:
    """Another data set, for an import made before the one under test (keys 'OLD-…')."""
    directory = tmp_path / "earlier"
    directory.mkdir()
    earlier = ClaimsData(directory)
    for row in [*earlier.claims, *earlier.notes]:
        row["encounter_id"] = "OLD-" + row["encounter_id"]
    yield earlier
