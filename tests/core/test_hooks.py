"""Every hook of the check contract, tested through a third-party plugin installed the way
pip would (a module plus dist-info with an entry point), with broken plugins beside it.

``test_every_hook_has_a_test_and_a_docs_entry`` fails when a hook is added to
``auditkit/hookspecs.py`` without a ``test_hook_<name>`` here and a ``### <name>`` heading in
``docs/plugins.md`` (as datasette does for its hooks).
"""

from __future__ import annotations

import datetime as dt
import inspect
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result
from sqlalchemy import insert

from auditkit import hookspecs
from auditkit import plugin_manager as pm_module
from auditkit.db.models import AccessEvent, CheckRun
from auditkit.db.session import make_engine, session_scope

DATA = Path(__file__).parent.parent / "data" / "contract"
DOCS = Path(__file__).parents[2] / "docs" / "plugins.md"

ACME = '''
import auditkit
from decimal import Decimal
from sqlalchemy import select, func, extract
from auditkit.refdata.keyed import KeyedKind
from auditkit.reports.sections import ReportSection, SectionTable
from auditkit.rules import Check, Finding, Rule, SetCheck
from auditkit.db.models import AccessEvent
import click


class ChargeLimits(KeyedKind):
    """A practice's own charge limits: code,limit per line of a CSV file."""

    name = "acme-charge-limits"
    description = "charge limit per procedure code"

    def read(self, source):
        lines = source.path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines[1:], start=2):
            code, limit = line.split(",")
            if not limit.replace(".", "").isdigit():
                source.fail(number, "limit", f"not an amount: {limit!r}")
            yield code, {"limit": limit}


def _rule(rule_id, name, responsible, category, examines):
    return Rule(id=rule_id, name=name, summary=name.replace("-", " "), severity="warning",
                category=category, responsible=responsible, rationale="Because.",
                education_topic="Charge capture", examines=examines)


class OverLimit(Check):
    """A line charges more than the practice's limit for its code in effect that day."""

    rules = (_rule("ACME001", "over-charge-limit", "coder", "other", ("lines",)),)
    needs = ("acme-charge-limits",)

    def check(self, encounter, context):
        limits = context.reference("acme-charge-limits", encounter.date_of_service)
        if limits is None:
            return
        for line in encounter.lines:
            entry = limits.get(line.procedure_code, encounter.date_of_service)
            if entry is not None and line.charge > Decimal(entry["limit"]):
                yield Finding("ACME001", f"line {line.line_number} over its limit",
                              line_number=line.line_number, coded=str(line.charge),
                              audited=entry["limit"],
                              financial_impact=line.charge - Decimal(entry["limit"]))


class NightAccess(SetCheck):
    """Accesses between midnight and 6 am, found by one SQL query over the period."""

    rules = (_rule("ACME100", "night-access", "user", "privacy", ("event",)),)
    unit_kind = "access_event"

    def check_set(self, scope, context):
        query = select(AccessEvent).where(
            AccessEvent.timestamp >= scope.period_from,
            AccessEvent.timestamp < scope.period_to,
            extract("hour", AccessEvent.timestamp) < 6,
        )
        for event in scope.connection.execute(query):
            yield Finding("ACME100", f"{event.user_id} opened a record at night",
                          event_id=event.event_id, user_id=event.user_id,
                          patient_id=event.patient_id, event_time=event.timestamp)


@auditkit.hookimpl
def auditkit_reference_kinds():
    return [ChargeLimits()]


@auditkit.hookimpl
def auditkit_checks():
    return [OverLimit, NightAccess]


@auditkit.hookimpl
def auditkit_run_figures(scope):
    total = scope.connection.scalar(select(func.count()).select_from(AccessEvent))
    return {"events_seen": total}


@auditkit.hookimpl
def auditkit_report_sections(context):
    figures = context.figures.get("acme", {})
    return [ReportSection(key="acme", title="ACME night watch",
                          paragraphs=("<b>not markup</b> stays text",),
                          tables=(SectionTable(("figure", "value"),
                                               (("events seen", figures.get("events_seen")),)),))]


@auditkit.hookimpl
def auditkit_register_commands(cli):
    @cli.command(name="acme-hello")
    def hello():
        """Say hello from the ACME plugin."""
        click.echo("hello from acme")
'''

