"""Errors that reach the user as messages (exit code 2), never as tracebacks."""

from __future__ import annotations

from dataclasses import dataclass


class AuditkitError(Exception):
    """A problem the user can fix: bad input, unknown audit, wrong usage."""

    exit_code = 2


@dataclass(frozen=True)
class InputProblem:
    """One problem in an input file, located as precisely as the file allows."""

    file: str
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.message}"


class InputError(AuditkitError):
    """Input files were rejected; nothing was written.

    ``problems`` holds the first problems found (capped) and ``total`` how many there were.
    """

    def __init__(self, problems: list[InputProblem], total: int | None = None) -> None:
        self.problems = problems
        self.total = total if total is not None else len(problems)
        super().__init__(self.render())

    def render(self) -> str:
        lines = [str(problem) for problem in self.problems]
        hidden = self.total - len(self.problems)
        if hidden > 0:
            lines.append(f"… and {hidden} more problem(s) ({self.total} in all)")
        lines.append("Nothing was imported; the database is unchanged.")
        return "\n".join(lines)


class DatabaseBusy(AuditkitError):
    """Another program holds the SQLite database's write lock; nothing was written."""

    def __init__(self) -> None:
        super().__init__(
            "the database is locked by another program (an import or audit still running?); "
            "nothing was written. Try again when it has finished."
        )
