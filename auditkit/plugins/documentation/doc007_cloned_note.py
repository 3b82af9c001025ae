"""DOC007 cloned-note."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from auditkit.rules import CheckContext, Finding, Parameter, Rule, SetCheck, SetScope

if TYPE_CHECKING:
    from auditkit.plugins.documentation.near_duplicates import NearDuplicateIndex

RULE = Rule(
    id="DOC007",
    name="cloned-note",
    summary="Cloned note: near-identical to an earlier note of the same provider.",
    severity="warning",
    category="insufficient_documentation",
    responsible="provider",
    rationale=(
        "Copied-forward or cloned documentation does not show what was done for this patient "
        "on this date. CMS and the OIG treat notes that repeat another visit's history, exam "
        "and plan word for word as unreliable: the services they support may be denied and "
        "the pattern suggests documentation produced for billing."
    ),
    education_topic="Copy-forward and templates: documenting each visit's own findings",
    references=(
        "CMS Medicare Program Integrity Manual, Chapter 3, §3.3.2.1.1 (cloned documentation)",
        "OIG report OEI-01-11-00570, CMS and its contractors have adopted few program "
        "integrity practices to address vulnerabilities in EHRs (2014)",
    ),
    parameters=(
        Parameter(
            "min_similarity",
            0.85,
            "Jaccard similarity of five-word shingles at or above which a note is a clone.",
        ),
        Parameter(
            "min_words",
            60,
            "Notes shorter than this many words are not compared (short templated notes "
            "legitimately repeat).",
        ),
    ),
    examines=("note",),
)


class ClonedNote(SetCheck):
    """Flags sampled notes that are near-identical to an earlier note of the same provider.

    ## What it does
    Reads every note of the audit's period (sampled or not), provider by provider, in date
    order. Each note is reduced to its set of five-word shingles (lower case, digits and
    punctuation dropped, so a copy with new dates, vitals or patient name still matches)
    and a MinHash signature; locality-sensitive hashing puts likely pairs in the same
    bucket, so the work grows with the number of notes, never with the number of pairs.
    A sampled note whose shingle overlap (Jaccard) with an earlier note of the same
    provider reaches ``min_similarity`` (0.85) is flagged, naming the earlier encounter.
    The earlier note of a pair is not flagged by it: it is the source. Notes under
    ``min_words`` (60) words are skipped.

    ## Why it matters
    A cloned note cannot show the medical necessity of this visit's services; reviewers
    deny them and the pattern is tracked by provider.

    ## Example
    The 14 May follow-up note repeats the 2 April note's history, exam and plan word for
    word; only the date and the blood pressure differ (similarity 0.96).

    ## Use instead
    Document this visit's own interval history, examination and decisions; copy forward
    only what is re-verified, and say so.
    """

    rules = (RULE,)
    unit_kind = "encounter"

    def check_set(self, scope: SetScope, context: CheckContext) -> Iterator[Finding]:
        # SQLAlchemy and the models are imported here, not at the top: `checks list` reads
        # the rule's metadata and must not pay for them.
        from sqlalchemy import select

        from auditkit.db.models import Encounter, Note, Provider

        threshold = float(context.parameter(RULE, "min_similarity"))
        min_words = int(context.parameter(RULE, "min_words"))
        connection = scope.connection
        sampled: set[int] | None = None
        if scope.sampled_encounters is not None:
            sampled = set(connection.execute(scope.sampled_encounters).scalars())
            if not sampled:
                return
        query = (
            select(
                Encounter.id,
                Encounter.encounter_key,
                Encounter.date_of_service,
                Provider.npi,
                Note.note_text,
            )
            .join(Note, Note.encounter_id == Encounter.id)
            .join(Provider, Provider.id == Encounter.provider_id)
            .where(Encounter.date_of_service.between(scope.period_from, scope.period_to))
            .order_by(Encounter.provider_id, Encounter.date_of_service, Encounter.id)
        )
        # Streamed in batches (a server-side cursor on PostgreSQL); options on the statement,
        # never on the run's connection, which the engine goes on writing through.
        rows = connection.execute(query.execution_options(stream_results=True, yield_per=2000))
        yield from cloned_notes(rows, threshold, min_words, sampled)


NoteRow = tuple[int, str, dt.date, str, str | None]  # id, encounter key, date, NPI, text


def cloned_notes(
    rows: Iterable[NoteRow], threshold: float, min_words: int, wanted: set[int] | None
) -> Iterator[Finding]:
    """DOC007's findings over notes ordered by provider, date of service and id: each
    wanted note (None: every note) near-identical to an earlier note of its provider."""
    from auditkit.plugins.documentation.near_duplicates import NearDuplicateIndex, words

    index: NearDuplicateIndex | None = None
    provider: str | None = None
    seen: dict[int, tuple[str, str]] = {}
    for encounter_id, key, dos, npi, text in rows:
        if npi != provider or index is None:
            provider, index, seen = npi, NearDuplicateIndex(threshold), {}
        if len(words(text or "")) < min_words:
            continue
        compare = wanted is None or encounter_id in wanted
        match = index.add(encounter_id, text or "", compare=compare)
        seen[encounter_id] = (key, dos.isoformat())
        if match is None:
            continue
        earlier_key, earlier_dos = seen[match.earlier]
        yield Finding(
            rule_id=RULE.id,
            message=(
                f"note near-identical ({match.similarity:.0%} of its word sequences) to "
                f"the note of encounter {earlier_key} on {earlier_dos}, same provider"
            ),
            evidence=f"earlier note: encounter {earlier_key}, {earlier_dos}, NPI {npi}",
            encounter_id=encounter_id,
            coded=key,
            audited=earlier_key,
        )
