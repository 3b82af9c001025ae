"""The click group every auditkit command group uses: user errors become one line and
exit code 2, never a traceback.

Kept free of SQLAlchemy and the models at import time: the top-level group is built from it,
and ``auditkit --help`` must not pay for them.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from auditkit.errors import AuditkitError


class AuditkitGroup(click.Group):
    """Turns user errors into a message and exit code 2 instead of a traceback.

    A database without the current schema is caught earlier, in ``open_engine``; a locked,
    read-only or full database, or a file-system error, is caught here. Takes ``--user
    NAME``: a display name recorded in the access trail as claimed (the operating-system
    account is always recorded as well).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.params.append(
            click.Option(
                ["--user", "claimed_user"],
                envvar="AUDITKIT_USER",
                metavar="NAME",
                expose_value=False,
                callback=_claim_user,
                is_eager=True,
                help="Your name for the access trail, recorded as claimed beside the "
                "operating-system account (or $AUDITKIT_USER).",
            )
        )

    def invoke(self, ctx: click.Context) -> Any:
        trail = sys.modules.get("auditkit.trail")
        if trail is not None:  # loaded by an earlier command in this process (tests)
            trail.use_settings_file(None)  # until a command's --config says otherwise
        try:
            return super().invoke(ctx)
        except AuditkitError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except Exception as exc:
            from sqlalchemy.exc import DatabaseError

            from auditkit.cli.common import user_error_message

            if not isinstance(exc, DatabaseError | OSError):
                raise
            message = user_error_message(exc)
            if message is None:
                raise
            click.echo(f"Error: {message}", err=True)
            ctx.exit(2)


def _claim_user(_ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is None and "auditkit.trail" not in sys.modules:
        return  # nothing claimed, and nothing recorded yet: no need to load the trail
    from auditkit import trail

    trail.claim_user(value)


def emit_json(value: Any) -> None:
    """JSON for scripts: indented, UTF-8 as is, anything else as its string."""
    import json

    click.echo(json.dumps(value, indent=2, default=str, ensure_ascii=False))


def json_option(function: Any) -> Any:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")(function)
