"""Helpers for auditkit's own tests and for plugin authors' tests."""

from __future__ import annotations

import datetime as dt
import sys
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Engine, text

from auditkit.codesets import CodeSets, undotted
from auditkit.db.models import Base
from auditkit.rules import Check, CheckContext, Finding
from auditkit.units import (
    DiagnosisRecord,
    EncounterRecord,
    LineRecord,
    NoteRecord,
    PatientRecord,
)


def table_counts(engine: Engine) -> dict[str, int]:
    """Row count of every table: the before/after picture for 'nothing changed' tests."""
    with engine.connect() as connection:
        return {
            name: connection.execute(text(f"SELECT count(*) FROM {name}")).scalar_one()
            for name in Base.metadata.tables
        }


# --- rule test cases as data -------------------------------------------------------------
#
# A case file is TOML, one per rule:
#
#     rule = "SPC003"
#     [defaults]                 # optional, merged into every case
#     dos = "2026-02-10"
#     [[pass]]
#     name = "side not documented"
#     dx = ["M17.10"]
#     note = "Osteoarthritis of knee, stable."
#     [[fail]]
#     name = "right knee documented"
#     dx = ["M17.10"]
#     note = "Right knee pain; X-rays show osteoarthritis."
#     codes = ["M17.10"]          # optional: the codes the rule's findings are about
#     message_contains = ["M17.11"]  # optional
#
# Case keys: name, dx (required); dos, sex, dob, pos, provider, note, codes,
# message_contains, coded, audited (optional); the note's fields signed_at, total_time,
# mdm, author; the claim's lines and the patient's other encounters that day:
#
#     lines = [{code = "99213", modifiers = ["25"], units = 1, charge = 120.00},
#              {code = "20610", modifiers = ["RT"], charge = 210.00, pointers = "A"}]
#     same_day = [{provider = "1234567893", dx = ["M17.11"], lines = [{code = "20610"}]}]
#
# ``coded`` / ``audited`` (optional, fail cases): the values the finding must carry.
# A pass case must produce no finding of the rule, a fail case at least one.

_CASE_KEYS = frozenset(
    {
        "name",
        "dx",
        "dos",
        "sex",
        "dob",
        "pos",
        "provider",
        "note",
        "codes",
        "message_contains",
        "coded",
        "audited",
        "signed_at",
        "total_time",
        "mdm",
        "author",
        "lines",
        "same_day",
    }
)
_LINE_KEYS = frozenset({"code", "modifiers", "units", "charge", "paid", "pointers"})
_SAME_DAY_KEYS = frozenset({"provider", "dx", "lines"})


@dataclass(frozen=True)
class RuleCase:
    """One pass or fail case of a rule, read from a TOML case file."""

    rule_id: str
    outcome: Literal["pass", "fail"]
    name: str
    encounter: EncounterRecord
    codes: tuple[str, ...] = ()
    message_contains: tuple[str, ...] = ()
    coded: str | None = None
    audited: str | None = None

    @property
    def id(self) -> str:
        return f"{self.rule_id} {self.outcome}: {self.name}"


def case_file(check: type, rule_id: str) -> Path:
    """Where a rule's cases live: ``cases/<RULE>.toml`` beside its check's module."""
    module = sys.modules[check.__module__]
    return Path(module.__file__ or ".").parent / "cases" / f"{rule_id}.toml"


def registered_case_files(registry: Any = None) -> dict[str, Path]:
    """Every registered per-unit rule's case file, found through the registry."""
    from auditkit.plugin_manager import registry as process_registry
    from auditkit.rules import Check

    found = registry or process_registry()
    return {
        rule_id: case_file(entry.check, rule_id)
        for rule_id, entry in sorted(found.rules.items())
        if issubclass(entry.check, Check)
    }


