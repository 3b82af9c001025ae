"""The files: columns per the contract, consistency, determinism, sizes, command line."""

from __future__ import annotations

import csv
import hashlib
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from synthetic_data.__main__ import main
from synthetic_data.generate import generate
from synthetic_data.writer import CLAIM_COLUMNS, NOTE_COLUMNS, TRUTH_COLUMNS

CONTRACT_CLAIMS = (
    "encounter_id,patient_id,patient_first_name,patient_last_name,patient_dob,patient_sex,"
    "date_of_service,place_of_service,department,payer,provider_npi,provider_name,"
    "provider_specialty,coder_id,coder_name,dx1,dx2,dx3,dx4,dx5,dx6,dx7,dx8,dx9,dx10,dx11,dx12,"
    "line_number,procedure_code,modifier1,modifier2,modifier3,modifier4,units,dx_pointers,"
    "charge,paid_amount,denial_codes"
)
ENCOUNTER_LEVEL = CLAIM_COLUMNS[: CLAIM_COLUMNS.index("line_number")]
FILES = ("claims.csv", "notes.csv", "ground_truth.csv", "manifest.json")


def _header(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8") as handle:
        return next(csv.reader(handle))


def test_headers_follow_the_contract(dataset) -> None:
    result = dataset.result
    assert _header(result.claims) == CONTRACT_CLAIMS.split(",")
    assert (
        tuple(_header(result.notes))
        == NOTE_COLUMNS
        == (
            "encounter_id",
            "author_npi",
            "signed_at",
            "total_time_minutes",
            "mdm_level",
            "note_text",
        )
    )
    assert tuple(_header(result.ground_truth)) == TRUTH_COLUMNS


def test_encounter_level_columns_agree_on_every_line(dataset) -> None:
    for encounter_id, lines in dataset.encounters().items():
        first = {column: lines[0][column] for column in ENCOUNTER_LEVEL}
        for line in lines:
            assert {column: line[column] for column in ENCOUNTER_LEVEL} == first, encounter_id
        assert [int(line["line_number"]) for line in lines] == list(range(1, len(lines) + 1))


def test_claim_values_have_the_contract_shapes(dataset) -> None:
    for row in dataset.claims:
        assert row["patient_sex"] in {"M", "F", "U"}
        assert row["place_of_service"] in {"11", "22"}
        assert len(row["procedure_code"]) == 5
        assert int(row["units"]) >= 1 and float(row["charge"]) >= 0
        date.fromisoformat(row["date_of_service"])
        dx = [row[f"dx{n}"] for n in range(1, 13)]
        filled = [code for code in dx if code]
        assert dx[: len(filled)] == filled and filled, row["encounter_id"]
        assert 1 <= min(_pointers(row["dx_pointers"])) <= max(_pointers(row["dx_pointers"]))
        assert max(_pointers(row["dx_pointers"])) <= len(filled)
        assert all(len(m) == 2 for m in (row[f"modifier{n}"] for n in range(1, 5)) if m)
        assert row["denial_codes"] == "" or row["paid_amount"] == "0.00"


def test_e_m_first_and_modifier_25_only_with_a_procedure(dataset) -> None:
    for lines in dataset.encounters().values():
        em = lines[0]
        assert em["procedure_code"].startswith("992")
        if em["modifier1"] == "25":
            assert len(lines) > 1


def test_notes_one_per_encounter_with_realistic_variety(dataset) -> None:
    assert set(dataset.notes) == set(dataset.encounters())
    notes = list(dataset.notes.values())

    def share(test: Callable[[dict[str, str]], bool]) -> float:
        return sum(map(test, notes)) / len(notes)

    assert 0.01 < share(lambda n: n["signed_at"] == "") < 0.12
    assert 0.2 < share(lambda n: n["total_time_minutes"] == "" and n["mdm_level"] == "") < 0.8
    assert share(lambda n: "Denies" in n["note_text"] or "No " in n["note_text"]) > 0.9
    assert all(n["mdm_level"] in {"", "straightforward", "low", "moderate", "high"} for n in notes)
    for note in notes:
        if note["total_time_minutes"]:
            assert f"{note['total_time_minutes']} min" in note["note_text"]


def test_documented_time_and_mdm_support_exactly_the_billed_level(dataset) -> None:
    minimum = {"99202": 15, "99203": 30, "99204": 45, "99205": 60,
               "99212": 10, "99213": 20, "99214": 30, "99215": 40}  # fmt: skip
    below = {"99202": 30, "99203": 45, "99204": 60, "99205": 89,
             "99212": 20, "99213": 30, "99214": 40, "99215": 69}  # fmt: skip
    mdm = dict(zip(minimum, ["straightforward", "low", "moderate", "high"] * 2, strict=True))
    timed = 0
    for encounter_id, lines in dataset.encounters().items():
        code, note = lines[0]["procedure_code"], dataset.notes[encounter_id]
        if note["total_time_minutes"]:
            timed += 1
            assert minimum[code] <= int(note["total_time_minutes"]) < below[code]
        if note["mdm_level"]:
            assert note["mdm_level"] == mdm[code]
    assert timed > 100


def test_same_seed_gives_identical_files(tmp_path: Path) -> None:
    first = generate(tmp_path / "a", encounters=300, seed=5)
    second = generate(tmp_path / "b", encounters=300, seed=5)
    other = generate(tmp_path / "c", encounters=300, seed=6)
    assert _digests(first.out_dir) == _digests(second.out_dir)
    assert _digests(first.out_dir)["claims.csv"] != _digests(other.out_dir)["claims.csv"]


def test_identical_across_processes_whatever_the_hash_seed(tmp_path: Path) -> None:
    generate(tmp_path / "here", encounters=300, seed=5)
    code = (
        "from synthetic_data.generate import generate; import sys; "
        "generate(sys.argv[1], encounters=300, seed=5)"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    root = Path(__file__).resolve().parents[2]
    subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "there")], check=True, env=env, cwd=root
    )
    assert _digests(tmp_path / "here") == _digests(tmp_path / "there")


