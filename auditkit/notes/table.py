"""The input of ``auditkit notes assess``: a tab-separated file of (condition, text) rows.

The header names the columns ``condition`` and ``text`` (in any order, other columns are
ignored); cells may be quoted to hold tabs or line breaks. A problem is reported with the
file, the line and the column it was found in.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from auditkit.errors import AuditkitError, InputProblem

REQUIRED = ("condition", "text")


class NotesTableError(AuditkitError):
    """The assess file cannot be read; nothing was assessed."""

    def __init__(self, problem: InputProblem) -> None:
        self.problem = problem
        super().__init__(str(problem))


@dataclass(frozen=True)
class AssessRow:
    line: int  # the line the row starts on (the header is line 1)
    condition: str
    text: str


def read_rows(path: Path) -> list[AssessRow]:
    """Every row of the file, checked before any is assessed."""
    return list(_rows(path))


def _rows(path: Path) -> Iterator[AssessRow]:
    name = str(path)
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise NotesTableError(InputProblem(name, None, None, exc.strerror or str(exc))) from None
    with handle:
        reader = csv.reader(handle, delimiter="\t")
        try:
            header = next(reader, None)
            if header is None:
                raise NotesTableError(InputProblem(name, 1, None, "the file is empty"))
            columns = [cell.strip().lower() for cell in header]
            for required in REQUIRED:
                if required not in columns:
                    raise NotesTableError(
                        InputProblem(
                            name,
                            1,
                            None,
                            f"no column named {required!r} in the header "
                            f"(found: {', '.join(header)})",
                        )
                    )
            where = {column: columns.index(column) for column in REQUIRED}
            width = len(header)
            start = reader.line_num + 1
            for cells in reader:
                if not any(cell.strip() for cell in cells):
                    start = reader.line_num + 1
                    continue
                if len(cells) != width:
                    raise NotesTableError(
                        InputProblem(
                            name,
                            start,
                            str(min(len(cells), width) + 1),
                            f"{len(cells)} cells where the header has {width}",
                        )
                    )
                condition = cells[where["condition"]].strip()
                if not condition:
                    raise NotesTableError(
                        InputProblem(
                            name, start, f"{where['condition'] + 1} (condition)", "empty condition"
                        )
                    )
                yield AssessRow(start, condition, cells[where["text"]])
                start = reader.line_num + 1
        except UnicodeDecodeError as exc:
            raise NotesTableError(
                InputProblem(name, reader.line_num + 1, None, f"not UTF-8 text ({exc.reason})")
            ) from None
        except csv.Error as exc:
            raise NotesTableError(InputProblem(name, reader.line_num, None, str(exc))) from None
