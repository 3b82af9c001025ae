"""Two auditkit commands started at once on one audit: does the database end as after one?

Run ``python benchmarks/race.py`` (``--tries 10``; ``--postgres URL`` adds a PostgreSQL
database, whose ``public`` schema is dropped and recreated). For each database it prepares
a synthetic organisation (init, import, two audits), records what a single ``audit run``
and a single ``sample draw`` leave behind, then starts each command twice at once, as real
processes, ``--tries`` times, and compares the database with the single command's result.
Two imports of one file at once are compared with one import the same way. It prints,
per race, how often both commands succeeded (one waited for the other), how
often one was refused with exit code 2, and how many tries left a different database (must
be 0), a traceback or another exit code (must be 0).

``tests/trust/test_concurrency.py`` runs the same races with fewer tries.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import text

from auditkit.db.session import make_engine

# The console script installed beside this interpreter (what a user runs).
AUDITKIT = [str(Path(sys.executable).with_name("auditkit"))]
RUN_AUDIT = "run-me"  # drawn once, then run twice at once
DRAW_AUDIT = "draw-me"  # never run: sampled twice at once
DRAW = ("--method", "random", "--size", "30", "--spares", "3", "--seed", "4242")


@dataclass(frozen=True)
class Outcome:
    """One command of a race: its exit code and what it wrote to stderr."""

    code: int
    stderr: str

    @property
    def clean(self) -> bool:
        return self.code in (0, 2) and "Traceback" not in self.stderr


@dataclass
class Tally:
    """What the tries of one race ended in."""

    race: str
    tries: int = 0
    both_succeeded: int = 0  # the second waited for the first, then did its work
    one_refused: int = 0  # the second exited 2 with a message
    different_database: int = 0  # must stay 0
    unclean: int = 0  # a traceback or an exit code other than 0 and 2: must stay 0
    seconds: list[float] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def add(self, outcomes: Sequence[Outcome], same: bool, seconds: float) -> None:
        self.tries += 1
        self.seconds.append(seconds)
        codes = sorted(outcome.code for outcome in outcomes)
        if not all(outcome.clean for outcome in outcomes) or 0 not in codes:
            self.unclean += 1
            self.problems.extend(o.stderr[-400:] for o in outcomes if not o.clean)
        elif codes == [0, 0]:
            self.both_succeeded += 1
        else:
            self.one_refused += 1
            self.problems.extend(o.stderr.strip()[:300] for o in outcomes if o.code == 2)
        if not same:
            self.different_database += 1

    @property
    def ok(self) -> bool:
        return self.tries > 0 and self.different_database == 0 and self.unclean == 0

    def line(self) -> str:
        mean = sum(self.seconds) / len(self.seconds) if self.seconds else 0.0
        return (
            f"{self.race:<22} tries {self.tries:>3}  both ok {self.both_succeeded:>3}  "
            f"one refused {self.one_refused:>3}  different db {self.different_database:>3}  "
            f"traceback/other exit {self.unclean:>3}  mean {mean:5.1f} s per race"
        )


def auditkit(url: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """One auditkit command, checked: preparation steps must succeed."""
    done = subprocess.run(
        [*AUDITKIT, *args, "--database", url], cwd=cwd, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(f"auditkit {' '.join(args)} failed:\n{done.stderr}")
    return done


def race(url: str, args: Sequence[str], cwd: Path, copies: int = 2) -> list[Outcome]:
    """Start ``copies`` identical commands as processes at the same moment; wait for all."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    processes = [
        subprocess.Popen(
            [*AUDITKIT, *args, "--database", url],
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(copies)
    ]
    outcomes = []
    for process in processes:
        _, stderr = process.communicate(timeout=600)
        outcomes.append(Outcome(process.returncode, stderr))
    return outcomes


