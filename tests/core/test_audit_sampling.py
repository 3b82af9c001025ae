"""Sample designs wired into audits: each method draws, records itself and re-creates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditkit.cli import main
from synthetic_data.generate import generate


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("org"), encounters=240, seed=5).out_dir


def ok(*args: str) -> dict:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout) if "--json" in args else {}


@pytest.fixture
def audit_db(database_url: str, data: Path) -> tuple[str, ...]:
    db = ("--database", database_url)
    ok("init", *db)
    ok("import", "claims", str(data / "claims.csv"), "--notes", str(data / "notes.csv"), *db)
    ok("audit", "create", "a", "--from", "2026-04-01", "--to", "2026-09-30", *db)
    return db


@pytest.mark.parametrize(
    "options, expected_size",
    [
        (("--method", "all"), 240),
        (("--method", "random", "--size", "30", "--spares", "5"), 30),
        (("--method", "stratified", "--by", "department", "--size", "40"), 40),
        (("--method", "stratified", "--by", "payer", "--size", "40", "--allocation", "neyman"), 40),
        (("--method", "probe", "--by", "coder", "--size", "3"), 24),  # 8 coders × 3
        (("--method", "targeted", "--size", "20", "--random-share", "0.25"), 20),
    ],
)
def test_each_method_draws_and_is_reproducible(
    audit_db: tuple[str, ...], options: tuple[str, ...], expected_size: int
) -> None:
    first = ok("sample", "draw", "a", *options, "--seed", "99", "--json", *audit_db)
    again = ok("sample", "draw", "a", *options, "--seed", "99", "--json", *audit_db)
    assert first == again
    assert first["size"] == expected_size
    assert first["frame_size"] == 240
    assert len(first["frame_hash"]) == 64
    if first["method"] != "all":
        assert first["seed"] == "99" and first["generator"] == "pcg64"


def test_ratstats_generator_records_its_caveat(audit_db: tuple[str, ...]) -> None:
    record = ok(
        "sample",
        "draw",
        "a",
        "--method",
        "random",
        "--size",
        "10",
        "--seed",
        "48863.78",
        "--generator",
        "ratstats",
        "--json",
        *audit_db,
    )
    assert record["generator"] == "ratstats"
    assert "16 bits" in record["design"]["generator_warning"]


def test_targeted_sample_prefers_units_with_findings(audit_db: tuple[str, ...]) -> None:
    ok(
        "sample",
        "draw",
        "a",
        "--method",
        "targeted",
        "--size",
        "20",
        "--random-share",
        "0",
        "--seed",
        "1",
        *audit_db,
    )
    ok("audit", "run", "a", *audit_db)
    rows = json.loads(
        CliRunner().invoke(main, ["findings", "export", "a", "--format", "json", *audit_db]).stdout
    )
    assert len({row["encounter_id"] for row in rows}) == 20  # every risk-ranked unit has one


def test_extrapolation_follows_the_design(audit_db: tuple[str, ...]) -> None:
    ok(
        "sample",
        "draw",
        "a",
        "--method",
        "stratified",
        "--by",
        "payer",
        "--size",
        "40",
        "--seed",
        "3",
        *audit_db,
    )
    ok("audit", "run", "a", *audit_db)
    result = ok("audit", "extrapolate", "a", "--json", *audit_db)
    assert result["basis"] == "cms" and result["universe_size"] == 240
    assert set(result["levels"]) == {"80", "90", "95"}


@pytest.mark.parametrize(
    "options, message",
    [
        (("--method", "random"), "needs --size"),
        (("--method", "stratified", "--size", "5"), "needs --by"),
        (("--method", "random", "--size", "5", "--seed", "abc"), "seed"),
        (("--method", "random", "--size", "999"), "only 240"),
    ],
)
def test_bad_sampling_input_exits_2(
    audit_db: tuple[str, ...], options: tuple[str, ...], message: str
) -> None:
    result = CliRunner().invoke(main, ["sample", "draw", "a", *options, *audit_db])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
