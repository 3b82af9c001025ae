"""The terminal summary: the few numbers a specialist reads right after a run."""

from __future__ import annotations

import dataclasses

from auditkit.reports.context import ReportContext
from auditkit.reports.terminal import render_summary_text


def test_headline_rules_and_people(report_context: ReportContext) -> None:
    text = render_summary_text(report_context)
    assert "Code accuracy         92.9%  FAIL (scored; pass at 95.0%)" in text
    assert "DE-IDENTIFIED" in text
    assert "12 findings (error 4, warning 7, info 1)" in text
    rule_lines = [line.split() for line in text.splitlines() if line.startswith("  DX0")]
    assert rule_lines == [["DX001", "unspecified-code", "7"]]  # DX002 had none
    assert "Coders: 2 of 3 passed" in text and "Providers: 1 of 3 passed" in text
    assert "  FAIL   89.2%  Marcus Oyelaran (C002)  · 4 findings" in text
    assert "amount demanded $41,210.55" in text


def test_control_characters_cannot_reach_the_terminal(report_context: ReportContext) -> None:
    card = dataclasses.replace(report_context.scorecards[0], name="\x1b[2J\rEvil\nName")
    text = render_summary_text(dataclasses.replace(report_context, scorecards=(card,)))
    assert "\x1b" not in text and "\r" not in text
    assert "?[2J?Evil?Name (C001)" in text


def test_scored_measure_decides_the_verdict(report_context: ReportContext) -> None:
    audit = dataclasses.replace(report_context.audit, scoring_measure="encounter")
    text = render_summary_text(dataclasses.replace(report_context, audit=audit, extrapolation=None))
    assert "Encounter accuracy    80.0%  FAIL (scored; pass at 95.0%)" in text
    assert "Code accuracy         92.9%\n" in text
    assert "Extrapolation" not in text
