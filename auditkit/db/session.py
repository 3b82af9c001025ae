"""Engines and sessions for the database named by ``--database`` / ``AUDITKIT_DATABASE_URL``."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from auditkit.errors import AuditkitError, DatabaseBusy
from auditkit.outputs import create_owner_only, sqlite_path

DEFAULT_URL = "sqlite:///auditkit.db"
URL_ENV = "AUDITKIT_DATABASE_URL"
BUSY_TIMEOUT_ENV = "AUDITKIT_BUSY_TIMEOUT"  # seconds to wait for another writer's lock
DEFAULT_BUSY_TIMEOUT = 5.0
SQLITE_BUSY_CODES = (5, 6)  # SQLITE_BUSY, SQLITE_LOCKED


def database_url(explicit: str | None = None) -> str:
    """The URL from the option, else the environment, else a file in the working directory."""
    return explicit or os.environ.get(URL_ENV) or DEFAULT_URL


def busy_timeout() -> float:
    """Seconds SQLite waits for another program's lock before giving up."""
    raw = os.environ.get(BUSY_TIMEOUT_ENV)
    if not raw:
        return DEFAULT_BUSY_TIMEOUT
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 3600:
        raise AuditkitError(
            f"${BUSY_TIMEOUT_ENV}: {raw!r} is not a number of seconds between 0 and 3600"
        )
    return seconds


def _create_sqlite_file(url: str) -> None:
    """Create a new SQLite database file owner-only (0600, or stricter by umask): it will
    hold PHI, and SQLite itself would create it readable by everyone under umask 022."""
    path = sqlite_path(url)
    if path is not None and not path.exists() and path.parent.is_dir():
        # On failure SQLite reports the same problem, with the URL, when it opens the file.
        with suppress(OSError):
            create_owner_only(path)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Foreign keys are off by default in SQLite. The default rollback journal is kept on
    # purpose: a bulk import appends new pages without journaling them, where WAL would
    # write every page twice (log, then checkpoint).
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(url: str | None = None) -> Engine:
    url = database_url(url)
    if url.startswith("postgresql://"):
        # psycopg 3 is the driver we test with; plain postgresql:// would ask for psycopg2.
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        _create_sqlite_file(url)
        engine = create_engine(url, connect_args={"timeout": busy_timeout()})
    else:
        engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session whose work commits together or not at all."""
    factory = sessionmaker(engine, expire_on_commit=False)
    with factory() as session, session.begin():
        yield session


def lock_for_writing(session: Session, instance: Any) -> None:
    """Hold ``instance``'s row against other writers until this transaction ends, then reload
    it: a second command on the same row waits here and then sees what the first committed.

    PostgreSQL locks the row (``SELECT … FOR UPDATE``). SQLite locks the whole database: an
    UPDATE that changes nothing takes its write lock now, as ``BEGIN IMMEDIATE`` would, so the
    second writer waits (up to the busy timeout) before it has read anything it would act on.
    Call it before the transaction's first write. Raises :class:`DatabaseBusy` when SQLite's
    busy timeout runs out first.
    """
    state = inspect(instance)
    mapper = state.mapper
    key = mapper.primary_key[0]
    where = key == state.identity[0]
    try:
        if session.get_bind().dialect.name == "sqlite":
            session.execute(update(mapper.local_table).where(where).values({key.name: key}))
        session.refresh(instance, with_for_update=True)
    except OperationalError as error:
        if getattr(error.orig, "sqlite_errorcode", None) in SQLITE_BUSY_CODES:
            raise DatabaseBusy from None
        raise
