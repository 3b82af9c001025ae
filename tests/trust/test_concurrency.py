"""The same command started twice at once, as real processes, leaves the database as one run.

Runs the races of ``benchmarks/race.py`` with a few tries (``AUDITKIT_RACE_TRIES``, default
2; the benchmark's 10-try numbers are in the report): two ``audit run`` on one audit, two
``sample draw`` on one audit, two imports of one file. Each command exits 0 (it waited for
the other) or 2 with a message, never with a traceback; findings, samples and claims equal
those of a single command. On SQLite and, with ``AUDITKIT_TEST_POSTGRES_URL``, PostgreSQL.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "race.py"
POSTGRES_ENV = "AUDITKIT_TEST_POSTGRES_URL"
TRIES = int(os.environ.get("AUDITKIT_RACE_TRIES", "2"))


def _load_race() -> ModuleType:
    spec = importlib.util.spec_from_file_location("race", BENCHMARK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


race = _load_race()


def _dialects() -> list[Any]:
    params = [pytest.param("sqlite", id="sqlite")]
    if os.environ.get(POSTGRES_ENV):
        params.append(pytest.param("postgresql", id="postgresql"))
    return params


@pytest.fixture(scope="module", autouse=True)
def trail_key(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One trail key for the module: its databases are prepared once and used by every test
    (the suite's per-test key would make the second test's commands refuse the trail)."""
    path = tmp_path_factory.mktemp("race-trail-key") / "trail.key"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AUDITKIT_TRAIL_KEY", str(path))
        yield path


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("synthetic_data.generate", reason="synthetic generator not installed")
    return race.generate_data(tmp_path_factory.mktemp("org"), encounters=120, seed=5)


@pytest.fixture(scope="module", params=_dialects())
def prepared(
    request: pytest.FixtureRequest, data: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path]]:
    """A database with claims and two audits (one sampled), and a working directory."""
    work = tmp_path_factory.mktemp(f"race-{request.param}")
    if request.param == "sqlite":
        url = f"sqlite:///{work / 'auditkit.db'}"
    else:
        url = os.environ[POSTGRES_ENV]
        race.reset_postgres(url)
    race.prepare(url, data, work)
    yield url, work


def _check(tally: Any) -> None:
    print(tally.line())
    assert tally.tries == TRIES
    assert tally.unclean == 0, tally.problems
    assert tally.different_database == 0, tally.problems
    # a command that lost the race exits 2 with one message, never a traceback
    assert all(problem.startswith("Error: ") for problem in tally.problems), tally.problems


def test_two_audit_runs_at_once_store_the_findings_of_one(prepared: tuple[str, Path]) -> None:
    url, work = prepared
    tally = race.race_audit_run(url, work, TRIES)
    _check(tally)
    results = race.run_results(url)
    assert results["findings"], "the synthetic data should give findings"
    assert len(results["runs"]) == 1


def test_two_sample_draws_at_once_leave_one_sample(prepared: tuple[str, Path]) -> None:
    url, work = prepared
    tally = race.race_sample_draw(url, work, TRIES)
    _check(tally)
    assert len(race.samples(url)) == 1


@pytest.mark.parametrize("dialect", _dialects())
def test_two_imports_at_once_equal_one_import(dialect: str, data: Path, tmp_path: Path) -> None:
    """Import belongs to auditkit/ingest; this only measures it (a failure is reported)."""
    url = (
        f"sqlite:///{tmp_path / 'auditkit.db'}" if dialect == "sqlite" else os.environ[POSTGRES_ENV]
    )
    tally = race.race_import(url, data, tmp_path, 1)
    print(tally.line())
    assert tally.unclean == 0, tally.problems
    assert tally.different_database == 0, tally.problems