def test_target_lines_is_exact(tmp_path: Path) -> None:
    result = generate(tmp_path, target_lines=777, seed=3)
    with result.claims.open(newline="", encoding="utf-8") as handle:
        assert sum(1 for _ in csv.reader(handle)) == 777 + 1
    assert result.lines == 777


def test_manifest_records_the_run(dataset) -> None:
    manifest = dataset.manifest
    assert manifest["seed"] == 11
    assert manifest["period"] == {"start": "2026-04-01", "end": "2026-09-30"}
    assert set(manifest["error_rates"]) == {f"SPC00{n}" for n in range(1, 7)}
    counts = manifest["counts"]
    assert counts["encounters"] == 1500 == len(dataset.notes)
    assert sum(counts["errors_by_rule"].values()) == counts["ground_truth_rows"]
    assert {c["habit"] for c in manifest["coders"]} >= {"meticulous", "laterality-blind"}
    assert manifest["generator_version"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"error_rates": {"XYZ001": 0.1}},
        {"error_rates": {"SPC001": 1.5}},
        {"start": date(2025, 1, 1)},
        {"coders": 0},
    ],
)
def test_bad_arguments_are_refused(tmp_path: Path, kwargs: dict) -> None:
    with pytest.raises(ValueError):
        generate(tmp_path, encounters=5, **kwargs)


def test_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--out", str(tmp_path), "--encounters", "20", "--seed", "2", "--rate", "SPC003=0.5"]
    assert main(argv) == 0
    assert all((tmp_path / name).exists() for name in FILES)
    assert "20 encounters" in capsys.readouterr().out
    assert main(["--out", str(tmp_path), "--rate", "SPC999=0.1"]) == 2
    with pytest.raises(SystemExit):
        main(["--out", str(tmp_path), "--rate", "nonsense"])


def _pointers(text: str) -> list[int]:
    if any(char.isdigit() for char in text):
        return [int(part) for part in text.split(",")]
    return ["ABCDEFGHIJKL".index(letter) + 1 for letter in text]


def _digests(directory: Path) -> dict[str, str]:
    return {name: hashlib.sha256((directory / name).read_bytes()).hexdigest() for name in FILES}
