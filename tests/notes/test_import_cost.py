"""The reader stays out of ``import auditkit`` and of the CLI's start-up (SPC003's side
reader, loaded with the plugins, is the one part that was loaded there before)."""

from __future__ import annotations

import subprocess
import sys

READER = ("context", "text", "triggers", "evidence", "visit_level", "table")


def test_reader_is_not_imported_at_start_up() -> None:
    code = "import sys, auditkit, auditkit.cli; print(' '.join(sorted(sys.modules)))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert [f"auditkit.notes.{name}" for name in READER if f"auditkit.notes.{name}" in loaded] == []
