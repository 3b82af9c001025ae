"""ICD-10-CM releases and the choice of the release in effect on a date of service.

A diagnosis code is valid only in the releases that contain it, so every question a check
asks ("is it valid?", "is it billable?", "what does its Excludes1 note say?") is asked of
one :class:`Icd10cmRelease`, chosen by :meth:`CodeSets.for_date`.

Where the data comes from
    The tabular list is read by the ``simple_icd_10_cm`` package, which ships the CDC
    April 1, 2026 update. That package keeps one release in module-level state
    (``change_version`` swaps it), so a release here never calls the package's lookup
    functions: it keeps its own snapshot of the package's parsed tree, taken right after
    loading. A release loaded later from CDC files can therefore live beside the shipped
    one: load it with ``change_version(codes_txt, tabular_xml)``, snapshot it with
    :func:`_snapshot`, restore the shipped data with ``change_version()``, and add the
    :class:`Icd10cmRelease` to :class:`CodeSets`. Checks do not change.

Codes are passed in storage form (upper case, no dot); a dotted code is accepted too.
Derived answers (exclusions, placeholders, side siblings) are cached for the life of the
release, which lives as long as the process.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

from auditkit.codesets.laterality import SideAlternatives, find_side_alternatives
from auditkit.codesets.references import CodeReference, parse_references, undotted

# Node types of the package's tree that are codes (chapters and blocks are not).
_CODE_TYPES = frozenset({"category", "subcategory", "extended subcategory"})
# A digit second, except FY2026's QA0 category (letter second)
_WELL_FORMED = re.compile(r"^(?:[A-Z][0-9]|QA)[0-9A-Z][0-9A-Z]{0,4}$")
_PLACEHOLDER = "X"

Node = Any  # simple_icd_10_cm's private _CodeTree; see _snapshot for the fields read


@dataclass(frozen=True)
class InstructionalNote:
    """A tabular note (e.g. "Code first") and the code or block it is written on."""

    source: str
    text: str

    @property
    def references(self) -> tuple[CodeReference, ...]:
        return parse_references(self.text, self.source)


def _snapshot() -> dict[str, Node]:
    """The codes of the release the package holds right now, keyed by undotted code.

    Reads the package's private index once. The node fields used are ``name``, ``type``,
    ``description``, ``parent``, ``children``, ``excludes1``, ``code_first``,
    ``code_first_ancestor``, ``seven_chr_def`` and ``seven_chr_def_ancestor``; a test pins
    them against the package's public functions so an upgrade that changes them fails loudly.
    """
    with warnings.catch_warnings():
        # the package loads its data with importlib.resources calls deprecated in 3.11
        warnings.simplefilter("ignore", DeprecationWarning)
        from simple_icd_10_cm import simple_icd_10_cm as library

    return {
        undotted(node.name): node
        for node in library._code_to_node.values()
        if node.type in _CODE_TYPES
    }


class Icd10cmRelease:
    """One ICD-10-CM release: its codes, hierarchy and instructional notes.

    ``effective_from`` / ``effective_to`` bound the dates of service it governs. The node
    index is loaded on first use, so building a release (and importing auditkit) is cheap.
    """

    def __init__(
        self,
        name: str,
        effective_from: dt.date,
        effective_to: dt.date,
        load: Callable[[], Mapping[str, Node]],
    ) -> None:
        self.name = name
        self.effective_from = effective_from
        self.effective_to = effective_to
        self._load = load

    def __repr__(self) -> str:
        return f"Icd10cmRelease({self.name!r}, {self.effective_from}..{self.effective_to})"

    @property
    def window(self) -> str:
        return f"{self.effective_from.isoformat()} to {self.effective_to.isoformat()}"

    def covers(self, date_of_service: dt.date) -> bool:
        return self.effective_from <= date_of_service <= self.effective_to

    @cached_property
    def _nodes(self) -> Mapping[str, Node]:
        return self._load()

    def _node(self, code: str) -> Node | None:
        return self._nodes.get(undotted(code))

    # --- validity -------------------------------------------------------------------

    @staticmethod
    def is_well_formed(code: str) -> bool:
        """Shaped like an ICD-10-CM code: letter, digit, alphanumeric, up to 4 more."""
        return bool(_WELL_FORMED.match(undotted(code)))

    def is_valid(self, code: str) -> bool:
        """A category, subcategory or full code of this release (not a chapter or block)."""
        return self._node(code) is not None

    def is_billable(self, code: str) -> bool:
        """Valid and a leaf: nothing more specific exists, 7th character included."""
        node = self._node(code)
        return node is not None and not node.children

    @cache  # noqa: B019 - releases live for the whole process
    def with_placeholders(self, code: str) -> str | None:
        """The valid code this invalid code becomes when placeholder X's are inserted.

        ``T3601A`` -> ``T360X1A``; ``O4010`` -> ``O401XX0``. Placeholders stand after the
        fourth character at the earliest and a code has at most seven characters. Fewest
        X's first; ``None`` when the code is valid already or no insertion makes it valid.
        """
        code = undotted(code)
        if self.is_valid(code) or not self.is_well_formed(code):
            return None
        for count in range(1, 8 - len(code)):
            for position in range(4, len(code) + 1):
                candidate = code[:position] + _PLACEHOLDER * count + code[position:]
                if self.is_valid(candidate):
                    return candidate
        return None

    # --- hierarchy ------------------------------------------------------------------

    def description(self, code: str) -> str | None:
        node = self._node(code)
        return node.description if node is not None else None

    def inclusion_terms(self, code: str) -> tuple[str, ...]:
        """The tabular list's inclusion terms written under the code (its own only)."""
        node = self._node(code)
        return tuple(getattr(node, "inclusion_term", ()) or ()) if node is not None else ()

    def children(self, code: str) -> tuple[str, ...]:
        node = self._node(code)
        return tuple(undotted(child.name) for child in node.children) if node else ()

    def parent(self, code: str) -> str | None:
        """The enclosing category or subcategory; ``None`` for a category."""
        ancestors = self.ancestors(code)
        return ancestors[0] if ancestors else None

    def ancestors(self, code: str) -> tuple[str, ...]:
        """Enclosing codes, nearest first (blocks and chapters left out)."""
        return tuple(
            undotted(node.name) for node in self._lineage(code)[1:] if node.type in _CODE_TYPES
        )

    def _lineage(self, code: str) -> list[Node]:
        """The code's node, then every enclosing node up to its chapter."""
        node = self._node(code)
        lineage = []
        while node is not None:
            lineage.append(node)
            node = node.parent
        return lineage

    def descendants(self, code: str) -> Iterator[str]:
        """Every code below this one, depth first."""
        node = self._node(code) if self.is_valid(code) else None
        stack = list(reversed(node.children)) if node is not None else []
        while stack:
            node = stack.pop()
            yield undotted(node.name)
            stack.extend(reversed(node.children))

    # --- instructional notes --------------------------------------------------------

    @cache  # noqa: B019
    def excludes1(self, code: str) -> tuple[CodeReference, ...]:
        """Code references of the Excludes1 notes on this code and everything enclosing it.

        A note on a category, block or chapter applies to every code inside it, so a code's
        exclusions are the union along its lineage. Notes that name no code (e.g. "certain
        localized infections - see body system-related chapters") yield no reference.
        """
        return tuple(
            reference
            for node in self._lineage(code)
            for note in node.excludes1
            for reference in parse_references(note, undotted(node.name))
        )

    @cache  # noqa: B019
    def code_first(self, code: str) -> InstructionalNote | None:
        """The "Code first" note on this code or its nearest ancestor having one."""
        node = self._node(code)
        if node is None:
            return None
        holder = node if node.code_first else node.code_first_ancestor
        if holder is None or not holder.code_first:
            return None
        return InstructionalNote(undotted(holder.name), holder.code_first)

    def seven_chr_def(self, code: str) -> Mapping[str, str]:
        """7th characters this code takes (character -> meaning), from it or an ancestor."""
        node = self._node(code)
        if node is None:
            return {}
        holder = node if node.seven_chr_def else node.seven_chr_def_ancestor
        return dict(holder.seven_chr_def) if holder is not None else {}

    # --- laterality -----------------------------------------------------------------

    @cache  # noqa: B019
    def side_alternatives(self, code: str) -> SideAlternatives | None:
        """For an unspecified-side code, the codes that name the side instead.

        ``M1710`` (unspecified knee) -> right ``M1711``, left ``M1712``, bilateral ``M170``.
        ``None`` when the code does not leave the side unspecified.
        """
        code = undotted(code)
        description = self.description(code)
        if description is None:
            return None
        return find_side_alternatives(
            code, description, self._one_character_variants(code), self._category_leaves(code)
        )

    def _one_character_variants(self, code: str) -> dict[str, str]:
        """Codes of this release differing from ``code`` in one character after the
        category, with their descriptions: where ICD-10-CM puts its side siblings."""
        variants = {}
        for position in range(3, len(code)):
            for character in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ":
                candidate = code[:position] + character + code[position + 1 :]
                if candidate != code and (node := self._nodes.get(candidate)) is not None:
                    variants[candidate] = node.description
        return variants

    def _category_leaves(self, code: str) -> Callable[[], dict[str, str]]:
        """Billable codes of the code's category with descriptions, computed on demand."""

        def leaves() -> dict[str, str]:
            return {
                other: self._nodes[other].description
                for other in self.descendants(code[:3])
                if not self._nodes[other].children
            }

        return leaves


