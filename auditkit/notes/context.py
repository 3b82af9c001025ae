"""Negation, temporality and experiencer of a condition mention (NegEx/ConText style).

A mention is read inside its sentence: triggers from :mod:`auditkit.notes.triggers` are
found (longest phrase first, per family), each opens a scope in its direction that ends at
the sentence end, at a termination ("but", "which", "presents" …) or after a number of
words, and the mention takes the category of every trigger whose scope reaches it. The
section the sentence sits in adds what its heading says ("Past medical history:" makes
every mention historical, "Family history:" someone else's).

The result for one mention is an :class:`Assessment`:

- ``negation``: ``negated`` ("denies chest pain", "pneumonia was ruled out"), ``possible``
  ("rule out PE", "likely viral"), else ``affirmed``; negated wins over possible;
- ``temporality``: ``historical`` ("h/o MI", "s/p CABG", "in 2005"), ``hypothetical``
  ("return if fever"), else ``recent``;
- ``experiencer``: ``other`` ("mother with breast cancer"), else ``patient``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache
from typing import Literal, NamedTuple

from auditkit.notes import triggers
from auditkit.notes.text import Section, Sentence, section_sentences, sections

Negation = Literal["affirmed", "negated", "possible"]
Temporality = Literal["recent", "historical", "hypothetical"]
Experiencer = Literal["patient", "other"]
Direction = Literal["forward", "backward", "both"]

# How many words a scope reaches at most, per family: lists of denied symptoms and of past
# conditions run long; a family member qualifies only the words near it.
_WINDOWS = {"certainty": 12, "temporality": 30, "experiencer": 8}
# A backward trigger ("... was ruled out") reaches fewer words than a forward one.
_BACKWARD_WINDOW = 6

_TOKEN = re.compile(
    r"\*\*date\[[^\]]*\]"  # de-identified date: **DATE[Apr 2007]
    r"|[a-z]/[a-z](?![a-z])"  # r/o, s/p, h/o, w/o, c/o, e/o
    r"|[a-z0-9]+(?:['’][a-z]+)?"
    r"|[.;:,()?+]"
)
_YEAR = re.compile(r"(?:19|20)\d\d$")
_SENTENCE_BREAKS = frozenset(".;:?")


class Token(NamedTuple):  # a tuple: sentences make many of them
    text: str  # lower case, or <year> / <date> / <num>
    start: int
    end: int


@dataclass(frozen=True)
class Trigger:
    phrase: str
    category: str
    direction: Direction
    window: int | None = None


class Match(NamedTuple):
    trigger: Trigger
    first: int  # token index of the first word
    last: int  # token index after the last word


@dataclass(frozen=True)
class Assessment:
    """The reader's judgment of one mention, with the triggers that decided it."""

    negation: Negation
    temporality: Temporality
    experiencer: Experiencer
    cues: tuple[str, ...] = ()

    @property
    def is_current_and_certain(self) -> bool:
        """Affirmed, the patient's own and not only historical or hypothetical."""
        return (
            self.negation == "affirmed"
            and self.temporality == "recent"
            and self.experiencer == "patient"
        )


def tokenize(text: str) -> list[Token]:
    """Lower-case words and clause punctuation with their offsets; hyphens split words."""
    tokens = []
    for match in _TOKEN.finditer(text.lower()):
        word = match.group()
        if word.startswith("**date"):
            word = "<date>"
        elif _YEAR.match(word):
            word = "<year>"
        elif word.isdigit():
            word = "<num>"
        tokens.append(Token(word, match.start(), match.end()))
    return tokens


