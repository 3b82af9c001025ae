"""A note cut into sections and sentences, each piece keeping its place in the note.

Sections matter because a header changes what its text means: a condition listed under
"Past medical history:" is historical, one under "Family history:" is someone else's. A
header is a known heading name followed by a colon ("PMH:", "Assessment/Plan:", "ROS:"), or
any short upper-case heading with a colon ("WALL THICKNESS:"), which ends the section before
it. Headers are found at the start of a line, after a sentence end, or after a run of
spaces (transcribed notes often lose their line breaks and keep only wide gaps).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

SectionKind = Literal["current", "historical", "family", "social", "allergies"]

# Heading names (lower case, single spaces) and what their text is about. Names not listed
# here still end the section before them and count as "current".
_HEADINGS: dict[str, SectionKind] = {}
for _kind, _names in {
    "historical": """past medical history|past medical hx|past medical/surgical history|
        past medical and surgical history|past surgical history|past history|medical history|
        surgical history|previous medical history|pmh|pmhx|psh|pshx|pmh/psh|
        prior history|past hx|medical hx|surgical hx""",
    "family": "family history|family hx|fhx|fh|family medical history|family/social history",
    "social": "social history|social hx|shx|sh|habits|tobacco|alcohol|social",
    "allergies": "allergies|allergy|drug allergies|allergies/adverse reactions",
    "current": """history of present illness|hpi|chief complaint|cc|reason for visit|
        reason for admission|review of systems|ros|physical exam|physical examination|exam|
        examination|assessment|assessment and plan|assessment/plan|a/p|a&p|impression|
        plan|diagnosis|diagnoses|indication|indications|hospital course|findings|
        subjective|objective|vitals|labs|medications|meds|current medications|
        discharge diagnosis|discharge diagnoses|admission diagnosis|final diagnosis|
        problem list|active problems|hpi and hospital course|ed course|procedure|
        history|patient history|clinical history|referring diagnosis""",
}.items():
    for _name in _names.split("|"):
        _HEADINGS[" ".join(_name.split())] = _kind  # type: ignore[assignment]

# A heading is a name of up to seven words right before a colon, itself right after the
# start of a line, a sentence end or a wide gap. Found from the colons (few) backwards.
_COLON = re.compile(r":(?![0-9/])")
_NAME = r"(?P<name>[A-Za-z][A-Za-z/&,()'-]*(?:[ \t][A-Za-z/&,()'-]+){0,6})[ \t]*$"
# (".," is where some exports put a line break: "...neck.,POSTOPERATIVE DIAGNOSIS: ...")
_NAME_AFTER_BREAK = re.compile(r"(?:\n|[ \t]{2}|[.;],?\s|[.;],)" + _NAME)
_NAME_AT_START = re.compile(r"(?:^|\n|[ \t]{2}|[.;],?\s|[.;],)" + _NAME)
_LOOK_BACK = 90
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|\n|;\s")
# Words ending in a period that do not end a sentence.
_NO_END_BEFORE = frozenset(
    re.split(
        r"\s+",
        """dr drs mr mrs ms st vs pt pts approx hx dx fx sx tx rx no eg ie etc resp temp wt ht
        p.o q.d b.i.d t.i.d q.i.d p.r.n a.m p.m i.v e.g i.e cm mm mg ml kg""",
    )
)


@dataclass(frozen=True)
class Section:
    """A stretch of the note under one heading (``name`` is None before the first)."""

    name: str | None
    kind: SectionKind
    start: int  # where the heading starts (the body, when there is no heading)
    end: int
    body: int  # where the text after the heading starts

    def in_heading(self, at: int) -> bool:
        return self.start <= at < self.body


@dataclass(frozen=True)
class Sentence:
    """A sentence of the note, its offsets and the section it belongs to."""

    text: str
    start: int
    end: int
    section: Section


_OWNER = re.compile(r"^(?:his|her|the|patient's|pt's|pt|patient)\s+")


def heading_kind(name: str) -> SectionKind | None:
    """What a known heading is about ("His social history" is "social history");
    ``None`` for a name that is not a heading."""
    return _HEADINGS.get(_OWNER.sub("", " ".join(name.lower().split())))


def sections(note: str) -> list[Section]:
    """The note's sections, in order; text before the first heading is "current"."""
    found: list[tuple[int, int, str, SectionKind]] = []
    after = 0  # a heading starts after the previous one ends
    for colon in _COLON.finditer(note):
        begin = max(after, colon.start() - _LOOK_BACK)
        pattern = _NAME_AT_START if begin == 0 or begin == after else _NAME_AFTER_BREAK
        match = pattern.search(note[begin : colon.start()])
        if match is None:
            continue
        name = match.group("name")
        kind = heading_kind(name)
        if kind is None:
            if not (name.isupper() and len(name) >= 3):
                continue  # "Wall thickness:" in running text is not a heading
            kind = "current"
        found.append((begin + match.start("name"), colon.end(), name, kind))
        after = colon.end()
    result = []
    heading_start, body, name_before, kind_before = 0, 0, None, "current"
    for start, end, name, kind in found:
        result.append(Section(name_before, kind_before, heading_start, start, body))  # type: ignore[arg-type]
        heading_start, body, name_before, kind_before = start, end, name, kind
    result.append(Section(name_before, kind_before, heading_start, len(note), body))  # type: ignore[arg-type]
    return [section for section in result if section.end > section.start]


def sentences(note: str) -> Iterator[Sentence]:
    """Every sentence of the note with its section: split at sentence ends, semicolons
    and line breaks, never inside an abbreviation ("Dr.", "b.i.d.") or a number."""
    for section in sections(note):
        yield from section_sentences(note, section)


def section_sentences(note: str, section: Section) -> Iterator[Sentence]:
    """The sentences of one section (its heading starts the first)."""
    start = section.start
    for match in _SENTENCE_END.finditer(note, section.start, section.end):
        if match.group().startswith(".") and _abbreviation_before(note, start, match.start()):
            continue
        yield from _trimmed(note, start, match.end(), section)
        start = match.end()
    yield from _trimmed(note, start, section.end, section)


_WORD_AT_END = re.compile(r"[A-Za-z.]+$")


def _abbreviation_before(note: str, start: int, at: int) -> bool:
    word = _WORD_AT_END.search(note, max(start, at - 12), at)
    return word is not None and word.group().strip(".").lower() in _NO_END_BEFORE


def _trimmed(note: str, start: int, end: int, section: Section) -> Iterator[Sentence]:
    text = note[start:end]
    stripped = text.strip()
    if stripped:
        offset = start + len(text) - len(text.lstrip())
        yield Sentence(stripped, offset, offset + len(stripped), section)
