"""Claim lines, batch by batch, validated column-wise into runs ready to write.

A *run* is a stretch of consecutive lines with the same encounter_id, as in the general
reader. Each batch handed on holds whole runs only: the last run of a record batch is held
back until the next batch shows where it ends. Whatever the bulk path does not take (a
value a parser rejects, a broken rule, an encounter whose lines are not together) raises
:class:`~auditkit.ingest.bulk.values.Rejected`, and the general path takes over.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from auditkit.ingest.bulk.csv_batches import cells, record_batches
from auditkit.ingest.bulk.values import ColumnParser, Rejected
from auditkit.ingest.claims_file import KEY, PARSERS
from auditkit.ingest.columns import DX_COLUMNS, ENCOUNTER_COLUMNS, LINE_COLUMNS
from auditkit.ingest.tabular import Table

BLOCK_SIZE = 4 << 20  # bytes of CSV per record batch (about 20,000 claim lines)
_INTEGERS = {"line_number", "units"}
_KEY = "encounter_id"
LINE_NUMBER_SPAN = 1 << 31  # line numbers are below this (validate.INT_MAX)


@dataclass
class Runs:
    """Whole runs of one batch: per-run encounter values and per-line rows, as Arrow."""

    lines: int
    keys: list[str]
    encounter: dict[str, pa.Array]  # ENCOUNTER_COLUMNS, one value per run
    run_of_line: pa.Array  # per line: its run's index in this batch
    line_values: list[pa.Array]  # per line, in the order of LINE_COLUMNS
    dx_run: pa.Array  # one entry per diagnosis, ordered by (run, position)
    dx_position: pa.Array
    dx_code: pa.Array

    def values(self, name: str) -> list[Any]:
        return self.encounter[name].to_pylist()  # type: ignore[no-any-return]


class ClaimsBatches:
    """Reads one claims CSV (its header already resolved) into :class:`Runs`."""

    def __init__(self, path: Path, table: Table) -> None:
        self.path = path
        self.table = table
        self.parsers = {
            name: ColumnParser(PARSERS[name], pa.int64() if name in _INTEGERS else pa.string())
            for name in (*ENCOUNTER_COLUMNS, *LINE_COLUMNS)
            if name != "dx_pointers"
        }
        self.parsers[_KEY] = ColumnParser(KEY)
        # Pointers parse to (letters, mask): only their distinct values are asked for.
        self.pointers = ColumnParser(PARSERS["dx_pointers"])

    def __iter__(self) -> Iterator[Runs]:
        pending: pa.Table | None = None
        for batch in record_batches(self.path, self.table, multiline=False, block_size=BLOCK_SIZE):
            rows = pa.Table.from_batches([batch])
            if pending is not None:
                rows = pa.concat_tables([pending, rows])
            rows = rows.combine_chunks()
            last = pc.indices_nonzero(self._run_mask(rows))[-1].as_py()
            if last:
                yield self._runs(rows.slice(0, last))
            pending = rows.slice(last)
        if pending is not None and pending.num_rows:
            yield self._runs(pending.combine_chunks())

    # --- one batch of whole runs ---------------------------------------------------------

    def _run_mask(self, rows: pa.Table) -> pa.Array:
        """True on each line that starts a run (the encounter_id text changes)."""
        keys = cells(rows, self.table, _KEY)
        changed = pc.not_equal(keys.slice(1), keys.slice(0, len(keys) - 1))
        return pa.concat_arrays([pa.array([True]), changed])

    def _runs(self, rows: pa.Table) -> Runs:
        is_start = self._run_mask(rows)
        starts = pc.indices_nonzero(is_start)
        run_of_line = pc.subtract(pc.cumulative_sum(pc.cast(is_start, pa.int64())), 1)
        first_of_line = starts.take(run_of_line)

        # Encounter-level columns agree on every line of a run (as texts, else as values).
        encounter: dict[str, pa.Array] = {}
        for name in ENCOUNTER_COLUMNS:
            column = cells(rows, self.table, name)
            if name in self.table.index:
                self._check_agreement(name, column, first_of_line)
            encounter[name] = self.parsers[name](column.take(starts))
        keys = self.parsers[_KEY](cells(rows, self.table, _KEY).take(starts))
        if pc.count_distinct(keys).as_py() != len(keys):
            raise Rejected("an encounter's lines are not next to each other")

        # Line-level columns.
        line_values = []
        pointer_masks = None
        for name in LINE_COLUMNS:
            column = cells(rows, self.table, name)
            if name == "dx_pointers":
                parsed, indices = self.pointers.distinct(column)
                letters = pa.array([None if p is None else p[0] for p in parsed], pa.string())
                masks = pa.array([0 if p is None else p[1] for p in parsed], pa.int64())
                line_values.append(letters.take(indices))
                pointer_masks = masks.take(indices)
            else:
                line_values.append(self.parsers[name](column))
        line_numbers = line_values[LINE_COLUMNS.index("line_number")]
        numbered = pc.add(pc.multiply(run_of_line, LINE_NUMBER_SPAN), line_numbers)
        if pc.count_distinct(numbered).as_py() != rows.num_rows:
            raise Rejected("a line number repeats within an encounter")

        # Diagnoses, and pointers only at diagnoses the encounter has.
        run_dx_mask = pa.array([0] * len(starts), pa.int64())
        dx_parts: list[tuple[pa.Array, int, pa.Array]] = []
        for position, name in enumerate(DX_COLUMNS, 1):
            codes = encounter[name]
            present = pc.is_valid(codes)
            run_dx_mask = pc.bit_wise_or(
                run_dx_mask, pc.if_else(present, 1 << (position - 1), 0).cast(pa.int64())
            )
            dx_parts.append((pc.indices_nonzero(present), position, codes.filter(present)))
        if pointer_masks is not None:
            lacking = pc.bit_wise_and(pointer_masks, pc.bit_wise_not(run_dx_mask.take(run_of_line)))
            if pc.max(lacking).as_py():
                raise Rejected("a line points at a diagnosis its encounter lacks")
        dx_run = pa.concat_arrays([part[0].cast(pa.int64()) for part in dx_parts])
        dx_position = pa.concat_arrays(
            [pa.array([part[1]] * len(part[0]), pa.int64()) for part in dx_parts]
        )
        dx_code = pa.concat_arrays([part[2] for part in dx_parts])
        order = pc.sort_indices(pc.add(pc.multiply(dx_run, 16), dx_position))
        return Runs(
            lines=rows.num_rows,
            keys=keys.to_pylist(),
            encounter=encounter,
            run_of_line=run_of_line,
            line_values=line_values,
            dx_run=dx_run.take(order),
            dx_position=dx_position.take(order),
            dx_code=dx_code.take(order),
        )

    def _check_agreement(self, name: str, column: pa.Array, first_of_line: pa.Array) -> None:
        same = pc.equal(column, column.take(first_of_line))
        if pc.all(same).as_py():
            return
        # Different texts may still be one value (``E11.9`` and ``e119``).
        parse = self.parsers[name]
        for row in pc.indices_nonzero(pc.invert(same)).to_pylist():
            first = first_of_line[row].as_py()
            if parse(column.slice(row, 1))[0].as_py() != parse(column.slice(first, 1))[0].as_py():
                raise Rejected(f"{name} disagrees within an encounter")
