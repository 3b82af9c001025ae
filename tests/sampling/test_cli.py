"""``auditkit stats``: published vectors through --json, human tables, and input errors."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from auditkit.cli.stats import stats

# RAT-STATS' published random-numbers example: seed 48863.78, 10 of 1-1000 and 4 spares.
PUBLISHED_DRAW = [
    "random-numbers",
    "--seed",
    "48863.78",
    "--low",
    "1",
    "--high",
    "1000",
    "--count",
    "10",
    "--spares",
    "4",
]


def run(*args: str) -> Result:
    return CliRunner().invoke(stats, list(args))


def run_json(*args: str) -> dict:  # type: ignore[type-arg]
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def csv_file(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture
def datasrs_file(tmp_path: Path, datasrs: list[int]) -> str:
    return csv_file(tmp_path, "datasrs.csv", "difference\n" + "\n".join(map(str, datasrs)) + "\n")


def test_random_numbers_published_vector() -> None:
    out = run_json(*PUBLISHED_DRAW)
    selection = [v["value"] for v in sorted(out["sample"], key=lambda v: v["order"])]
    assert selection == [718, 643, 247, 236, 821, 650, 257, 141, 301, 22]
    assert [v["value"] for v in out["sample"]] == sorted(selection)
    assert out["spares"] == [
        {"order": 11, "value": 980},
        {"order": 12, "value": 507},
        {"order": 13, "value": 440},
        {"order": 14, "value": 557},
    ]
    assert out["sum"] == 6520
    assert (out["generator"], out["seed"]) == ("ratstats", 48863.78)
    assert "16 bits" in out["warning"]


def test_random_numbers_human_output() -> None:
    result = run(*PUBLISHED_DRAW)
    assert result.exit_code == 0
    assert "Sum of all values (spares included): 6,520" in result.output
    assert "Range: 1 to 1,000" in result.output
    lines = result.output.splitlines()
    assert lines[lines.index("Sample, sorted by value") + 2].split() == ["10", "22"]


def test_random_number_sets_and_pcg64() -> None:
    out = run_json(
        "random-numbers",
        "--seed",
        "7",
        "--ranges",
        "1-50,1-30,2-4",
        "--count",
        "5",
        "--spares",
        "2",
        "--generator",
        "pcg64",
    )
    values = [v["value"] for v in out["sample"]]
    assert values == sorted(values) and all(len(v) == 3 for v in values)
    assert all(1 <= a <= 50 and 1 <= b <= 30 and 2 <= c <= 4 for a, b, c in values)
    assert [v["order"] for v in out["spares"]] == [6, 7]
    assert out["sum"] == sum(sum(v["value"]) for v in out["sample"] + out["spares"])
    assert out["generator"] == "pcg64" and out["seed"] == 7 and out["warning"] is None


def test_random_numbers_without_seed_records_a_new_one() -> None:
    out = run_json(
        "random-numbers", "--low", "1", "--high", "100", "--count", "3", "--generator", "pcg64"
    )
    assert isinstance(out["seed"], int)
    again = run_json(
        "random-numbers",
        "--low",
        "1",
        "--high",
        "100",
        "--count",
        "3",
        "--generator",
        "pcg64",
        "--seed",
        str(out["seed"]),
    )
    assert again["sample"] == out["sample"]


def test_variable_appraisal_datasrs(datasrs_file: str) -> None:
    out = run_json("appraise", "variable", "--universe", "10000", "--file", datasrs_file)
    column = out["columns"]["difference"]
    assert column["n"] == 50 and round(column["mean"], 2) == 70.60
    assert round(column["sd"], 2) == 48.25 and round(column["se_mean"], 2) == 6.81
    assert round(column["se_total"]) == 68_068 and column["point_estimate"] == 706_000
    ninety = column["levels"]["90"]
    assert (round(ninety["lower"]), round(ninety["upper"])) == (591_881, 820_119)
    assert round(ninety["precision"]) == 114_119 and round(ninety["precision_percent"], 2) == 16.16
    assert round(ninety["t"], 12) == 1.676550892617
    assert (round(column["levels"]["80"]["lower"]), round(column["levels"]["80"]["upper"])) == (
        617_575,
        794_425,
    )
    assert (round(column["levels"]["95"]["lower"]), round(column["levels"]["95"]["upper"])) == (
        569_213,
        842_787,
    )
    assert set(column) == {
        "n",
        "mean",
        "sd",
        "skewness",
        "kurtosis",
        "se_mean",
        "se_total",
        "point_estimate",
        "levels",
    }


def test_variable_appraisal_human_output(datasrs_file: str) -> None:
    result = run("appraise", "variable", "--universe", "10000", "--file", datasrs_file)
    assert result.exit_code == 0
    assert "706,000.00" in result.output and "591,881.09" in result.output
    assert "16.16%" in result.output


def test_difference_and_default_columns(tmp_path: Path) -> None:
    path = csv_file(
        tmp_path, "s.csv", "claim_id,examined,audited,note\nc1,100,80,x\nc2,50,50,y\nc3,70,20,z\n"
    )
    out = run_json("appraise", "variable", "--universe", "30", "--file", path, "--difference")
    assert list(out["columns"]) == ["examined", "audited", "difference"]
    assert out["columns"]["difference"]["mean"] == pytest.approx(70 / 3)


def test_stratified_variable_appraisal(tmp_path: Path) -> None:
    data = csv_file(
        tmp_path,
        "d.csv",
        "stratum,examined,audited\nA,100,80\nA,200,200\nA,150,100\n"
        "B,50,50\nB,75,0\nB,20,20\nB,30,10\n",
    )
    strata = csv_file(tmp_path, "g.csv", "stratum,universe\nA,100\nB,400\n")
    out = run_json("appraise", "variable", "--file", data, "--strata-file", strata, "--difference")
    assert set(out) == {"columns", "strata", "overall"}
    assert out["columns"]["difference"]["n"] == 7
    assert out["strata"]["A"]["difference"]["mean"] == pytest.approx(70 / 3)
    overall = out["overall"]["difference"]
    assert overall["point_estimate"] == pytest.approx(100 * 70 / 3 + 400 * 95 / 4)
    assert set(overall["levels"]["90"]) == {"z", "lower", "upper", "precision", "precision_percent"}
    assert round(overall["levels"]["95"]["z"], 12) == 1.95996398454
    bad = run("appraise", "variable", "--file", data, "--strata-file", strata, "--universe", "7")
    assert bad.exit_code == 2 and "differs from the strata file" in bad.output


def test_attribute_appraisal_published_vector() -> None:
    out = run_json("appraise", "attribute", "--universe", "100", "--sample", "10", "--errors", "4")
    assert out["point_estimate"] == 40
    assert out["levels"]["90"] == {"lower": 16, "upper": 68}
    assert set(out["levels"]) == {"80", "90", "95"}


def test_attribute_one_sided_and_stratified(tmp_path: Path) -> None:
    one = run_json(
        "appraise",
        "attribute",
        "--universe",
        "100",
        "--sample",
        "10",
        "--errors",
        "0",
        "--one-sided",
    )
    assert one["one_sided"] is True and one["levels"]["90"]["lower"] == 0
    strata = csv_file(
        tmp_path, "a.csv", "stratum,universe,sample,errors\nA,100,10,4\nB,1000,30,6\n"
    )
    out = run_json("appraise", "attribute", "--strata-file", strata)
    assert out["strata"]["A"]["levels"]["90"] == {"lower": 16, "upper": 68}
    assert out["overall"]["point_estimate"] == pytest.approx(240)
    assert out["overall"]["method"] == "normal-approximation"


def test_sample_size_commands(tmp_path: Path) -> None:
    variable = run_json(
        "sample-size", "variable", "--universe", "10000", "--mean", "70.6", "--sd", "48.25"
    )
    assert list(variable["sizes"]) == ["1", "2", "5", "10", "15", "25"]
    assert variable["sizes"]["10"] == {"80": 76, "90": 125, "95": 176, "99": 301}
    assert ["25", "80"] in variable["below_30"]
    rate = run_json(
        "sample-size",
        "error-rate",
        "--universe",
        "10000",
        "--error-rate",
        "20",
        "--total",
        "1000000",
        "--sd",
        "80",
    )
    assert rate["difference_mean"] == pytest.approx(20)
    strata = csv_file(tmp_path, "s.csv", "stratum,universe,mean,sd\nA,1000,100,50\nB,5000,20,10\n")
    stratified = run_json("sample-size", "stratified", "--strata-file", strata)
    assert stratified["sizes"]["5"]["90"] == {"total": 252, "strata": {"A": 126, "B": 126}}
    attribute = run_json(
        "sample-size", "attribute", "--universe", "1000", "--rate", "10", "--width", "5"
    )
    assert attribute == {"sizes": {"5": {"80": 72, "90": 103, "95": 134, "99": 203}}}


def test_sample_size_tables_are_aligned() -> None:
    result = run(
        "sample-size", "variable", "--universe", "10000", "--mean", "70.6", "--sd", "48.25"
    )
    assert result.exit_code == 0
    table = [line for line in result.output.splitlines() if line.startswith(("Precision", "±"))]
    assert len(table) == 7 and len({len(line) for line in table}) == 1
    assert "4,341" in result.output


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["random-numbers", "--seed", "abc", "--low", "1", "--high", "9", "--count", "2"],
            "seed: the RAT-STATS seed must be a number (got 'abc')",
        ),
        (
            ["random-numbers", "--seed", "1", "--low", "9", "--high", "1", "--count", "2"],
            "low/high: low is above high (got '9-1')",
        ),
        (
            [
                "random-numbers",
                "--seed",
                "1",
                "--low",
                "1",
                "--high",
                "9",
                "--count",
                "9",
                "--spares",
                "1",
            ],
            "more values asked than the ranges hold (9) (got 10)",
        ),
        (
            ["random-numbers", "--seed", "1", "--low", "1", "--high", "99999", "--count", "10001"],
            "at most 10,000 values",
        ),
        (
            ["random-numbers", "--seed", "1", "--ranges", "1-9,x-3", "--count", "1"],
            "--ranges, range 2: not a whole number (got 'x')",
        ),
        (["random-numbers", "--seed", "1", "--count", "1"], "--low/--high"),
        (["appraise", "attribute", "--universe", "100", "--sample", "10"], "--errors"),
        (
            [
                "appraise",
                "attribute",
                "--universe",
                "100",
                "--sample",
                "10",
                "--errors",
                "4",
                "--one-sided",
            ],
            "one-sided",
        ),
        (
            ["sample-size", "variable", "--universe", "ten", "--mean", "1", "--sd", "1"],
            "'ten' is not a valid integer",
        ),
        (
            ["sample-size", "attribute", "--universe", "100", "--rate", "5", "--width", "x"],
            "--width: not a number (got 'x')",
        ),
        (["appraise", "bogus"], "No such command 'bogus'"),
    ],
)
def test_bad_input_exits_2_with_one_line(args: list[str], expected: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and result.output.startswith("Error: ")
    assert expected in result.output
    assert "Traceback" not in result.output


def test_bad_data_files(tmp_path: Path) -> None:
    data = csv_file(tmp_path, "d.csv", "examined,audited\n10,5\n20,zz\n")
    result = run("appraise", "variable", "--universe", "10", "--file", data)
    assert result.exit_code == 2
    assert result.output == f"Error: {data}, line 3, column 'audited': not a number (got 'zz')\n"
    missing = run("appraise", "variable", "--universe", "10", "--file", str(tmp_path / "no.csv"))
    assert (
        missing.exit_code == 2 and "no.csv" in missing.output and "does not exist" in missing.output
    )
    column = run("appraise", "variable", "--universe", "10", "--file", data, "--columns", "paid")
    assert column.exit_code == 2 and "line 1: no such column (got 'paid')" in column.output
    strata = csv_file(tmp_path, "g.csv", "stratum,universe\nA,100\n")
    unknown = csv_file(tmp_path, "u.csv", "stratum,amount\nA,1\nA,2\nZ,3\n")
    result = run("appraise", "variable", "--file", unknown, "--strata-file", strata)
    assert result.exit_code == 2 and "u.csv, line 4, column 'stratum'" in result.output


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, command in group.commands.items():
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found.extend(_commands(command, (*prefix, name)))
    return found


@pytest.mark.parametrize("path", _commands(stats), ids=" ".join)
def test_every_command_has_help(path: tuple[str, ...]) -> None:
    result = run(*path, "--help")
    assert result.exit_code == 0 and "Usage:" in result.output


def test_human_output_of_every_command(tmp_path: Path) -> None:
    data = csv_file(tmp_path, "d.csv", "stratum,paid\nA,1\nA,3\nB,2\nB,8\nB,5\n")
    strata = csv_file(tmp_path, "g.csv", "stratum,universe\nA,10\nB,20\n")
    attribute = csv_file(tmp_path, "a.csv", "stratum,universe,sample,errors\nA,100,10,4\n")
    estimates = csv_file(tmp_path, "e.csv", "stratum,universe,mean,sd\nA,1000,100,50\n")
    expectations = {
        ("appraise", "variable", "--file", data, "--strata-file", strata): "Stratified overall",
        ("appraise", "attribute", "--strata-file", attribute): "Stratified overall",
        (
            "appraise",
            "attribute",
            "--universe",
            "100",
            "--sample",
            "10",
            "--errors",
            "0",
            "--one-sided",
        ): "one-sided",
        (
            "sample-size",
            "error-rate",
            "--universe",
            "500",
            "--error-rate",
            "10",
            "--total",
            "50000",
            "--sd",
            "20",
        ): "Difference mean: 10.00",
        ("sample-size", "stratified", "--strata-file", estimates): "Neyman",
        ("sample-size", "attribute", "--universe", "200", "--rate", "5"): "±25%",
    }
    for args, expected in expectations.items():
        result = run(*args)
        assert result.exit_code == 0, result.output
        assert expected in result.output
