"""Write a :class:`ReportContext` as an Excel workbook for people who filter and pivot.

Sheets: Summary, Findings, Scorecards, Feedback, Rules. Each is one table with a bold,
frozen header row and an auto-filter, so a compliance specialist can sort and filter at once.

Formula injection: finding messages, names and evidence come from input files. openpyxl
stores any ``str`` starting with ``=`` as a formula (and ``#N/A`` and friends as errors), so
a message like ``=HYPERLINK("http://evil","x")`` would become a live link. Every string is
therefore written by :func:`_put_text`, which forces the cell type to string (no ``<f>``
element is written) and, when the text starts with a character a spreadsheet reads as a
formula (``= + - @``, tab, carriage return), also sets the cell's *quote prefix* style:
Excel and LibreOffice then keep it text even when someone edits the cell. The value itself
is not altered: no visible apostrophe, and it reads back exactly as it came in.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from auditkit.reports.context import (
    Extrapolation,
    Feedback,
    FindingRow,
    ReportContext,
    RuleInfo,
    Scorecard,
)
from auditkit.reports.sections import ReportSection

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
PERCENT = "0.0%"
MONEY = "#,##0.00"
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"
INTEGER = "0"

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F3A5F")
_PASS_FONT = Font(bold=True, color="067647")
_FAIL_FONT = Font(bold=True, color="B42318")
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")


@dataclass(frozen=True)
class Column:
    """One table column: header, width in characters, number format, and wrapping."""

    header: str
    width: float
    number_format: str | None = None
    wrap: bool = False


def write_xlsx(context: ReportContext, path: Path) -> Path:
    """Write the workbook to ``path`` and return the path written."""
    path = Path(path)
    path.write_bytes(xlsx_bytes(context))
    return path


def xlsx_bytes(context: ReportContext) -> bytes:
    """The workbook as bytes. Built in memory, so a full disk fails one plain write, not
    inside the zip writer (which then fails again when garbage-collected, on stderr)."""
    buffer = io.BytesIO()
    _workbook(context).save(buffer)
    return buffer.getvalue()


def _workbook(context: ReportContext) -> Workbook:
    workbook = Workbook()
    if workbook.active is not None:  # the default empty sheet
        workbook.remove(workbook.active)
    _summary_sheet(workbook, context)
    _findings_sheet(workbook, context.findings)
    _scorecards_sheet(workbook, context.scorecards)
    _feedback_sheet(workbook, context.feedback)
    _rules_sheet(workbook, context.rules)
    for section in context.sections:
        _section_sheet(workbook, section)
    return workbook


# -- sheets -------------------------------------------------------------------------------


def _summary_sheet(workbook: Workbook, context: ReportContext) -> None:
    columns = (Column("Section", 16), Column("Item", 34), Column("Value", 70, wrap=True))
    rows = [
        *_audit_rows(context),
        *_sample_rows(context),
        *_run_rows(context),
        *_headline_rows(context),
        *(_extrapolation_rows(context.extrapolation) if context.extrapolation else []),
        *(
            [("Extrapolation", "Not extrapolated", context.extrapolation_note)]
            if context.extrapolation is None and context.extrapolation_note
            else []
        ),
    ]
    _table(workbook, "Summary", columns, rows)


def _findings_sheet(workbook: Workbook, findings: Sequence[FindingRow]) -> None:
    columns = (
        Column("Finding ID", 11, INTEGER),
        Column("Rule ID", 10),
        Column("Rule name", 24),
        Column("Severity", 10),
        Column("Category", 22),
        Column("Responsible", 12),
        Column("Person ID", 13),
        Column("Person name", 22),
        Column("Encounter ID", 15),
        Column("Date of service", 14, DATE),
        Column("Patient ID", 14),
        Column("Line", 6, INTEGER),
        Column("Code", 10),
        Column("Message", 60, wrap=True),
        Column("Evidence", 50, wrap=True),
        Column("Status", 12),
        Column("Financial impact", 16, MONEY),
        Column("Coded", 12),
        Column("Audited", 12),
    )
    rows = [
        (
            f.finding_id,
            f.rule_id,
            f.rule_name,
            f.severity,
            f.category,
            f.responsible,
            f.person_id,
            f.person_name,
            f.encounter_id,
            f.date_of_service,
            f.patient_id,
            f.line_number,
            f.code,
            f.message,
            f.evidence,
            f.status,
            f.financial_impact,
            f.coded,
            f.audited,
        )
        for f in findings
    ]
    _table(workbook, "Findings", columns, rows)


def _scorecards_sheet(workbook: Workbook, scorecards: Sequence[Scorecard]) -> None:
    columns = (
        Column("Type", 10),
        Column("ID / NPI", 14),
        Column("Name", 24),
        Column("Encounters", 12, INTEGER),
        Column("Encounters correct", 12, INTEGER),
        Column("Encounter accuracy", 12, PERCENT),
        Column("Codes", 10, INTEGER),
        Column("Codes correct", 10, INTEGER),
        Column("Code accuracy", 12, PERCENT),
        Column("Result", 9),
        Column("Findings", 10, INTEGER),
        Column("Most frequent rules", 40, wrap=True),
    )
    rows = [
        (
            card.subject_type,
            card.key,
            card.name,
            card.encounters,
            card.encounters_correct,
            card.encounter_accuracy,
            card.codes,
            card.codes_correct,
            card.code_accuracy,
            _result(card.passed),
            card.findings,
            "; ".join(f"{rule.rule_id} {rule.rule_name} ×{rule.count}" for rule in card.top_rules),
        )
        for card in scorecards
    ]
    sheet = _table(workbook, "Scorecards", columns, rows)
    _colour_results(sheet, column=10)


def _feedback_sheet(workbook: Workbook, feedback: Sequence[Feedback]) -> None:
    columns = (
        Column("Type", 10),
        Column("ID / NPI", 14),
        Column("Name", 24),
        Column("Accuracy", 10, PERCENT),
        Column("Result", 9),
        Column("Rule ID", 10),
        Column("Rule name", 24),
        Column("Count", 8, INTEGER),
        Column("Education topic", 28, wrap=True),
        Column("What correct looks like", 60, wrap=True),
        Column("Example from own records", 60, wrap=True),
    )
    rows = [
        (
            person.subject_type,
            person.key,
            person.name,
            person.accuracy,
            _result(person.passed),
            item.rule_id,
            item.rule_name,
            item.count,
            item.education_topic,
            item.what_correct_looks_like,
            item.example,
        )
        for person in feedback
        for item in person.items
    ]
    sheet = _table(workbook, "Feedback", columns, rows)
    _colour_results(sheet, column=5)


def _rules_sheet(workbook: Workbook, rules: Sequence[RuleInfo]) -> None:
    columns = (
        Column("Rule ID", 10),
        Column("Name", 24),
        Column("Summary", 44, wrap=True),
        Column("Severity", 10),
        Column("Category", 22),
        Column("Responsible", 12),
        Column("Findings", 10, INTEGER),
        Column("Education topic", 28, wrap=True),
        Column("Rationale", 60, wrap=True),
        Column("References", 50, wrap=True),
    )
    rows = [
        (
            rule.id,
            rule.name,
            rule.summary,
            rule.severity,
            rule.category,
            rule.responsible,
            rule.findings,
            rule.education_topic,
            rule.rationale,
            "\n".join(rule.references),
        )
        for rule in rules
    ]
    _table(workbook, "Rules", columns, rows)


def _section_sheet(workbook: Workbook, section: ReportSection) -> None:
    """A plugin's section: its paragraphs, then each table, on a sheet of its own."""
    width = max([len(table.headers) for table in section.tables] or [1])
    columns = tuple(
        Column(f"{section.title}" if i == 0 else "", 24, wrap=True) for i in range(width)
    )
    rows: list[tuple[Any, ...]] = [(paragraph,) for paragraph in section.paragraphs]
    for table in section.tables:
        rows += [(table.title,)] if table.title else []
        rows += [table.headers, *table.rows, ()]
    _table(
        workbook, section.key[:31], columns, [row + (None,) * (width - len(row)) for row in rows]
    )


