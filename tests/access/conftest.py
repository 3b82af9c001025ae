"""Helpers of the access-review import tests: the CLI, table counts, the real FHIR files."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "real-data"
FHIR = REAL / "fhir" / "r4-spec-examples"


def cli(*args: str) -> Result:
    from auditkit.cli import main

    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def ok(*args: str) -> str:
    result = cli(*args)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def fhir_dir() -> Path:
    if not FHIR.exists():
        pytest.skip("shared/real-data/fhir is not present")
    return FHIR
