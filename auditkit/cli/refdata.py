"""``auditkit refdata``: load CMS/NCHS reference files and list what is loaded."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click
from sqlalchemy.exc import OperationalError

from auditkit.cli.common import AuditkitGroup, database_option, emit_json, json_option, open_engine
from auditkit.errors import DatabaseBusy
from auditkit.plugin_manager import registry
from auditkit.refdata import LoadRecord, all_loads
from auditkit.refdata.demo import load_fixtures

DATE = click.DateTime(formats=["%Y-%m-%d"])


def _registered_kind(_ctx: click.Context, _param: click.Parameter, value: str | None) -> Any:
    """A kind some plugin registers (checked when the command runs: plugins can change)."""
    kinds = registry().reference_kinds
    if value is not None and value not in kinds:
        raise click.BadParameter(f"{value!r} is not one of {', '.join(sorted(kinds))}")
    return value


@click.group("refdata", cls=AuditkitGroup)
def refdata() -> None:
    """Load and list reference data (NCCI PTP, MUE, PFS RVU, ICD-10-CM, HCPCS, plugins' kinds).

    Files are loaded in the layouts CMS and NCHS publish them."""


@refdata.command("load")
@click.argument("kind", callback=_registered_kind, metavar="KIND")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--effective-from", type=DATE, help="First date of service (YYYY-MM-DD).")
@click.option("--effective-to", type=DATE, help="Last date of service (YYYY-MM-DD).")
@database_option
@json_option
def load(
    kind: str,
    file: Path,
    effective_from: dt.datetime | None,
    effective_to: dt.datetime | None,
    database: str,
    as_json: bool,
) -> None:
    """Load FILE, a KIND file as CMS/NCHS publish it, in one transaction.

    The effective period comes from the options, else from the file name (MUE
    Eff_MM-DD-YYYY, PPRRVU year and month, ICD-10-CM fiscal year, PTP version, HCPCS
    year). Loading the same file again for the same period changes nothing.
    """
    engine = open_engine(database)
    try:
        with engine.begin() as connection:
            record = (
                registry()
                .reference_kinds[kind]
                .load(
                    connection,
                    file,
                    effective_from.date() if effective_from else None,
                    effective_to.date() if effective_to else None,
                )
            )
    except OperationalError as exc:
        if "locked" in str(exc):
            raise DatabaseBusy() from None
        raise
    finally:
        engine.dispose()
    _report([record], as_json)


@refdata.command("load-fixtures")
@database_option
@json_option
def load_fixtures_command(database: str, as_json: bool) -> None:
    """Load the small sample files shipped with auditkit (for the demo and trials)."""
    engine = open_engine(database)
    try:
        with engine.begin() as connection:
            records = load_fixtures(connection)
    finally:
        engine.dispose()
    _report(records, as_json)


@refdata.command("list")
@click.option("--kind", callback=_registered_kind, help="Only this kind.")
@database_option
@json_option
def list_loads(kind: str | None, database: str, as_json: bool) -> None:
    """Every file loaded, oldest first: kind, edition, effective period, rows, sha256."""
    engine = open_engine(database)
    try:
        with engine.connect() as connection:
            records = all_loads(connection, kind)
    finally:
        engine.dispose()
    if as_json:
        emit_json([_public(record) for record in records])
        return
    if not records:
        click.echo("No reference data loaded.")
    for record in records:
        click.echo(
            f"{record.id:>4}  {record.kind:<9} {record.edition:<40} {record.period}  "
            f"{record.rows:>9,} rows  {record.file_name}  sha256 {record.sha256[:12]}…  "
            f"loaded {record.loaded_at:%Y-%m-%d %H:%M}"
        )


def _public(record: LoadRecord) -> dict[str, object]:
    data = record.as_dict()
    data.pop("already_loaded")
    return data


def _report(records: list[LoadRecord], as_json: bool) -> None:
    if as_json:
        emit_json(records[0].as_dict() if len(records) == 1 else [r.as_dict() for r in records])
        return
    for record in records:
        if record.already_loaded:
            click.echo(
                f"{record.file_name}: already loaded as load {record.id} "
                f"({record.rows:,} {record.kind} rows, effective {record.period}); "
                "nothing written."
            )
        else:
            click.echo(
                f"Loaded {record.rows:,} {record.kind} rows from {record.file_name} as load "
                f"{record.id} (edition {record.edition}, effective {record.period})."
            )
