"""``auditkit import patients|workforce|care-team|access-log``: the access review inputs."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import click

from auditkit.cli.common import database_option, emit_json, json_option, open_engine
from auditkit.cli.importing import FILE, import_group


def _report(summary: object, as_json: bool) -> None:
    from auditkit.access.importer import ImportSummary

    assert isinstance(summary, ImportSummary)
    for warning in summary.warnings:
        click.echo(f"Warning: {warning}", err=True)
    if as_json:
        emit_json(asdict(summary))
        return
    text = f"{summary.file}: imported {summary.inserted:,} {summary.kind} row(s)"
    if summary.updated:
        text += f", updated {summary.updated:,}"
    if summary.already_present:
        text += f", {summary.already_present:,} already present"
    click.echo(f"{text} in {summary.seconds:.1f} s.")
    skipped = sum(summary.skipped.values())
    if skipped:
        click.echo(f"{summary.file}: skipped {skipped:,} event(s) that touch no patient record:")
        for reason, count in sorted(summary.skipped.items()):
            click.echo(f"  {count:,}  {reason}")


def _simple(kind: str, help_text: str) -> None:
    @import_group.command(name=kind, help=help_text)
    @click.argument("path", metavar="FILE", type=FILE)
    @click.option("--mapping", "mapping_file", type=FILE, help="TOML renaming your columns.")
    @database_option
    @json_option
    def command(path: Path, mapping_file: Path | None, database: str, as_json: bool) -> None:
        from auditkit.access.importer import IMPORTERS

        engine = open_engine(database)
        try:
            summary = IMPORTERS[kind](engine, path, mapping_file)
        finally:
            engine.dispose()
        _report(summary, as_json)


_simple(
    "patients",
    "Import patients.csv (patient_id, names, dob, sex, address, postal_code, vip, "
    "deceased_date). Known patients are updated.",
)
_simple(
    "workforce",
    "Import workforce.csv (user_id, names, role, department, npi, address, hire and "
    "termination dates, the user's own patient_id). Known users are replaced.",
)
_simple(
    "care-team",
    "Import care_team.csv (patient_id, user_id, start_date, end_date): explicit treatment "
    "relationships.",
)


@import_group.command(name="access-log")
@click.argument("path", metavar="FILE", type=FILE)
@click.option("--mapping", "mapping_file", type=FILE, help="TOML renaming your columns.")
@click.option(
    "--format",
    "file_format",
    type=click.Choice(["csv", "fhir"]),
    default="csv",
    show_default=True,
    help="csv (also .xlsx) or fhir: R4 AuditEvent as NDJSON or a JSON Bundle.",
)
@database_option
@json_option
def import_access_log_command(
    path: Path, mapping_file: Path | None, file_format: str, database: str, as_json: bool
) -> None:
    """Import an EHR access log: one row per access (contract §3), or FHIR AuditEvents.

    Every row is validated; any problem rejects the whole file. Events without an event_id
    get one from a hash of the row, so re-importing a file adds nothing twice. FHIR events
    that touch no patient (login, logout, …) are counted as skipped, with the reason.
    """
    from auditkit.access.importer import import_access_log

    if file_format == "fhir" and mapping_file is not None:
        raise click.UsageError("--mapping applies to CSV/XLSX files, not to --format fhir")
    engine = open_engine(database)
    try:
        summary = import_access_log(engine, path, mapping_file, fhir=file_format == "fhir")
    finally:
        engine.dispose()
    _report(summary, as_json)
