"""Shared fixtures: every database test runs on SQLite and, when
``AUDITKIT_TEST_POSTGRES_URL`` is set, on PostgreSQL too (a real server, no mocks)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from auditkit.db.migrate import upgrade
from auditkit.db.models import Base
from auditkit.db.session import make_engine

POSTGRES_ENV = "AUDITKIT_TEST_POSTGRES_URL"


def _database_urls() -> list[pytest.param]:
    params = [pytest.param("sqlite", id="sqlite")]
    if os.environ.get(POSTGRES_ENV):
        params.append(pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres))
    return params


def _reset_postgres(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))


@pytest.fixture(params=_database_urls())
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty, migrated database; on PostgreSQL the public schema is reset."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'auditkit.db'}"
        engine = make_engine(url)
    else:
        url = os.environ[POSTGRES_ENV]
        engine = make_engine(url)
        _reset_postgres(engine)
    upgrade(engine)
    engine.dispose()
    yield url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()