@cache
def _lexicon(family: str) -> dict[str, tuple[tuple[tuple[str, ...], Trigger], ...]]:
    """Triggers of a family keyed by first word, longest first."""
    text = {
        "certainty": triggers.CERTAINTY,
        "temporality": triggers.TEMPORALITY,
        "experiencer": triggers.EXPERIENCER,
    }[family]
    entries: list[tuple[tuple[str, ...], Trigger]] = []
    for line in text.strip().splitlines():
        phrase, category, direction, *window = (part.strip() for part in line.split("|"))
        words = tuple(token.text for token in tokenize(phrase.replace("<", "").replace(">", "")))
        words = tuple(_placeholder(word, phrase) for word in words)
        reach = int(window[0]) if window else None
        entries.append((words, Trigger(phrase, category, direction, reach)))  # type: ignore[arg-type]
    for line in triggers.COMMON_ENDS.strip().splitlines():
        words = tuple(token.text for token in tokenize(line))
        entries.append((words, Trigger(line.strip(), "end", "forward")))
    grouped: dict[str, list[tuple[tuple[str, ...], Trigger]]] = {}
    for words, trigger in entries:
        grouped.setdefault(words[0], []).append((words, trigger))
    return {
        first: tuple(sorted(items, key=lambda item: -len(item[0])))
        for first, items in grouped.items()
    }


def _placeholder(word: str, phrase: str) -> str:
    return f"<{word}>" if f"<{word}>" in phrase else word


def find_triggers(tokens: list[Token], family: str) -> list[Match]:
    """The family's triggers in a sentence, left to right, longest phrase at each place."""
    lexicon = _lexicon(family)
    words = [token.text for token in tokens]
    found = []
    index = 0
    while index < len(words):
        for phrase, trigger in lexicon.get(words[index], ()):
            end = index + len(phrase)
            if tuple(words[index:end]) == phrase:
                found.append(Match(trigger, index, end))
                index = end
                break
        else:
            index += 1
    return found


def _in_scope(
    match: Match, matches: list[Match], tokens: list[Token], family: str, first: int, last: int
) -> bool:
    """Whether the mention (tokens ``first``..``last``-1) is inside the trigger's scope."""
    direction = match.trigger.direction
    window = _WINDOWS[family] if match.trigger.window is None else match.trigger.window
    if (
        direction in ("forward", "both")
        and match.first <= first
        and (_reaches(match.last, first, +1, matches, tokens, window))
    ):
        return True
    return (
        direction in ("backward", "both")
        and match.last >= last
        and (
            _reaches(match.first - 1, last - 1, -1, matches, tokens, min(window, _BACKWARD_WINDOW))
        )
    )


def _ends(matches: list[Match]) -> frozenset[int]:
    return frozenset(
        index for m in matches if m.trigger.category == "end" for index in range(m.first, m.last)
    )


def _reaches(
    start: int, target: int, step: int, matches: list[Match], tokens: list[Token], window: int
) -> bool:
    """Walk from ``start`` towards ``target``; False when a break comes first."""
    if (target - start) * step < 0:
        return True  # the mention overlaps the trigger ("status post CABG" as the mention)
    ends = _ends(matches)
    words = 0
    index = start
    while index != target + step:
        if index != target and (tokens[index].text in _SENTENCE_BREAKS or index in ends):
            return False
        if index != target:
            words += tokens[index].text not in {",", "(", ")"}
            if words > window:
                return False
        index += step
    return True


def judge(tokens: list[Token], first: int, last: int, section: Section | None = None) -> Assessment:
    """The assessment of the mention spanning tokens ``first``..``last``-1 of a sentence."""
    cues: list[str] = []
    found: dict[str, set[str]] = {}
    # The mention's own words are no certainty trigger: "no CHANGE IN VISION" is a negated
    # change in vision, not the pseudo-trigger "no change".
    masked = [
        Token("<target>", token.start, token.end) if first <= index < last else token
        for index, token in enumerate(tokens)
    ]
    for family in ("certainty", "temporality", "experiencer"):
        matches = find_triggers(masked if family == "certainty" else tokens, family)
        for match in matches:
            category = match.trigger.category
            if category in ("end", "pseudo"):
                continue
            if _in_scope(match, matches, tokens, family, first, last):
                found.setdefault(family, set()).add(category)
                cues.append(match.trigger.phrase)
    certainty = found.get("certainty", set())
    temporality = found.get("temporality", set())
    negation: Negation = (
        "negated"
        if "negated" in certainty
        else "possible"
        if "possible" in certainty
        else "affirmed"
    )
    experiencer: Experiencer = "other" if found.get("experiencer") else "patient"
    when: Temporality = (
        "historical"
        if "historical" in temporality
        else "hypothetical"
        if "hypothetical" in temporality
        else "recent"
    )
    if section is not None and section.kind != "current":
        cues.append(f"section {section.name}")
        if section.kind == "family":
            experiencer = "other"
        if when == "recent":
            when = "historical"
    return Assessment(negation, when, experiencer, tuple(cues))


