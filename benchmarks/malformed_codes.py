"""A claims file with a few hundred malformed codes, and proof that it imports as typed.

    python benchmarks/malformed_codes.py [--lines 200000] [--malformed 300] [--out DIR]

Writes ``claims.csv`` (``--lines`` claim lines) on its own, from a seeded random generator
(not through ``synthetic_data``), with ``--malformed`` codes that are wrong the way coders
get them wrong: a seventh character too many (``S39.012A1``), a seventh character that does
not exist (``S39012A0``), a procedure code with a digit too many (``992133``) or too few.
Then imports it into a fresh SQLite database and checks that every malformed code is
stored exactly as typed (diagnoses upper-case without the dot after the third character),
for SPC001 to report. Exits 1 if any is missing.
"""

from __future__ import annotations

import argparse
import csv
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from auditkit.db.migrate import upgrade
from auditkit.db.session import make_engine
from auditkit.ingest import import_claims
from auditkit.ingest.columns import CLAIMS

VALID_DX = ["E11.9", "I10", "J45.909", "M17.11", "Z00.00", "E78.5", "K21.9", "N39.0", "R51.9"]
VALID_PROCEDURES = ["99213", "99214", "93000", "36415", "81002", "J1100", "G0439", "0001U"]
# Malformed as typed, and as stored (diagnoses lose the dot after the third character).
MALFORMED_DX = [("S39.012A1", "S39012A1"), ("S39012A0", "S39012A0"), ("E11.99", "E1199")]
MALFORMED_PROCEDURES = ["992133", "9921", "J11000"]


def npi(rng: random.Random) -> str:
    """A random NPI with a valid check digit (Luhn over 80840 + the first nine digits)."""
    body = f"{rng.randrange(10**8, 10**9)}"
    total = 0
    for position, char in enumerate(reversed("80840" + body)):
        digit = int(char) * (2 if position % 2 == 0 else 1)
        total += digit - 9 if digit > 9 else digit
    return body + str((10 - total % 10) % 10)


def write_claims(path: Path, lines: int, malformed: int, seed: int) -> dict[str, list[str]]:
    """Write the file; returns the malformed codes written, as they must be stored."""
    rng = random.Random(seed)
    providers = [npi(rng) for _ in range(40)]
    written = 0
    encounter = 0
    bad_lines = set(rng.sample(range(lines), malformed))
    expected: dict[str, list[str]] = {"dx": [], "procedure": []}
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(CLAIMS.columns)
        while written < lines:
            encounter += 1
            patient = rng.randrange(1, lines // 4)
            dx = rng.sample(VALID_DX, rng.randint(1, 3))
            count = min(rng.randint(1, 3), lines - written)
            if (
                any(line in bad_lines for line in range(written, written + count))
                and rng.random() < 0.5
            ):
                typed, stored = rng.choice(MALFORMED_DX)
                dx[-1] = typed
                expected["dx"].append(stored)
                procedure_bad = False
            else:
                procedure_bad = any(line in bad_lines for line in range(written, written + count))
            cells = {
                "encounter_id": f"M{encounter:07d}",
                "patient_id": f"P{patient:06d}",
                "patient_first_name": f"First{patient % 97}",
                "patient_last_name": f"Last{patient % 89}",
                "patient_dob": f"{1930 + patient % 80}-{1 + patient % 12:02d}-{1 + patient % 28:02d}",  # noqa: E501
                "patient_sex": "MF"[patient % 2],
                "date_of_service": f"2026-{1 + encounter % 12:02d}-{1 + encounter % 28:02d}",
                "place_of_service": "11",
                "provider_npi": providers[encounter % len(providers)],
                "coder_id": f"C{encounter % 7}",
                **{f"dx{position}": code for position, code in enumerate(dx, 1)},
            }
            for line in range(1, count + 1):
                procedure = rng.choice(VALID_PROCEDURES)
                if procedure_bad and line == 1:
                    procedure = rng.choice(MALFORMED_PROCEDURES)
                    expected["procedure"].append(procedure)
                row = cells | {
                    "line_number": str(line),
                    "procedure_code": procedure,
                    "units": "1",
                    "dx_pointers": "A",
                    "charge": f"{rng.randint(20, 400)}.00",
                }
                out.writerow([row.get(name, "") for name in CLAIMS.columns])
                written += 1
    return expected


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=200_000)
    parser.add_argument("--malformed", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--out", type=Path, default=Path(tempfile.gettempdir()) / "auditkit-malformed"
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    claims = args.out / "claims.csv"
    expected = write_claims(claims, args.lines, args.malformed, args.seed)
    database = args.out / "malformed.db"
    database.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{database}")
    upgrade(engine)
    started = time.perf_counter()
    summary = import_claims(engine, claims)
    seconds = time.perf_counter() - started
    engine.dispose()
    with sqlite3.connect(database) as connection:
        stored_dx = {code for (code,) in connection.execute("SELECT code FROM diagnosis")}
        stored_procedures = {
            code for (code,) in connection.execute("SELECT procedure_code FROM service_line")
        }
    missing = [code for code in expected["dx"] if code not in stored_dx]
    missing += [code for code in expected["procedure"] if code not in stored_procedures]
    total = len(expected["dx"]) + len(expected["procedure"])
    print(
        f"{summary.lines:,} lines, {summary.encounters:,} encounters imported in {seconds:.1f} s; "
        f"{total} malformed codes written ({len(expected['dx'])} diagnoses, "
        f"{len(expected['procedure'])} procedures), {total - len(missing)} stored as typed"
    )
    sys.exit(1 if missing else 0)


if __name__ == "__main__":
    main()
