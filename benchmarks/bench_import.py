"""Import speed: a year of claims (1,000,000 lines with notes) into SQLite and PostgreSQL.

    python benchmarks/bench_import.py [--lines N] [--data DIR] [--postgres URL] [--reimport]

Generates the data once under ``--data`` (default: a folder in the system temp directory;
never inside the repository) with ``synthetic_data.generate``, then imports it with full
validation into a fresh SQLite file and, when ``--postgres`` or ``AUDITKIT_TEST_POSTGRES_URL``
answers, into PostgreSQL (inside a throw-away schema, ``auditkit_bench``, dropped afterwards).
Each import runs in its own process, so the peak memory printed (ru_maxrss) is its alone.

The time is the wall time of ``import_claims`` plus closing the engine. ``--reimport``
also times importing the same files a second time into the SQLite database, which replaces
every encounter. ``--skip-sqlite`` leaves SQLite out (to time PostgreSQL alone).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from synthetic_data.generate import generate

BENCH_SCHEMA = "auditkit_bench"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "auditkit-bench")
    parser.add_argument("--postgres", default=os.environ.get("AUDITKIT_TEST_POSTGRES_URL"))
    parser.add_argument("--reimport", action="store_true", help="also time a re-import")
    parser.add_argument("--skip-sqlite", action="store_true", help="leave SQLite out")
    parser.add_argument("--run", help=argparse.SUPPRESS)  # internal: one import, in a child
    parser.add_argument("--again", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        print(json.dumps(run_import(args.run, args.data, again=args.again)))
        return
    data = args.data / f"lines-{args.lines}-seed-{args.seed}"
    prepare_data(data, args.lines, args.seed)
    sqlite = f"sqlite:///{data / 'bench.db'}"
    targets: list[tuple[str, list[str]]] = []
    if not args.skip_sqlite:
        targets.append((sqlite, []))
        if args.reimport:
            targets.append((sqlite, ["--again"]))
    if args.postgres and postgres_answers(args.postgres):
        targets.append((args.postgres, []))
    for url, extra in targets:
        result = subprocess.run(
            [sys.executable, __file__, "--run", url, "--data", str(data), *extra],
            check=True,
            capture_output=True,
            text=True,
        )
        report(json.loads(result.stdout.splitlines()[-1]))


# --- data ----------------------------------------------------------------------------------


def prepare_data(out: Path, lines: int, seed: int) -> None:
    """claims.csv and notes.csv with ``lines`` claim lines, generated once and then reused."""
    if (out / "claims.csv").exists() and (out / "notes.csv").exists():
        return
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    generate(out, target_lines=lines, seed=seed)
    print(f"generated {lines:,} lines with synthetic_data in {time.perf_counter() - started:.0f} s")


# --- one import, in a child process ------------------------------------------------------


def run_import(url: str, data: Path, again: bool = False) -> dict[str, object]:
    """Import into a fresh database at ``url`` (``again``: into the SQLite database the
    previous run left, replacing every encounter); returns the measurements."""
    from sqlalchemy import text

    from auditkit.db.migrate import upgrade
    from auditkit.db.session import make_engine
    from auditkit.ingest import import_claims

    if url.startswith("sqlite:///") and again:
        target = url
    elif url.startswith("sqlite:///"):
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
        target = url
    else:
        with make_engine(url).begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {BENCH_SCHEMA} CASCADE"))
            connection.execute(text(f"CREATE SCHEMA {BENCH_SCHEMA}"))
        separator = "&" if "?" in url else "?"
        target = f"{url}{separator}options={quote(f'-csearch_path={BENCH_SCHEMA}')}"
    engine = make_engine(target)
    upgrade(engine)
    started = time.perf_counter()
    cpu_started = _cpu_seconds()
    summary = import_claims(engine, data / "claims.csv", data / "notes.csv")
    engine.dispose()
    seconds = time.perf_counter() - started
    cpu = _cpu_seconds() - cpu_started
    if not url.startswith("sqlite:///"):
        with make_engine(url).begin() as connection:
            connection.execute(text(f"DROP SCHEMA {BENCH_SCHEMA} CASCADE"))
    return {
        "database": url.split(":", 1)[0],
        "import": "re-import" if again else "new",
        "lines": summary.lines,
        "encounters": summary.encounters,
        "notes": summary.notes,
        "seconds": round(seconds, 2),
        "lines_per_second": round(summary.lines / seconds),
        # CPU time of every thread of the importer: on a busy shared machine a steadier
        # measure than the wall time (the import can use at most two cores' worth of it).
        "cpu_seconds": round(cpu, 2),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "replaced": summary.replaced_encounters,
    }


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def postgres_answers(url: str) -> bool:
    from sqlalchemy import text

    from auditkit.db.session import make_engine

    try:
        with make_engine(url).connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # any failure means "skip PostgreSQL"
        print(f"PostgreSQL skipped: {error.__class__.__name__}")
        return False
    return True


def report(result: dict[str, object]) -> None:
    print(
        f"{result['database']:<10} {result['import']:<9} {result['lines']:>9,} lines "
        f"({result['encounters']:,} encounters, {result['notes']:,} notes) "
        f"in {result['seconds']:>6.1f} s = {result['lines_per_second']:>7,} lines/s "
        f"(CPU {result['cpu_seconds']:.1f} s), "
        f"peak RSS {result['peak_rss_mib']} MiB, {result['replaced']:,} replaced"
    )


if __name__ == "__main__":
    main()
