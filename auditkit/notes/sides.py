"""Reading a note for the side of a condition: sentences, side words, negation, attachment.

The question SPC003 asks of a note is narrow: does it document on which side the coded
condition is? Answering it takes four steps, each a function here:

1. split the note into sentences (line breaks and sentence ends, abbreviations kept whole);
2. find side words: right / left / bilateral and the ways clinicians write them (``R``,
   ``lt.``, ``right-sided``, ``bilat``, ``b/l``, ``both knees``, ``on the left``, ``OD``,
   ``RLE`` …), leaving out "left the clinic", "right away" and handedness;
3. drop side words inside a negation or someone else's history ("no left knee swelling",
   "left TM clear", "mother had left breast cancer"), NegEx-style: a trigger word and a
   scope that ends at the clause;
4. attach each side word to what it qualifies: the code's body part (evidence), another
   body part (not evidence: "right shoulder bursitis" says nothing about the knee), the
   condition itself ("left CTS"), or nothing ("worse on the left", read with its sentence
   or, failing that, the sentence before).

Sentences that also mention the condition give strong evidence; a side on the body part
alone ("Exam: left knee crepitus") is weaker and is used only when nothing stronger is
found. Right and left together, or "bilateral", mean bilateral.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from auditkit.codesets import Side
from auditkit.notes.vocabulary import (
    SIDED_LIMBS,
    ConditionTerms,
    anatomy_region,
    word_set,
)

Target = Literal["site", "condition", "other"]

# "rt." and "lt." keep their period so that it is not read as punctuation.
_TOKEN = re.compile(r"\b(?i:rt|lt)\.|[A-Za-z]+(?:['’-][A-Za-z]+)*|\d+(?:\.\d+)?|\S")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")
_BILATERAL_SHORTHAND = re.compile(r"\bb/l\b", re.IGNORECASE)
# Words ending in a period that do not end a sentence.
_ABBREVIATIONS = word_set(
    """rt lt dr vs pt approx hx dx fx sx tx mr mrs ms st no eg ie etc resp temp wt ht"""
)
_CLAUSE_END = frozenset(".;:!?")
_LIST_BREAK = frozenset(".;:!?,()")

_RIGHT = frozenset({"right", "rt", "r"})
_LEFT = frozenset({"left", "lt", "l"})
_BILATERAL = frozenset({"bilateral", "bilat"})
_EYE_SIDES: dict[str, Side] = {"OD": "right", "OS": "left", "OU": "bilateral"}
_PLACE_WORDS = frozenset({"on", "to", "at", "in", "over", "from", "of"})
_SIDE_NOUNS = frozenset({"side", "sided", "aspect"})
_JOINERS = frozenset({"and", "or", "&", "/", "greater", "than", "more", ">", "the"})

# Negation triggers, one per line, words separated by spaces ("r / o" is how "r/o" tokenizes).
_PRE_NEGATION_TEXT = """
no
not
denies
denied
deny
denying
without
negative for
free of
absence of
never
rule out
ruled out
r / o
"""
# Someone else's condition, not the patient's: read like a negation.
_OTHER_PERSON_TEXT = """
mother
father
sister
brother
daughter
son
aunt
uncle
grandmother
grandfather
family history
fh
fhx
maternal
paternal
"""


def _triggers_by_first_word(*texts: str) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Trigger phrases grouped by their first word, so a sentence is scanned once."""
    grouped: dict[str, list[tuple[str, ...]]] = {}
    for text in texts:
        for line in text.strip().splitlines():
            words = tuple(line.split())
            grouped.setdefault(words[0], []).append(words)
    return {first: tuple(triggers) for first, triggers in grouped.items()}


