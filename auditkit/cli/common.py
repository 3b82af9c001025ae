"""Shared pieces of the command line: options, error handling, output, progress."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Self, TypeVar

import click
from sqlalchemy import Engine, inspect
from sqlalchemy.orm import Session

from auditkit.db.migrate import current_revision, head_revision
from auditkit.db.session import DEFAULT_URL, URL_ENV, make_engine, session_scope
from auditkit.errors import AuditkitError

F = TypeVar("F", bound=Callable[..., Any])


class AuditkitGroup(click.Group):
    """Turns user errors into a message and exit code 2 instead of a traceback.

    A database without the current schema is caught earlier, in :func:`open_engine`.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except AuditkitError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(exc.exit_code)


def database_option(function: F) -> F:
    """``--database URL`` on every command (else the environment, else ./auditkit.db)."""
    return click.option(
        "--database",
        "database",
        envvar=URL_ENV,
        default=DEFAULT_URL,
        show_default=True,
        metavar="URL",
        help=f"SQLAlchemy database URL (or ${URL_ENV}).",
    )(function)


def config_option(function: F) -> F:
    return click.option(
        "--config",
        "config",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Settings file (default: $AUDITKIT_CONFIG or ./auditkit.toml if present).",
    )(function)


def json_option(function: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")(function)


def open_engine(url: str, *, require_schema: bool = True) -> Engine:
    """An engine on an initialised database (a clear error, not a traceback, otherwise)."""
    try:
        engine = make_engine(url)
        if require_schema:
            revision = current_revision(engine)
            if revision is None:
                if inspect(engine).get_table_names():
                    raise AuditkitError(f"{url}: not an auditkit database")
                raise AuditkitError(f"{url}: no auditkit schema; run `auditkit init` first")
            if revision != head_revision():
                raise AuditkitError(
                    f"{url}: schema is at revision {revision}; run `auditkit init` to upgrade"
                )
    except AuditkitError:
        raise
    except Exception as exc:
        raise AuditkitError(
            f"cannot open database {url}: {exc.__class__.__name__}: {exc}"
        ) from None
    return engine


@contextmanager
def database_session(url: str) -> Iterator[Session]:
    engine = open_engine(url)
    try:
        with session_scope(engine) as session:
            yield session
    finally:
        engine.dispose()


def emit_json(value: Any) -> None:
    click.echo(json.dumps(value, indent=2, default=str, ensure_ascii=False))


class Progress:
    """A progress bar on a terminal; silent when output is piped or redirected."""

    def __init__(self, label: str) -> None:
        self.label = label
        self._bar: Any = None
        self._done = 0

    def __enter__(self) -> Self:
        if sys.stderr.isatty():
            self._bar = click.progressbar(length=None, label=self.label, file=sys.stderr)
            self._bar.__enter__()
        return self

    def update(self, steps: int) -> None:
        """``steps`` more done."""
        self._done += steps
        if self._bar is not None:
            self._bar.update(steps)

    def reached(self, done: int) -> None:
        """``done`` done in all (a count that starts again below is ignored until it passes)."""
        if done > self._done:
            self.update(done - self._done)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)
