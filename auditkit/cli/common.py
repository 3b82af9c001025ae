"""Shared pieces of the command line: options, error handling, output, progress."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Self, TypeVar

import click
from sqlalchemy import Engine, inspect
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session

from auditkit import trail
from auditkit.cli.group import AuditkitGroup, emit_json, json_option
from auditkit.config import settings_file
from auditkit.db.migrate import current_revision, head_revision
from auditkit.db.session import DEFAULT_URL, URL_ENV, make_engine, session_scope
from auditkit.errors import AuditkitError
from auditkit.outputs import describe_os_error

F = TypeVar("F", bound=Callable[..., Any])
__all__ = [
    "AuditkitGroup",
    "database_option",
    "database_session",
    "emit_json",
    "json_option",
    "open_engine",
]


# SQLite result codes (primary, the low byte) that are the user's to fix, with what to say.
SQLITE_USER_ERRORS = {
    5: "the database is locked by another program (an import or audit still running?); "
    "nothing was written. Try again when it has finished, or raise $AUDITKIT_BUSY_TIMEOUT",
    6: "the database is locked by another program; nothing was written",
    8: "the database is read-only (check the file's and its folder's permissions); "
    "nothing was written",
    10: "the disk could not be read or written (full or failing?); nothing was written",
    13: "the disk is full; nothing was written",
    14: "the database file cannot be opened (missing folder or no permission)",
    23: "permission denied by the database; nothing was written",
}


def user_error_message(error: BaseException) -> str | None:
    """The one-line message for a database or file-system failure the user can fix."""
    if isinstance(error, OperationalError | DatabaseError):
        code = getattr(error.orig, "sqlite_errorcode", None)
        if code is not None and code & 0xFF in SQLITE_USER_ERRORS:
            return SQLITE_USER_ERRORS[code & 0xFF]
        if isinstance(error, OperationalError):
            # PostgreSQL: connection refused, lock timeout, disk full … told in one line
            return f"database error: {_first_line(str(error.orig or error))}"
        return None
    if isinstance(error, OSError):
        return describe_os_error(error, error.filename or "output")
    return None


def _first_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[0] if lines else ""


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
    """``--config FILE``; the settings file in force is announced on stderr, so one picked
    up from the working directory (or $AUDITKIT_CONFIG) is never used silently."""
    return click.option(
        "--config",
        "config",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        callback=_announce_settings,
        help="Settings file (default: $AUDITKIT_CONFIG or ./auditkit.toml if present).",
    )(function)


def _announce_settings(
    _ctx: click.Context, _param: click.Parameter, value: Path | None
) -> Path | None:
    path, origin = settings_file(value)
    trail.use_settings_file(path)
    if path is not None:
        click.echo(f"Settings: {path.resolve()} ({origin})", err=True)
    return path


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
        known = user_error_message(exc)
        if known is None:
            orig = getattr(exc, "orig", None) or exc
            known = f"{orig.__class__.__name__}: {_first_line(str(orig))}"
        raise AuditkitError(f"cannot open database {url}: {known}") from None
    return engine


@contextmanager
def database_session(url: str) -> Iterator[Session]:
    engine = open_engine(url)
    try:
        with session_scope(engine) as session:
            yield session
    finally:
        engine.dispose()


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
