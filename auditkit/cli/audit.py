"""``auditkit audit …``: create audits and run their checks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from sqlalchemy import select

from auditkit.audits.figures import stored_extrapolation
from auditkit.audits.run import run_audit
from auditkit.audits.scope import create_audit, describe_scoring, get_audit
from auditkit.audits.suite import CheckSuite
from auditkit.cli.common import (
    Progress,
    config_option,
    database_option,
    database_session,
    emit_json,
    json_option,
)
from auditkit.config import load_settings
from auditkit.db.models import Audit
from auditkit.plugin_manager import registry

DATE = click.DateTime(formats=["%Y-%m-%d"])


@click.group()
def audit() -> None:
    """Create audits, run their checks, list them."""


@audit.command(name="create")
@click.argument("name")
@click.option("--from", "date_from", type=DATE, required=True, help="First date of service.")
@click.option("--to", "date_to", type=DATE, required=True, help="Last date of service.")
@click.option("--provider", multiple=True, help="Only this rendering NPI (repeatable).")
@click.option("--coder", multiple=True, help="Only this coder_id (repeatable).")
@click.option("--department", multiple=True, help="Only this department (repeatable).")
@click.option("--payer", multiple=True, help="Only this payer (repeatable).")
@click.option("--place-of-service", multiple=True, help="Only this POS code (repeatable).")
@database_option
@config_option
@json_option
def create(
    name: str,
    date_from: dt.datetime,
    date_to: dt.datetime,
    provider: tuple[str, ...],
    coder: tuple[str, ...],
    department: tuple[str, ...],
    payer: tuple[str, ...],
    place_of_service: tuple[str, ...],
    database: str,
    config: Path | None,
    as_json: bool,
) -> None:
    """Create audit NAME over dates of service --from … --to, with optional filters.

    The scoring method (threshold and measure from the settings file) is locked now.
    """
    settings = load_settings(config)
    filters = {
        "provider": list(provider),
        "coder": list(coder),
        "department": list(department),
        "payer": list(payer),
        "place_of_service": list(place_of_service),
    }
    with database_session(database) as session:
        created = create_audit(
            session,
            name,
            date_from.date(),
            date_to.date(),
            filters,
            settings.scoring,
            settings.sampling.extrapolation_basis,
        )
        info = {
            "audit": created.name,
            "from": str(created.period_from),
            "to": str(created.period_to),
            "filters": created.filters,
            "scoring": created.scoring,
        }
    if as_json:
        emit_json(info)
    else:
        click.echo(f"Created audit {name!r} ({info['from']} … {info['to']}).")
        click.echo(describe_scoring(created.scoring))


SEVERITY_ORDER = ("info", "warning", "error")


@audit.command(name="run")
@click.argument("name")
@click.option(
    "--fail-on",
    type=click.Choice(SEVERITY_ORDER),
    help="Exit with code 1 when a finding at or above this severity exists.",
)
@database_option
@config_option
@json_option
def run(name: str, fail_on: str | None, database: str, config: Path | None, as_json: bool) -> None:
    """Run every enabled check on the audit's sample, then score coders and providers."""
    settings = load_settings(config)
    with database_session(database) as session:
        target = get_audit(session, name)
        with Progress("Checking encounters") as bar:
            summary = run_audit(
                session, target, CheckSuite(registry(), settings), progress=bar.update
            )
        from auditkit.audits.figures import read_figures

        access = read_figures(session, summary.run_id).get("plugin:auditkit.plugins.hipaa_access")
    if as_json:
        emit_json(
            {
                "audit": name,
                "units": summary.units,
                "rules": summary.rules,
                "findings": summary.findings,
                "findings_by_rule": summary.findings_by_rule,
                "findings_by_severity": summary.findings_by_severity,
                "access_review": access,
            }
        )
    else:
        checked = " and ".join(
            f"{count:,} {kind.replace('_', ' ')}s"
            for kind, count in summary.units_by_kind.items()
            if count or kind == "encounter"
        )
        click.echo(f"Checked {checked} with {summary.rules} rules: {summary.findings:,} findings.")
        for rule_id, count in sorted(summary.findings_by_rule.items()):
            click.echo(f"  {rule_id}  {count:,}")
        if access:  # the access review's own summary, from its stored figures
            from auditkit.plugins.hipaa_access.figures import terminal_lines

            click.echo("\n".join(terminal_lines(access)))
    if fail_on is not None:
        at_or_above = SEVERITY_ORDER[SEVERITY_ORDER.index(fail_on) :]
        if any(summary.findings_by_severity.get(level) for level in at_or_above):
            raise click.exceptions.Exit(1)


@audit.command(name="list")
@database_option
@json_option
def list_audits(database: str, as_json: bool) -> None:
    """List audits with their period and status."""
    with database_session(database) as session:
        rows = [
            {
                "audit": a.name,
                "from": str(a.period_from),
                "to": str(a.period_to),
                "status": a.status,
                "filters": a.filters,
            }
            for a in session.scalars(select(Audit).order_by(Audit.created_at))
        ]
    if as_json:
        emit_json(rows)
        return
    for row in rows:
        click.echo(f"{row['audit']:<30} {row['from']} … {row['to']}  {row['status']}")


@audit.command(name="extrapolate")
@click.argument("name")
@database_option
@json_option
def extrapolate(name: str, database: str, as_json: bool) -> None:
    """Project the sampled overpayment (billed − supported) to the audit's frame.

    Uses the audit's design (random: unrestricted; stratified/targeted: stratified) and the
    demand basis locked at creation (cms: one-sided 90% lower limit; oig: two-sided 90%).
    """
    with database_session(database) as session:
        record = stored_extrapolation(session, get_audit(session, name))
    if as_json:
        emit_json({"audit": name, **record})
        return
    click.echo(f"Point estimate of overpayment: ${record['point_estimate']:,.2f}")
    for level, interval in record["levels"].items():
        click.echo(f"  {level}% two-sided: ${interval['lower']:,.2f} … ${interval['upper']:,.2f}")
    click.echo(f"Demanded ({record['basis_description']}): ${record['demanded_amount']:,.2f}")