@dataclass(frozen=True)
class ReleaseChoice:
    """The release used for a date of service, and whether the date is inside its window."""

    release: Icd10cmRelease
    date_of_service: dt.date
    in_window: bool

    @property
    def explanation(self) -> str:
        """One sentence for finding evidence: which release judged the code, and why."""
        used = f"{self.release.name} (in effect {self.release.window})"
        if self.in_window:
            return f"Checked against {used}."
        return (
            f"No known release covers the date of service {self.date_of_service.isoformat()}; "
            f"checked against the nearest, {used}."
        )


SHIPPED_RELEASE = Icd10cmRelease(
    # The package ships the CDC April 1, 2026 update. It is used for the whole FY2026
    # window: without the October 1, 2025 file, codes added on April 1, 2026 cannot be
    # told apart, so they are accepted for October 2025 - March 2026 dates of service too.
    name="ICD-10-CM FY2026 (April 1, 2026 update)",
    effective_from=dt.date(2025, 10, 1),
    effective_to=dt.date(2026, 9, 30),
    load=_snapshot,
)


class CodeSets:
    """The ICD-10-CM releases known to auditkit; with no arguments, the shipped one."""

    def __init__(self, releases: Sequence[Icd10cmRelease] | None = None) -> None:
        self.releases: tuple[Icd10cmRelease, ...] = (
            (SHIPPED_RELEASE,) if releases is None else tuple(releases)
        )
        if not self.releases:
            raise ValueError("CodeSets needs at least one ICD-10-CM release")

    def for_date(self, date_of_service: dt.date) -> ReleaseChoice:
        """The release in effect on the date; outside every window, the nearest release."""
        for release in self.releases:
            if release.covers(date_of_service):
                return ReleaseChoice(release, date_of_service, in_window=True)
        nearest = min(self.releases, key=lambda release: _distance(release, date_of_service))
        return ReleaseChoice(nearest, date_of_service, in_window=False)

    def with_releases(self, releases: Sequence[Icd10cmRelease]) -> CodeSets:
        """These releases and the present ones; the new ones win where windows overlap
        (a release loaded from the user's files overrides the shipped one)."""
        return CodeSets([*releases, *self.releases])


def _distance(release: Icd10cmRelease, date_of_service: dt.date) -> int:
    if date_of_service < release.effective_from:
        return (release.effective_from - date_of_service).days
    return (date_of_service - release.effective_to).days
