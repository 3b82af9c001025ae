"""Where a note mentions the condition of an ICD-10-CM code, and how it mentions it.

The terms looked for come from three places:

- the code's title and its ancestors' titles, cleaned of the classification's qualifiers
  ("Type 2 diabetes mellitus without complications" gives "type 2 diabetes mellitus");
- the tabular list's inclusion terms of the code and its ancestors;
- the curated synonym table ``synonyms.toml`` (HTN, T2DM, CHF, afib …), matched by code
  prefix.

Every mention found is judged by the reader (:mod:`auditkit.notes.context`), and the best
one is returned with its sentence, so a check can tell "coded but not documented" (no
mention) from "documented as negated", "documented only as uncertain", "only as history"
or "only for someone else".
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Hashable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Literal, Protocol

from auditkit.notes.context import Assessment, NoteReading, find_phrase

Status = Literal[
    "documented",
    "historical_only",
    "uncertain_only",
    "negated_only",
    "other_person_only",
    "hypothetical_only",
    "not_found",
]

# Qualifiers the classification adds that notes rarely write.
_CUT_AT = re.compile(
    r",|\bwithout\b|\bwith\b|\bdue to\b|\bnot elsewhere classified\b|\bsite not specified\b"
    r"|\bin diseases classified elsewhere\b|\bNOS\b|;",
    re.IGNORECASE,
)
_LEADING = re.compile(
    r"^(?:other specified|other|unspecified|unilateral|bilateral|primary)\s+", re.IGNORECASE
)
_PARENTHESES = re.compile(r"\s*\([^)]*\)")
# Titles of residual groupings ("Other disorders of urinary system") name no one condition.
_GROUPING = re.compile(r"^(?:disorders?|diseases?|conditions?|complications?)\s+of\b", re.I)
_SHORT_CASE_SENSITIVE = 2
_PLURAL_FROM = 2  # letters a word needs beyond this before a plural ending is allowed


class Release(Hashable, Protocol):
    """What evidence needs of an ICD-10-CM release (:class:`auditkit.codesets.Icd10cmRelease`)."""

    def description(self, code: str) -> str | None: ...
    def ancestors(self, code: str) -> tuple[str, ...]: ...
    def inclusion_terms(self, code: str) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class Mention:
    """One place the note names the condition, and the reader's judgment of it."""

    term: str
    start: int
    end: int
    sentence: str
    assessment: Assessment


@dataclass(frozen=True)
class DiagnosisEvidence:
    """What the note says about a coded condition: ``best`` is the mention a finding
    quotes (``None`` when there is none), ``status`` what it amounts to."""

    code: str
    status: Status
    best: Mention | None
    mentions: tuple[Mention, ...]
    terms: tuple[str, ...]


@cache
def _synonym_table() -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    text = resources.files("auditkit.notes").joinpath("synonyms.toml").read_text("utf-8")
    return tuple(
        (tuple(entry["codes"]), tuple(entry["terms"]))
        for entry in tomllib.loads(text).get("condition", [])
    )


def synonyms(code: str) -> tuple[str, ...]:
    """Table terms of every entry whose code prefix the code starts with."""
    code = code.replace(".", "").upper()
    return tuple(
        term
        for prefixes, terms in _synonym_table()
        if any(code.startswith(prefix.replace(".", "").upper()) for prefix in prefixes)
        for term in terms
    )


# Words of a title that say which side or how sure, not what: notes put them elsewhere.
_SIDE_WORDS = re.compile(r"\b(?:right|left|bilateral|unilateral|unspecified)\s+", re.IGNORECASE)
# "Sprain of ankle" is written "ankle sprain"; "Pain in knee", "knee pain".
_INVERTIBLE = re.compile(r"^(?P<what>[\w'-]+(?: [\w'-]+)?) (?:of|in) (?:the )?(?P<where>[\w' -]+)$")
_MAX_WHERE_WORDS = 3


def title_terms(title: str) -> tuple[str, ...]:
    """The phrases of a tabular title a note could use: the head of the title, its part
    before "of", the inverted form clinicians write ("Impingement syndrome of shoulder" →
    "shoulder impingement syndrome") and the same without side words."""
    text = _PARENTHESES.sub("", title)
    head = _CUT_AT.split(text)[0].strip()
    head = _LEADING.sub("", head).strip()
    if _GROUPING.match(head):
        return ()
    found = [head] if len(head) > 2 else []
    before_of = head.split(" of ")[0].strip()
    if before_of != head and len(before_of.split()) >= 2:
        found.append(before_of)
    sideless = " ".join(_SIDE_WORDS.sub("", head + " ").split())
    if sideless and sideless.lower() != head.lower() and len(sideless) > 2:
        found.append(sideless)
    for phrase in (head, sideless):
        inverted = _INVERTIBLE.match(phrase)
        if inverted and len(inverted.group("where").split()) <= _MAX_WHERE_WORDS:
            what, where = inverted.group("what"), inverted.group("where")
            found.append(f"{where} {what}")
            if len(what.split()) == 2:  # "Impingement syndrome" → "shoulder impingement"
                found.append(f"{where} {what.split()[0]}")
    return tuple(dict.fromkeys(found))


def _variants(term: str) -> tuple[str, ...]:
    """Spelling variants: eponyms with and without the possessive ("Alzheimer's disease",
    "Alzheimer disease")."""
    if "'s " in term or term.endswith("'s"):
        return (term, term.replace("'s", ""))
    return (term,)


