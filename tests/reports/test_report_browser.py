"""The HTML report in a real browser: headless Chromium parses it as a reader's would.

Static string checks can miss what a parser does with a document; here Chromium loads the
written file and we inspect the DOM it ends up with.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from auditkit.reports.context import ReportContext
from auditkit.reports.html import write_html

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def _chromium() -> str | None:
    return shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )


@pytest.fixture(scope="module")
def dom(report_context: ReportContext, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The DOM Chromium builds from the written report, serialised (one browser run)."""
    chromium = _chromium()
    if chromium is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    tmp_path = tmp_path_factory.mktemp("browser")
    report = write_html(report_context, tmp_path / "report.html")
    result = subprocess.run(
        [
            chromium,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            "--dump-dom",
            report.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout


def test_browser_sees_every_section(dom: str) -> None:
    for section in ("summary", "extrapolation", "sample", "scorecards", "findings", "feedback"):
        assert f'id="{section}"' in dom
    assert 'id="deidentified"' in dom
    assert dom.count('<article class="letter"') == 3


def test_hostile_data_stays_text_in_the_browser(dom: str) -> None:
    assert "<title>Quarterly Coding Compliance Audit</title>" in dom  # onerror never ran
    assert "pwned</title>" not in dom
    assert "<script" not in dom and "<img" not in dom  # no element was made from data
    assert "&lt;img src=x onerror=" in dom
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom
    assert not re.search(r"<[^>]*\son[a-z]+\s*=", dom)  # no element got an event handler
