"""Rule documentation lives in the checks; docs/rules.md is generated from it and current."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from auditkit.plugin_manager import build_registry, new_plugin_manager
from auditkit.rules_doc import rules_markdown

REGISTRY = build_registry(new_plugin_manager(load_entry_points=False))
SECTIONS = ("## What it does", "## Why it matters", "## Example", "## Use instead")
DOCS = Path(__file__).parents[2] / "docs" / "rules.md"


@pytest.mark.parametrize("check", REGISTRY.checks, ids=lambda c: c.__name__)
def test_every_builtin_check_documents_the_four_sections(check: type) -> None:
    docstring = inspect.getdoc(check) or ""
    missing = [section for section in SECTIONS if section not in docstring]
    assert not missing, f"{check.__name__} docstring lacks {missing}"


@pytest.mark.skipif(not DOCS.exists(), reason="docs/ is not part of an installed package")
def test_docs_rules_md_is_generated_and_current() -> None:
    assert DOCS.read_text(encoding="utf-8") == rules_markdown(REGISTRY), (
        "docs/rules.md is stale: run `auditkit checks docs -o docs/rules.md`"
    )