@cache
def condition_terms(code: str, release: Release) -> tuple[str, ...]:
    """Every term that names the code's condition, longest first, without duplicates
    (kept for the life of the process, like the release)."""
    code = code.replace(".", "").upper()
    lineage = (code, *release.ancestors(code))
    collected: list[str] = list(synonyms(code))
    for each in lineage:
        collected.extend(title_terms(release.description(each) or ""))
        for inclusion in release.inclusion_terms(each):
            collected.extend(title_terms(inclusion))
    variants = [variant for term in collected for variant in _variants(term)]
    unique = {term.lower(): term for term in reversed(variants) if term.strip()}
    return tuple(sorted(unique.values(), key=lambda term: (-len(term), term.lower())))


@cache
def _patterns(terms: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """One alternation of all the terms (longest first, so the longest wins at a place):
    case-insensitive, plus one for short capital abbreviations ("OA") matched as written."""

    def term_body(term: str, plural: bool) -> str:
        words = re.findall(r"[^\s-]+", term)
        text = r"[\s-]+".join(re.escape(w) for w in words)
        # a plural ("warts", "acrochordons") names the condition as well as the singular
        if plural and words and words[-1].isalpha() and len(words[-1]) > _PLURAL_FROM:
            text += "(?:e?s)?"
        return text

    def alternation(group: list[str], flags: int) -> re.Pattern[str]:
        bodies = [term_body(t, flags == re.IGNORECASE) for t in group]
        body = "|".join(f"(?:{b})" for b in bodies)
        return re.compile(r"(?<![A-Za-z0-9])(?:" + body + r")(?![A-Za-z0-9])", flags)

    exact = [t for t in terms if t.isupper() and len(t) <= _SHORT_CASE_SENSITIVE]
    loose = [t for t in terms if t not in exact]
    patterns = []
    if loose:
        patterns.append(alternation(loose, re.IGNORECASE))
    if exact:
        patterns.append(alternation(exact, 0))
    return tuple(patterns)


def _term_of(text: str, terms: tuple[str, ...]) -> str:
    """The term a matched text was found by."""
    words = " ".join(re.findall(r"[^\s-]+", text)).lower()
    return next((t for t in terms if " ".join(re.findall(r"[^\s-]+", t)).lower() == words), text)


_ALNUM = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=4)
def _lowered(note: str) -> str:
    """The note in lower case, kept for the last few notes: a check asks about every code
    of an encounter in turn."""
    return note.lower()


@lru_cache(maxsize=4)
def _words(note: str) -> frozenset[str]:
    """The note's words (lower case, letters and digits), for the first-word filter."""
    return frozenset(_ALNUM.findall(_lowered(note)))


def _may_be_in(word: str, present: frozenset[str]) -> bool:
    """Whether the word, or its plural (a one-word term may be written "fevers"), occurs."""
    return word in present or word + "s" in present or word + "es" in present


@cache
def _first_word(term: str) -> str:
    words = _ALNUM.findall(term.lower())
    return words[0] if words else ""


@lru_cache(maxsize=4)
def _read(note: str) -> NoteReading:
    return NoteReading(note)


def find_mentions(note: str, terms: tuple[str, ...]) -> list[Mention]:
    """Mentions of any term, the longest at each place, never two over the same characters."""
    present = _words(note)  # a term whose first word is absent cannot be in the note
    candidates = tuple(term for term in terms if _may_be_in(_first_word(term), present))
    if not candidates:
        return []
    read: NoteReading | None = None
    taken: list[tuple[int, int]] = []
    mentions = []
    for pattern in _patterns(candidates):
        for match in pattern.finditer(note):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue
            read = read or _read(note)
            judged = read.judge(start, end)
            if judged is None:
                continue
            taken.append((start, end))
            sentence, assessment = judged
            term = _term_of(match.group(), candidates)
            mentions.append(Mention(term, start, end, sentence.text, assessment))
    return sorted(mentions, key=lambda mention: mention.start)


def _rank(mention: Mention) -> tuple[int, int]:
    a = mention.assessment
    if a.experiencer == "other":
        order = 5
    elif a.negation == "negated":
        order = 4
    elif a.negation == "possible":
        order = 3
    elif a.temporality == "hypothetical":
        order = 2
    elif a.temporality == "historical":
        order = 1
    else:
        order = 0
    return order, mention.start


_STATUS_BY_RANK: tuple[Status, ...] = (
    "documented",
    "historical_only",
    "hypothetical_only",
    "uncertain_only",
    "negated_only",
    "other_person_only",
)


def diagnosis_evidence(code: str, note: str, release: Release) -> DiagnosisEvidence:
    """What the note says about the coded condition (see :class:`DiagnosisEvidence`)."""
    terms = condition_terms(code, release)
    mentions = tuple(find_mentions(note, terms))
    if not mentions:
        return DiagnosisEvidence(code, "not_found", None, (), terms)
    best = min(mentions, key=_rank)
    return DiagnosisEvidence(code, _STATUS_BY_RANK[_rank(best)[0]], best, mentions, terms)


__all__ = [
    "DiagnosisEvidence",
    "Mention",
    "condition_terms",
    "diagnosis_evidence",
    "find_mentions",
    "find_phrase",
    "synonyms",
    "title_terms",
]
