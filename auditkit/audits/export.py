"""The findings export of the contract (§6): one record per finding, fixed field order."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from auditkit import trail
from auditkit.db.models import Audit, Encounter, StoredFinding

FIELDS: tuple[str, ...] = (
    "finding_id",
    "audit_id",
    "rule_id",
    "severity",
    "category",
    "responsible",
    "person_id",
    "encounter_id",
    "line_number",
    "event_id",
    "user_id",
    "patient_id",
    "event_time",
    "message",
    "evidence",
    "status",
    "financial_impact",
    "coded",
    "audited",
)


def finding_records(
    session: Session, audit: Audit, purpose: dict[str, Any] | None = None
) -> Iterator[dict[str, Any]]:
    """Findings as plain values; ``None`` where a field does not apply.

    Reading them is recorded in auditkit's access trail (``purpose``: the entry's detail).
    """
    trail.record(session, "findings export", "read", f"audit:{audit.name}", **(purpose or {}))
    return _records(session, audit)


def _records(session: Session, audit: Audit) -> Iterator[dict[str, Any]]:
    query = (
        select(StoredFinding, Encounter.encounter_key)
        .outerjoin(Encounter, Encounter.id == StoredFinding.encounter_id)
        .where(StoredFinding.audit_id == audit.id)
        .order_by(StoredFinding.id)
    )
    for finding, encounter_key in session.execute(query):
        yield {
            "finding_id": finding.id,
            "audit_id": audit.name,
            "rule_id": finding.rule_id,
            "severity": finding.severity,
            "category": finding.category,
            "responsible": finding.responsible,
            "person_id": finding.person_id,
            "encounter_id": encounter_key,
            "line_number": finding.line_number,
            "event_id": finding.event_id,
            "user_id": finding.user_id,
            "patient_id": finding.patient_id,
            "event_time": finding.event_time.isoformat() if finding.event_time else None,
            "message": finding.message,
            "evidence": finding.evidence,
            "status": finding.status,
            "financial_impact": (
                float(finding.financial_impact) if finding.financial_impact is not None else None
            ),
            "coded": finding.coded,
            "audited": finding.audited,
        }


# A spreadsheet treats a cell starting with one of these as a formula (or, for tab and CR,
# strips them and looks again): "=HYPERLINK(…)" in an identifier would run when opened.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def defuse_formula(text: str) -> str:
    """Text a spreadsheet shows as text: a leading ``'`` where it would start a formula."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def _csv_value(value: Any, safe: bool) -> Any:
    if value is None:
        return ""
    if isinstance(value, Decimal | float):
        return f"{value:.2f}"  # numbers (a negative impact too) stay numbers
    if isinstance(value, str):
        if safe:
            value = defuse_formula(value)
        # csv quotes a field holding "\n" (our line end) but not a bare "\r", which readers
        # then take for the end of the row: line breaks are written as "\n", quoted.
        return value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def write_findings(
    records: Iterator[dict[str, Any]], fmt: str, out: IO[str], *, formula_safe: bool = True
) -> int:
    """Write CSV (empty cells for absent values) or a JSON list (nulls); returns the count.

    With ``formula_safe`` (the default) CSV text cells that a spreadsheet would run as a
    formula get a leading ``'``; JSON is always written as stored.
    """
    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        for record in records:
            writer.writerow({key: _csv_value(value, formula_safe) for key, value in record.items()})
            count += 1
        return count
    items = list(records)
    json.dump(items, out, indent=2, ensure_ascii=False)
    out.write("\n")
    return len(items)
