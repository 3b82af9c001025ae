"""Plain words for billed services (``service_terms.toml``), by procedure code."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

# Office/outpatient and other E/M services are judged by DOC001/DOC002, not by words.
_EVALUATION_AND_MANAGEMENT = range(99202, 99500)


@cache
def _table() -> dict[str, tuple[str, ...]]:
    text = resources.files(__package__).joinpath("service_terms.toml").read_text("utf-8")
    table: dict[str, list[str]] = {}
    for entry in tomllib.loads(text).get("service", []):
        for code in entry["codes"]:
            table.setdefault(str(code).upper(), []).extend(entry["terms"])
    return {code: tuple(dict.fromkeys(terms)) for code, terms in table.items()}


def service_terms(code: str) -> tuple[str, ...] | None:
    """The words for a procedure code, longest first; None when the table has none (the
    service cannot be judged) or the code is an E/M."""
    code = code.strip().upper()
    if code.isdigit() and int(code) in _EVALUATION_AND_MANAGEMENT:
        return None
    terms = _table().get(code)
    if terms is None:
        return None
    return tuple(sorted(terms, key=lambda term: (-len(term), term.lower())))


def known_codes() -> frozenset[str]:
    return frozenset(_table())