def load_rule_cases(path: str | Path) -> list[RuleCase]:
    """Every case of a case file, pass cases first; malformed files raise ``ValueError``."""
    path = Path(path)
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    rule_id = str(data.get("rule", ""))
    if not rule_id:
        raise ValueError(f"{path}: missing top-level 'rule = \"ID\"'")
    defaults = data.get("defaults", {})
    cases = []
    for outcome in ("pass", "fail"):
        for number, raw in enumerate(data.get(outcome, []), start=1):
            cases.append(_rule_case(path, rule_id, outcome, number, {**defaults, **raw}))
    return cases


def _rule_case(
    path: Path, rule_id: str, outcome: Literal["pass", "fail"], number: int, raw: dict[str, Any]
) -> RuleCase:
    where = f"{path.name} [[{outcome}]] #{number}"
    unknown = set(raw) - _CASE_KEYS
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {sorted(unknown)}")
    if "name" not in raw or "dx" not in raw:
        raise ValueError(f"{where}: 'name' and 'dx' are required")
    provider = str(raw.get("provider", "1234567893"))
    note = (
        NoteRecord(
            raw["note"],
            author_npi=raw.get("author"),
            signed_at=_timestamp(raw.get("signed_at")),
            total_time_minutes=raw.get("total_time"),
            mdm_level=raw.get("mdm"),
        )
        if raw.get("note")
        else None
    )
    same_day = tuple(
        _same_day(where, index, number, entry, raw)
        for index, entry in enumerate(raw.get("same_day", ()), start=1)
    )
    encounter = EncounterRecord(
        id=number,
        key=f"{rule_id}-{outcome}-{number}",
        date_of_service=_date(raw.get("dos")) or dt.date(2026, 1, 15),
        patient=PatientRecord(mrn="case", sex=raw.get("sex") or None, dob=_date(raw.get("dob"))),
        provider_npi=provider,
        coder_key="case",
        diagnoses=_diagnoses(raw["dx"]),
        lines=_lines(where, raw.get("lines", ())),
        note=note,
        place_of_service=raw.get("pos"),
        same_day=same_day,
    )
    contains = raw.get("message_contains", ())
    return RuleCase(
        rule_id=rule_id,
        outcome=outcome,
        name=raw["name"],
        encounter=encounter,
        codes=tuple(undotted(code) for code in raw.get("codes", ())),
        message_contains=(contains,) if isinstance(contains, str) else tuple(contains),
        coded=raw.get("coded"),
        audited=raw.get("audited"),
    )


def _diagnoses(codes: list[str]) -> tuple[DiagnosisRecord, ...]:
    return tuple(
        DiagnosisRecord(position, undotted(code)) for position, code in enumerate(codes, start=1)
    )


def _lines(where: str, lines: list[dict[str, Any]]) -> tuple[LineRecord, ...]:
    records = []
    for number, line in enumerate(lines, start=1):
        unknown = set(line) - _LINE_KEYS
        if unknown or "code" not in line:
            raise ValueError(f"{where}: line {number}: needs 'code'; unknown {sorted(unknown)}")
        records.append(
            LineRecord(
                line_number=number,
                procedure_code=str(line["code"]),
                modifiers=tuple(str(m) for m in line.get("modifiers", ())),
                units=int(line.get("units", 1)),
                dx_pointers=line.get("pointers"),
                charge=Decimal(str(line.get("charge", "100.00"))),
                paid_amount=Decimal(str(line["paid"])) if "paid" in line else None,
            )
        )
    return tuple(records)


def _same_day(
    where: str, index: int, number: int, entry: dict[str, Any], raw: dict[str, Any]
) -> EncounterRecord:
    unknown = set(entry) - _SAME_DAY_KEYS
    if unknown:
        raise ValueError(f"{where}: same_day #{index}: unknown key(s) {sorted(unknown)}")
    return EncounterRecord(
        id=1000 * number + index,
        key=f"same-day-{number}-{index}",
        date_of_service=_date(raw.get("dos")) or dt.date(2026, 1, 15),
        patient=PatientRecord(mrn="case", sex=raw.get("sex") or None, dob=_date(raw.get("dob"))),
        provider_npi=str(entry.get("provider", raw.get("provider", "1234567893"))),
        coder_key="case",
        diagnoses=_diagnoses(entry.get("dx", [])),
        lines=_lines(f"{where} same_day #{index}", entry.get("lines", ())),
    )