# -- summary rows: (section, item, value) -------------------------------------------------

SummaryRow = tuple[str, str, Any]


def _audit_rows(context: ReportContext) -> list[SummaryRow]:
    audit = context.audit
    rows: list[SummaryRow] = [
        ("Report", "Title", context.title),
        ("Report", "Generated at", context.generated_at),
        ("Report", "auditkit version", context.auditkit_version),
        ("Report", "De-identified", "yes" if context.deidentified else "no (contains PHI)"),
        ("Audit", "Name", audit.name),
        ("Audit", "Period from", audit.period_from),
        ("Audit", "Period to", audit.period_to),
        ("Audit", "Status", audit.status),
        ("Audit", "Created at", audit.created_at),
    ]
    rows += [("Audit", f"Filter: {key}", _plain(value)) for key, value in audit.filters.items()]
    rows += [
        ("Audit", "Scoring measure", audit.scoring_measure),
        ("Audit", "Pass threshold", _percent(audit.pass_threshold)),
        ("Audit", "Scoring method", audit.scoring_description),
    ]
    return rows


def _sample_rows(context: ReportContext) -> list[SummaryRow]:
    sample = context.sample
    if sample is None:
        return [("Sample", "Sampling record", "none attached to this audit")]
    return [
        ("Sample", "Method", sample.method),
        ("Sample", "Generator", sample.generator),
        ("Sample", "Generator version", sample.generator_version),
        ("Sample", "Seed", sample.seed),
        ("Sample", "Frame definition", _plain(sample.frame_definition)),
        ("Sample", "Frame size", sample.frame_size),
        ("Sample", "Frame amount", _money(sample.frame_amount)),
        ("Sample", "Frame hash", sample.frame_hash),
        ("Sample", "Sample size", sample.size),
        ("Sample", "Spares", sample.spares),
        ("Sample", "Design", _plain(sample.design)),
        ("Sample", "Drawn at", sample.drawn_at),
    ]


