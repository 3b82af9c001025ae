"""Every HIP rule's pass/fail cases (``cases/HIPnnn.toml``), each in a tiny world written to
a real database and rolled back: SQLite always, PostgreSQL when configured."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from auditkit.db.migrate import upgrade
from auditkit.db.session import make_engine
from auditkit.plugins import family_checks
from auditkit.plugins.hipaa_access.casework import CASES, load_access_cases, run_access_case

CHECKS = family_checks("auditkit.plugins.hipaa_access")

CHECK_OF = {check.rules[0].id: check for check in CHECKS}
ALL = [case for path in sorted(CASES.glob("HIP*.toml")) for case in load_access_cases(path)]
KINDS = ["sqlite"] + (["postgresql"] if os.environ.get("AUDITKIT_TEST_POSTGRES_URL") else [])


@pytest.fixture(scope="module", params=KINDS)
def case_engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('cases') / 'cases.db'}")
    else:
        engine = make_engine(os.environ["AUDITKIT_TEST_POSTGRES_URL"])
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.mark.parametrize("case", ALL, ids=[case.id for case in ALL])
def test_case(case_engine: Engine, case: object) -> None:
    run_access_case(case_engine, CHECK_OF[case.rule_id](), case)  # type: ignore[attr-defined]


@pytest.mark.parametrize("rule_id", sorted(CHECK_OF))
def test_every_rule_has_pass_and_fail_cases(rule_id: str) -> None:
    path = CASES / f"{rule_id}.toml"
    assert path.exists(), f"{rule_id} has no case file"
    cases = load_access_cases(path)
    assert sum(case.outcome == "pass" for case in cases) >= 3
    assert sum(case.outcome == "fail" for case in cases) >= 3


def test_a_wrong_expectation_fails(case_engine: Engine) -> None:
    """The runner can fail: a fail case expecting another event is refused."""
    case = next(case for case in ALL if case.rule_id == "HIP004" and case.outcome == "fail")
    wrong = type(case)(case.rule_id, case.outcome, case.name, {**case.world, "expect": ["zz"]})
    with pytest.raises(AssertionError, match="expected"):
        run_access_case(case_engine, CHECK_OF["HIP004"](), wrong)


def test_case_files_are_found(tmp_path: Path) -> None:
    assert len(ALL) >= 12 * 6
