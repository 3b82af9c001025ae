"""DOC008 note-unsigned-or-late."""

from __future__ import annotations

from collections.abc import Iterator

from auditkit.rules import Check, CheckContext, Finding, Parameter, Rule
from auditkit.units import EncounterRecord

RULE = Rule(
    id="DOC008",
    name="note-unsigned-or-late",
    summary=(
        "Note unsigned, or signed more than the configured number of days after the date "
        "of service."
    ),
    severity="warning",
    category="insufficient_documentation",
    responsible="provider",
    rationale=(
        "Medicare requires services to be authenticated by the practitioner who ordered or "
        "performed them; an unsigned note does not count as documentation (a CERT "
        "insufficient-documentation error), and a signature added long after the visit "
        "weakens the record's credibility and suggests documentation written for billing."
    ),
    education_topic="Signing notes promptly: authentication and timeliness",
    references=(
        "CMS Medicare Program Integrity Manual, Chapter 3, §3.3.2.4 (signature requirements)",
        "CMS CERT: insufficient documentation (missing or illegible signature)",
    ),
    parameters=(
        Parameter(
            "max_days_to_sign",
            3,
            "Calendar days after the date of service within which the note must be signed.",
        ),
    ),
    examines=("note",),
)


class NoteUnsignedOrLate(Check):
    """Flags notes that are unsigned or signed late.

    ## What it does
    Reads the note's signature time (``signed_at`` in notes.csv). A note with none is
    flagged as unsigned; a note signed more than ``max_days_to_sign`` calendar days after
    the date of service (3 by default; set ``[rules.DOC008] max_days_to_sign``) is flagged
    with the delay. An encounter without any note is not this rule's concern.

    ## Why it matters
    An unsigned record is not valid documentation for payment; late signatures are a
    pattern auditors trend by provider and a reason payers question a record's integrity.

    ## Example
    Date of service 2026-03-02; the note was signed 2026-03-19 (17 days later).

    ## Use instead
    Sign notes the day of the visit (or within the organisation's policy); for a missing
    signature, a signature attestation per CMS rules.
    """

    rules = (RULE,)

    def check(self, encounter: EncounterRecord, context: CheckContext) -> Iterator[Finding]:
        note = encounter.note
        if note is None:
            return
        if note.signed_at is None:
            yield Finding(
                rule_id=RULE.id,
                message="note not signed",
                evidence="signed_at is empty",
                coded="unsigned",
            )
            return
        limit = int(context.parameter(RULE, "max_days_to_sign"))
        days = (note.signed_at.date() - encounter.date_of_service).days
        if days > limit:
            yield Finding(
                rule_id=RULE.id,
                message=(
                    f"note signed {note.signed_at:%Y-%m-%d} ({days} days after the date of "
                    f"service; allowed {limit})"
                ),
                evidence=f"signed_at {note.signed_at.isoformat(sep=' ')}",
                coded=f"{days} days",
                audited=f"≤ {limit} days",
            )
