"""How quickly the CLI answers: ``auditkit --help`` and ``auditkit checks list``.

Each command is started ``--runs`` times as a fresh process (the way a user types it) and
the median wall time is printed, with the median CPU time of the child process beside it:
on a busy machine the wall time says little and the CPU time is the steadier figure.
Target: under 0.3 s each on the 2-core development machine.

    python benchmarks/bench_cli.py [--runs 10]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

COMMANDS = (("--help",), ("checks", "list"), ("checks", "list", "--json"))


def auditkit_command() -> list[str]:
    """The installed console script, else the package run as a module."""
    script = shutil.which("auditkit", path=os.path.dirname(sys.executable))
    return [script] if script else [sys.executable, "-m", "auditkit"]


def timed_run(command: list[str]) -> tuple[float, float]:
    """Wall seconds and the child's CPU seconds (user + system) of one run."""
    before = os.times()
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = os.times()
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    base = auditkit_command()
    print(f"load average {os.getloadavg()[0]:.2f}; median of {args.runs} runs")
    for arguments in COMMANDS:
        command = [*base, *arguments]
        timed_run(command)  # warm the file cache
        runs = [timed_run(command) for _ in range(args.runs)]
        wall = statistics.median(run[0] for run in runs)
        cpu = statistics.median(run[1] for run in runs)
        print(f"auditkit {' '.join(arguments):<22} wall {wall:.3f} s   CPU {cpu:.3f} s")


if __name__ == "__main__":
    main()
