"""``auditkit demo``: the whole job on synthetic data, in an embedded database."""

from __future__ import annotations

import datetime as dt
import os
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
from auditkit.errors import AuditkitError
from auditkit.ingest.claims import import_claims
from auditkit.outputs import atomic_output, current_umask, describe_os_error
from auditkit.plugin_manager import registry
from auditkit.refdata.demo import load_fixtures
from auditkit.reports.build import build_report_context
from auditkit.reports.excel import write_xlsx
from auditkit.reports.html import write_html
from auditkit.reports.terminal import render_summary_text

AUDIT_NAME = "demo"
MAX_ENCOUNTERS = 1_000_000
# What a demo folder holds: a rerun may replace these, never anything else.
DEMO_FILES = {
    "data",
    "auditkit-demo.db",
    "auditkit-demo.db-journal",
    "auditkit-demo.db-wal",
    "auditkit-demo.db-shm",
    "report.html",
    "report.xlsx",
    "findings.csv",
}
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
@click.option(
    "--encounters",
    type=click.IntRange(min=1, max=MAX_ENCOUNTERS),
    default=400,
    show_default=True,
    help="Encounters to generate.",
)
@click.option(
    "--sample-size",
    type=click.IntRange(min=1),
    default=150,
    show_default=True,
    help="Encounters to audit (at most --encounters).",
)
@click.option(
    "--seed",
    type=click.IntRange(min=0),
    default=2026,
    show_default=True,
    help="Seed for data and sample.",
)
@json_option
def demo(out_dir: Path, encounters: int, sample_size: int, seed: int, as_json: bool) -> None:
    """Run the whole audit on synthetic data, in a new folder.

    Generate an organisation's claims and notes, import them into a fresh SQLite
    database, draw a random sample, run every check, score coders and providers, and write
    the HTML and Excel reports.

    Every argument is checked before anything is written; the files are owner-only."""
    _check_arguments(out_dir, encounters, sample_size)
    previous_umask = os.umask(0o077 | current_umask())  # synthetic, but shaped like PHI
    try:
        _run_demo(out_dir, encounters, sample_size, seed, as_json)
    finally:
        os.umask(previous_umask)


def _check_arguments(out_dir: Path, encounters: int, sample_size: int) -> None:
    if sample_size > encounters:
        raise AuditkitError(
            f"--sample-size {sample_size} is more than --encounters {encounters}; "
            "a sample cannot be larger than the encounters it is drawn from"
        )
    if out_dir.exists() and not out_dir.is_dir():
        raise AuditkitError(f"{out_dir}: exists and is not a folder")
    if not out_dir.exists() and not out_dir.parent.is_dir():
        raise AuditkitError(f"{out_dir}: folder {out_dir.parent} does not exist")
    if out_dir.is_dir():
        foreign = sorted(p.name for p in out_dir.iterdir() if p.name not in DEMO_FILES)
        if foreign:
            raise AuditkitError(
                f"{out_dir}: holds files the demo did not write ({', '.join(foreign[:5])}); "
                "choose an empty or new folder"
            )


def _run_demo(out_dir: Path, encounters: int, sample_size: int, seed: int, as_json: bool) -> None:
    from synthetic_data.documentation import DEFAULT_DOCUMENTATION_RATES
    from synthetic_data.generate import generate  # Faker: imported only when the demo runs
    from synthetic_data.modifiers import DEFAULT_MOD_RATES

    error_rates = dict(DEFAULT_MOD_RATES)  # plus the specificity errors planted by default

    started = time.perf_counter()
    try:
        out_dir.mkdir(exist_ok=True)
    except OSError as error:
        raise AuditkitError(describe_os_error(error, out_dir)) from None
    data = generate(
        out_dir / "data",
        encounters=encounters,
        seed=seed,
        start=PERIOD[0],
        end=PERIOD[1],
        error_rates=error_rates,
        documentation_rates=DEFAULT_DOCUMENTATION_RATES,
    )
    database = out_dir / "auditkit-demo.db"
    for stale in out_dir.glob("auditkit-demo.db*"):
        stale.unlink()
    engine = make_engine(f"sqlite:///{database}")
    settings = Settings()
    try:
        upgrade(engine)
        with engine.begin() as connection:  # CMS-layout reference files (office codes)
            load_fixtures(connection)
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
            with (
                atomic_output(findings_path) as staged,
                staged.open("w", encoding="utf-8", newline="") as handle,
            ):
                records = finding_records(session, audit, {"output": str(findings_path)})
                write_findings(records, "csv", handle)
    finally:
        engine.dispose()
    html_path = write_html(context, out_dir / "report.html")
    xlsx_path = out_dir / "report.xlsx"
    with atomic_output(xlsx_path) as staged:
        write_xlsx(context, staged)
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
