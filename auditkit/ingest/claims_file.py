"""Reading claims.csv: validate every line and hand staging rows over in batches.

Lines of one encounter normally follow each other. A *run* is a stretch of consecutive lines
with the same encounter_id: the reader validates the encounter-level columns once per run,
emits one staging row per run and then only checks that the following lines repeat the same
values, so the per-line cost is one tuple comparison. The only per-encounter state kept is
that of the current run, so memory stays flat. An encounter whose lines are scattered over
the file simply yields several runs; the staging checks compare those in SQL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import compress
from typing import Any

from auditkit.ingest import validate as v
from auditkit.ingest.columns import DX_COLUMNS, ENCOUNTER_COLUMNS, LINE_COLUMNS
from auditkit.ingest.problems import ProblemLog, quote
from auditkit.ingest.records import ColumnGroup, GroupInvalid
from auditkit.ingest.tabular import Table

BATCH_ROWS = 20_000
KEY_LENGTH = 64

PARSERS: dict[str, v.Parser] = {
    "patient_id": v.required(v.text(KEY_LENGTH)),
    "patient_first_name": v.optional(v.text(128)),
    "patient_last_name": v.optional(v.text(128)),
    "patient_dob": v.required(v.date),
    "patient_sex": v.required(v.sex),
    "date_of_service": v.required(v.date),
    "place_of_service": v.optional(v.place_of_service),
    "department": v.optional(v.text(128)),
    "payer": v.optional(v.text(128)),
    "provider_npi": v.required(v.npi),
    "provider_name": v.optional(v.text(256)),
    "provider_specialty": v.optional(v.text(128)),
    "coder_id": v.required(v.text(KEY_LENGTH)),
    "coder_name": v.optional(v.text(256)),
    "dx1": v.required(v.icd10cm),
    **{name: v.optional(v.icd10cm) for name in DX_COLUMNS[1:]},
    "line_number": v.required(v.integer(1)),
    "procedure_code": v.required(v.procedure_code),
    **{f"modifier{position}": v.optional(v.modifier) for position in range(1, 5)},
    "units": v.required(v.integer(1)),
    "denial_codes": v.optional(v.denial_codes),
    "charge": v.required(v.money(allow_negative=False)),
    "paid_amount": v.optional(v.money(allow_negative=True)),
    "dx_pointers": v.optional(v.dx_pointers),
}

DX_BITS = tuple(1 << position for position in range(len(DX_COLUMNS)))
DX_OFFSET = ENCOUNTER_COLUMNS.index("dx1")

Sink = Callable[[str, list[tuple[Any, ...]]], None]


@dataclass
class ClaimsCounts:
    """What the reader saw: every data line and every run, valid or not."""

    lines: int = 0
    runs: int = 0


class ClaimsReader:
    """Streams one claims table through validation into the staging sink."""

    def __init__(
        self,
        table: Table,
        problems: ProblemLog,
        sink: Sink,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.table = table
        self.file = table.file
        self.problems = problems
        self.sink = sink
        self.progress = progress
        self.counts = ClaimsCounts()
        self.key_position = table.positions(["encounter_id"])[0]
        self.encounter = ColumnGroup(ENCOUNTER_COLUMNS, PARSERS, table.positions(ENCOUNTER_COLUMNS))
        self.line = ColumnGroup(LINE_COLUMNS, PARSERS, table.positions(LINE_COLUMNS))
        self.encounter_rows: list[tuple[Any, ...]] = []
        self.line_rows: list[tuple[Any, ...]] = []
        # The current run: its raw key and values, where it starts, what it holds.
        self.run_raw_key: str | None = None
        self.run_raw: tuple[str, ...] = ()
        self.run_key = ""
        self.run_line = 0
        self.run_seq = 0
        self.run_valid = False
        self.run_dx_mask = 0
        self.run_line_numbers: dict[int, int] = {}

    def read(self) -> ClaimsCounts:
        """Read every record; problems go to the log, valid rows to the sink."""
        key_position = self.key_position
        encounter_raw = self.encounter.raw
        for number, record in self.table.records:
            self.counts.lines += 1
            raw_key = record[key_position]
            if raw_key != self.run_raw_key:
                self._start_run(number, record, raw_key)
            elif encounter_raw(record) != self.run_raw:
                self._report_disagreement(number, record)
            self._read_line(number, record)
            if len(self.line_rows) >= BATCH_ROWS:
                self._flush()
        self._flush()
        return self.counts

    def _start_run(self, number: int, record: list[str], raw_key: str) -> None:
        counts = self.counts
        counts.runs += 1
        self.run_seq = counts.runs
        self.run_raw_key = raw_key
        self.run_raw = self.encounter.raw(record)
        self.run_line = number
        self.run_line_numbers = {}
        self.run_key = key = raw_key.strip()
        valid = bool(key) and len(key) <= KEY_LENGTH
        if not valid:
            reason = "is empty, but a value is required" if not key else "is too long"
            self._add(number, "encounter_id", raw_key, reason)
        try:
            values = self.encounter(record)
        except GroupInvalid as error:
            self._add_group(number, error)
            self.run_dx_mask = -1  # no pointer problems on top of the dx problems
            values = ()
            valid = False
        else:
            self.run_dx_mask = sum(compress(DX_BITS, values[DX_OFFSET:]))
        self.run_valid = valid
        if valid:
            self.encounter_rows.append((self.run_seq, key, number, *values))

    def _read_line(self, number: int, record: list[str]) -> None:
        try:
            values = self.line(record)
        except GroupInvalid as error:
            self._add_group(number, error)
            return
        pointers = values[-1]
        if pointers is not None:
            if pointers[1] & ~self.run_dx_mask:
                self._report_pointers(number, record, pointers[1])
            values = (*values[:-1], pointers[0])
        line_number = values[0]
        first = self.run_line_numbers.setdefault(line_number, number)
        if first != number:
            self.problems.add(
                self.file,
                number,
                "line_number",
                f"{line_number} is already used on line {first} of encounter "
                f"{quote(self.run_key)}; line numbers must be unique within an encounter",
            )
        elif self.run_valid:
            self.line_rows.append((self.run_seq, number, *values))

    # --- problems ------------------------------------------------------------------------

    def _add(self, number: int, column: str, raw: str, reason: str) -> None:
        self.problems.add(self.file, number, column, f"{quote(raw)} {reason}")

    def _add_group(self, number: int, error: GroupInvalid) -> None:
        for column, raw, reason in error.errors:
            self._add(number, column, raw, reason)

    def _report_pointers(self, number: int, record: list[str], mask: int) -> None:
        missing = [
            name
            for name, bit in zip(DX_COLUMNS, DX_BITS, strict=True)
            if mask & bit and not self.run_dx_mask & bit
        ]
        raw = self.line.raw(record)[-1]
        self._add(
            number,
            "dx_pointers",
            raw,
            f"points at {', '.join(missing)}, which this encounter lacks",
        )

    def _report_disagreement(self, number: int, record: list[str]) -> None:
        for name, before, now in zip(
            ENCOUNTER_COLUMNS, self.run_raw, self.encounter.raw(record), strict=True
        ):
            if before != now and not _same_value(name, before, now):
                self.problems.add(
                    self.file,
                    number,
                    name,
                    f"{quote(now)} disagrees with line {self.run_line} of the same encounter "
                    f"({quote(before)}); encounter-level columns must agree on every line",
                )

    # --- output --------------------------------------------------------------------------

    def _flush(self) -> None:
        if self.encounter_rows:
            self.sink("encounters", self.encounter_rows)
            self.encounter_rows = []
        if self.line_rows:
            self.sink("lines", self.line_rows)
            self.line_rows = []
        if self.progress is not None:
            self.progress(self.counts.lines)


def _same_value(name: str, before: str, now: str) -> bool:
    """Whether two spellings mean the same value (``E11.9`` and ``e119``)."""
    parse = PARSERS[name]
    try:
        return bool(parse(before) == parse(now))
    except v.Invalid:
        return False
