"""Import speed: a year of claims (1,000,000 lines with notes) into SQLite and PostgreSQL.

    python benchmarks/bench_import.py [--lines N] [--data DIR] [--postgres URL]

Generates the data once under ``--data`` (default: a folder in the system temp directory;
never inside the repository) with ``synthetic_data.generate`` when it is available, else
with a small built-in generator, then imports it with full validation into a fresh SQLite
file and, when ``--postgres`` or ``AUDITKIT_TEST_POSTGRES_URL`` answers, into PostgreSQL
(inside a throw-away schema, ``auditkit_bench``, dropped afterwards). Each import runs in
its own process, so the peak memory printed (ru_maxrss) is that import's alone.

The time is the wall time of ``import_claims`` plus closing the engine. The peak memory of
the process that reads the notes beside the claims (a forked child, on Linux) is printed
next to the importer's own.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

BENCH_SCHEMA = "auditkit_bench"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "auditkit-bench")
    parser.add_argument("--postgres", default=os.environ.get("AUDITKIT_TEST_POSTGRES_URL"))
    parser.add_argument("--run", help=argparse.SUPPRESS)  # internal: one import, in a child
    args = parser.parse_args()
    if args.run:
        print(json.dumps(run_import(args.run, args.data)))
        return
    data = args.data / f"lines-{args.lines}-seed-{args.seed}"
    prepare_data(data, args.lines, args.seed)
    targets = [f"sqlite:///{data / 'bench.db'}"]
    if args.postgres and postgres_answers(args.postgres):
        targets.append(args.postgres)
    for url in targets:
        result = subprocess.run(
            [sys.executable, __file__, "--run", url, "--data", str(data)],
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
    try:
        from synthetic_data.generate import generate
    except ImportError:
        generator = "built-in"
        builtin_generate(out, lines, seed)
    else:
        generator = "synthetic_data"
        generate(out, target_lines=lines, seed=seed)
    print(f"generated {lines:,} lines with {generator} in {time.perf_counter() - started:.0f} s")


CLAIM_HEADER = (
    ["encounter_id", "patient_id", "patient_first_name", "patient_last_name", "patient_dob"]
    + ["patient_sex", "date_of_service", "place_of_service", "department", "payer"]
    + ["provider_npi", "provider_name", "provider_specialty", "coder_id", "coder_name"]
    + [f"dx{n}" for n in range(1, 13)]
    + ["line_number", "procedure_code", "modifier1", "modifier2", "modifier3", "modifier4"]
    + ["units", "dx_pointers", "charge", "paid_amount", "denial_codes"]
)
NOTE_HEADER = ["encounter_id", "author_npi", "signed_at", "total_time_minutes", "mdm_level"]
WORDS = (
    *("patient", "presents", "with", "history", "of", "chronic", "pain", "fatigue", "denies"),
    *("fever", "reports", "improvement", "exam", "normal", "heart", "regular", "rhythm"),
    *("lungs", "clear", "abdomen", "assessment", "plan", "continue", "therapy", "follow-up"),
)


def builtin_generate(out: Path, lines: int, seed: int) -> None:
    """A fast stand-in for synthetic_data: valid claims, ~2.6 lines and a ~1.5 KB note each."""
    rng = random.Random(seed)
    npis = [_with_check_digit(f"{100000000 + n * 7919:09d}") for n in range(300)]
    dxs = ["E11.9", "I10", "J06.9", "M54.50", "Z00.00", "E78.5", "F41.1", "K21.9", "R51.9"]
    procedures = ["99213", "99214", "99215", "36415", "81003", "93000", "20610", "G0439"]
    with (
        (out / "claims.csv").open("w", newline="", encoding="utf-8") as claims_file,
        (out / "notes.csv").open("w", newline="", encoding="utf-8") as notes_file,
    ):
        claims, notes = csv.writer(claims_file), csv.writer(notes_file)
        claims.writerow(CLAIM_HEADER)
        notes.writerow([*NOTE_HEADER, "note_text"])
        written, encounter = 0, 0
        while written < lines:
            encounter += 1
            key, npi = f"E{encounter:08d}", rng.choice(npis)
            patient = rng.randrange(lines // 10 + 1)
            dos = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(365))
            codes = rng.sample(dxs, rng.randint(1, 4))
            head = [key, f"MRN{patient}", "Ann", "Lee", _dob(patient), "MF"[patient % 2]]
            head += [dos.isoformat(), "11", "Cardiology", "Medicare", npi, "Dr X", "Cardiology"]
            head += ["C1", "Cody", *codes, *[""] * (12 - len(codes))]
            count = min(rng.choice([1, 2, 2, 3, 3, 4, 5]), lines - written)
            for line in range(1, count + 1):
                claims.writerow(
                    [*head, line, rng.choice(procedures), "", "", "", "", 1, "A", "75.00", "", ""]
                )
            written += count
            text = "\n".join(" ".join(rng.choices(WORDS, k=20)) for _ in range(12))
            notes.writerow([key, npi, f"{dos}T10:00:00", "25", "low", text])


def _dob(patient: int) -> str:
    return (dt.date(1940, 1, 1) + dt.timedelta(days=patient % 25_000)).isoformat()


def _with_check_digit(base: str) -> str:
    total = 0
    for position, char in enumerate(reversed("80840" + base)):
        digit = int(char) * (2 if position % 2 == 0 else 1)
        total += digit - 9 if digit > 9 else digit
    return base + str((10 - total % 10) % 10)


# --- one import, in a child process ------------------------------------------------------


def run_import(url: str, data: Path) -> dict[str, object]:
    """Import into a fresh database at ``url``; returns the measurements."""
    from sqlalchemy import text

    from auditkit.db.migrate import upgrade
    from auditkit.db.session import make_engine
    from auditkit.ingest import import_claims

    if url.startswith("sqlite:///"):
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
    summary = import_claims(engine, data / "claims.csv", data / "notes.csv")
    engine.dispose()
    seconds = time.perf_counter() - started
    if not url.startswith("sqlite:///"):
        with make_engine(url).begin() as connection:
            connection.execute(text(f"DROP SCHEMA {BENCH_SCHEMA} CASCADE"))
    return {
        "database": url.split(":", 1)[0],
        "lines": summary.lines,
        "encounters": summary.encounters,
        "notes": summary.notes,
        "seconds": round(seconds, 2),
        "lines_per_second": round(summary.lines / seconds),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        # The notes are read in a forked child (auditkit.ingest.beside): its peak, too.
        "reader_rss_mib": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
    }


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
        f"{result['database']:<10} {result['lines']:>9,} lines "
        f"({result['encounters']:,} encounters, {result['notes']:,} notes) "
        f"in {result['seconds']:>6.1f} s = {result['lines_per_second']:>7,} lines/s, "
        f"peak RSS {result['peak_rss_mib']} MiB (notes reader {result['reader_rss_mib']} MiB)"
    )


if __name__ == "__main__":
    main()
