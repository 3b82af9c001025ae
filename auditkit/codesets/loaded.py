"""ICD-10-CM releases built from an NCHS/CMS code list rather than the shipped tabular.

Which codes exist, which are billable and their titles come from the loaded file. The
instructional notes (Excludes1, "Code first", 7th characters) are not in those files, so a
code the shipped tabular also has borrows its notes, and a category hangs under the shipped
block and chapter so their notes apply too. A code the shipped release lacks (deleted since)
has no notes.

From a codes file, which lists billable codes only, the header codes are inferred: every
shorter prefix of three characters or more, except those ending in the placeholder X
(``T360X1A`` implies ``T36``, ``T360`` and ``T360X1``, not ``T360X``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from auditkit.codesets.icd10cm import SHIPPED_RELEASE, Icd10cmRelease, Node


class LoadedNode:
    """The fields of the package's tree node that :class:`Icd10cmRelease` reads."""

    __slots__ = (
        "billable",
        "children",
        "code_first",
        "code_first_ancestor",
        "description",
        "excludes1",
        "name",
        "parent",
        "seven_chr_def",
        "seven_chr_def_ancestor",
        "type",
    )

    def __init__(self, code: str, billable: bool, description: str) -> None:
        self.name = code
        self.billable = billable
        self.description = description
        self.type = "category" if len(code) == 3 else "subcategory"
        self.parent: Any = None
        self.children: list[LoadedNode] = []
        self.excludes1: list[str] = []
        self.code_first = ""
        self.code_first_ancestor: Any = None
        self.seven_chr_def: dict[str, str] = {}
        self.seven_chr_def_ancestor: Any = None


class LoadedIcd10cmRelease(Icd10cmRelease):
    """A release from a loaded file; billability is the file's flag."""

    def __init__(
        self,
        name: str,
        effective_from: dt.date,
        effective_to: dt.date,
        codes: Mapping[str, tuple[bool, str]],
        headers_inferred: bool = False,
        shipped: Icd10cmRelease = SHIPPED_RELEASE,
    ) -> None:
        self.headers_inferred = headers_inferred
        super().__init__(
            name,
            effective_from,
            effective_to,
            lambda: build_nodes(codes, shipped._nodes, headers_inferred),
        )

    def is_billable(self, code: str) -> bool:
        node = self._node(code)
        return node is not None and bool(node.billable)


def build_nodes(
    codes: Mapping[str, tuple[bool, str]],
    shipped: Mapping[str, Node],
    infer_headers: bool = False,
) -> dict[str, LoadedNode]:
    """Tree nodes for the codes (code -> (billable, description)), keyed by code."""
    nodes = {code: LoadedNode(code, billable, text) for code, (billable, text) in codes.items()}
    if infer_headers:
        for code in list(nodes):
            for length in range(3, len(code)):
                prefix = code[:length]
                if prefix not in nodes and not prefix.endswith("X"):
                    known = shipped.get(prefix)
                    nodes[prefix] = LoadedNode(prefix, False, known.description if known else "")
    # Parents before children, so ancestors' inherited notes are set when a child needs them.
    for code in sorted(nodes, key=len):
        node = nodes[code]
        parent = next(
            (
                nodes[code[:length]]
                for length in range(len(code) - 1, 2, -1)
                if code[:length] in nodes
            ),
            None,
        )
        original = shipped.get(code)
        if parent is None and original is not None:
            parent = original.parent  # the shipped block, then chapter, with their notes
        node.parent = parent
        if isinstance(parent, LoadedNode):
            parent.children.append(node)
        if original is not None:
            node.excludes1 = list(original.excludes1)
            node.code_first = original.code_first
            node.seven_chr_def = dict(original.seven_chr_def)
        if parent is not None:
            node.code_first_ancestor = parent if parent.code_first else parent.code_first_ancestor
            node.seven_chr_def_ancestor = (
                parent if parent.seven_chr_def else parent.seven_chr_def_ancestor
            )
    return nodes
