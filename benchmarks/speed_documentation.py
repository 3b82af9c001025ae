"""Speed of the documentation checks (DOC001-DOC008) on generated encounters.

Generates ``--encounters`` encounters with notes and documentation errors, then measures

1. CPU time per encounter of each per-unit DOC check in one process (records built from
   the CSV files, no database), run the way the engine runs them: every check on one
   encounter before the next, so DOC003-DOC005 share the reading of the note;
2. DOC007 (set-based) over every note of the period, the same function the check runs;
3. with ``--audit``: a real ``auditkit audit run`` over all of them on SQLite with only
   the DOC rules enabled (import and sampling not timed)::

    python benchmarks/speed_documentation.py --encounters 20000 [--audit]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from check_quality import load_encounters

from auditkit.codesets import CodeSets
from auditkit.plugins import family_checks
from auditkit.plugins.documentation.doc007_cloned_note import cloned_notes
from auditkit.rules import Check, CheckContext
from synthetic_data.documentation import DEFAULT_DOCUMENTATION_RATES

CHECKS = family_checks("auditkit.plugins.documentation")


def per_unit(records: list, context: CheckContext) -> tuple[float, dict[str, float]]:
    checks = [check() for check in CHECKS if issubclass(check, Check)]
    spent = {type(check).__name__: 0.0 for check in checks}
    started = time.process_time()
    for encounter in records:
        for check in checks:
            before = time.process_time()
            for _ in check.run(encounter, context):
                pass
            spent[type(check).__name__] += time.process_time() - before
    return time.process_time() - started, spent


def clones(records: list) -> tuple[float, int]:
    ordered = sorted(records, key=lambda e: (e.provider_npi, e.date_of_service, e.id))
    rows = [(e.id, e.key, e.date_of_service, e.provider_npi, e.note.text) for e in ordered]
    started = time.process_time()
    found = sum(1 for _ in cloned_notes(rows, 0.85, 60, None))
    return time.process_time() - started, found


def audit_run(data: Path, work: Path) -> float:
    others = ["SPC001", "SPC002", "SPC003", "SPC004", "SPC005", "SPC006"]
    config = work / "auditkit.toml"
    config.write_text(f"[checks]\ndisable = {others!r}\n".replace("'", '"'))
    db = ["--database", f"sqlite:///{work / 'speed.db'}"]
    cli = [str(Path(sys.executable).parent / "auditkit")]

    def call(*args: str) -> None:
        subprocess.run([*cli, *args, *db], check=True, cwd=work, capture_output=True)

    call("init")
    call("import", "claims", str(data / "claims.csv"), "--notes", str(data / "notes.csv"))
    call("audit", "create", "speed", "--from", "2026-04-01", "--to", "2026-09-30")
    call("sample", "draw", "speed", "--method", "all")
    started = time.perf_counter()
    call("audit", "run", "speed")
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--encounters", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--audit", action="store_true", help="also time a real audit run")
    args = parser.parse_args(argv)
    from synthetic_data.generate import generate

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        result = generate(
            work / "data",
            encounters=args.encounters,
            seed=args.seed,
            documentation_rates=DEFAULT_DOCUMENTATION_RATES,
        )
        records = load_encounters(result.claims, result.notes)
        context = CheckContext(codesets=CodeSets())
        context.codesets.for_date(records[0].date_of_service).release.description("I10")
        total, spent = per_unit(records, context)
        n = len(records)
        print(f"{n} encounters, {result.lines} lines")
        for name, seconds in spent.items():
            print(f"  {name:28} {seconds / n * 1000:6.3f} ms per encounter")
        print(f"  per-unit DOC checks: {total:.1f} s CPU ({total / n * 1000:.3f} ms/encounter)")
        seconds, found = clones(records)
        print(f"  DOC007 over all notes: {seconds:.1f} s CPU, {found} clones")
        if args.audit:
            print(f"  audit run, DOC rules only, SQLite: {audit_run(result.out_dir, work):.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
