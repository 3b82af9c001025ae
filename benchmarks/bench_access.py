"""Benchmark: import and review an EHR access log of N events (default 10 million).

Generates the log with ``synthetic_data.access`` (cached in ``--data``), imports the
organisation (claims, patients, workforce, care team: setup, timed apart) and then times
what the target is about: ``import access-log`` and ``audit run`` with the HIP rules, on a
fresh database. Prints seconds, events per second and the peak resident memory of the
process (everything runs in it).

    python benchmarks/bench_access.py --events 1000000 [--database URL] [--data DIR]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from auditkit.cli import main as cli  # noqa: E402


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    if result.exit_code != 0:
        raise SystemExit(f"auditkit {' '.join(args)} failed:\n{result.output}")
    return result.output


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--data", type=Path, default=None, help="cache folder of the log")
    parser.add_argument("--database", default=None, help="default: a new SQLite file")
    arguments = parser.parse_args()
    data = arguments.data or Path(tempfile.gettempdir()) / f"auditkit-access-{arguments.events}"
    started = time.perf_counter()
    if not (data / "truth.csv").exists():  # in its own process: not in the peak memory below
        subprocess.run(
            [
                sys.executable,
                "-m",
                "synthetic_data.access",
                str(data),
                "--events",
                str(arguments.events),
                "--days",
                str(arguments.days),
                "--seed",
                "7",
            ],
            check=True,
            cwd=ROOT,
        )
    generated = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as temporary:
        url = arguments.database or f"sqlite:///{Path(temporary) / 'bench.db'}"
        from auditkit.plugin_manager import registry

        others = sorted(rule for rule in registry().rules if not rule.startswith("HIP"))
        config = Path(temporary) / "auditkit.toml"
        config.write_text(f"[checks]\ndisable = {json.dumps(others)}\n")
        db = ("--database", url)
        if arguments.database and arguments.database.startswith("postgresql"):
            from sqlalchemy import text

            from auditkit.db.session import make_engine

            engine = make_engine(url)
            with engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
            engine.dispose()
        run("init", *db)
        clock = time.perf_counter()
        run("import", "claims", str(data / "claims.csv"), *db)
        run("import", "patients", str(data / "patients.csv"), *db)
        run("import", "workforce", str(data / "workforce.csv"), *db)
        run("import", "care-team", str(data / "care_team.csv"), *db)
        setup = time.perf_counter() - clock
        clock = time.perf_counter()
        imported = json.loads(
            run("import", "access-log", str(data / "access_log.csv"), "--json", *db)
        )
        import_seconds = time.perf_counter() - clock
        first, last = "2026-04-01", None
        import datetime as dt

        last = (dt.date(2026, 4, 1) + dt.timedelta(days=arguments.days - 1)).isoformat()
        run("audit", "create", "bench", "--from", first, "--to", last, *db)
        clock = time.perf_counter()
        summary = json.loads(run("audit", "run", "bench", "--config", str(config), "--json", *db))
        review_seconds = time.perf_counter() - clock
    events = imported["rows"]
    report = {
        "events": events,
        "database": "postgresql" if arguments.database else "sqlite",
        "generate_seconds": round(generated, 1),
        "setup_seconds": round(setup, 1),
        "import_seconds": round(import_seconds, 1),
        "import_events_per_second": round(events / import_seconds),
        "review_seconds": round(review_seconds, 1),
        "import_and_review_seconds": round(import_seconds + review_seconds, 1),
        "findings": summary["findings"],
        "peak_memory_mb": round(peak_mb()),
        "cpu_seconds": round(time.process_time(), 1),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
