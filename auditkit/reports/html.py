"""Render a :class:`ReportContext` as one self-contained, offline-safe HTML file.

The report carries protected health information and is opened on machines without (or with
untrusted) network access, so the file must never reach out: no scripts, stylesheets, fonts,
images or links to ``http://``/``https://`` resources, and a Content-Security-Policy that
forbids loading anything even if a template slipped. Every value from the context is
autoescaped and shown without a URL scheme, so data (a finding message, a rule reference)
can neither inject markup nor turn into a link.

Templates resolve like datasette's: the caller's folders first (a user folder, then plugin
folders), then the defaults packaged in :mod:`report_templates`. Overriding one partial,
e.g. ``_findings.html``, is enough to change one section.

A template folder is named by a settings file, which may come from an untrusted working
directory, so templates are treated as untrusted code: they render in Jinja's
:class:`~jinja2.sandbox.SandboxedEnvironment` (no ``__globals__``, ``__class__`` or other
internals, hence no way to Python's ``os``), and the report must still carry the packaged
Content-Security-Policy, or it is refused.
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from auditkit.errors import AuditkitError
from auditkit.reports.context import ReportContext, RuleInfo, Scorecard

TEMPLATE_PACKAGE = "report_templates"
REPORT_TEMPLATE = "report.html"
MISSING = "—"  # what an absent (None) value looks like in the report

_URL_SCHEME = re.compile(r"(?i)https?://")
# The policy packaged in base.html; a user template may restyle the page, not loosen this.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'"
)
_CSP_META = re.compile(
    r"<meta\s+http-equiv=\"Content-Security-Policy\"\s+content=\"([^\"]*)\"\s*/?>", re.I
)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_ANCHOR_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


class PackageTemplateLoader(jinja2.BaseLoader):
    """Load templates from an installed package through :mod:`importlib.resources`.

    Unlike a filesystem path computed from ``__file__``, this works when auditkit is
    installed from a wheel, zipped or not.
    """

    def __init__(self, package: str) -> None:
        self._root = importlib.resources.files(package)

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool]]:
        resource = self._root
        for piece in split_template_path(template):  # refuses ".." and absolute names
            resource = resource.joinpath(piece)
        if not resource.is_file():
            raise jinja2.TemplateNotFound(template)
        return resource.read_text(encoding="utf-8"), None, lambda: True


def render_html(context: ReportContext, template_dirs: Sequence[Path] = ()) -> str:
    """The audit report as one HTML document.

    ``template_dirs`` are searched in order before the packaged defaults. Raises
    :class:`AuditkitError` when a template would make the file link to an external resource
    or drops the Content-Security-Policy, and Jinja's errors (a
    :class:`~jinja2.exceptions.SecurityError` for what the sandbox refuses) as they come;
    :func:`template_problem` words them for a user.
    """
    environment = _environment(template_dirs)
    html = environment.get_template(REPORT_TEMPLATE).render(_template_variables(context))
    _refuse_external_urls(html)
    _require_content_security_policy(html)
    return html


def template_problem(error: jinja2.TemplateError) -> str:
    """One line for a user's template that fails: where, and what the sandbox refused."""
    if isinstance(error, jinja2.exceptions.SecurityError):
        return f"a report template tried something the sandbox forbids: {error}"
    if isinstance(error, jinja2.TemplateSyntaxError):
        where = error.filename or error.name or "a report template"
        return f"{where}, line {error.lineno}: template syntax error: {error.message}"
    if isinstance(error, jinja2.TemplateNotFound):
        return f"report template not found: {error.name}"
    return f"a report template failed: {error.message}"


def write_html(context: ReportContext, path: Path, template_dirs: Sequence[Path] = ()) -> Path:
    """Render the report and write it to ``path`` (UTF-8, atomically, owner-only)."""
    from auditkit.outputs import write_text

    return write_text(Path(path), render_html(context, template_dirs))


