"""Code references written inside ICD-10-CM instructional notes.

Excludes1, code-first and similar notes name other codes in three shapes: a single code
(``R73.9``), a code with a trailing dash meaning "and everything below it" (``E10.-``,
``O24.4-``) and a range of categories or subcategories (``C00-C96``, ``S02.0-S02.1``).
Parsing them once into :class:`CodeReference` lets checks ask "does this note cover that
code?" without string juggling of their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A code as written in a note: category, then an optional dot and up to four characters.
# The trailing dot of "E10.-" is captured and dropped.
_CODE = r"[A-Z]\d[0-9A-Z](?:\.[0-9A-Z]{0,4})?"
_REFERENCE = re.compile(rf"\b(?P<first>{_CODE})(?:-(?P<last>{_CODE})\b|(?P<dash>-))?")
_PARENTHESISED = re.compile(r"\(([^()]*)\)")


def undotted(code: str) -> str:
    """The storage form of a code: upper case, no dot, no surrounding space."""
    return code.strip().replace(".", "").upper()


@dataclass(frozen=True)
class CodeReference:
    """One code, code family or range named in a note.

    ``first`` and ``last`` are undotted. A reference without ``last`` covers ``first`` and
    all its descendants: in the tabular list a code stands for its whole subtree, with or
    without the dash. A range covers every code whose leading characters fall between the
    two ends, compared at the length of each end (``C00-C96`` covers ``C50911``).
    """

    first: str
    last: str | None = None
    note: str = ""  # the note line the reference was read from
    source: str = ""  # the code (or block) whose note it is

    def matches(self, code: str) -> bool:
        code = undotted(code)
        if self.last is None:
            return code.startswith(self.first)
        return self.first <= code[: len(self.first)] and code[: len(self.last)] <= self.last


def parse_references(note: str, source: str = "") -> tuple[CodeReference, ...]:
    """The code references of a note, line by line, in order of appearance.

    Notes put their codes in parentheses ("type 2 diabetes mellitus (E11.-)"), and the words
    around them may look like codes ("vitamin B12", "any type in A15 (J65)"), so a line with
    a parenthesised group is read inside its parentheses only. A line without one
    ("torticollis NOS M43.6") is read whole. Each reference keeps its line as ``note``.
    """
    return tuple(
        CodeReference(
            first=undotted(match.group("first")),
            last=undotted(match.group("last")) if match.group("last") else None,
            note=line.strip(),
            source=source,
        )
        for line in note.splitlines()
        for group in (_PARENTHESISED.findall(line) or [line])
        for match in _REFERENCE.finditer(group)
    )
