"""Streaming CSV output: rows are buffered and written in batches so memory stays flat."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Self

CLAIM_COLUMNS = (
    "encounter_id",
    "patient_id",
    "patient_first_name",
    "patient_last_name",
    "patient_dob",
    "patient_sex",
    "date_of_service",
    "place_of_service",
    "department",
    "payer",
    "provider_npi",
    "provider_name",
    "provider_specialty",
    "coder_id",
    "coder_name",
    *(f"dx{n}" for n in range(1, 13)),
    "line_number",
    "procedure_code",
    "modifier1",
    "modifier2",
    "modifier3",
    "modifier4",
    "units",
    "dx_pointers",
    "charge",
    "paid_amount",
    "denial_codes",
)
NOTE_COLUMNS = (
    "encounter_id",
    "author_npi",
    "signed_at",
    "total_time_minutes",
    "mdm_level",
    "note_text",
)
TRUTH_COLUMNS = ("encounter_id", "line_number", "rule_id", "code", "detail")

_BATCH = 4096
_BUFFER = 1 << 20


class CsvSink:
    """A CSV file written through a row buffer; use as a context manager."""

    def __init__(self, path: Path, header: Sequence[str]) -> None:
        self.path = path
        self.rows = 0
        self._file = path.open("w", encoding="utf-8", newline="", buffering=_BUFFER)
        self._writer = csv.writer(self._file)
        self._writer.writerow(header)
        self._pending: list[Sequence[str]] = []

    def add(self, rows: Iterable[Sequence[str]]) -> None:
        """Queue rows; they reach the file once a batch is full."""
        self._pending.extend(rows)
        if len(self._pending) >= _BATCH:
            self.flush()

    def flush(self) -> None:
        """Write the queued rows."""
        self._writer.writerows(self._pending)
        self.rows += len(self._pending)
        self._pending.clear()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if kind is None:
            self.flush()
        self._file.close()
