"""A short plain-text summary of a :class:`ReportContext` for the command line.

It answers what a specialist asks right after a run: how accurate, which rules fired most,
who passed and who did not. Details live in the HTML and Excel reports.
"""

from __future__ import annotations

import re

from auditkit.reports.context import ReportContext, RuleInfo, Scorecard
from auditkit.reports.html import money, percent

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_WIDTH = 72


def render_summary_text(context: ReportContext) -> str:
    """The summary as lines of plain text (no colour codes, safe to pipe or log)."""
    sections = [
        _heading(context),
        _accuracy(context),
        _findings_by_rule(context.rules),
        _people(context, "coder", "Coders"),
        _people(context, "provider", "Providers"),
    ]
    if context.extrapolation is not None:
        x = context.extrapolation
        sections.append(
            f"Extrapolation ({_clean(x.basis.upper())}): point estimate "
            f"{money(x.point_estimate)}, amount demanded {money(x.demanded_amount)}"
        )
    elif context.extrapolation_note:
        sections.append(f"No extrapolation: {_clean(context.extrapolation_note)}")
    return "\n\n".join(section for section in sections if section) + "\n"


def _clean(text: str) -> str:
    """Names and ids come from input files: control characters could rewrite the
    terminal (escape sequences) or forge lines, so each becomes a visible "?"."""
    return _CONTROL.sub("?", text)


def _heading(context: ReportContext) -> str:
    audit, summary = context.audit, context.summary
    title = _clean(context.title)
    data = "DE-IDENTIFIED" if context.deidentified else "contains PHI"
    scope = f"{_clean(audit.name)} · {audit.period_from} to {audit.period_to}"
    severities = ", ".join(f"{_clean(k)} {n}" for k, n in summary.findings_by_severity.items())
    reviewed = (
        f"Reviewed {summary.encounters_reviewed} encounters, {summary.codes_reviewed} codes; "
        f"{summary.findings} findings"
    )
    if severities:
        reviewed += f" ({severities})"
    lines = [title, "=" * min(len(title), _WIDTH), f"{scope} · {_clean(audit.status)} · {data}"]
    lines.append(reviewed)
    if summary.not_reviewed:
        lines.append(
            f"Not reviewed (no enabled rule examines them): {', '.join(summary.not_reviewed)}"
        )
    return "\n".join(lines)


def _accuracy(context: ReportContext) -> str:
    audit, summary = context.audit, context.summary
    lines = []
    for measure, value in (
        ("code", summary.code_accuracy),
        ("encounter", summary.encounter_accuracy),
    ):
        line = f"{measure.capitalize() + ' accuracy':<20}{percent(value):>7}"
        if measure == audit.scoring_measure and value is not None:
            verdict = "PASS" if value >= audit.pass_threshold else "FAIL"
            line += f"  {verdict} (scored; pass at {percent(audit.pass_threshold)})"
        lines.append(line)
    return "\n".join(lines)


def _findings_by_rule(rules: tuple[RuleInfo, ...]) -> str:
    fired = sorted((rule for rule in rules if rule.findings), key=lambda r: -r.findings)
    if not fired:
        return "Findings by rule: none"
    lines = ["Findings by rule"]
    lines += [f"  {_clean(r.id):<8} {_clean(r.name):<36} {r.findings:>5}" for r in fired]
    return "\n".join(lines)


def _people(context: ReportContext, subject_type: str, heading: str) -> str:
    cards = [card for card in context.scorecards if card.subject_type == subject_type]
    if not cards:
        return ""
    if all(card.passed is None for card in cards):
        return f"{heading}: not reviewed (no enabled rule can count against a {subject_type})"
    passed = sum(bool(card.passed) for card in cards)
    lines = [f"{heading}: {passed} of {len(cards)} passed"]
    lines += [_person_line(card, context.audit.scoring_measure) for card in cards]
    return "\n".join(lines)


def _person_line(card: Scorecard, measure: str) -> str:
    accuracy = card.code_accuracy if measure == "code" else card.encounter_accuracy
    verdict = {True: "PASS", False: "FAIL", None: "----"}[card.passed]
    who = f"{_clean(card.name)} ({_clean(card.key)})" if card.name else _clean(card.key)
    findings = f"{card.findings} finding{'' if card.findings == 1 else 's'}"
    return f"  {verdict}  {percent(accuracy):>6}  {who}  · {findings}"
