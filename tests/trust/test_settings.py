"""Bad settings files: wrong types, out-of-range values, unknown keys and rule ids are
refused with the file and the key named, by every command that reads settings; the file in
force is announced, so one in the working directory is never used silently."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from auditkit.config import load_settings
from auditkit.errors import AuditkitError

BAD = [
    ("scoring = 5", "scoring"),
    ("checks = [1, 2]", "checks"),
    ("[scoring]\npass_threshold = true", "scoring.pass_threshold"),
    ('[scoring]\npass_threshold = "0.9"', "scoring.pass_threshold"),
    ("[scoring]\npass_threshold = 0", "scoring.pass_threshold"),
    ("[scoring]\npass_threshold = 1.5", "scoring.pass_threshold"),
    ("[scoring]\nmeasure = 3", "scoring.measure"),
    ('[scoring]\nmeasure = "claims"', "scoring.measure"),
    ('[sampling]\ngenerator = ["pcg64"]', "sampling.generator"),
    ('[sampling]\nextrapolation_basis = "median"', "sampling.extrapolation_basis"),
    ('[checks]\ndisable = "SPC001"', "checks.disable"),
    ('[checks]\ndisable = ["SPC001", 7]', "checks.disable"),
    ('[checks]\ndisable = ["NOPE999"]', "NOPE999"),
    ('[checks]\nenable = ["SPC001"]', "checks"),
    ('[rules.SPC006]\nmaternity_min_age = "twelve"', "rules.SPC006.maternity_min_age"),
    ("[rules.SPC006]\nmaternity_min_age = 12.5", "rules.SPC006.maternity_min_age"),
    ("[rules.SPC006]\nmaternity_min_age = true", "rules.SPC006.maternity_min_age"),
    ("[rules.SPC006]\nminimum_age = 12", "rules.SPC006.minimum_age"),
    ("[rules.NOPE999]\nx = 1", "rules.NOPE999"),
    ("rules = 3", "rules"),
    ("[rules]\nSPC006 = 12", "rules.SPC006"),
    ('[reports]\ntemplate_dirs = "tpl"', "reports.template_dirs"),
    ('[reports]\ntemplate_dirs = ["no-such-folder"]', "reports.template_dirs"),
    ("[trail]\nkey_file = 5", "trail.key_file"),
    ('[trail]\nkey = "x"', "trail"),
    ("[scorin]\npass_threshold = 0.9", "scorin"),
    ("pass_threshold = 0.9", "pass_threshold"),
    ("[scoring\n", "not valid TOML"),
]

COMMANDS = [
    ["audit", "create", "z", "--from", "2026-04-01", "--to", "2026-06-30"],
    ["audit", "run", "q"],
    ["sample", "draw", "q", "--method", "all"],
    ["report", "q", "--format", "html", "-o", "{tmp}/r.html"],
]


@pytest.mark.parametrize(("text", "key"), BAD, ids=[k for _, k in BAD])
def test_a_bad_setting_is_refused_naming_file_and_key(tmp_path: Path, text: str, key: str) -> None:
    path = tmp_path / "auditkit.toml"
    path.write_text(text + "\n")
    with pytest.raises(AuditkitError) as caught:
        load_settings(path)
    message = str(caught.value)
    assert message.startswith(str(path)) and key in message


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c[:2]) for c in COMMANDS])
@pytest.mark.parametrize(
    ("text", "key"), BAD[:3] + BAD[10:15], ids=[k for _, k in BAD[:3] + BAD[10:15]]
)
def test_every_settings_command_refuses_bad_settings(
    cli: Any, sqlite_file: Path, tmp_path: Path, command: list[str], text: str, key: str
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text + "\n")
    before = cli.digest(sqlite_file)
    args = [a.format(tmp=tmp_path) for a in command]
    result = cli.run(*args, "--config", str(path), "--database", f"sqlite:///{sqlite_file}")
    cli.refused(result, str(path), key)
    assert cli.digest(sqlite_file) == before
    assert not (tmp_path / "r.html").exists()


def test_good_settings_are_read(tmp_path: Path) -> None:
    (tmp_path / "tpl").mkdir()
    path = tmp_path / "auditkit.toml"
    path.write_text(
        '[scoring]\npass_threshold = 1\nmeasure = "encounter"\n'
        '[checks]\ndisable = ["SPC001"]\n'
        "[rules.spc006]\nmaternity_min_age = 13\n"
        '[reports]\ntemplate_dirs = ["tpl"]\n'
        '[trail]\nkey_file = "keys/trail.key"\n'
    )
    settings = load_settings(path)
    assert settings.scoring.pass_threshold == 1.0 and settings.scoring.measure == "encounter"
    assert settings.disabled_rules == {"SPC001"}
    assert settings.rule_parameters == {"SPC006": {"maternity_min_age": 13}}
    assert settings.template_dirs == (tmp_path / "tpl",)
    assert settings.trail_key_file == tmp_path / "keys" / "trail.key"


def test_disable_really_disables(cli: Any, database_url: str, tmp_path: Path) -> None:
    import json

    path = tmp_path / "auditkit.toml"
    path.write_text('[checks]\ndisable = ["SPC001"]\n')
    db = ("--database", database_url)
    data = cli.data
    cli.ok("init", *db)
    cli.ok("import", "claims", str(data / "claims.csv"), "--notes", str(data / "notes.csv"), *db)
    cli.ok("audit", "create", "q", "--from", "2026-04-01", "--to", "2026-06-30", *db)
    cli.ok("sample", "draw", "q", "--method", "all", *db)
    result = cli.ok("audit", "run", "q", "--json", "--config", str(path), *db)
    assert "SPC001" not in json.loads(result.stdout)["findings_by_rule"]


def test_the_settings_file_in_force_is_announced(
    cli: Any, sqlite_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "auditkit.toml").write_text("[scoring]\npass_threshold = 0.9\n")
    result = cli.ok(
        "audit",
        "create",
        "z",
        "--from",
        "2026-04-01",
        "--to",
        "2026-06-30",
        "--database",
        f"sqlite:///{sqlite_file}",
    )
    expected = (
        f"Settings: {(tmp_path / 'auditkit.toml').resolve()} (found in the working directory)"
    )
    assert expected in result.stderr
    other = tmp_path / "other.toml"
    other.write_text("")
    result = cli.ok(
        "audit", "run", "q", "--config", str(other), "--database", f"sqlite:///{sqlite_file}"
    )
    assert f"Settings: {other.resolve()} (--config)" in result.stderr


def test_no_announcement_without_a_settings_file(
    cli: Any, sqlite_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("AUDITKIT_CONFIG", raising=False)
    result = cli.ok("audit", "run", "q", "--database", f"sqlite:///{sqlite_file}")
    assert "Settings:" not in result.stderr


def test_a_missing_named_settings_file_is_refused(
    cli: Any, sqlite_file: Path, tmp_path: Path
) -> None:
    result = cli.run(
        "audit",
        "run",
        "q",
        "--config",
        str(tmp_path / "gone.toml"),
        "--database",
        f"sqlite:///{sqlite_file}",
    )
    cli.refused(result, "gone.toml", "not found")


def test_the_trail_key_file_setting_is_used(
    cli: Any, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AUDITKIT_TRAIL_KEY")
    path = tmp_path / "auditkit.toml"
    path.write_text('[trail]\nkey_file = "keys/trail.key"\n')
    db = ("--database", database_url)
    cli.ok("init", *db)
    cli.ok(
        "audit",
        "create",
        "z",
        "--from",
        "2026-04-01",
        "--to",
        "2026-06-30",
        "--config",
        str(path),
        *db,
    )
    assert (tmp_path / "keys" / "trail.key").exists()
    result = cli.ok("trail", "verify", "--json", "--config", str(path), *db)
    assert '"intact": true' in result.stdout