def mention_tokens(tokens: list[Token], start: int, end: int) -> tuple[int, int] | None:
    """Token indices of the characters ``start``..``end`` of the tokenized text."""
    inside = [i for i, token in enumerate(tokens) if token.start < end and token.end > start]
    return (inside[0], inside[-1] + 1) if inside else None


def find_phrase(text: str, phrase: str) -> list[tuple[int, int]]:
    """Where ``phrase`` occurs in ``text``: case-insensitive, any run of spaces or a
    hyphen between words, whole words only."""
    words = [re.escape(word) for word in re.findall(r"[^\s-]+", phrase)]
    if not words:
        return []
    pattern = re.compile(
        r"(?<![A-Za-z0-9])" + r"[\s-]+".join(words) + r"(?![A-Za-z0-9])", re.IGNORECASE
    )
    return [match.span() for match in pattern.finditer(text)]


class NoteReading:
    """A note split once into sections, a section into sentences when a mention in it is
    judged: for judging many mentions of one note."""

    def __init__(self, note: str) -> None:
        self.note = note
        self.sections = sections(note)
        self.starts = [section.start for section in self.sections]
        self.sentences: dict[int, tuple[list[int], list[Sentence]]] = {}

    def _sentence_at(self, at: int) -> Sentence | None:
        index = bisect.bisect_right(self.starts, at) - 1
        if index < 0:
            return None
        if index not in self.sentences:
            found = list(section_sentences(self.note, self.sections[index]))
            self.sentences[index] = ([sentence.start for sentence in found], found)
        starts, found = self.sentences[index]
        position = bisect.bisect_right(starts, at) - 1
        return found[position] if position >= 0 else None

    def judge(self, start: int, end: int) -> tuple[Sentence, Assessment] | None:
        sentence = self._sentence_at(start)
        if sentence is None:
            return None
        tokens = tokenize(sentence.text)
        span = mention_tokens(tokens, start - sentence.start, end - sentence.start)
        if span is None:
            return None
        return sentence, judge(tokens, span[0], span[1], sentence.section)


def assess_at(note: str, start: int, end: int) -> Assessment:
    """The assessment of the mention at characters ``start``..``end`` of a note."""
    judged = NoteReading(note).judge(start, end)
    return judged[1] if judged else Assessment("affirmed", "recent", "patient")


def assess(condition: str, text: str) -> Assessment | None:
    """The reader's judgment of ``condition`` as written in ``text`` (a sentence or a whole
    note); ``None`` when the text does not mention it.

    When the condition occurs more than once, an occurrence written in capitals inside
    mixed-case text is taken (the convention of annotated corpora to mark the target);
    otherwise the first one that is not negated, else the first.
    """
    spans = find_phrase(text, condition)
    if not spans:
        return None
    reading = NoteReading(text)
    in_text = [s for s in spans if not any(h.in_heading(s[0]) for h in reading.sections)]
    spans = in_text or spans
    marked = [s for s in spans if text[s[0] : s[1]].isupper()]
    if marked and len(marked) < len(spans):
        spans = marked[:1]
    judgments = [judged[1] for span in spans if (judged := reading.judge(*span))]
    if not judgments:
        return Assessment("affirmed", "recent", "patient")
    return next((j for j in judgments if j.negation != "negated"), judgments[0])
