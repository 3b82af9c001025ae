"""Hostile report templates: a settings file in the working directory names a template
folder whose partials try to run Python. The sandbox refuses, nothing runs, no report is
written, and the packaged Content-Security-Policy cannot be dropped."""

from __future__ import annotations

import importlib.resources
from pathlib import Path
from typing import Any

import pytest

MARKER = "pwned-marker"
PAYLOADS = [
    "{{ cycler.__init__.__globals__.os.system('touch " + MARKER + "') }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ joiner.__init__.__globals__.os.system('touch " + MARKER + "') }}",
    "{{ namespace.__init__.__globals__.os.system('touch " + MARKER + "') }}",
    "{{ lipsum.__globals__['os'].system('touch " + MARKER + "') }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ report.__class__.__init__.__globals__['sys'].modules['os'].system('touch "
    + MARKER
    + "') }}",
    "{{ self._TemplateReference__context.cycler.__init__.__globals__.os.system('touch "
    + MARKER
    + "') }}",
    "{% set x = report.findings.append(1) %}{{ x }}",
    "{{ report.scorecards.__class__.__base__.__subclasses__() }}",
    "{{ (report|attr('__class__')) }}",
    "{{ range.__self__ }}",
]


def _hostile_folder(root: Path, payload: str) -> Path:
    folder = root / "tpl"
    folder.mkdir()
    (folder / "_rules.html").write_text(payload, encoding="utf-8")
    (root / "auditkit.toml").write_text('[reports]\ntemplate_dirs = ["tpl"]\n')
    return folder


@pytest.mark.parametrize("payload", PAYLOADS)
def test_template_payloads_cannot_run_python(
    cli: Any, sqlite_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, payload: str
) -> None:
    work = tmp_path / "untrusted"
    work.mkdir()
    _hostile_folder(work, payload)
    monkeypatch.chdir(work)
    result = cli.run("report", "q", "-o", "r.html", "--database", f"sqlite:///{sqlite_file}")
    assert not (work / MARKER).exists()
    assert f"Settings: {(work / 'auditkit.toml').resolve()}" in result.stderr
    if result.exit_code == 0:  # harmless output is fine; no internals may leak into it
        html = (work / "r.html").read_text()
        assert "uid=" not in html and "<class" not in html and "&lt;class" not in html
    else:
        cli.refused(result)
        assert not (work / "r.html").exists()


def test_the_classic_payload_is_refused_as_a_sandbox_violation(
    cli: Any, sqlite_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _hostile_folder(tmp_path, PAYLOADS[1])
    monkeypatch.chdir(tmp_path)
    result = cli.run("report", "q", "-o", "r.html", "--database", f"sqlite:///{sqlite_file}")
    cli.refused(result, "sandbox")


def _base_without(replacement: str) -> str:
    base = importlib.resources.files("report_templates").joinpath("base.html").read_text()
    start = base.index('<meta http-equiv="Content-Security-Policy"')
    end = base.index(">", start) + 1
    return base[:start] + replacement + base[end:]


@pytest.mark.parametrize(
    "replacement",
    [
        "",
        "<!-- "
        + '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'">'
        + " -->",
        '<meta http-equiv="Content-Security-Policy" content="default-src *">',
    ],
    ids=["removed", "commented-out", "loosened"],
)
def test_a_template_cannot_drop_or_loosen_the_csp(
    cli: Any,
    sqlite_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    replacement: str,
) -> None:
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "base.html").write_text(_base_without(replacement), encoding="utf-8")
    (tmp_path / "auditkit.toml").write_text('[reports]\ntemplate_dirs = ["tpl"]\n')
    monkeypatch.chdir(tmp_path)
    result = cli.run("report", "q", "-o", "r.html", "--database", f"sqlite:///{sqlite_file}")
    cli.refused(result, "Content-Security-Policy")
    assert not (tmp_path / "r.html").exists()


def test_a_harmless_override_still_works_and_escapes(
    cli: Any, sqlite_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "_rules.html").write_text(
        "<p id=custom>{{ report.audit.name }} {{ '<b>x</b>' }}</p>", encoding="utf-8"
    )
    (tmp_path / "auditkit.toml").write_text('[reports]\ntemplate_dirs = ["tpl"]\n')
    monkeypatch.chdir(tmp_path)
    cli.ok("report", "q", "-o", "r.html", "--database", f"sqlite:///{sqlite_file}")
    html = (tmp_path / "r.html").read_text()
    assert "<p id=custom>q &lt;b&gt;x&lt;/b&gt;</p>" in html


def test_a_template_syntax_error_names_the_file_and_line(
    cli: Any, sqlite_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "_rules.html").write_text("ok\n{% if %}\n", encoding="utf-8")
    (tmp_path / "auditkit.toml").write_text('[reports]\ntemplate_dirs = ["tpl"]\n')
    monkeypatch.chdir(tmp_path)
    result = cli.run("report", "q", "-o", "r.html", "--database", f"sqlite:///{sqlite_file}")
    cli.refused(result, "_rules.html", "line 2")