def _timestamp(value: str | dt.datetime | None) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(value) if value else None


def _date(value: str | dt.date | None) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value) if value else None


def run_rule_case(
    case: RuleCase, check: Check | None = None, context: CheckContext | None = None
) -> list[Finding]:
    """Run one case through its rule's check; raise ``AssertionError`` saying what differed.

    ``check`` defaults to the registered check declaring the rule, ``context`` to the
    shipped code sets with default parameters. Returns the rule's findings.
    """
    if check is None:
        from auditkit.plugin_manager import registry

        declared = registry().rules[case.rule_id].check()
        if not isinstance(declared, Check):
            raise TypeError(f"{case.rule_id} is a set-based rule: its cases run on a database")
        check = declared
    findings = [
        finding
        for finding in check.run(case.encounter, context or context_for(check))
        if finding.rule_id == case.rule_id
    ]
    problems = _case_problems(case, findings)
    if problems:
        shown = "\n".join(f"  - {finding.message}" for finding in findings) or "  (none)"
        raise AssertionError(f"{case.id}: {'; '.join(problems)}\nfindings:\n{shown}")
    return findings


def _case_problems(case: RuleCase, findings: list[Finding]) -> list[str]:
    if case.outcome == "pass":
        return [f"expected no {case.rule_id} finding, got {len(findings)}"] if findings else []
    if not findings:
        return [f"expected a {case.rule_id} finding, got none"]
    problems = []
    got = sorted({finding.code or "" for finding in findings})
    if case.codes and got != sorted(set(case.codes)):
        problems.append(f"expected findings about {sorted(set(case.codes))}, got {got}")
    for wanted in case.message_contains:
        if not any(wanted in finding.message for finding in findings):
            problems.append(f"no message contains {wanted!r}")
    for label in ("coded", "audited"):
        wanted = getattr(case, label)
        if wanted is not None and not any(getattr(f, label) == wanted for f in findings):
            problems.append(f"no finding has {label} = {wanted!r}")
    return problems


def run_rule_cases(
    path: str | Path, check: Check | None = None, context: CheckContext | None = None
) -> int:
    """Run every case of a case file; raise one ``AssertionError`` listing all failures.

    Returns the number of cases run.
    """
    cases = load_rule_cases(path)
    failures = []
    for case in cases:
        try:
            run_rule_case(case, check, context)
        except AssertionError as failure:
            failures.append(str(failure))
    if failures:
        raise AssertionError(
            f"{len(failures)} of {len(cases)} case(s) failed:\n\n" + "\n\n".join(failures)
        )
    return len(cases)


@cache
def _default_context() -> CheckContext:
    return CheckContext(codesets=CodeSets())


@cache
def fixture_context() -> CheckContext:
    """A context whose reference data is the CMS-layout fixtures auditkit ships
    (``auditkit/refdata/fixtures``: office codes in effect through 2026), loaded once per
    process into an in-memory SQLite database. Rule cases of checks that declare ``needs``
    run with it."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import StaticPool

    from auditkit.db.migrate import upgrade
    from auditkit.plugin_manager import registry
    from auditkit.refdata.demo import load_fixtures
    from auditkit.refdata.library import ReferenceLibrary

    engine = create_engine(
        "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
    )
    upgrade(engine)
    with engine.begin() as connection:
        load_fixtures(connection)
    connection = engine.connect()  # kept open for the life of the process
    kinds = registry().reference_kinds
    library = ReferenceLibrary(connection, kinds, sorted(kinds))
    return CheckContext(codesets=CodeSets(), lookup=library.lookup)


def context_for(check: Check) -> CheckContext:
    """The context a rule case runs in: with the fixture reference data when it needs any."""
    return fixture_context() if check.needs else _default_context()
