"""Which codes leave the side unspecified, and which codes name it instead.

ICD-10-CM has no laterality field. It does have a regular shape: the unspecified-side code
and its right / left / bilateral siblings differ in one character and their descriptions
differ only in the side word ("Pain in unspecified knee" / "Pain in right knee"). Reading
that shape from the release, rather than keeping a list, covers every chapter and every
future release alike.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

Side = Literal["right", "left", "bilateral"]
SIDES: tuple[Side, ...] = ("right", "left", "bilateral")

_WORD = re.compile(r"[a-z0-9]+")
# Words a side sibling may add besides the side ("right dominant side").
_QUALIFIERS = frozenset({"dominant", "nondominant", "non"})
# Site words a side sibling may replace by a named limb ("unspecified extremity" -> "right leg").
_GENERIC_LIMBS = frozenset({"extremity", "limb"})
# Words that carry no meaning when comparing two descriptions.
_FILLER = frozenset({"of", "the", "and", "in", "a", "an", "to", "at", "or"})
# Where the site phrase after "right"/"left" ends.
_SITE_END = re.compile(
    r"[,;()]|\b(?:with|without|due|initial|subsequent|sequela|not|affecting)\b", re.IGNORECASE
)
_SIDE_THEN_SITE = re.compile(r"\b(?:right|left)\b(?P<site>.*)", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class SideAlternatives:
    """The codes that name the side for one unspecified-side code.

    ``site`` is what the side qualifies, in the classification's words ("knee",
    "upper limb", "female breast"; "side" when the description names no body part).
    ``codes`` maps each side to its code(s): two when the classification also splits by
    dominance ("right dominant side", "right nondominant side").
    """

    site: str
    codes: Mapping[Side, tuple[str, ...]]

    def for_side(self, side: Side) -> tuple[str, ...]:
        """Codes to report for a documented side.

        Bilateral with no bilateral code: the guidelines say to code right and left.
        """
        if side == "bilateral" and not self.codes.get("bilateral"):
            return self.codes.get("right", ())[:1] + self.codes.get("left", ())[:1]
        return self.codes.get(side, ())


def find_side_alternatives(
    code: str,
    description: str,
    variants: Mapping[str, str],
    category_leaves: Callable[[], Mapping[str, str]],
) -> SideAlternatives | None:
    """Side alternatives of ``code``, or ``None`` when it does not leave the side open.

    ``variants`` are the release's codes one character away (code -> description);
    ``category_leaves`` lists the billable codes of the category, consulted only for a
    bilateral code that sits elsewhere in the category (``M17.10`` -> ``M17.0``).
    """
    words = _words(description)
    if "unspecified" not in words or any(word in SIDES for word in words):
        return None
    found: dict[Side, list[str]] = {}
    site = ""
    for other in sorted(variants):
        side = _side_of_variant(words, _words(variants[other]))
        if side is None:
            continue
        found.setdefault(side, []).append(other)
        if side != "bilateral" and not site:
            site = _site(variants[other])
    if not found.get("right") and not found.get("left"):
        return None
    if "bilateral" not in found:
        bilateral = _bilateral_elsewhere(code, words, category_leaves())
        if bilateral:
            found["bilateral"] = [bilateral]
    return SideAlternatives(site or "side", {side: tuple(codes) for side, codes in found.items()})


def _words(text: str) -> list[str]:
    """Lower-case words with a plural 's' dropped, so "limbs" compares equal to "limb"."""
    return [
        word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word
        for word in _WORD.findall(text.lower())
    ]


def _side_of_variant(unspecified: list[str], words: list[str]) -> Side | None:
    """The side a sibling names, when it differs from the unspecified code only by it.

    The sibling must replace one "unspecified" with exactly one side word (plus dominance
    qualifiers) and may drop up to two words ("unspecified eye" -> "bilateral"), or replace
    a generic "unspecified extremity/limb" with "<side> <limb>" in place ("unspecified
    extremity" -> "right leg"). Anything else (a different fracture type, another site,
    another encounter) is not a side sibling.
    """
    added = Counter(words) - Counter(unspecified)
    removed = Counter(unspecified) - Counter(words)
    sides = [word for word in added if word in SIDES]
    if len(sides) != 1 or not removed["unspecified"]:
        return None
    removed["unspecified"] -= 1
    if sum(removed.values()) <= 2 and all(w in SIDES or w in _QUALIFIERS for w in added):
        return sides[0]  # type: ignore[return-value]
    changes = [
        (unspecified[i1:i2], words[j1:j2])
        for tag, i1, i2, j1, j2 in SequenceMatcher(None, unspecified, words, False).get_opcodes()
        if tag != "equal"
    ]
    if len(changes) == 1:
        before, after = changes[0]
        if (
            len(before) == len(after) == 2
            and before == ["unspecified", before[1]]
            and before[1] in _GENERIC_LIMBS
            and after[0] in SIDES
        ):
            return after[0]  # type: ignore[return-value]
    return None


def _site(description: str) -> str:
    """The words after "right"/"left" up to the end of that phrase: "knee", "upper limb"."""
    match = _SIDE_THEN_SITE.search(description)
    if match is None:
        return ""
    phrase = _SITE_END.split(match.group("site"), maxsplit=1)[0]
    return " ".join(word for word in phrase.lower().split() if word not in _QUALIFIERS)


def _bilateral_elsewhere(code: str, words: list[str], leaves: Mapping[str, str]) -> str | None:
    """A bilateral code of the category describing the same condition, if any."""
    wanted = set(words) - {"unspecified", "unilateral"} - _FILLER
    for other in sorted(leaves):
        other_words = set(_words(leaves[other]))
        if (
            other != code
            and "bilateral" in other_words
            and other_words - {"bilateral"} - _FILLER == wanted
        ):
            return other
    return None