def _run_rows(context: ReportContext) -> list[SummaryRow]:
    run = context.run
    if run is None:
        return [("Run", "Rule run", "the rules have not been run")]
    return [
        ("Run", "Started at", run.started_at),
        ("Run", "Finished at", run.finished_at),
        ("Run", "Units checked", run.units),
        ("Run", "Rules run", ", ".join(run.rule_ids)),
    ]


def _headline_rows(context: ReportContext) -> list[SummaryRow]:
    summary, audit = context.summary, context.audit
    scored = (
        summary.code_accuracy if audit.scoring_measure == "code" else summary.encounter_accuracy
    )
    rows: list[SummaryRow] = [
        (
            "Headline",
            f"Result ({audit.scoring_measure} accuracy)",
            _result(None if scored is None else scored >= audit.pass_threshold),
        ),
        ("Headline", "Encounters reviewed", summary.encounters_reviewed),
        ("Headline", "Codes reviewed", summary.codes_reviewed),
        ("Headline", "Code accuracy", _percent(summary.code_accuracy)),
        ("Headline", "Encounter accuracy", _percent(summary.encounter_accuracy)),
        ("Headline", "Coders passed", _count_or_not_reviewed(summary.coders_passed)),
        ("Headline", "Coders", summary.coders),
        ("Headline", "Providers passed", _count_or_not_reviewed(summary.providers_passed)),
        ("Headline", "Providers", summary.providers),
        ("Headline", "Findings", summary.findings),
    ]
    rows += [
        ("Coverage", part.component, ", ".join(part.rules) or "not reviewed (no enabled rule)")
        for part in summary.coverage
        if part.items or part.reviewed
    ]
    rows += [("Headline", "Overpaid (findings)", _money(summary.overpaid))]
    rows += [("Headline", "Underpaid (findings)", _money(summary.underpaid))]
    rows += [("Headline", f"Severity: {k}", n) for k, n in summary.findings_by_severity.items()]
    rows += [("Headline", f"Category: {k}", n) for k, n in summary.findings_by_category.items()]
    return rows


def _count_or_not_reviewed(count: int | None) -> int | str:
    return "not reviewed" if count is None else count


