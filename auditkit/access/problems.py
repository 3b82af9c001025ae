"""Collecting every problem of a file (the first ones kept, all counted) before refusing it."""

from __future__ import annotations

from auditkit.errors import InputError, InputProblem

KEPT = 50


class ProblemLog:
    def __init__(self, limit: int = KEPT) -> None:
        self.limit = limit
        self.kept: list[InputProblem] = []
        self.total = 0

    def add(self, file: str, line: int | None, column: str | None, message: str) -> None:
        self.total += 1
        if len(self.kept) < self.limit:
            self.kept.append(InputProblem(file, line, column, message))

    def __bool__(self) -> bool:
        return self.total > 0

    def raise_if_any(self) -> None:
        if self.total:
            ordered = sorted(self.kept, key=lambda p: (p.file, p.line or 0, p.column or ""))
            raise InputError(ordered, self.total)
