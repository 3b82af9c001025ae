"""Reading claims.csv: every line validated column-wise, batch by batch, into staging rows.

A *run* is a stretch of consecutive lines with the same encounter_id text. Each run becomes
one staged encounter row (its encounter-level values, parsed once) and each of its lines a
staged line row. A batch is cut after its last complete run: the run still open at the end
of a batch is carried into the next one. Within a run the encounter-level columns must
agree, line numbers must not repeat and pointers must point at the diagnoses the encounter
has; these are checked here, on whole columns. An encounter whose lines are scattered over
the file simply yields several runs, which the rules across runs (consistency) compare in
SQL.

Invalid records are reported and not staged; once anything is wrong nothing is written to
the model's tables, but every line is still read so that one run reports every problem.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from auditkit.ingest import validate as v
from auditkit.ingest.columns import DX_COLUMNS, ENCOUNTER_COLUMNS, LINE_COLUMNS
from auditkit.ingest.columnwise import ColumnParser, Where, any_of
from auditkit.ingest.problems import ProblemLog, quote
from auditkit.ingest.reading import Batch, InputFile

BLOCK_SIZE = 4 << 20  # bytes of CSV per batch (about 20,000 claim lines)
KEY_LENGTH = 64
KEY = v.required(v.text(KEY_LENGTH))  # encounter_id, patient_id, coder_id
LINE_NUMBER_SPAN = 1 << 31  # line numbers are below this (validate.INT_MAX)

PARSERS: dict[str, v.Parser] = {
    "encounter_id": KEY,
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
_INTEGERS = frozenset({"line_number", "units"})


@dataclass
class Staged:
    """Valid rows of one batch, in the column order of the staging tables."""

    encounters: pa.Table  # seq, encounter_key, line, *ENCOUNTER_COLUMNS (one per run)
    lines: pa.Table  # seq, line, *LINE_COLUMNS (one per claim line)
    records: int  # claim lines read, valid or not


class ClaimsFile:
    """Reads one claims file into :class:`Staged` batches, reporting every problem."""

    def __init__(self, source: InputFile, problems: ProblemLog) -> None:
        self.source = source
        self.problems = problems
        self.parsers = {
            name: ColumnParser(name, parse, pa.int64() if name in _INTEGERS else pa.string())
            for name, parse in PARSERS.items()
        }
        self.runs = 0  # runs staged so far: the next seq

    def __iter__(self) -> Iterator[Staged]:
        pending: Batch | None = None
        # A line break in a claims cell is an input error (a control character), so records
        # are single lines and pyarrow need not look for quoted line breaks.
        for batch in self.source.batches(self.problems, BLOCK_SIZE, multiline=False):
            if pending is not None:
                batch = Batch.concat(pending, batch)
            last = pc.indices_nonzero(_run_starts(batch))[-1].as_py()
            if last:
                yield self._staged(batch.slice(0, last))
            pending = batch.slice(last)
        if pending is not None and pending.size:
            yield self._staged(pending)

    # --- one batch of whole runs ---------------------------------------------------------

    def _staged(self, batch: Batch) -> Staged:
        where = Where(self.source.file, batch.lines, self.problems)
        texts = batch.columns
        is_start = _run_starts(batch)
        starts = pc.indices_nonzero(is_start)
        run_of_line = pc.subtract(pc.cumulative_sum(pc.cast(is_start, pa.int64())), 1)
        first_of_line = starts.take(run_of_line)
        run_lines = batch.lines.take(starts)
        run_where = Where(where.file, run_lines, where.problems)

        # Encounter-level values, parsed once per run; every line must agree with its run.
        encounter: dict[str, pa.Array] = {}
        run_bad: Any = None
        for name in ("encounter_id", *ENCOUNTER_COLUMNS):
            column = texts[name]
            values, invalid = self.parsers[name](column.take(starts), run_where)
            encounter[name] = values
            run_bad = any_of(run_bad, invalid)
            if name != "encounter_id":
                self._check_agreement(name, column, first_of_line, where)

        # Line-level values.
        line_values: dict[str, pa.Array] = {}
        line_bad: Any = None
        pointer_masks: pa.Array | None = None
        for name in LINE_COLUMNS:
            if name == "dx_pointers":
                parsed, indices, invalid = self.parsers[name].distinct(texts[name], where)
                letters = pa.array([None if p is None else p[0] for p in parsed], pa.string())
                masks = pa.array([0 if p is None else p[1] for p in parsed], pa.int64())
                line_values[name] = letters.take(indices)
                pointer_masks = pc.fill_null(masks.take(indices), 0)
            else:
                line_values[name], invalid = self.parsers[name](texts[name], where)
            line_bad = any_of(line_bad, invalid)
        repeated = self._repeated_line_numbers(
            line_values, run_of_line, texts["encounter_id"], where
        )
        line_bad = any_of(line_bad, repeated)

        # Pointers only at diagnoses the encounter has (when its diagnoses are valid).
        run_dx = pa.array([0] * len(starts), pa.int64())
        for position, name in enumerate(DX_COLUMNS):
            run_dx = pc.bit_wise_or(
                run_dx, pc.if_else(pc.is_valid(encounter[name]), 1 << position, 0).cast(pa.int64())
            )
        assert pointer_masks is not None
        lacking = pc.bit_wise_and(pointer_masks, pc.bit_wise_not(run_dx.take(run_of_line)))
        if run_bad is not None:
            lacking = pc.if_else(run_bad.take(run_of_line), 0, lacking)
        lacking_any = pc.not_equal(lacking, 0)
        if pc.any(lacking_any).as_py():
            self._report_pointers(texts["dx_pointers"], lacking, lacking_any, where)
            line_bad = any_of(line_bad, lacking_any)

        return self._rows(
            batch, starts, run_lines, encounter, run_bad, run_of_line, line_values, line_bad
        )

    def _rows(
        self,
        batch: Batch,
        starts: pa.Array,
        run_lines: pa.Array,
        encounter: dict[str, pa.Array],
        run_bad: pa.Array | None,
        run_of_line: pa.Array,
        line_values: dict[str, pa.Array],
        line_bad: pa.Array | None,
    ) -> Staged:
        count = len(starts)
        seq = pa.array(range(self.runs + 1, self.runs + 1 + count), pa.int64())
        self.runs += count
        encounters = pa.table(
            {
                "seq": seq,
                "encounter_key": encounter["encounter_id"],
                "line": run_lines,
                **{name: encounter[name] for name in ENCOUNTER_COLUMNS},
            }
        )
        lines = pa.table({"seq": seq.take(run_of_line), "line": batch.lines, **line_values})
        if run_bad is not None:
            encounters = encounters.filter(pc.invert(run_bad))
            line_bad = any_of(line_bad, run_bad.take(run_of_line))
        if line_bad is not None:
            lines = lines.filter(pc.invert(line_bad))
        return Staged(encounters, lines, batch.size)

    # --- rules within a batch ------------------------------------------------------------

    def _check_agreement(
        self, name: str, column: pa.Array, first_of_line: pa.Array, where: Where
    ) -> None:
        first = column.take(first_of_line)
        same = pc.fill_null(pc.equal(column, first), False)
        if pc.all(same).as_py():
            return
        parse = self.parsers[name].parse
        for row in pc.indices_nonzero(pc.invert(same)).to_pylist():
            now, before = column[row].as_py() or "", first[row].as_py() or ""
            if _same_value(parse, now, before):
                continue  # one value in two spellings (E11.9 and e119)
            first_line = where.lines[first_of_line[row].as_py()].as_py()
            self.problems.add(
                where.file,
                where.lines[row].as_py(),
                name,
                f"{quote(now)} disagrees with line {first_line} of the same encounter "
                f"({quote(before)}); encounter-level columns must agree on every line",
            )

    def _repeated_line_numbers(
        self, values: dict[str, pa.Array], run_of_line: pa.Array, keys: pa.Array, where: Where
    ) -> pa.Array | None:
        """Lines whose line number is used already by an earlier line of their run."""
        numbers = values["line_number"]
        numbered = pc.add(pc.multiply(run_of_line, LINE_NUMBER_SPAN), numbers)
        if pc.count_distinct(numbered).as_py() == pc.count(numbered).as_py():
            return None
        order = pc.sort_indices(numbered).to_pylist()  # stable: file order within a number
        encounter_ids = keys.to_pylist()
        keys = numbered.to_pylist()
        repeated = [False] * len(keys)
        first = None
        for previous, index in zip([None, *order], order, strict=False):
            if keys[index] is None:
                continue
            if previous is not None and keys[previous] == keys[index]:
                repeated[index] = True
                self.problems.add(
                    where.file,
                    where.lines[index].as_py(),
                    "line_number",
                    f"{numbers[index].as_py()} is already used on line "
                    f"{where.lines[first].as_py()} of encounter "
                    f"{quote(encounter_ids[index] or '')}; line numbers must be unique within an "
                    "encounter",
                )
            else:
                first = index
        return pa.array(repeated, pa.bool_())

    def _report_pointers(
        self, raw: pa.Array, lacking: pa.Array, where_lacking: pa.Array, where: Where
    ) -> None:
        def message(index: int) -> str:
            mask = lacking[index].as_py()
            missing = [name for bit, name in enumerate(DX_COLUMNS) if mask & (1 << bit)]
            return (
                f"{quote(raw[index].as_py() or '')} points at {', '.join(missing)}, "
                "which this encounter lacks"
            )

        where.report("dx_pointers", where_lacking, message)


def _run_starts(batch: Batch) -> pa.Array:
    """True on each record that starts a run (the encounter_id text changes)."""
    keys = batch.columns["encounter_id"]
    if len(keys) == 0:
        return pa.array([], pa.bool_())
    changed = pc.not_equal(keys.slice(1), keys.slice(0, len(keys) - 1))
    return pa.concat_arrays([pa.array([True]), changed])


def _same_value(parse: Callable[[str], Any], now: str, before: str) -> bool:
    try:
        return bool(parse(now) == parse(before))
    except v.Invalid:
        return False
