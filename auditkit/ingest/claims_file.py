"""Reading claims.csv: validate every line and hand staging rows over in batches.

Lines of one encounter normally follow each other. A *run* is a stretch of consecutive lines
with the same encounter_id: the reader validates the encounter-level columns once per run,
emits one staging row per run and then only checks that the following lines repeat the same
values, so the per-line cost is one tuple comparison. The only per-encounter state kept is
that of the current run, so memory stays flat. An encounter whose lines are scattered over
the file simply yields several runs; the staging checks compare those in SQL.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import compress
from operator import itemgetter
from typing import Any

from auditkit.ingest import validate as v
from auditkit.ingest.columns import (
    CODER_COLUMNS,
    DX_COLUMNS,
    ENCOUNTER_COLUMNS,
    LINE_COLUMNS,
    PROVIDER_COLUMNS,
)
from auditkit.ingest.names import newest
from auditkit.ingest.problems import ProblemLog, quote
from auditkit.ingest.records import ColumnGroup, GroupInvalid
from auditkit.ingest.tabular import Table

BATCH_ROWS = 20_000
KEY_LENGTH = 64
KEY = v.required(v.text(KEY_LENGTH))  # encounter_id, patient_id, coder_id

PARSERS: dict[str, v.Parser] = {
    "patient_id": KEY,
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
    "coder_id": KEY,
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


# As staged: the letters of the pointers (the reader keeps their bit masks aside).
def _pointer_letters(raw: str) -> str | None:
    parsed = PARSERS["dx_pointers"](raw)
    return None if parsed is None else str(parsed[0])


LINE_PARSERS: dict[str, v.Parser] = {**PARSERS, "dx_pointers": _pointer_letters}

# Where a staged encounter row (seq, key, line, *ENCOUNTER_COLUMNS) holds what.
SEQ = itemgetter(0)
PROVIDER_VALUES = itemgetter(
    slice(
        3 + ENCOUNTER_COLUMNS.index(PROVIDER_COLUMNS[0]),
        3 + ENCOUNTER_COLUMNS.index(PROVIDER_COLUMNS[-1]) + 1,
    )
)
CODER_VALUES = itemgetter(
    slice(
        3 + ENCOUNTER_COLUMNS.index(CODER_COLUMNS[0]),
        3 + ENCOUNTER_COLUMNS.index(CODER_COLUMNS[-1]) + 1,
    )
)
NAMES_LIMIT = 100_000

DX_BITS = tuple(1 << position for position in range(len(DX_COLUMNS)))
DX_OFFSET = ENCOUNTER_COLUMNS.index("dx1")
DX_START = 3 + DX_OFFSET  # in a staged encounter row (seq, key, line, *values)

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
        self.line = ColumnGroup(LINE_COLUMNS, LINE_PARSERS, table.positions(LINE_COLUMNS))
        self.pointer_position = LINE_COLUMNS.index("dx_pointers")
        # raw dx_pointers cell -> bit mask of the dx positions it points at (bit 0 = dx1)
        self.pointer_masks: dict[str, int] = {}
        # distinct (npi, name, specialty) and (coder_id, name) -> the last run with them
        self.providers_seen: dict[tuple[Any, ...], int] | None = {}
        self.coders_seen: dict[tuple[Any, ...], int] | None = {}
        self.encounter_rows: list[tuple[Any, ...]] = []
        self.line_rows: list[tuple[Any, ...]] = []
        # The current run: its raw key and values, where it starts, what it holds.
        self.run_raw_key: str | None = None
        self.run_raw: Sequence[str] = ()
        self.run_key = ""
        self.run_line = 0
        self.run_seq = 0
        self.run_valid = False
        self.run_dx_mask = 0
        self.run_line_numbers: dict[int, int] = {}

    def read(self) -> ClaimsCounts:
        """Read every record; problems go to the log, valid rows to the sink.

        The loop is written out flat, with everything it touches in local variables: it
        runs once per line. The common case (every raw value seen before, the line agrees
        with its run) costs a few C-level lookups; anything else goes to the slow path,
        which parses, caches and reports.
        """
        counts = self.counts
        key_position = self.key_position
        encounter = self.encounter
        encounter_raw = encounter.raw
        encounter_caches = encounter.caches
        line_group = self.line
        line_raw = line_group.raw
        line_caches = line_group.caches
        lookup = dict.__getitem__
        pointer_masks = self.pointer_masks
        pointer_position = self.pointer_position
        line_rows = self.line_rows
        encounter_rows = self.encounter_rows
        append_line = line_rows.append
        append_encounter = encounter_rows.append
        lines = counts.lines
        # The current run, mirrored in locals (self holds it for the slow paths).
        run_raw_key: str | None = None
        run_raw: Any = ()
        run_seq = 0
        run_valid = False
        run_missing = 0  # the dx bits the run lacks
        run_numbers: dict[int, int] = {}
        for number, record in self.table.records:
            lines += 1
            raw_key = record[key_position]
            if raw_key != run_raw_key:
                raw = encounter_raw(record)
                key = raw_key.strip()
                counts.runs += 1
                run_seq = counts.runs
                run_raw_key = raw_key
                run_raw = raw
                run_numbers = {}
                try:
                    row = (run_seq, key, number, *map(lookup, encounter_caches, raw))
                except KeyError:  # a value not seen yet: parse it (and maybe report it)
                    row = None
                if row is not None and key and len(key) <= KEY_LENGTH:
                    self.run_line = number
                    self.run_key = key
                    self.run_raw = raw
                    self.run_dx_mask = mask = sum(compress(DX_BITS, row[DX_START:]))
                    self.run_valid = run_valid = True
                    append_encounter(row)
                else:
                    self.run_seq = run_seq
                    self._start_run(number, record, raw_key)
                    run_valid = self.run_valid
                    mask = self.run_dx_mask
                run_missing = ~mask
            elif encounter_raw(record) != run_raw:
                self._report_disagreement(number, record)
            raw = line_raw(record)
            try:
                row = (run_seq, number, *map(lookup, line_caches, raw))
                pointer_mask = pointer_masks[raw[pointer_position]]
            except KeyError:
                values = self._parse_line(number, raw)
                if values is None:
                    continue
                row = (run_seq, number, *values)
                pointer_mask = pointer_masks[raw[pointer_position]]
            line_number = row[2]
            if pointer_mask & run_missing:
                self._report_pointers(number, record, pointer_mask)
            if line_number in run_numbers:
                self._repeated_line_number(number, line_number, run_numbers[line_number])
            else:
                run_numbers[line_number] = number
                if run_valid:
                    append_line(row)
                    if len(line_rows) >= BATCH_ROWS:
                        counts.lines = lines
                        self._flush()
                        line_rows = self.line_rows
                        encounter_rows = self.encounter_rows
                        append_line = line_rows.append
                        append_encounter = encounter_rows.append
        counts.lines = lines
        self._flush()
        return counts

    def _start_run(self, number: int, record: list[str], raw_key: str) -> None:
        """The slow path of a new run: parse its encounter-level values, reporting problems."""
        self.run_raw = self.encounter.raw(record)
        self.run_line = number
        self.run_key = key = raw_key.strip()
        valid = bool(key) and len(key) <= KEY_LENGTH
        if not valid:
            reason = "is empty, but a value is required" if not key else "is too long"
            self._add(number, "encounter_id", raw_key, reason)
        try:
            values = self.encounter.parse(self.run_raw)
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

    def _parse_line(self, number: int, raw: Sequence[str]) -> tuple[Any, ...] | None:
        """The slow path of a line: parse (and cache) its values, or report its problems.

        The dx_pointers column is cached as its letters, and its mask in ``pointer_masks``.
        """
        try:
            values = self.line.parse(raw)
        except GroupInvalid as error:
            self._add_group(number, error)
            return None
        cell = raw[self.pointer_position]
        if cell not in self.pointer_masks:
            if len(self.pointer_masks) >= self.line.limit:
                self.pointer_masks.clear()
            pointers = PARSERS["dx_pointers"](cell)
            self.pointer_masks[cell] = 0 if pointers is None else pointers[1]
        return values

    def _repeated_line_number(self, number: int, line_number: int, first: int) -> None:
        self.problems.add(
            self.file,
            number,
            "line_number",
            f"{line_number} is already used on line {first} of encounter "
            f"{quote(self.run_key)}; line numbers must be unique within an encounter",
        )

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
            self._remember_names(self.encounter_rows)
            self.sink("encounters", self.encounter_rows)
            self.encounter_rows = []
        if self.line_rows:
            self.sink("lines", self.line_rows)
            self.line_rows = []
        if self.progress is not None:
            self.progress(self.counts.lines)

    def _remember_names(self, rows: list[tuple[Any, ...]]) -> None:
        """Note the last run (seq) of each distinct provider and coder, names included.

        Few distinct values, so this is a small dict filled at C speed; a file with more
        than NAMES_LIMIT of them makes :meth:`names` give up (the merge then works them out
        in SQL).
        """
        for seen, values in (
            (self.providers_seen, PROVIDER_VALUES),
            (self.coders_seen, CODER_VALUES),
        ):
            if seen is not None:
                seen.update(zip(map(values, rows), map(SEQ, rows), strict=True))
                if len(seen) > NAMES_LIMIT:
                    self.providers_seen = self.coders_seen = None
                    return

    def names(self) -> Names | None:
        """Per NPI and per coder_id the newest non-empty name (and specialty), as the merge
        stores them; ``None`` when there were too many to keep."""
        if self.providers_seen is None or self.coders_seen is None:
            return None
        return Names(_by_run(self.providers_seen), _by_run(self.coders_seen))


@dataclass(frozen=True)
class Names:
    """Rows of (npi, name, specialty) and of (coder_id, name) for the merge's upserts."""

    providers: list[tuple[Any, ...]]
    coders: list[tuple[Any, ...]]


def _by_run(seen: dict[tuple[Any, ...], int]) -> list[tuple[Any, ...]]:
    """The newest names per key, from each distinct row and the last run it came in."""
    return newest(row for row, _ in sorted(seen.items(), key=itemgetter(1)))


def _same_value(name: str, before: str, now: str) -> bool:
    """Whether two spellings mean the same value (``E11.9`` and ``e119``)."""
    parse = PARSERS[name]
    try:
        return bool(parse(before) == parse(now))
    except v.Invalid:
        return False