_PRE_NEGATIONS = _triggers_by_first_word(_PRE_NEGATION_TEXT, _OTHER_PERSON_TEXT)
_PSEUDO_NEGATIONS = frozenset({"change", "increase", "decrease", "only", "further", "certain"})
# Status words that negate their whole clause, before or after them ("left TM clear").
_STATUS_NEGATIONS = word_set(
    """normal unremarkable negative clear wnl resolved healed spared uninvolved unaffected"""
)
_SCOPE_ENDS = word_set("""but however although though except which while whereas yet aside""")
# Words after "left"/"right" that show it is not a side.
_NOT_AHEAD = word_set(
    """away now after before then when without with the a an message voicemail home work
    early here there alone it him her them us me at in on for to from by of is was and
    or but so as upon into"""
)
_NEGATION_WINDOW = 6
_ATTACH_WINDOW = 4
QUOTE_LENGTH = 200


@dataclass(frozen=True)
class Token:
    text: str
    start: int

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum()


@dataclass(frozen=True)
class SideMention:
    """A side word in a sentence. ``looks`` says where its noun is expected: "ahead"
    ("right knee"), "behind" ("knee, right", "on the left"), "both" ("bilateral"), or
    "fixed" for words that carry their body part ("OD", "RLE": ``region`` holds it)."""

    side: Side
    index: int
    looks: Literal["ahead", "behind", "both", "fixed"]
    region: str | None = None


@dataclass(frozen=True)
class SideEvidence:
    """The side a note documents for a condition, and the sentence that shows it."""

    side: Side
    sentence: str
    at: int  # character offset of the side word in the sentence

    def excerpt(self, length: int = QUOTE_LENGTH) -> str:
        """The sentence trimmed to ``length`` characters around the side word."""
        return quote(self.sentence, self.at, length)


def split_sentences(text: str) -> list[str]:
    """Sentences of a note: every line, split again where a sentence ends."""
    sentences = []
    for line in text.splitlines():
        start = 0
        for match in _SENTENCE_END.finditer(line):
            before = re.findall(r"[A-Za-z.]+$", line[start : match.start()])
            if before and before[0].replace(".", "").lower() in _ABBREVIATIONS:
                continue
            sentences.append(line[start : match.end()].strip())
            start = match.end()
        sentences.append(line[start:].strip())
    return [sentence for sentence in sentences if sentence]


def tokenize(sentence: str) -> list[Token]:
    sentence = _BILATERAL_SHORTHAND.sub("bilat", sentence)
    return [Token(match.group(), match.start()) for match in _TOKEN.finditer(sentence)]


def negated_indices(tokens: list[Token]) -> set[int]:
    """Token positions inside a negation (or another person's history)."""
    lowers = [token.lower for token in tokens]
    negated: set[int] = set()
    for index, lower in enumerate(lowers):
        for trigger in _PRE_NEGATIONS.get(lower, ()):
            end = index + len(trigger)
            if tuple(lowers[index:end]) == trigger and not _is_pseudo(lowers, end):
                negated.update(_scope_ahead(tokens, end))
        if lower in _STATUS_NEGATIONS:
            negated.update(_clause_around(tokens, index))
    return negated


def _is_pseudo(lowers: list[str], after: int) -> bool:
    return after < len(lowers) and lowers[after] in _PSEUDO_NEGATIONS


def _scope_ahead(tokens: list[Token], start: int) -> Iterator[int]:
    words = 0
    for index in range(start, len(tokens)):
        token = tokens[index]
        if token.text in _CLAUSE_END or token.lower in _SCOPE_ENDS:
            return
        yield index
        words += token.is_word
        if words >= _NEGATION_WINDOW:
            return


def _clause_around(tokens: list[Token], index: int) -> range:
    """The clause holding ``index``: between list breaks or scope-ending conjunctions."""
    start = index
    while start > 0 and not _breaks_clause(tokens[start - 1]):
        start -= 1
    end = index
    while end + 1 < len(tokens) and not _breaks_clause(tokens[end + 1]):
        end += 1
    return range(start, end + 1)


def _breaks_clause(token: Token) -> bool:
    return token.text in _LIST_BREAK or token.lower in _SCOPE_ENDS


def side_mentions(tokens: list[Token]) -> Iterator[SideMention]:
    """Every side word of a sentence that is used as a side."""
    for index, token in enumerate(tokens):
        mention = _mention_at(tokens, index)
        if mention is not None:
            yield mention
        elif token.lower == "both" and _ahead_is_anatomy(tokens, index, plural=True):
            yield SideMention("bilateral", index, "ahead")


