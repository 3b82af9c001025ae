"""FHIR R4 AuditEvent resources (NDJSON, one resource per line, or a JSON Bundle / single
resource) turned into access-log rows.

An event that touches a patient's record becomes an access event: the user is the
requesting agent (``agent.requestor = true``, else the one human user agent), the patient
the entity that is a ``Patient/…`` reference or a person in the patient role (object role
1; identifiers in HL7 CX form keep their ID part), the action comes from ``action``
(C/R/U/D/E) refined by the event type and subtype (search, export, …). Events that touch no
patient (login, logout, application start, queries without a patient) are counted as
skipped with the reason; they are not errors.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditkit.ingest.problems import ProblemLog

ACTIONS = {"C": "create", "R": "view", "U": "edit", "D": "delete", "E": "execute"}
# Event types and subtypes that say more than the action code.
REFINED = {
    "search": "search",
    "search-type": "search",
    "search-system": "search",
    "110112": "search",  # DICOM Query
    "ITI-9": "search",  # PIX query
    "110106": "export",  # DICOM Export
    "ITI-32": "export",
    "Disclosure": "disclose",
    "read": "view",
    "vread": "view",
    "history-instance": "view",
    "print": "print",
}
AUTHENTICATION = {"110114": "user authentication (login/logout)", "110100": "application activity"}


@dataclass
class FhirRows:
    """The rows read from one FHIR file, and what was skipped and why."""

    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)


def read_fhir(path: Path, problems: ProblemLog) -> FhirRows:
    result = FhirRows()
    for line, resource in _resources(path, problems):
        row, reason = audit_event_row(resource)
        if row is None:
            if reason.startswith("!"):
                problems.add(path.name, line, None, reason[1:])
            else:
                result.skipped[reason] += 1
            continue
        result.rows.append((line, row))
    return result


def _resources(path: Path, problems: ProblemLog) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        problems.add(path.name, None, None, f"cannot be read as UTF-8 text: {error}")
        return
    stripped = text.lstrip()
    try:
        whole = json.loads(text) if stripped.startswith("{") and not _is_ndjson(text) else None
    except json.JSONDecodeError as error:
        problems.add(path.name, error.lineno, None, f"is not valid JSON: {error.msg}")
        return
    if whole is not None:
        if whole.get("resourceType") == "Bundle":
            for entry in whole.get("entry") or []:
                resource = entry.get("resource") if isinstance(entry, dict) else None
                if isinstance(resource, dict):
                    yield 1, resource
        else:
            yield 1, whole
        return
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        try:
            resource = json.loads(raw)
        except json.JSONDecodeError as error:
            problems.add(path.name, number, None, f"is not valid JSON: {error.msg}")
            continue
        if not isinstance(resource, dict):
            problems.add(path.name, number, None, "is not a JSON object (a FHIR resource)")
            continue
        yield number, resource


def _is_ndjson(text: str) -> bool:
    """More than one non-blank line that each parse alone: NDJSON, not pretty-printed JSON."""
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) < 2:
        return False
    try:
        json.loads(lines[0])
    except json.JSONDecodeError:
        return False
    return True


def audit_event_row(resource: dict[str, Any]) -> tuple[dict[str, str] | None, str]:
    """(row, "") for an access to a patient's record; (None, reason) when skipped;
    (None, "!problem") when the resource is malformed."""
    kind = resource.get("resourceType")
    if kind != "AuditEvent":
        return None, f"not an AuditEvent ({kind or 'no resourceType'})"
    type_code = str((resource.get("type") or {}).get("code") or "")
    subtypes = [str(c.get("code") or "") for c in resource.get("subtype") or [] if c]
    recorded = resource.get("recorded")
    if not isinstance(recorded, str) or not recorded:
        return None, "!AuditEvent has no 'recorded' time (required)"
    patient = _patient(resource.get("entity") or [])
    if patient is None:
        about = AUTHENTICATION.get(type_code) or "/".join(subtypes) or type_code or "event"
        return None, f"no patient entity ({about})"
    user = _user(resource.get("agent") or [])
    if user is None:
        return None, "!AuditEvent touches a patient but names no requesting agent"
    action = ACTIONS.get(str(resource.get("action") or ""), "view")
    for code in (*subtypes, type_code):
        if code in REFINED:
            action = REFINED[code]
            break
    source = (resource.get("source") or {}).get("observer") or {}
    return {
        "event_id": str(resource.get("id") or ""),
        "timestamp": recorded,
        "user_id": user,
        "patient_id": patient,
        "action": action,
        "workstation": _network(resource.get("agent") or []),
        "source": str(source.get("display") or _identifier(source) or ""),
        "break_glass": "N",
        "reason": "",
    }, ""


def _identifier(who: dict[str, Any]) -> str | None:
    identifier = who.get("identifier") or {}
    value = identifier.get("value") if isinstance(identifier, dict) else None
    return str(value) if value else None


def _reference_id(reference: str, resource_type: str) -> str | None:
    parts = reference.split("/")
    if resource_type in parts:
        at = parts.index(resource_type)
        if at + 1 < len(parts) and parts[at + 1]:
            return parts[at + 1]
    return None


def _patient(entities: list[dict[str, Any]]) -> str | None:
    for entity in entities:
        what = entity.get("what") or {}
        reference = str(what.get("reference") or "")
        if _reference_id(reference, "Patient"):
            return _reference_id(reference, "Patient")
    for entity in entities:
        role = str((entity.get("role") or {}).get("code") or "")
        kind = str((entity.get("type") or {}).get("code") or "")
        if role == "1" and kind in ("1", "2"):  # a person (or system object) as the patient
            value = _identifier(entity.get("what") or {})
            if value:
                return value.split("^", 1)[0]  # HL7 CX: the ID before the first component
    return None


def _user(agents: list[dict[str, Any]]) -> str | None:
    chosen = [agent for agent in agents if agent.get("requestor") is True]
    if not chosen:
        chosen = [
            agent
            for agent in agents
            if any(
                coding.get("code") == "humanuser"
                for coding in (agent.get("type") or {}).get("coding") or []
            )
        ]
    for agent in chosen:
        who = agent.get("who") or {}
        reference = str(who.get("reference") or "")
        value = _identifier(who) or (reference.rsplit("/", 1)[-1] if reference else None)
        if value:
            return value
    return None


def _network(agents: list[dict[str, Any]]) -> str:
    for agent in agents:
        address = (agent.get("network") or {}).get("address")
        if address:
            return str(address)
    return ""
