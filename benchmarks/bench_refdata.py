"""Reference-data load speed: a full quarterly practitioner PTP table into SQLite and PostgreSQL.

    python benchmarks/bench_refdata.py [--rows N] [--data DIR] [--postgres URL]

Writes ``--rows`` (default 1,500,000; CMS's four ``ccipra`` parts together hold well over a
million edits) random edits in the exact CMS TXT layout (AMA line, title line, header wrapped
over four lines, tab-separated, CRLF, Latin-1; code numbers only) under ``--data`` (default:
a folder in the system temp directory, never the repository), then times
``auditkit refdata load ncci-ptp`` on it: into a fresh SQLite file, and, when ``--postgres``
or ``AUDITKIT_TEST_POSTGRES_URL`` is given, into PostgreSQL inside a throw-away schema
(``auditkit_bench_refdata``, dropped afterwards). The time covers parsing, validation,
writing, index upkeep and the commit.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import text

from auditkit.db.migrate import upgrade
from auditkit.db.session import make_engine
from auditkit.refdata import kind_named

BENCH_SCHEMA = "auditkit_bench_refdata"
HEADER = (
    "CPT only copyright 2025 American Medical Association.  All rights reserved.\t\t\t\t\t\t",
    "Column1/Column2 Edits\t\t\t\t\t\t",
    "Column 1\tColumn 2\t*=in existence\tEffective\tDeletion\tModifier\tPTP Edit Rationale",
    "\t\tprior to 1996\tDate\tDate\t0=not allowed\t",
    "\t\t\t\t*=no data\t1=allowed\t",
    "\t\t\t\t\t9=not applicable\t",
)
RATIONALES = (
    "CPT Manual or CMS manual coding instruction",
    "Misuse of Column Two code with Column One code",
    "Mutually exclusive procedures",
    "Standards of medical/surgical practice",
)


def write_ptp_file(path: Path, rows: int, seed: int) -> None:
    """``rows`` random edits, sorted by column 1 then column 2 as CMS sorts them."""
    generator = random.Random(seed)
    codes = [f"{number:05d}" for number in generator.sample(range(100, 99999), 9000)]
    codes += [f"{letter}{number:04d}" for letter in "GJ" for number in range(1, 1001)]
    codes += [f"{number:04d}T" for number in range(1, 900)]
    codes.sort()
    dates = [f"{year}{month:02d}01" for year in range(1996, 2027) for month in (1, 4, 7, 10)]
    pairs: set[tuple[str, str]] = set()
    while len(pairs) < rows:
        pairs.add((generator.choice(codes), generator.choice(codes)))
    with path.open("w", encoding="latin-1", newline="") as stream:
        stream.write("\r\n".join(HEADER) + "\r\n")
        for column1, column2 in sorted(pairs):
            effective = generator.choice(dates)
            deleted = generator.random() < 0.3
            deletion = str(int(effective[:4]) + 1) + "1231" if deleted else "*"
            prior = "*" if effective == "19960101" else ""
            indicator = generator.choices("019", weights=(30, 65, 5))[0]
            rationale = generator.choice(RATIONALES)
            stream.write(
                f"{column1}\t{column2}\t{prior}\t{effective}\t{deletion}\t{indicator}\t"
                f"{rationale}\r\n"
            )


def time_load(url: str, path: Path) -> tuple[int, float, float]:
    """Rows loaded, wall seconds, and this process's CPU seconds (on a shared machine the
    CPU time is the steadier figure; PostgreSQL's server CPU is not in it)."""
    engine = make_engine(url)
    upgrade(engine)
    started, cpu = time.perf_counter(), time.process_time()
    with engine.begin() as connection:
        record = kind_named("ncci-ptp").load(connection, path)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    engine.dispose()
    return record.rows, elapsed, cpu


def report(name: str, rows: int, seconds: float, cpu: float) -> None:
    print(
        f"{name:<11} {rows:,} PTP edits in {seconds:.1f} s ({rows / seconds:,.0f} rows/s), "
        f"loader CPU {cpu:.1f} s, load average {os.getloadavg()[0]:.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_500_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "auditkit-bench")
    parser.add_argument("--postgres", default=os.environ.get("AUDITKIT_TEST_POSTGRES_URL"))
    options = parser.parse_args()

    options.data.mkdir(parents=True, exist_ok=True)
    source = options.data / f"ccipra-v322r0-f1-{options.rows}.TXT"
    if not source.exists():
        started = time.perf_counter()
        write_ptp_file(source, options.rows, options.seed)
        print(
            f"wrote {source} ({source.stat().st_size / 1e6:.0f} MB) in "
            f"{time.perf_counter() - started:.1f} s"
        )

    database = options.data / "refdata-bench.db"
    database.unlink(missing_ok=True)
    report("sqlite:", *time_load(f"sqlite:///{database}", source))

    if options.postgres:
        admin = make_engine(options.postgres)
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {BENCH_SCHEMA} CASCADE"))
            connection.execute(text(f"CREATE SCHEMA {BENCH_SCHEMA}"))
        separator = "&" if "?" in options.postgres else "?"
        url = options.postgres + separator + "options=" + quote(f"-csearch_path={BENCH_SCHEMA}")
        try:
            report("postgresql:", *time_load(url, source))
        finally:
            with admin.begin() as connection:
                connection.execute(text(f"DROP SCHEMA IF EXISTS {BENCH_SCHEMA} CASCADE"))
            admin.dispose()


if __name__ == "__main__":
    main()