def _require_content_security_policy(html: str) -> None:
    # A tag inside a comment does nothing; only a live one in the head counts.
    head = _HTML_COMMENT.sub("", html).split("</head>", 1)[0]
    policies = _CSP_META.findall(head)
    if policies != [CONTENT_SECURITY_POLICY]:
        raise AuditkitError(
            "the report must carry exactly the packaged Content-Security-Policy meta tag "
            f"({CONTENT_SECURITY_POLICY!r}); a template removed or changed it"
        )


def _environment(template_dirs: Sequence[Path]) -> jinja2.Environment:
    loader = jinja2.ChoiceLoader(
        [
            jinja2.FileSystemLoader([Path(folder) for folder in template_dirs]),
            PackageTemplateLoader(TEMPLATE_PACKAGE),
        ]
    )
    environment = SandboxedEnvironment(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(FILTERS)
    return environment


def _finalize(value: Any) -> Any:
    """Applied to every ``{{ … }}`` before escaping: None shows as a dash, schemes vanish.

    Removing ``http://``/``https://`` from every rendered value keeps data such as a rule's
    reference URL readable (``www.cms.gov/…``) while guaranteeing nothing in the file is a
    fetchable or clickable external address.
    """
    if value is None:
        return MISSING
    if isinstance(value, Markup):
        return Markup(_URL_SCHEME.sub("", str(value)))
    return _URL_SCHEME.sub("", str(value))


def _refuse_external_urls(html: str) -> None:
    """Data is defanged by :func:`_finalize`; this catches templates that add URLs."""
    match = _URL_SCHEME.search(html)
    if match:
        snippet = html[max(0, match.start() - 40) : match.end() + 40]
        raise AuditkitError(
            "the report template contains an external URL, which a self-contained, offline "
            f"report must not have: …{snippet}…"
        )


def _template_variables(context: ReportContext) -> dict[str, Any]:
    """The context plus lookups that let a feedback letter quantify accuracy ("24 of 50
    codes", from the person's scorecard) and cite the rule (its references)."""
    scorecard_for: dict[tuple[str, str], Scorecard] = {
        (card.subject_type, card.key): card for card in context.scorecards
    }
    rule_for: dict[str, RuleInfo] = {rule.id: rule for rule in context.rules}
    return {"report": context, "scorecard_for": scorecard_for, "rule_for": rule_for}


def percent(value: float | None) -> str:
    """0.953 → "95.3%": accuracies and thresholds are fractions in the context; None is an
    accuracy nobody could measure."""
    return "not reviewed" if value is None else f"{value:.1%}"


def meter_width(value: float) -> str:
    """A fraction as a CSS width percentage, clamped so a bar never overflows."""
    return f"{min(max(value, 0.0), 1.0) * 100:.1f}"


def money(value: Decimal | float | None) -> str:
    """Dollar amounts with thousands separators and a leading minus for underpayments."""
    if value is None:
        return MISSING
    sign = "-" if value < 0 else ""
    return f"{sign}${abs(value):,.2f}"


def iso_date(value: dt.date | None) -> str:
    """Dates as YYYY-MM-DD: unambiguous for every reader."""
    return MISSING if value is None else value.isoformat()


def timestamp(value: dt.datetime | None) -> str:
    """Minutes are enough for a report; the UTC offset is kept when the value has one."""
    if value is None:
        return MISSING
    text = value.strftime("%Y-%m-%d %H:%M")
    offset = value.utcoffset()
    if offset is None:
        return text
    return f"{text} UTC" if not offset else f"{text} {value.strftime('%z')}"


def display(value: Any) -> str:
    """Filter and design values (dicts, lists, flags) as short readable text."""
    if value is None:
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Mapping):
        return "; ".join(f"{key}: {display(item)}" for key, item in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(display(item) for item in value)
    return str(value)


def anchor(value: str) -> str:
    """A safe fragment id for in-page links, whatever characters the id holds."""
    return _ANCHOR_UNSAFE.sub("-", value)


FILTERS: dict[str, Callable[..., str]] = {
    "percent": percent,
    "meter_width": meter_width,
    "money": money,
    "iso_date": iso_date,
    "timestamp": timestamp,
    "display": display,
    "anchor": anchor,
}
