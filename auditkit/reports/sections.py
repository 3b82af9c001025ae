"""Report sections that plugins add through the ``auditkit_report_sections`` hook.

A section is plain data — paragraphs and tables of text and numbers, never markup — so the
renderers escape and lay it out the same way as their own parts: the HTML report adds it
after the findings, the Excel report adds a sheet per section.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Cell = str | int | float | None


@dataclass(frozen=True)
class SectionTable:
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    title: str = ""


@dataclass(frozen=True)
class ReportSection:
    """One section: ``key`` is a short id (the HTML anchor, the sheet name), ``title`` its
    heading."""

    key: str
    title: str
    paragraphs: tuple[str, ...] = ()
    tables: tuple[SectionTable, ...] = field(default_factory=tuple)
    plugin: str = ""  # filled in by auditkit: which plugin added the section
