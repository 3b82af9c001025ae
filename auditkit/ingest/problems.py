"""Collecting input problems without stopping at the first one.

An import reads every row even after the first problem, so one run tells the user everything
to fix. Only the first problems are kept (a file that is wrong throughout would otherwise
produce a million messages); the total is always counted.
"""

from __future__ import annotations

from auditkit.errors import InputError, InputProblem

MAX_KEPT = 50
MAX_VALUE_CHARS = 40


def quote(value: str) -> str:
    """The value as it appears in a message: quoted, and shortened when long."""
    if len(value) > MAX_VALUE_CHARS:
        value = value[: MAX_VALUE_CHARS - 1] + "…"
    return repr(value)


class ProblemLog:
    """Counts every problem and keeps the first ``limit`` of them for the message."""

    def __init__(self, limit: int = MAX_KEPT) -> None:
        self.limit = limit
        self.kept: list[InputProblem] = []
        self.total = 0

    def add(self, file: str, line: int | None, column: str | None, message: str) -> None:
        self.total += 1
        if len(self.kept) < self.limit:
            self.kept.append(InputProblem(file, line, column, message))

    def room(self) -> int:
        """How many more problems are kept (the rest are only counted)."""
        return max(self.limit - len(self.kept), 0)

    def count(self, number: int) -> None:
        """Count ``number`` problems beyond those kept."""
        self.total += number

    def __bool__(self) -> bool:
        return self.total > 0

    def raise_if_any(self) -> None:
        """Abort the import, listing what was found, when anything was found."""
        if self.total:
            ordered = sorted(self.kept, key=_reading_order)
            raise InputError(ordered, self.total)


def _reading_order(problem: InputProblem) -> tuple[str, int, str]:
    return problem.file, problem.line or 0, problem.column or ""