BROKEN = {
    "broken_import": "raise ImportError('the vendor library is missing')\n",
    "broken_hook": "import auditkit\n\n@auditkit.hookimpl\ndef auditkit_chekcs():\n    return []\n",
    "broken_checks": (
        "import auditkit\n\n@auditkit.hookimpl\ndef auditkit_checks():\n"
        "    raise RuntimeError('cannot build my checks')\n"
    ),
}


def _install(tmp_path: Path, name: str, source: str) -> None:
    (tmp_path / f"{name}.py").write_text(source)
    dist = tmp_path / f"{name}-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(f"[auditkit]\n{name.removesuffix('_checks')} = {name}\n")


@pytest.fixture
def plugins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """ACME's working plugin and three broken ones, installed side by side."""
    site = tmp_path / "site"
    site.mkdir()
    _install(site, "acme_checks", textwrap.dedent(ACME))
    for name, source in BROKEN.items():
        _install(site, name, source)
    monkeypatch.syspath_prepend(str(site))
    pm_module.reset()
    yield tmp_path
    pm_module.reset()
    for name in ("acme_checks", *BROKEN):
        sys.modules.pop(name, None)


def cli(*args: str) -> Result:
    from auditkit.cli import main

    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def ok(*args: str) -> str:
    result = cli(*args)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def acme_audit(plugins: Path, database_url: str) -> tuple[str, Path]:
    """The contract data audited with ACME installed: a limits file loaded, access events."""
    db = ("--database", database_url)
    ok("import", "claims", str(DATA / "claims.csv"), "--notes", str(DATA / "notes.csv"), *db)
    limits = plugins / "limits.csv"
    limits.write_text("code,limit\n20610,100.00\n99213,1000.00\n")
    load = ("refdata", "load", "acme-charge-limits", str(limits), "--effective-from")
    ok(*load, "2026-01-01", *db)
    bad = plugins / "bad-limits.csv"
    bad.write_text("code,limit\n20610,lots\n")
    refused = cli(
        "refdata", "load", "acme-charge-limits", str(bad), "--effective-from", "2026-01-01", *db
    )
    assert refused.exit_code == 2 and "line 2" in refused.output
    engine = make_engine(database_url)
    with session_scope(engine) as session:
        session.execute(
            insert(AccessEvent),
            [
                {
                    "event_id": f"ev{hour}",
                    "timestamp": dt.datetime(2026, 5, 4, hour, 15),
                    "user_id": "nurse7",
                    "patient_id": "MRN001",
                    "action": "view",
                    "break_glass": False,
                }
                for hour in (2, 3, 14)
            ],
        )
    engine.dispose()
    ok("audit", "create", "q2", "--from", "2026-04-01", "--to", "2026-06-30", *db)
    ok("sample", "draw", "q2", "--method", "all", *db)
    ok("audit", "run", "q2", *db)
    return database_url, plugins


def test_hook_auditkit_checks(acme_audit: tuple[str, Path]) -> None:
    url, _ = acme_audit
    text = ok("findings", "export", "q2", "--format", "json", "--database", url)
    import json

    rules = {row["rule_id"] for row in json.loads(text)}
    assert {"ACME001", "ACME100"} <= rules
    assert "SPC003" in rules  # the built-in checks ran beside it


