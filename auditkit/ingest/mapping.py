"""``--mapping FILE.toml``: rename the user's column headers to auditkit's canonical names.

The file holds one table, ``[columns]``, whose keys are the user's headers and whose values
are canonical names: ``"Service Date" = "date_of_service"``. One mapping serves every file of
an import (claims and notes), so a key that a file does not have is simply not used there.
Headers are matched like canonical names: case-insensitively, after trimming.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from pathlib import Path

from auditkit.ingest.problems import ProblemLog


def normalise_header(name: str) -> str:
    """The form in which headers are compared: trimmed and lower-case."""
    return name.strip().lower()


def load_mapping(
    path: Path | None, canonical: Iterable[str], problems: ProblemLog
) -> dict[str, str]:
    """Read the mapping file into {normalised user header: canonical name}.

    Problems (unreadable file, not UTF-8, bad TOML, a target that is not a canonical column) go to
    ``problems`` and the affected entries are left out.
    """
    if path is None:
        return {}
    try:
        with path.open("rb") as handle:
            document = tomllib.load(handle)
    except OSError as error:
        problems.add(path.name, None, None, f"cannot read the mapping file: {error.strerror}")
        return {}
    except UnicodeDecodeError as error:
        line = document_line(path, error.start)
        problems.add(
            path.name,
            line,
            None,
            f"is not UTF-8 (byte {error.object[error.start : error.end]!r} on line {line}); "
            "save it as UTF-8",
        )
        return {}
    except tomllib.TOMLDecodeError as error:
        problems.add(path.name, None, None, f"is not valid TOML: {error}")
        return {}
    columns = document.get("columns")
    if not isinstance(columns, dict):
        problems.add(path.name, None, None, 'has no [columns] table (e.g. "Service Date" = ...)')
        return {}
    known = set(canonical)
    mapping: dict[str, str] = {}
    for user_name, target in columns.items():
        if not isinstance(target, str) or normalise_header(target) not in known:
            problems.add(
                path.name,
                None,
                user_name,
                f"maps to {target!r}, which is not an auditkit column",
            )
            continue
        mapping[normalise_header(user_name)] = normalise_header(target)
    return mapping


def document_line(path: Path, offset: int) -> int:
    """The line (from 1) on which byte ``offset`` of the file stands."""
    with path.open("rb") as handle:
        return handle.read(offset).count(b"\n") + 1
