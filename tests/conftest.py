"""Shared fixtures: every database test runs on SQLite and, when
``AUDITKIT_TEST_POSTGRES_URL`` is set, on PostgreSQL too (a real server, no mocks)."""

from __future__ import annotations

import os
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from auditkit import plugin_manager as pm_module
from auditkit.db.migrate import upgrade
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


@pytest.fixture(autouse=True)
def trail_key(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test keys the access trail in its own folder, never the user's config folder."""
    path = tmp_path_factory.mktemp("trail-key") / "trail.key"
    monkeypatch.setenv("AUDITKIT_TRAIL_KEY", str(path))
    return path


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


PLUGIN_SOURCE = '''
import auditkit
from auditkit.rules import Check, Finding, Rule


class BigCharge(Check):
    """What it does: flags lines charging more than a limit."""

    rules = (
        Rule(
            id="ACME001",
            name="big-charge",
            summary="Line charge above the configured limit",
            severity="warning",
            category="other",
            responsible="coder",
            rationale="Unusually large charges are worth a second look.",
            education_topic="Charge capture",
        ),
    )

    def check(self, encounter, context):
        for line in encounter.lines:
            if line.charge > 100:
                yield Finding("ACME001", f"line {line.line_number} charges {line.charge}",
                              line_number=line.line_number)


@auditkit.hookimpl
def auditkit_checks():
    return [BigCharge]
'''


@pytest.fixture
def outside_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Install a plugin the way pip would: a module plus dist-info with an entry point."""
    (tmp_path / "acme_checks.py").write_text(PLUGIN_SOURCE)
    dist = tmp_path / "acme_checks-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-checks\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(
        textwrap.dedent(
            """\
            [auditkit]
            acme = acme_checks
            """
        )
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    pm_module.reset()
    yield "ACME001"
    pm_module.reset()
    sys.modules.pop("acme_checks", None)
