"""De-identified reports follow HIPAA Safe Harbor wherever a patient identifier can appear.

Hostile finding messages and evidence (curly, straight and unbalanced quotes, the patient's
own name, MRN, birth date in several formats, ages 89, 90 and 101, phone numbers, e-mail
addresses, file names) are stored in a real run's findings; the de-identified HTML and
Excel reports must hold none of the identifiers while the identified ones hold them all.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from sqlalchemy import select, update

from auditkit.audits.scope import get_audit
from auditkit.cli import main
from auditkit.db.models import Encounter, Patient, StoredFinding
from auditkit.db.session import make_engine, session_scope
from auditkit.plugin_manager import registry
from auditkit.reports.build import build_report_context
from auditkit.reports.context import ReportContext
from auditkit.reports.deidentify import OVER_89, Deidentifier, KnownIdentifiers
from auditkit.reports.excel import write_xlsx
from auditkit.reports.html import render_html
from auditkit.reports.sections import ReportSection, SectionTable

DATA = Path(__file__).resolve().parents[1] / "data" / "contract"
TODAY = dt.date(2026, 7, 1)
KNOWN = KnownIdentifiers(
    names=frozenset({"alice", "moreno", "bruno", "keller", "o'hara"}),
    mrns=frozenset({"MRN001", "778899"}),
    encounter_keys=frozenset({"E1001"}),
)


@pytest.fixture
def deid() -> Deidentifier:
    return Deidentifier("salt", KNOWN, today=TODAY)


@pytest.mark.parametrize(
    "text, gone",
    [
        ("“OA” Alice Moreno MRN001 05/02/1980 worse", ("Alice", "Moreno", "MRN001", "05/02")),
        ('"OA" Alice Moreno MRN001 DOB 1980-05-02', ("Alice", "Moreno", "MRN001", "1980")),
        ("unbalanced “OA of knee, alice moreno 778899", ("alice", "moreno", "778899")),
        ("unbalanced OA” ALICE MORENO", ("ALICE", "MORENO")),
        ("‘single’ quotes ‘Bruno Keller said", ("Bruno", "Keller")),
        ("seen May 4, 2026 and 4 May 2026", ("May 4", "4 May")),
        ("seen 05/04/2026, 5-4-26 and 2026-05-04T10:30:00", ("05/04", "5-4-26", "05-04T")),
        ("Born on January 2nd, 1930; birthday 02.01.1930", ("January", "1930", "02.01")),
        ("call (555) 123-4567 or +1 555.123.4567 x12", ("123-4567", "123.4567")),
        ("write to alice.moreno@example.org", ("alice.moreno", "example.org")),
        ("scan Moreno_Alice_MRN001_2026-05-04.pdf", ("Moreno", "Alice", "MRN001", "05-04")),
        ("see E1001 and account #A-99812, member ID: XK2231", ("E1001", "99812", "XK2231")),
        ("SSN 123-45-6789 at 12 Oak Street, Springfield, IL 62704", ("6789", "Oak", "62704")),
        ("Mrs O’Hara, 101-year-old", ("O’Hara", "101")),
    ],
)
def test_text_loses_every_identifier(deid: Deidentifier, text: str, gone: tuple[str, ...]) -> None:
    cleaned = deid.text(text)
    assert cleaned is not None
    for identifier in gone:
        assert identifier not in cleaned, (identifier, cleaned)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("patient aged 101", f"patient aged {OVER_89}"),
        ("a 101-year-old man", f"a {OVER_89} man"),
        ("90 yo woman", f"{OVER_89} woman"),
        ("Age: 95 years old", f"Age: {OVER_89}"),
        ("patient aged 89", "patient aged 89"),
        ("89-year-old", "89-year-old"),
        ("45 yo woman", "45 yo woman"),
    ],
)
def test_ages_over_89_become_90_or_older(deid: Deidentifier, text: str, expected: str) -> None:
    assert deid.text(text) == expected


def test_dates_keep_the_year_unless_it_reveals_an_age_over_89(deid: Deidentifier) -> None:
    assert deid.text("seen 05/04/2026") == "seen [date 2026]"
    assert deid.text("seen May 4") == "seen [date]"
    assert deid.text("DOB 1980-05-02") == "DOB [date]"  # a birth date loses its year too
    assert deid.text("admitted 1931-03-15") == "admitted [date]"  # 1931 means over 89
    assert deid.text("admitted 1937-03-15") == "admitted [date 1937]"  # at most 89 in 2026


def test_codes_staff_and_clinical_text_stay(deid: Deidentifier) -> None:
    text = (
        "J45.909 on line 2 charges 125.00; 99213-25 × 3 units; NPI 1234567893 "
        "(Ortiz, Dana); pain 7/10; BP 120/80; “OA of the right knee”"
    )
    assert deid.text(text) == text


def test_known_numbers_become_the_audits_stand_ins(deid: Deidentifier) -> None:
    assert deid.text("MRN: MRN001, claim E1001") == (
        f"MRN: {deid.patient_id('MRN001')}, claim {deid.encounter_id('E1001')}"
    )


def test_plugin_sections_are_redacted_too(deid: Deidentifier) -> None:
    section = ReportSection(
        key="access",
        title="Access to Alice Moreno's record",
        paragraphs=("Looked up 2026-05-04 by user jdoe (NPI 1234567893).",),
        tables=(SectionTable(("patient", "user", "events"), (("MRN001", "jdoe", 3),)),),
    )
    cleaned = deid.section(section)
    assert cleaned.title == "Access to [name] record"
    assert cleaned.paragraphs == ("Looked up [date 2026] by user jdoe (NPI 1234567893).",)
    assert cleaned.tables[0].rows == ((deid.patient_id("MRN001"), "jdoe", 3),)
    assert cleaned.tables[0].headers == section.tables[0].headers


# --- through the database, the report builder and both renderers --------------------------


def _hostile(first: str, last: str, mrn: str, dob: dt.date, encounter: str) -> tuple[str, str]:
    """A message and evidence carrying every identifier of the finding's patient."""
    message = (
        f'“OA” {first} {last} {mrn} {dob:%m/%d/%Y} — note: "{last.upper()}, {first} '
        f"(DOB {dob.isoformat()}) patient aged 101, 90 yo; call 555-867-5309"
    )
    evidence = (
        f"‘{first} said “{dob:%B} {dob.day}, {dob.year}” — file {last}_{mrn}_{dob:%Y%m%d}.pdf, "
        f"{first.lower()}.{last.lower()}@mail.example, claim {encounter}, age 89"
    )
    return message, evidence


