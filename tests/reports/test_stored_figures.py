"""Reports read what `audit run` stored and never compute: the report of a run audit stays
byte-identical when the scoring code changes afterwards; an audit that was not run has no
report; scores say what was examined (not reviewed is never a pass)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result

from auditkit.audits import scoring
from auditkit.audits.scope import get_audit
from auditkit.cli import main
from auditkit.db.session import make_engine, session_scope
from auditkit.plugin_manager import registry
from auditkit.reports.build import build_report_context
from auditkit.reports.html import render_html

DATA = Path(__file__).parent.parent / "data" / "contract"
FIXED = dt.datetime(2026, 7, 1, 9, 0)


def cli(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output, result.output
    return result


def ok(*args: str) -> str:
    result = cli(*args)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def created(database_url: str) -> str:
    db = ("--database", database_url)
    ok("import", "claims", str(DATA / "claims.csv"), "--notes", str(DATA / "notes.csv"), *db)
    ok("audit", "create", "q2", "--from", "2026-04-01", "--to", "2026-06-30", *db)
    ok("sample", "draw", "q2", "--method", "all", *db)
    return database_url


def _html(url: str) -> str:
    engine = make_engine(url)
    with session_scope(engine) as session:
        context = build_report_context(
            session, get_audit(session, "q2"), registry(), generated_at=FIXED
        )
    engine.dispose()
    return render_html(context)


def _halve_every_score(rows: list[dict]) -> list[dict]:
    return [
        {
            **row,
            "correct": row["correct"] // 2,
            "accuracy": None if row["accuracy"] is None else 0.5,
        }
        for row in rows
    ]


def test_report_is_byte_identical_after_the_scoring_code_changes(
    created: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok("audit", "run", "q2", "--database", created)
    before = _html(created)
    original = scoring.score_rows
    monkeypatch.setattr(scoring, "score_rows", lambda *args: _halve_every_score(original(*args)))
    assert _html(created) == before  # read from storage: the new code is not consulted
    ok("audit", "run", "q2", "--database", created)  # a new run stores the new figures
    assert _html(created) != before


def test_an_audit_that_was_not_run_has_no_report(created: str, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = cli("report", "q2", "--format", "html", "-o", str(out), "--database", created)
    assert result.exit_code == 2
    assert "has not been run" in result.output and "audit run q2" in result.output
    assert not out.exists()
    extrapolate = cli("audit", "extrapolate", "q2", "--database", created)
    assert extrapolate.exit_code == 2 and "not been run" in extrapolate.output


def test_scores_say_what_was_examined(created: str, tmp_path: Path) -> None:
    """Only specificity rules (coder, diagnoses) run: lines, notes and providers are not
    reviewed, and the codes reviewed are the diagnosis codes only."""
    ok("audit", "run", "q2", "--database", created)
    engine = make_engine(created)
    with session_scope(engine) as session:
        context = build_report_context(session, get_audit(session, "q2"), registry())
    engine.dispose()
    coverage = {part.component: part for part in context.summary.coverage}
    assert coverage["diagnoses"].reviewed and coverage["diagnoses"].code_accuracy is not None
    if not coverage["lines"].rules:  # true while no enabled rule examines lines
        assert "lines" in context.summary.not_reviewed
        assert context.summary.codes_reviewed == coverage["diagnoses"].items + (
            coverage["note"].items if coverage["note"].rules else 0
        )
    providers = [card for card in context.scorecards if card.subject_type == "provider"]
    if not any(part.rules for part in context.summary.coverage if part.component == "note"):
        assert all(card.passed is None and card.code_accuracy is None for card in providers)
        assert context.summary.providers_passed is None
    coders = [card for card in context.scorecards if card.subject_type == "coder"]
    assert coders and all(card.passed is not None for card in coders)
    html = render_html(context)
    if context.summary.not_reviewed:  # every part is reviewed once DOC rules are enabled
        assert "Not reviewed" in html
    codes = [f.code for f in context.findings if f.code and f.rule_id.startswith("SPC")]
    assert codes and all(re.fullmatch(r"[A-Z]\d[0-9A-Z](\.[0-9A-Z]{1,4})?", c) for c in codes)


def test_deidentified_stand_ins_are_the_same_in_every_output(created: str, tmp_path: Path) -> None:
    ok("audit", "run", "q2", "--database", created)
    html, xlsx = tmp_path / "r.html", tmp_path / "r.xlsx"
    db = ("--database", created)
    ok("report", "q2", "--format", "html", "-o", str(html), "--deidentify", *db)
    ok("report", "q2", "--format", "xlsx", "-o", str(xlsx), "--deidentify", *db)
    in_html = set(re.findall(r"ENC-[0-9a-f]{10}", html.read_text(encoding="utf-8")))
    sheet = openpyxl.load_workbook(xlsx)["Findings"]
    in_xlsx = {
        cell.value
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and re.fullmatch(r"ENC-[0-9a-f]{10}", cell.value)
    }
    assert in_html and in_html == in_xlsx
    assert "E1001" not in html.read_text(encoding="utf-8")
