"""The HTML report: complete, escaped, self-contained, overridable."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import jinja2
import pytest

from auditkit.errors import AuditkitError
from auditkit.reports.context import ReportContext
from auditkit.reports.html import (
    PackageTemplateLoader,
    money,
    percent,
    render_html,
    timestamp,
    write_html,
)

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)
SECTIONS = ("summary", "extrapolation", "sample", "scorecards", "findings", "feedback", "rules")


@pytest.fixture(scope="module")
def html(report_context: ReportContext) -> str:
    return render_html(report_context)


def test_every_section_is_present_and_in_the_contents(html: str) -> None:
    for section in SECTIONS:
        assert f'id="{section}"' in html
        assert f'href="#{section}"' in html


def test_data_is_escaped_never_markup(html: str, hostile: dict) -> None:
    assert "<script" not in html  # neither data nor the templates bring a script
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert hostile["img"] not in html
    assert "&lt;img src=x onerror=" in html
    assert hostile["attribute"] not in html
    assert "&#34;onmouseover=alert(1) x=&#34;" in html


def test_no_external_url_anywhere(html: str) -> None:
    assert not re.search(r"(?i)https?://", html)
    assert "<link" not in html and "@import" not in html and "url(" not in html


def test_reference_urls_are_kept_readable_without_a_scheme(html: str) -> None:
    assert "www.cms.gov/medicare/coding-billing/icd-10-codes" in html
    assert "oig.hhs.gov/oei/reports/oei-07-03-00470.pdf" in html
    assert "=HYPERLINK(&#34;evil&#34;,&#34;x&#34;)" in html


def test_security_meta_tags(html: str) -> None:
    assert f'<meta http-equiv="Content-Security-Policy" content="{CSP}">' in html
    assert '<meta name="referrer" content="no-referrer">' in html
    assert html.index("Content-Security-Policy") < html.index("<style>")


def test_deidentified_flag_is_prominent(report_context: ReportContext) -> None:
    deidentified = render_html(report_context)
    identified = render_html(dataclasses.replace(report_context, deidentified=False))
    assert 'id="deidentified"' in deidentified and 'id="phi-notice"' not in deidentified
    assert 'id="phi-notice"' in identified and 'id="deidentified"' not in identified


def test_headline_accuracy_with_pass_fail(html: str) -> None:
    assert "92.9%" in html and "95.0%" in html
    assert '<span class="chip fail">Fail</span>' in html
    assert '<span class="chip pass">Pass</span>' in html


def test_feedback_quantifies_and_cites(html: str) -> None:
    assert "33 of 37 codes were correct (89.2%)" in html
    assert "ICD-10-CM Official Guidelines FY2026, Section I.B.18" in html


def test_optional_parts_may_be_absent(report_context: ReportContext) -> None:
    bare = dataclasses.replace(
        report_context, sample=None, run=None, extrapolation=None, findings=(), feedback=()
    )
    html = render_html(bare)
    assert 'id="extrapolation"' not in html and 'href="#extrapolation"' not in html
    assert "No sampling record is attached" in html
    assert "The rules have not been run" in html
    assert "No findings:" in html


def test_user_folder_overrides_one_partial(report_context: ReportContext, tmp_path: Path) -> None:
    (tmp_path / "_findings.html").write_text(
        '<section id="findings"><h2>Our findings layout</h2>{{ report.findings|length }}</section>',
        encoding="utf-8",
    )
    html = render_html(report_context, template_dirs=[tmp_path])
    assert "<h2>Our findings layout</h2>12" in html
    assert 'id="summary"' in html  # the other sections still come from the package


def test_template_that_links_out_is_refused(report_context: ReportContext, tmp_path: Path) -> None:
    (tmp_path / "_rules.html").write_text(
        '<a href="https://example.org/track">rules</a>', encoding="utf-8"
    )
    with pytest.raises(AuditkitError, match="external URL"):
        render_html(report_context, template_dirs=[tmp_path])


def test_write_html(report_context: ReportContext, tmp_path: Path) -> None:
    path = write_html(report_context, tmp_path / "report.html")
    assert path == tmp_path / "report.html"
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_packaged_templates_load_through_importlib_resources() -> None:
    loader = PackageTemplateLoader("report_templates")
    environment = jinja2.Environment(loader=loader)
    source, _filename, uptodate = loader.get_source(environment, "report.html")
    assert '{% extends "base.html" %}' in source and uptodate()
    for missing in ("nope.html", "../auditkit/__init__.py"):
        with pytest.raises(jinja2.TemplateNotFound):
            loader.get_source(environment, missing)


def test_missing_context_attribute_fails_loudly(
    report_context: ReportContext, tmp_path: Path
) -> None:
    (tmp_path / "_rules.html").write_text("{{ report.no_such_field }}", encoding="utf-8")
    with pytest.raises(jinja2.UndefinedError):
        render_html(report_context, template_dirs=[tmp_path])


@pytest.mark.parametrize(
    ("value", "expected"),
    [(Decimal("-45.10"), "-$45.10"), (1234567.891, "$1,234,567.89"), (None, "—")],
)
def test_money(value: Decimal | float | None, expected: str) -> None:
    assert money(value) == expected


def test_percent_and_timestamp() -> None:
    assert percent(104 / 112) == "92.9%"
    moment = dt.datetime(2026, 4, 14, 9, 30)
    assert timestamp(moment) == "2026-04-14 09:30"
    assert timestamp(moment.replace(tzinfo=dt.UTC)) == "2026-04-14 09:30 UTC"
    plus_two = dt.timezone(dt.timedelta(hours=2))
    assert timestamp(moment.replace(tzinfo=plus_two)) == "2026-04-14 09:30 +0200"
