"""Rules across claim rows, run in SQL over the staging tables once every line is read.

They need the whole file (an encounter's lines may be scattered; a patient recurs across
encounters), so doing them set-based keeps memory flat while still naming both lines of
every disagreement.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, TextClause, text

from auditkit.ingest.columns import ENCOUNTER_COLUMNS
from auditkit.ingest.problems import ProblemLog, quote

_SCATTERED_RUNS = text(
    f"""
    SELECT s.seq, s.encounter_key, s.line, {", ".join(f"s.{name}" for name in ENCOUNTER_COLUMNS)}
    FROM stg_encounter s
    JOIN (SELECT encounter_key FROM stg_encounter GROUP BY encounter_key HAVING count(*) > 1) d
      ON d.encounter_key = s.encounter_key
    ORDER BY s.encounter_key, s.seq
    """
)

_SCATTERED_LINE_NUMBERS = text(
    """
    SELECT s.encounter_key, l.line_number, l.seq, l.line
    FROM stg_line l
    JOIN stg_encounter s ON s.seq = l.seq
    JOIN (SELECT encounter_key FROM stg_encounter GROUP BY encounter_key HAVING count(*) > 1) d
      ON d.encounter_key = s.encounter_key
    ORDER BY s.encounter_key, l.line_number, l.line
    """
)

_PATIENT_DISAGREEMENTS = text(
    """
    SELECT s.patient_id, s.line, s.patient_dob, s.patient_sex
    FROM stg_encounter s
    JOIN (
        SELECT patient_id FROM stg_encounter GROUP BY patient_id
        HAVING min(patient_dob) <> max(patient_dob) OR min(patient_sex) <> max(patient_sex)
    ) p ON p.patient_id = s.patient_id
    ORDER BY s.patient_id, s.seq
    """
)


def check_across_rows(connection: Connection, file: str, problems: ProblemLog) -> bool:
    """Report cross-row problems of the claims; returns whether some encounter came in
    scattered runs (which the merge then folds together)."""
    scattered = _check_scattered(connection, file, problems)
    _check_patients(connection, file, problems)
    return scattered


def _check_scattered(connection: Connection, file: str, problems: ProblemLog) -> bool:
    """Encounters whose lines are not consecutive: their runs must still agree."""
    scattered = False
    for runs in _grouped(_stream(connection, _SCATTERED_RUNS), key=1):
        scattered = True
        for run in runs[1:]:
            _compare_runs(file, runs[0], run, problems)
    if scattered:
        _check_scattered_line_numbers(connection, file, problems)
    return scattered


def _compare_runs(
    file: str, first: Sequence[Any], run: Sequence[Any], problems: ProblemLog
) -> None:
    for offset, name in enumerate(ENCOUNTER_COLUMNS, start=3):
        if first[offset] != run[offset]:
            problems.add(
                file,
                run[2],
                name,
                f"{_shown(run[offset])} disagrees with line {first[2]} of the same encounter "
                f"({_shown(first[offset])}); encounter-level columns must agree on every line",
            )


def _check_scattered_line_numbers(connection: Connection, file: str, problems: ProblemLog) -> None:
    previous: Sequence[Any] | None = None
    for row in _stream(connection, _SCATTERED_LINE_NUMBERS):
        key, line_number, seq, line = row
        if previous is not None and previous[0] == key and previous[1] == line_number:
            if previous[2] != seq:  # repeats within one run were reported while reading
                problems.add(
                    file,
                    line,
                    "line_number",
                    f"{line_number} is already used on line {previous[3]} of encounter "
                    f"{quote(key)}; line numbers must be unique within an encounter",
                )
            continue
        previous = row


def _check_patients(connection: Connection, file: str, problems: ProblemLog) -> None:
    """One patient_id must have one dob and one sex throughout the file."""
    for rows in _grouped(_stream(connection, _PATIENT_DISAGREEMENTS), key=0):
        first = rows[0]
        for row in rows[1:]:
            for offset, name in ((2, "patient_dob"), (3, "patient_sex")):
                if row[offset] != first[offset]:
                    problems.add(
                        file,
                        row[1],
                        name,
                        f"{_shown(row[offset])} disagrees with line {first[1]} for patient "
                        f"{quote(row[0])} ({_shown(first[offset])}); a patient has one "
                        f"{name.removeprefix('patient_')} throughout the file",
                    )


def _stream(connection: Connection, query: TextClause) -> Iterable[Sequence[Any]]:
    """Rows fetched as they are read (server-side on PostgreSQL), as the result may be big."""
    return connection.execute(query, execution_options={"stream_results": True})


def _grouped(rows: Iterable[Sequence[Any]], key: int) -> Iterable[list[Sequence[Any]]]:
    """Consecutive rows with the same value at ``key`` (rows come sorted by it)."""
    group: list[Sequence[Any]] = []
    for row in rows:
        if group and group[0][key] != row[key]:
            yield group
            group = []
        group.append(row)
    if group:
        yield group


def _shown(value: Any) -> str:
    return quote("" if value is None else str(value))