def _identifiers(first: str, last: str, mrn: str, dob: dt.date, encounter: str) -> set[str]:
    return {
        first,
        last,
        mrn,
        encounter,
        dob.isoformat(),
        f"{dob:%m/%d/%Y}",
        f"{dob:%B} {dob.day}",
        "101",
        "555-867-5309",
        "mail.example",
    }


@pytest.fixture
def hostile_run(database_url: str) -> tuple[str, set[str]]:
    """The contract data audited, every finding's text replaced by hostile text."""
    db = ("--database", database_url)
    runner = CliRunner()
    for args in (
        ("import", "claims", str(DATA / "claims.csv"), "--notes", str(DATA / "notes.csv")),
        ("audit", "create", "q2", "--from", "2026-04-01", "--to", "2026-06-30"),
        ("sample", "draw", "q2", "--method", "all"),
        ("audit", "run", "q2"),
    ):
        result = runner.invoke(main, [*args, *db])
        assert result.exit_code == 0, result.output
    identifiers: set[str] = set()
    engine = make_engine(database_url)
    with session_scope(engine) as session:
        rows = session.execute(
            select(StoredFinding.id, Patient, Encounter.encounter_key)
            .join(Encounter, Encounter.id == StoredFinding.encounter_id)
            .join(Patient, Patient.id == Encounter.patient_id)
        ).all()
        assert rows, "the contract data should give findings"
        for finding_id, patient, encounter_key in rows:
            assert patient.first_name and patient.last_name and patient.dob
            who = (patient.first_name, patient.last_name, patient.mrn, patient.dob, encounter_key)
            message, evidence = _hostile(*who)
            identifiers |= _identifiers(*who)
            session.execute(
                update(StoredFinding)
                .where(StoredFinding.id == finding_id)
                .values(message=message, evidence=evidence)
            )
    engine.dispose()
    return database_url, identifiers


def _context(url: str, deidentify: bool) -> ReportContext:
    engine = make_engine(url)
    with session_scope(engine) as session:
        context = build_report_context(
            session, get_audit(session, "q2"), registry(), deidentify=deidentify
        )
    engine.dispose()
    return context


def _xlsx_text(context: ReportContext, path: Path) -> str:
    write_xlsx(context, path)
    book = openpyxl.load_workbook(path)
    return "\n".join(
        str(cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    )


def _leaks(text: str, identifiers: set[str]) -> set[str]:
    return {
        value
        for value in identifiers
        if re.search(rf"(?<![0-9A-Za-z]){re.escape(value)}(?![0-9A-Za-z])", text, re.IGNORECASE)
    }


def test_deidentified_reports_hold_no_patient_identifier(
    hostile_run: tuple[str, set[str]], tmp_path: Path
) -> None:
    url, identifiers = hostile_run
    identified = _context(url, deidentify=False)
    outputs = {
        "html": render_html(identified),
        "xlsx": _xlsx_text(identified, tmp_path / "identified.xlsx"),
    }
    for name, text in outputs.items():  # the hostile text really is in the reports
        assert _leaks(text, identifiers) == identifiers, name

    context = _context(url, deidentify=True)
    outputs = {
        "html": render_html(context),
        "xlsx": _xlsx_text(context, tmp_path / "deidentified.xlsx"),
    }
    for name, text in outputs.items():
        assert _leaks(text, identifiers) == set(), name
        assert OVER_89 in text and "age 89" in text, name
        assert "Ann Ruiz" in text and "1234567893" in text, name  # staff stay
    assert all(f.evidence for f in context.findings)  # evidence is kept, redacted
    assert {f.patient_id[:3] for f in context.findings if f.patient_id} == {"PT-"}


def test_report_help_says_what_de_identification_keeps() -> None:
    result = CliRunner().invoke(main, ["report", "--help"])
    assert result.exit_code == 0
    assert "Safe Harbor" in result.output and "NPIs" in result.output
