"""DOC006 service-not-documented."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from auditkit.notes.evidence import Mention, find_mentions
from auditkit.plugins.documentation.service_terms import service_terms
from auditkit.rules import Check, CheckContext, Finding, Rule
from auditkit.units import EncounterRecord, LineRecord

_CENT = Decimal("0.01")

RULE = Rule(
    id="DOC006",
    name="service-not-documented",
    summary="Procedure or service billed without documentation of it in the note.",
    severity="error",
    category="no_documentation",
    responsible="provider",
    rationale=(
        "A service the record does not show was performed is, for a payer, a service not "
        "rendered: the whole line is an overpayment. Missing procedure notes for in-office "
        "injections, tests and minor procedures are a classic CERT 'no documentation' error."
    ),
    education_topic="Documenting in-office procedures, injections and tests",
    references=(
        "CMS Medicare Program Integrity Manual, Chapter 3, §3.3.2.1 (documentation requirements)",
        "CMS CERT: no documentation error category",
    ),
    examines=("lines",),
)


class ServiceNotDocumented(Check):
    """Flags billed services the note does not describe.

    ## What it does
    For each service line whose code is in auditkit's table of plain-language service
    words (``service_terms.toml``: injections, joint aspiration, venipuncture, ECG,
    spirometry, nebulizer, destruction of lesions, biopsies, I&D, cerumen removal, in-office
    labs, X-rays, the common J-code drugs …), looks for one of those words in the note,
    mentioned as done at this visit: not negated ("ECG not done", "declined the flu
    shot"), not as a plan or a possibility ("will inject if no better"), not as history
    ("knee injection last year"). A line with none is flagged, with the whole line as the
    overpayment (paid amount when the remittance is known, else the charge). Codes the
    table does not know, and E/M lines (DOC001/DOC002's), are not judged. The table holds
    auditkit's own words, never CPT descriptors.

    ## Why it matters
    Without a procedure note the service cannot be defended; payers recoup the line.

    ## Example
    Line 2 bills 93000 (ECG); the note mentions no ECG, EKG or tracing.

    ## Use instead
    Document the service (what was done, where, by whom, the result), or remove the line.
    """

    rules = (RULE,)

    def check(self, encounter: EncounterRecord, context: CheckContext) -> Iterator[Finding]:
        note = encounter.note
        text = note.text if note is not None else ""
        for line in encounter.lines:
            terms = service_terms(line.procedure_code)
            if terms is None:
                continue
            mentions = find_mentions(text, terms) if text.strip() else []
            if any(_done_today(mention) for mention in mentions):
                continue
            whole = line.paid_amount if line.paid_amount is not None else line.charge
            impact = whole.quantize(_CENT)
            why = _why_not(mentions)
            yield Finding(
                rule_id=RULE.id,
                message=(
                    f"line {line.line_number}: {line.procedure_code}{_modifiers(line)} billed; "
                    f"{why}; whole line ${impact}"
                ),
                evidence="looked for: " + ", ".join(terms[:8]),
                line_number=line.line_number,
                code=line.procedure_code,
                coded=line.procedure_code,
                financial_impact=impact,
            )


def _done_today(mention: Mention) -> bool:
    a = mention.assessment
    if a.negation != "affirmed" or a.temporality != "recent" or a.experiencer != "patient":
        return False
    # "Will get an ECG at the next visit", "discussed injection, wishes to hold off": the
    # service was talked about, not done (unless the sentence also says it was done).
    sentence = mention.sentence
    return not _PLANNED.search(sentence) or bool(_DONE.search(sentence))


_PLANNED = re.compile(
    r"\b(?:will|plan(?:s|ned)? to|to be (?:done|scheduled)|schedul\w+|next visit|discuss\w*"
    r"|consider\w*|offered|hold off|defer\w*|recommend\w*|outside lab|at the lab)\b",
    re.IGNORECASE,
)
_DONE = re.compile(
    r"\b(?:performed|done|given|obtained|administered|injected|drawn|completed|tolerated"
    r"|in (?:the )?(?:clinic|office)|today)\b",
    re.IGNORECASE,
)


def _why_not(mentions: list[Mention]) -> str:
    if not mentions:
        return "the note does not describe the service"
    sentence = " ".join(mentions[0].sentence.split())[:100]
    return f"the note mentions it only as not done, planned or past (“{sentence}”)"


def _modifiers(line: LineRecord) -> str:
    return "-" + "-".join(line.modifiers) if line.modifiers else ""
