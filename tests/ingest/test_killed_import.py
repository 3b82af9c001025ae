"""An import killed outright (SIGKILL: no cleanup code runs) leaves no file behind in the
temporary folder, no note text anywhere but the database, and the database as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import Engine

from auditkit.db.migrate import upgrade
from auditkit.db.session import make_engine
from auditkit.ingest import import_claims
from auditkit.testing import table_counts

if TYPE_CHECKING:
    from conftest import ClaimsData

ENCOUNTERS = 30_000  # two lines each: a few batches, so the import is caught mid-way
SECRET = "Patient confides a secret"

IMPORTER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from auditkit.db.session import make_engine
    from auditkit.ingest import import_claims

    def progress(lines):
        print(lines, flush=True)

    import_claims(make_engine(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), progress=progress)
    print("done", flush=True)
    """
)


def big_files(data: ClaimsData) -> tuple[Path, Path]:
    data.claims = [
        data.claim(f"K{number}", line) for number in range(ENCOUNTERS) for line in (1, 2)
    ]
    data.notes = [
        data.note(f"K{number}", f"{SECRET} {number}.\n" * 20) for number in range(ENCOUNTERS)
    ]
    return data.write()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
@pytest.mark.parametrize("moment", ["reading claims", "after the claims"])
def test_killed_import_leaves_nothing_behind(
    tmp_path: Path, claims_data: ClaimsData, earlier_data: ClaimsData, moment: str
) -> None:
    database = tmp_path / "auditkit.db"
    url = f"sqlite:///{database}"
    engine: Engine = make_engine(url)
    upgrade(engine)
    import_claims(engine, *earlier_data.write())
    before = table_counts(engine)
    engine.dispose()
    claims, notes = big_files(claims_data)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    environment = {**os.environ, "TMPDIR": str(scratch), "SQLITE_TMPDIR": str(scratch)}

    importer = subprocess.Popen(
        [sys.executable, "-c", IMPORTER, url, str(claims), str(notes)],
        stdout=subprocess.PIPE,
        text=True,
        env=environment,
    )
    assert importer.stdout is not None
    for report in importer.stdout:
        if report.strip() == "done":
            pytest.fail("the import finished before it could be killed")
        if moment == "reading claims" or int(report) == 2 * ENCOUNTERS:
            break
    importer.send_signal(signal.SIGKILL)
    importer.wait()

    assert importer.returncode == -signal.SIGKILL
    assert list(scratch.iterdir()) == []
    leftovers = [p for p in tmp_path.rglob("*") if p.is_file() and p.parent != claims.parent]
    for path in leftovers:
        if path.name.startswith("auditkit.db"):
            continue  # the database and its rollback journal
        assert SECRET.encode() not in path.read_bytes(), path
    engine = make_engine(url)  # opening rolls the interrupted transaction back
    assert table_counts(engine) == before
    summary = import_claims(engine, claims, notes)
    assert summary.notes == ENCOUNTERS
    engine.dispose()