def _mention_at(tokens: list[Token], index: int) -> SideMention | None:
    token = tokens[index]
    lower = token.lower
    if token.text in _EYE_SIDES:
        return SideMention(_EYE_SIDES[token.text], index, "fixed", "eye")
    if lower in SIDED_LIMBS:
        limb_side, limb = SIDED_LIMBS[lower]
        return SideMention(limb_side, index, "fixed", limb)  # type: ignore[arg-type]
    if lower == "bilaterally":
        return SideMention("bilateral", index, "behind")
    head, _, tail = lower.rstrip(".").partition("-")
    side = _side_word(head)
    if side is None:
        return None
    if tail:  # "right-sided" yes; "right-handed", "left-over" no
        return SideMention(side, index, "both") if tail in _SIDE_NOUNS else None
    if _is_handedness(tokens, index):
        return None
    if side == "bilateral":
        return SideMention(side, index, "both")
    return _right_or_left(tokens, index, side)


def _side_word(word: str) -> Side | None:
    if word in _RIGHT:
        return "right"
    if word in _LEFT:
        return "left"
    if word in _BILATERAL:
        return "bilateral"
    return None


def _right_or_left(tokens: list[Token], index: int, side: Side) -> SideMention | None:
    """Right/left used as a side, told apart from "left the clinic" and "right away"."""
    before = [token.lower for token in tokens[max(0, index - 2) : index]]
    after = tokens[index + 1] if index + 1 < len(tokens) else None
    text = tokens[index].text
    single_letter = len(text) == 1
    if _ahead_is_anatomy(tokens, index, plural=False):
        return SideMention(side, index, "ahead")  # "R knee", "right and left knee"
    if len(before) == 2 and before[0] in _PLACE_WORDS and before[1] == "the":
        if after is not None and after.lower == "of":
            return None  # "to the right of the limbus": a position, not a side
        return SideMention(side, index, "behind")  # "on the left", "to the R"
    if after is not None and after.lower in _SIDE_NOUNS:
        return SideMention(side, index, "both")  # "left side"
    standalone_before = index == 0 or tokens[index - 1].text in _LIST_BREAK | {"-"}
    standalone_after = after is None or after.text in _LIST_BREAK
    if standalone_before and standalone_after and not (single_letter and text.islower()):
        return SideMention(side, index, "behind")  # "Breast cancer, right, …", "ca (R)"
    if not single_letter and after is not None and _is_term(after):
        return SideMention(side, index, "ahead")  # "left CTS", "right breast cancer"
    return None


def _is_handedness(tokens: list[Token], index: int) -> bool:
    following = [token.lower for token in tokens[index + 1 : index + 4]]
    return bool(following) and following[0] in {"hand", "handed"} and "dominant" in following


def _ahead_is_anatomy(tokens: list[Token], index: int, plural: bool) -> bool:
    for token in _words_ahead(tokens, index, limit=2):
        if anatomy_region(token.lower) is not None or token.lower == "sides":
            return not plural or token.lower.endswith("s") or token.lower == "feet"
    return False


def _is_term(token: Token) -> bool:
    """A clinical word (not a verb or adverb such as "without", "away") follows a side."""
    return token.is_word and token.lower not in _NOT_AHEAD


def _words_ahead(tokens: list[Token], index: int, limit: int) -> list[Token]:
    """Up to ``limit`` words after ``index`` in the same clause, skipping joiners and
    other side words ("right and left knee")."""
    found = []
    for token in tokens[index + 1 :]:
        if token.text in _LIST_BREAK:
            break
        if token.lower in _JOINERS or _side_word(token.lower.partition("-")[0]):
            continue
        found.append(token)
        if len(found) >= limit:
            break
    return found


