"""synthetic_data.access: files, ground truth, determinism, independence from auditkit."""

from __future__ import annotations

import ast
import csv
from pathlib import Path

from synthetic_data.access import generate_access

MODULE = Path(__file__).resolve().parents[2] / "synthetic_data" / "access.py"


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_writes_the_contract_files_with_truth_for_every_rule(tmp_path: Path) -> None:
    counts = generate_access(tmp_path, events=20_000, seed=3, days=20)
    log = rows(tmp_path / "access_log.csv")
    assert counts["events"] == len(log) >= 20_000
    assert list(log[0]) == ["event_id", "timestamp", "user_id", "patient_id", "action",
                            "workstation", "source", "break_glass", "reason"]
    truth = rows(tmp_path / "truth.csv")
    rules = {row["rule_id"] for row in truth}
    assert {f"HIP{n:03d}" for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 100)} <= rules
    users = {row["user_id"] for row in rows(tmp_path / "workforce.csv")}
    patients = {row["patient_id"] for row in rows(tmp_path / "patients.csv")}
    assert {row["user_id"] for row in log} <= users
    assert {row["patient_id"] for row in log} <= patients
    ids = [row["event_id"] for row in log]
    assert len(set(ids)) == len(ids)
    # the truth names events that exist, with the flags it claims
    by_id = {row["event_id"]: row for row in log}
    for row in truth:
        if row["rule_id"] == "HIP010":
            assert by_id[row["event_id"]]["break_glass"] == "Y"
            assert by_id[row["event_id"]]["reason"] == ""


def test_same_seed_same_files(tmp_path: Path) -> None:
    generate_access(tmp_path / "a", events=5_000, seed=9, days=10)
    generate_access(tmp_path / "b", events=5_000, seed=9, days=10)
    for name in ("access_log.csv", "truth.csv", "workforce.csv", "patients.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_stands_alone() -> None:
    tree = ast.parse(MODULE.read_text(encoding="utf-8"))
    imported = {
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert not any(name.startswith("auditkit") for name in imported)