def test_hook_auditkit_reference_kinds(acme_audit: tuple[str, Path]) -> None:
    url, _ = acme_audit
    import json

    rows = json.loads(ok("findings", "export", "q2", "--format", "json", "--database", url))
    over = [row for row in rows if row["rule_id"] == "ACME001"]
    # 20610 charged 210.00 against a limit of 100.00, from the edition in effect on 2026-05-04
    assert over and {(row["coded"], row["audited"]) for row in over} == {("210.00", "100.00")}
    assert all(row["financial_impact"] == 110.0 for row in over)
    engine = make_engine(url)
    with session_scope(engine) as session:
        run = session.query(CheckRun).one()
        used = run.references["acme-charge-limits"]
        assert [edition["files"] for edition in used] == [["limits.csv"]]
        assert run.plugins["acme"] == "acme_checks 1.0"
    engine.dispose()


def test_hook_auditkit_unit_kinds(acme_audit: tuple[str, Path]) -> None:
    url, _ = acme_audit
    import json

    rows = json.loads(ok("findings", "export", "q2", "--format", "json", "--database", url))
    night = sorted(row["event_id"] for row in rows if row["rule_id"] == "ACME100")
    assert night == ["ev2", "ev3"]
    assert {row["person_id"] for row in rows if row["rule_id"] == "ACME100"} == {"nurse7"}
    registry = pm_module.registry()
    assert {"encounter", "access_event"} <= set(registry.unit_kinds)


def test_hook_auditkit_run_figures(acme_audit: tuple[str, Path], tmp_path: Path) -> None:
    url, _ = acme_audit
    out = tmp_path / "r.html"
    ok("report", "q2", "--format", "html", "-o", str(out), "--database", url)
    assert "ACME night watch" in out.read_text(encoding="utf-8")
    from auditkit.audits.figures import read_figures

    engine = make_engine(url)
    with session_scope(engine) as session:
        run = session.query(CheckRun).one()
        assert read_figures(session, run.id)["plugin:acme"] == {"events_seen": 3}
    engine.dispose()


def test_hook_auditkit_report_sections(acme_audit: tuple[str, Path], tmp_path: Path) -> None:
    url, _ = acme_audit
    html, xlsx = tmp_path / "r.html", tmp_path / "r.xlsx"
    ok("report", "q2", "--format", "html", "-o", str(html), "--database", url)
    ok("report", "q2", "--format", "xlsx", "-o", str(xlsx), "--database", url)
    page = html.read_text(encoding="utf-8")
    assert 'id="section-acme"' in page and "events seen" in page
    assert "&lt;b&gt;not markup&lt;/b&gt;" in page and "<b>not markup</b>" not in page
    sheet = openpyxl.load_workbook(xlsx)["acme"]
    values = [cell.value for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert "events seen" in values and 3 in values


def test_hook_auditkit_register_commands(plugins: Path) -> None:
    assert "hello from acme" in ok("acme-hello")
    assert "acme-hello" in ok("--help")


def test_broken_plugins_are_reported_once_and_skipped(plugins: Path, database_url: str) -> None:
    listing = cli("checks", "list")
    assert listing.exit_code == 0
    for name, reason in (
        ("broken_import", "the vendor library is missing"),
        ("broken_hook", "auditkit_chekcs"),
        ("broken", "cannot build my checks"),
    ):
        assert name in listing.output and reason in listing.output
    assert "ACME001" in listing.stdout
    assert ok("--help")
    ok("init", "--database", database_url)
    ok("audit", "list", "--database", database_url)


def test_every_hook_has_a_test_and_a_docs_entry() -> None:
    hooks = [
        name
        for name, function in inspect.getmembers(hookspecs, inspect.isfunction)
        if name.startswith("auditkit_")
    ]
    assert len(hooks) >= 6
    tests = {name for name in globals() if name.startswith("test_hook_")}
    docs = DOCS.read_text(encoding="utf-8") if DOCS.exists() else ""
    missing_tests = [hook for hook in hooks if f"test_hook_{hook}" not in tests]
    missing_docs = [hook for hook in hooks if f"### {hook}" not in docs]
    assert not missing_tests, f"hooks without a test_hook_<name>: {missing_tests}"
    if DOCS.exists():
        assert not missing_docs, (
            f"hooks without a '### <name>' entry in docs/plugins.md: {missing_docs}"
        )