def attachment(tokens: list[Token], mention: SideMention, terms: ConditionTerms) -> Target | None:
    """What the side word qualifies: the code's site, the condition, another body part,
    or ``None`` when nothing near it says."""
    if mention.looks == "fixed":
        return "site" if terms.is_site(mention.region or "") else "other"
    ahead = _scan(tokens, range(mention.index + 1, len(tokens)), terms, crossing_commas=False)
    behind = _scan(tokens, range(mention.index - 1, -1, -1), terms, crossing_commas=True)
    if mention.looks == "ahead":
        return ahead
    if mention.looks == "behind":
        return behind
    return ahead or behind


def _scan(
    tokens: list[Token], indices: range, terms: ConditionTerms, crossing_commas: bool
) -> Target | None:
    words = 0
    for index in indices:
        token = tokens[index]
        if token.text in _CLAUSE_END or (token.text == "," and not crossing_commas):
            return None
        if not token.is_word:
            continue
        before = tokens[index - 1].lower if index > 0 else ""
        if terms.is_site(token.text, before):
            return "site"
        if anatomy_region(token.lower, before) is not None:
            return "other"
        if terms.names_condition(token.text):
            return "condition"
        words += 1
        if words > _ATTACH_WINDOW:
            return None
    return None


@dataclass(frozen=True)
class _Clue:
    side: Side
    strong: bool
    sentence: str
    at: int  # character offset of the side word in the sentence


def documented_side(note: str, terms: ConditionTerms) -> SideEvidence | None:
    """The side the note documents for the condition, or ``None`` when it does not say."""
    clues = list(_clues(note, terms))
    strong = [clue for clue in clues if clue.strong]
    chosen = strong or clues
    if not chosen:
        return None
    sides = {clue.side for clue in chosen}
    side: Side
    if "bilateral" in sides or {"right", "left"} <= sides:
        side = "bilateral"
    else:
        side = chosen[0].side
    first = next(clue for clue in chosen if clue.side == side or side == "bilateral")
    return SideEvidence(side, first.sentence, first.at)


def _clues(note: str, terms: ConditionTerms) -> Iterator[_Clue]:
    previous_mentions_condition = False
    for sentence in split_sentences(note):
        tokens = tokenize(sentence)
        words = [token for token in tokens if token.is_word]
        site = any(terms.is_site(token.text) for token in words)
        condition = _mentions_condition(sentence, words, terms, site)
        anatomy = any(anatomy_region(token.lower) for token in words)
        negated = negated_indices(tokens)
        for mention in side_mentions(tokens):
            if mention.index in negated:
                continue
            target = attachment(tokens, mention, terms)
            strong = _strength(target, condition, site, terms)
            if strong is None and target is None and previous_mentions_condition and not anatomy:
                strong = False  # "Knee pain. It is worse on the left."
            if strong is not None:
                yield _Clue(mention.side, strong, sentence, tokens[mention.index].start)
        previous_mentions_condition = condition or site


def _strength(
    target: Target | None, condition: bool, site: bool, terms: ConditionTerms
) -> bool | None:
    """True strong evidence, False weak, None not evidence for this condition."""
    if target == "site":
        return condition
    if target == "condition":
        return True
    if target == "other":
        return True if terms.generic_site and condition else None
    if condition or site:
        return condition
    return None


def _mentions_condition(
    sentence: str, words: list[Token], terms: ConditionTerms, site: bool
) -> bool:
    """The sentence names the condition: its own words, or a loose synonym ("mass",
    "pain") together with the code's body part."""
    lower = sentence.lower()
    if any(terms.names_condition(token.text) for token in words):
        return True
    if any(phrase in lower for phrase in terms.condition_phrases):
        return True
    return site and any(terms.loosely_names_condition(token.text) for token in words)


def quote(sentence: str, at: int = 0, length: int = QUOTE_LENGTH) -> str:
    """The sentence on one line, trimmed to ``length`` characters around position ``at``."""
    sentence = " ".join(sentence.split())
    if len(sentence) <= length:
        return sentence
    start = max(0, min(at - length // 2, len(sentence) - length))
    text = sentence[start : start + length].strip()
    return ("…" if start else "") + text + ("…" if start + length < len(sentence) else "")
