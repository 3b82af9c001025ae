"""The one exception the package raises for bad input.

Callers (the CLI, the audit services) must be able to tell the user *which* value was wrong
and *where* it came from without parsing text, so the pieces are kept as attributes and the
message is built from them in a single, predictable format.
"""

from __future__ import annotations


class SamplingInputError(ValueError):
    """An input value that the sampling code cannot use.

    ``where`` names the place the value came from (a parameter such as ``seed``, or
    ``data.csv, line 7, column 'audited'``); ``value`` is the offending value itself;
    ``problem`` says what is wrong with it. ``str(error)`` is a one-line message.
    """

    def __init__(self, where: str, value: object, problem: str) -> None:
        self.where = where
        self.value = value
        self.problem = problem
        super().__init__(f"{where}: {problem} (got {value!r})")