def reset_postgres(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def generate_data(directory: Path, encounters: int = 240, seed: int = 5) -> Path:
    """A synthetic organisation's claims.csv and notes.csv; returns their folder."""
    from synthetic_data.generate import generate

    return Path(generate(directory, encounters=encounters, seed=seed).out_dir)


def prepare(url: str, data: Path, cwd: Path) -> None:
    """Schema, claims and two audits on an empty database; ``RUN_AUDIT`` has its sample."""
    auditkit(url, "init", cwd=cwd)
    auditkit(
        url,
        "import",
        "claims",
        str(data / "claims.csv"),
        "--notes",
        str(data / "notes.csv"),
        cwd=cwd,
    )
    for name in (RUN_AUDIT, DRAW_AUDIT):
        auditkit(
            url, "audit", "create", name, "--from", "2026-01-01", "--to", "2026-12-31", cwd=cwd
        )
    auditkit(url, "sample", "draw", RUN_AUDIT, *DRAW, cwd=cwd)


def _rows(url: str, query: str, **params: Any) -> list[tuple[Any, ...]]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return sorted((tuple(row) for row in connection.execute(text(query), params)), key=repr)
    finally:
        engine.dispose()


def run_results(url: str, audit: str = RUN_AUDIT) -> dict[str, Any]:
    """What an audit's run left, without database ids: findings, runs, scores."""
    findings = _rows(
        url,
        "SELECT f.rule_id, e.encounter_key, f.line_number, f.code, f.message, f.severity,"
        " f.person_id, f.patient_id FROM finding f JOIN audit a ON a.id = f.audit_id"
        " LEFT JOIN encounter e ON e.id = f.encounter_id WHERE a.name = :audit",
        audit=audit,
    )
    runs = _rows(
        url,
        "SELECT r.units FROM check_run r JOIN audit a ON a.id = r.audit_id WHERE a.name = :audit",
        audit=audit,
    )
    scores = _rows(
        url,
        "SELECT s.subject_type, s.subject_key, s.component, s.measure, s.total, s.correct"
        " FROM score s JOIN audit a ON a.id = s.audit_id WHERE a.name = :audit",
        audit=audit,
    )
    evaluations = _rows(
        url,
        "SELECT count(*) FROM rule_evaluation v JOIN check_run r ON r.id = v.run_id"
        " JOIN audit a ON a.id = r.audit_id WHERE a.name = :audit",
        audit=audit,
    )
    return {"findings": findings, "runs": runs, "scores": scores, "evaluations": evaluations}


def samples(url: str, audit: str = DRAW_AUDIT) -> list[tuple[Any, ...]]:
    """Each sample of the audit with its units, without database ids."""
    found = []
    for sample_id, seed, size, frame_hash in _rows(
        url,
        "SELECT s.id, s.seed, s.size, s.frame_hash FROM sample s JOIN audit a"
        " ON a.id = s.audit_id WHERE a.name = :audit",
        audit=audit,
    ):
        units = _rows(
            url,
            "SELECT e.encounter_key, u.selection_order, u.is_spare FROM sample_unit u"
            " JOIN encounter e ON e.id = u.encounter_id WHERE u.sample_id = :sample",
            sample=sample_id,
        )
        found.append((seed, size, frame_hash, tuple(units)))
    return found


CLAIM_TABLES = {  # what an import writes, without ids (rows joined to their keys)
    "patients": "SELECT mrn, first_name, last_name, dob, sex FROM patient",
    "encounters": "SELECT e.encounter_key, p.mrn, e.date_of_service, e.payer FROM encounter e"
    " JOIN patient p ON p.id = e.patient_id",
    "diagnoses": "SELECT e.encounter_key, d.position, d.code FROM diagnosis d"
    " JOIN encounter e ON e.id = d.encounter_id",
    "lines": "SELECT e.encounter_key, l.line_number, l.procedure_code, l.units, l.charge"
    " FROM service_line l JOIN encounter e ON e.id = l.encounter_id",
    "notes": "SELECT e.encounter_key, n.note_text FROM note n"
    " JOIN encounter e ON e.id = n.encounter_id",
}


def imported(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """The claims data in the database, without ids."""
    return {name: _rows(url, query) for name, query in CLAIM_TABLES.items()}


def race_audit_run(url: str, cwd: Path, tries: int) -> Tally:
    """``audit run`` twice at once on the sampled audit, ``tries`` times."""
    auditkit(url, "audit", "run", RUN_AUDIT, cwd=cwd)
    single = run_results(url)
    tally = Tally(f"audit run ×2 ({url.split(':')[0]})")
    for _ in range(tries):
        start = time.perf_counter()
        outcomes = race(url, ("audit", "run", RUN_AUDIT), cwd)
        tally.add(outcomes, run_results(url) == single, time.perf_counter() - start)
    return tally


def race_sample_draw(url: str, cwd: Path, tries: int) -> Tally:
    auditkit(url, "sample", "draw", DRAW_AUDIT, *DRAW, cwd=cwd)
    single = samples(url)
    assert len(single) == 1
    tally = Tally(f"sample draw ×2 ({url.split(':')[0]})")
    for _ in range(tries):
        start = time.perf_counter()
        outcomes = race(url, ("sample", "draw", DRAW_AUDIT, *DRAW), cwd)
        tally.add(outcomes, samples(url) == single, time.perf_counter() - start)
    return tally


def fresh(url: str, cwd: Path) -> None:
    """An empty database with the current schema at ``url``."""
    if url.startswith("postgresql"):
        reset_postgres(url)
    else:
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    auditkit(url, "init", cwd=cwd)


def race_import(url: str, data: Path, cwd: Path, tries: int) -> Tally:
    """Two imports of one file at once into an empty database, compared with one import."""
    files = ("claims", str(data / "claims.csv"), "--notes", str(data / "notes.csv"))
    fresh(url, cwd)
    auditkit(url, "import", *files, cwd=cwd)
    single = imported(url)
    tally = Tally(f"import ×2 ({url.split(':')[0]})")
    for _ in range(tries):
        fresh(url, cwd)
        start = time.perf_counter()
        outcomes = race(url, ("import", *files), cwd)
        tally.add(outcomes, imported(url) == single, time.perf_counter() - start)
    return tally


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tries", type=int, default=10)
    parser.add_argument("--import-tries", type=int, default=3)
    parser.add_argument("--postgres", help="a PostgreSQL URL whose public schema may be reset")
    parser.add_argument("--workdir", type=Path, default=Path("race-work"))
    options = parser.parse_args()
    options.workdir.mkdir(parents=True, exist_ok=True)
    data = generate_data(options.workdir / "org")
    (options.workdir / "race.db").unlink(missing_ok=True)
    urls = [f"sqlite:///{(options.workdir / 'race.db').resolve()}"]
    if options.postgres:
        urls.append(options.postgres)
    tallies = []
    for url in urls:
        if url.startswith("postgresql"):
            reset_postgres(url)
        prepare(url, data, options.workdir)
        work, tries = options.workdir, options.tries
        for tally in (  # a generator: each line is printed as its race ends
            start_race(url, work, tries) for start_race in (race_audit_run, race_sample_draw)
        ):
            tallies.append(tally)
            print(tally.line(), flush=True)
        tallies.append(race_import(url, data, work, options.import_tries))
        print(tallies[-1].line(), flush=True)
    for tally in tallies:
        for problem in Counter(tally.problems):
            print(f"  {tally.race}: {problem}")
    return 0 if all(tally.ok for tally in tallies) else 1


if __name__ == "__main__":
    sys.exit(main())
