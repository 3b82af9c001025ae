"""The package stands alone: importing it loads nothing from auditkit."""

from __future__ import annotations

import subprocess
import sys


def test_sampling_imports_nothing_from_auditkit() -> None:
    code = (
        "import sys, sampling, sampling.datafiles\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'auditkit')\n"
        "print(loaded)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
