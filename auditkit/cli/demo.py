"""``auditkit demo``: the whole job on synthetic data, in an embedded database."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import click

from auditkit.audits.export import finding_records, write_findings
from auditkit.audits.run import run_audit
from auditkit.audits.sample_draw import draw_sample
from auditkit.audits.scope import create_audit
from auditkit.audits.suite import CheckSuite
from auditkit.cli.common import emit_json, json_option
from auditkit.config import Settings
from auditkit.db.migrate import upgrade
from auditkit.db.session import make_engine, session_scope
from auditkit.ingest.claims import import_claims
from auditkit.plugin_manager import registry
from auditkit.reports.build import build_report_context
from auditkit.reports.excel import write_xlsx
from auditkit.reports.html import write_html
from auditkit.reports.terminal import render_summary_text

AUDIT_NAME = "demo"
PERIOD = (dt.date(2026, 4, 1), dt.date(2026, 9, 30))


@click.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("auditkit-demo"),
    show_default=True,
    help="Folder for data, database, reports.",
)
@click.option("--encounters", default=400, show_default=True, help="Encounters to generate.")
@click.option("--sample-size", default=150, show_default=True, help="Encounters to audit.")
@click.option("--seed", default=2026, show_default=True, help="Seed for data and sample.")
@json_option
def demo(out_dir: Path, encounters: int, sample_size: int, seed: int, as_json: bool) -> None:
    """Generate an organisation's claims and notes, import them into a fresh SQLite
    database, draw a random sample, run every check, score coders and providers, and write
    the HTML and Excel reports."""
    from synthetic_data.generate import generate  # Faker: imported only when the demo runs

    started = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    data = generate(
        out_dir / "data", encounters=encounters, seed=seed, start=PERIOD[0], end=PERIOD[1]
    )
    database = out_dir / "auditkit-demo.db"
    for stale in out_dir.glob("auditkit-demo.db*"):
        stale.unlink()
    engine = make_engine(f"sqlite:///{database}")
    settings = Settings()
    try:
        upgrade(engine)
        imported = import_claims(engine, data.claims, data.notes)
        with session_scope(engine) as session:
            audit = create_audit(session, AUDIT_NAME, *PERIOD, {}, settings.scoring)
            draw_sample(
                session,
                audit,
                method="random",
                size=sample_size,
                seed=seed,
                generator=settings.sampling.generator,
            )
            run_audit(session, audit, CheckSuite(registry(), settings))
            findings_path = out_dir / "findings.csv"
            context = build_report_context(
                session, audit, registry(), purpose={"output": str(out_dir), "format": "demo"}
            )
            with findings_path.open("w", encoding="utf-8", newline="") as handle:
                records = finding_records(session, audit, {"output": str(findings_path)})
                write_findings(records, "csv", handle)
    finally:
        engine.dispose()
    html_path = write_html(context, out_dir / "report.html")
    xlsx_path = write_xlsx(context, out_dir / "report.xlsx")
    seconds = time.perf_counter() - started
    if as_json:
        emit_json(
            {
                "database": str(database),
                "html": str(html_path),
                "xlsx": str(xlsx_path),
                "findings": str(findings_path),
                "lines_imported": imported.lines,
                "encounters_audited": context.summary.encounters_reviewed,
                "seconds": round(seconds, 1),
            }
        )
        return
    click.echo(render_summary_text(context))
    click.echo("")
    click.echo(f"Imported {imported.lines:,} claim lines from {data.out_dir}")
    click.echo(f"Database:  {database}")
    click.echo(f"HTML:      {html_path}")
    click.echo(f"Excel:     {xlsx_path}")
    click.echo(f"Findings:  {findings_path}")
    click.echo(f"Done in {seconds:.1f} s.")