def _extrapolation_rows(extrapolation: Extrapolation) -> list[SummaryRow]:
    x = extrapolation
    rows: list[SummaryRow] = [
        ("Extrapolation", "Basis", x.basis),
        ("Extrapolation", "Basis description", x.basis_description),
        ("Extrapolation", "Universe size", x.universe_size),
        ("Extrapolation", "Sample size", x.sample_size),
        ("Extrapolation", "Overpayment in the sample", _money(x.sample_difference)),
        ("Extrapolation", "Point estimate", _money(x.point_estimate)),
    ]
    for level in x.levels:
        label = f"{level.confidence}% two-sided"
        rows += [
            ("Extrapolation", f"{label}: lower limit", _money(level.lower)),
            ("Extrapolation", f"{label}: upper limit", _money(level.upper)),
            ("Extrapolation", f"{label}: precision", _money(level.precision)),
        ]
    rows.append(("Extrapolation", "Amount demanded", _money(x.demanded_amount)))
    return rows


@dataclass(frozen=True)
class _Formatted:
    """A value with its own number format, for the Summary's mixed Value column."""

    value: Any
    number_format: str


def _percent(value: float | None) -> _Formatted | str:
    return "not reviewed" if value is None else _Formatted(value, PERCENT)


def _money(value: Decimal | float) -> _Formatted:
    return _Formatted(value, MONEY)


# -- writing cells ------------------------------------------------------------------------


def _table(
    workbook: Workbook, title: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]]
) -> Worksheet:
    """A sheet holding one filterable table with a frozen, bold header row."""
    sheet = workbook.create_sheet(title)
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font, cell.fill, cell.alignment = _HEADER_FONT, _HEADER_FILL, _WRAP
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    row_number = 1
    for row_number, row in enumerate(rows, start=2):
        for index, (column, value) in enumerate(zip(columns, row, strict=True), start=1):
            _write(sheet.cell(row=row_number, column=index), value, column)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{row_number}"
    return sheet


def _write(cell: Cell, value: Any, column: Column) -> None:
    """Write one value: strings as text only, everything else as a typed Excel value."""
    cell.alignment = _WRAP if column.wrap else _TOP
    number_format = column.number_format
    if isinstance(value, _Formatted):
        value, number_format = value.value, value.number_format
    if isinstance(value, str):
        _put_text(cell, value)
        return
    cell.value = _excel_value(value)
    number_format = number_format or _default_format(value)
    if number_format and value is not None:
        cell.number_format = number_format


def _put_text(cell: Cell, text: str) -> None:
    """Store ``text`` as a string cell, never as a formula or an error value.

    Characters XML 1.0 cannot hold (other control characters) are replaced by U+FFFD so
    hostile input cannot make the export fail. Carriage returns become line feeds, Excel's
    own line break: an XML reader would turn a raw CR into LF anyway, so this keeps the
    file the same whichever XML writer openpyxl picks.
    """
    clean = ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)
    cell.value = clean.replace("\r\n", "\n").replace("\r", "\n")
    cell.data_type = "s"  # after assigning: openpyxl has just typed "=…" as a formula
    if text.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True


def _excel_value(value: Any) -> Any:
    """Excel has no time zones: aware timestamps are written as UTC wall-clock time."""
    if isinstance(value, dt.datetime) and value.utcoffset() is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def _default_format(value: Any) -> str | None:
    if isinstance(value, dt.datetime):
        return f'{DATETIME} "UTC"' if value.utcoffset() is not None else DATETIME
    if isinstance(value, dt.date):
        return DATE
    if isinstance(value, Decimal):
        return MONEY
    return None


def _colour_results(sheet: Worksheet, column: int) -> None:
    for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
        cell.font = _PASS_FONT if cell.value == "Pass" else _FAIL_FONT


def _result(passed: bool | None) -> str:
    return "Not reviewed" if passed is None else "Pass" if passed else "Fail"


def _plain(value: Any) -> str:
    """Filter and design values (dicts, lists) as one readable line of text."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_plain(item)}" for key, item in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_plain(item) for item in value)
    return str(value)
