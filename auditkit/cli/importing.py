"""``auditkit import …``: load input files, all or nothing."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import click

from auditkit.cli.common import (
    Progress,
    database_option,
    emit_json,
    json_option,
    open_engine,
)
from auditkit.ingest.claims import import_claims

FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.group(name="import")
def import_group() -> None:
    """Import input files (CSV or XLSX) into the database, validated, in one transaction."""


@import_group.command(name="claims")
@click.argument("claims_file", metavar="FILE", type=FILE)
@click.option("--notes", "notes_file", type=FILE, help="notes.csv: one note per encounter.")
@click.option("--mapping", "mapping_file", type=FILE, help="TOML renaming your columns.")
@database_option
@json_option
def import_claims_command(
    claims_file: Path,
    notes_file: Path | None,
    mapping_file: Path | None,
    database: str,
    as_json: bool,
) -> None:
    """Import claims.csv (one row per service line), optionally with notes.csv.

    Every row is validated; any problem rejects the whole import and the database stays as
    it was. Re-importing an encounter_id replaces that encounter's lines, codes and note.
    """
    engine = open_engine(database)
    try:
        with Progress("Importing claims") as bar:
            summary = import_claims(
                engine, claims_file, notes_file, mapping_file, progress=bar.reached
            )
    finally:
        engine.dispose()
    for warning in summary.warnings:
        click.echo(f"Warning: {warning}", err=True)
    if as_json:
        emit_json(asdict(summary))
        return
    click.echo(
        f"Imported {_count(summary.lines, 'line')}, {_count(summary.encounters, 'encounter')} "
        f"and {_count(summary.notes, 'note')} ({summary.replaced_encounters:,} replaced) "
        f"in {summary.seconds:.1f} s."
    )


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


import auditkit.cli.access  # noqa: E402, F401  (patients, workforce, care-team, access-log)
