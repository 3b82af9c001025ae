"""Precision and recall of the access review (HIP rules) against ground truth, and the
reviewer workload (alerts per 1,000 accesses), on two independently built logs:

* ``synthetic``: ``synthetic_data.access`` (vectorised organisation, encounters, incidents);
* ``wards``: a second generator written differently, here: inpatient stays on wards with
  care-team rows as the main explanation, bursts of several log lines per chart opening,
  three eight-hour shifts, users in several roles, and its own incident mix.

Each log is imported through the CLI into a fresh SQLite database, reviewed by
``audit run`` with only the HIP rules enabled, and the findings export is compared with
the truth, keyed as the rules key findings (user, patient and day; user and day for HIP009;
the event id for HIP010 and HIP100).

    python benchmarks/eval_access.py [--events 100000] [--log synthetic|wards|both]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from auditkit.cli import main as cli  # noqa: E402
from synthetic_data.access import generate_access  # noqa: E402

Key = tuple[str, ...]


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    if result.exit_code != 0:
        raise SystemExit(f"auditkit {' '.join(args)} failed:\n{result.output}")
    return result.output


def key_of(rule: str, user: str, patient: str, date: str, event: str) -> Key:
    if rule in ("HIP010", "HIP100"):
        return (rule, event)
    if rule == "HIP009":
        return (rule, user, date)
    return (rule, user, patient, date)


def review(folder: Path, start: str, end: str) -> tuple[list[dict[str, str]], int]:
    """Import the folder's files, run the HIP rules, return (findings, accesses)."""
    url = f"sqlite:///{folder / 'review.db'}"
    config = folder / "auditkit.toml"
    from auditkit.plugin_manager import registry

    others = sorted(rule for rule in registry().rules if not rule.startswith("HIP"))
    config.write_text(f"[checks]\ndisable = {json.dumps(others)}\n")
    db = ("--database", url)
    run("init", *db)
    if (folder / "claims.csv").exists():
        run("import", "claims", str(folder / "claims.csv"), *db)
    run("import", "patients", str(folder / "patients.csv"), *db)
    run("import", "workforce", str(folder / "workforce.csv"), *db)
    if (folder / "care_team.csv").exists():
        run("import", "care-team", str(folder / "care_team.csv"), *db)
    imported = json.loads(
        run("import", "access-log", str(folder / "access_log.csv"), "--json", *db)
    )
    run("audit", "create", "eval", "--from", start, "--to", end, *db)
    run("audit", "run", "eval", "--config", str(config), *db)
    findings = json.loads(run("findings", "export", "eval", "--format", "json", *db))
    return findings, imported["rows"]


def score(findings: list[dict[str, str]], truth_file: Path, accesses: int) -> dict[str, dict]:
    truth: dict[str, set[Key]] = defaultdict(set)
    with truth_file.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            truth[row["rule_id"]].add(
                key_of(
                    row["rule_id"], row["user_id"], row["patient_id"], row["date"], row["event_id"]
                )
            )
    found: dict[str, set[Key]] = defaultdict(set)
    for finding in findings:
        if not finding["rule_id"].startswith("HIP"):
            continue
        date = (finding["event_time"] or "")[:10]
        found[finding["rule_id"]].add(
            key_of(
                finding["rule_id"],
                finding["user_id"] or "",
                finding["patient_id"] or "",
                date,
                finding["event_id"] or "",
            )
        )
    table = {}
    for rule in sorted(set(truth) | set(found)):
        hits = len(truth[rule] & found[rule])
        table[rule] = {
            "truth": len(truth[rule]),
            "found": len(found[rule]),
            "precision": round(hits / len(found[rule]), 4) if found[rule] else None,
            "recall": round(hits / len(truth[rule]), 4) if truth[rule] else None,
        }
    alerts = sum(len(keys) for rule, keys in found.items() if rule != "HIP011")
    table["workload"] = {
        "accesses": accesses,
        "alerts": alerts,
        "alerts_per_1000": round(alerts * 1000 / accesses, 3) if accesses else 0,
    }
    return table


# --- the second generator: wards, stays, care teams, shifts ----------------------------------


def generate_wards(out: Path, events: int, seed: int = 11) -> tuple[str, str]:
    """Inpatient wards. Every stay lists its ward nurses and attending on the care team;
    accesses come in bursts (2–6 log lines per chart opening) during the user's shift.
    Incidents: snooping (sometimes at night), relatives by name, co-workers, self-access,
    VIPs, break-the-glass without reason, duplicated log lines."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    start = dt.date(2026, 7, 1)
    days = 14
    wards = [f"Ward {letter}" for letter in "ABCDEFGH"]
    shifts = {"early": (6, 14), "late": (14, 22), "night": (22, 30)}
    users = []
    for number in range(max(60, events // 900)):
        users.append(
            {
                "user_id": f"W{number:04d}",
                "first_name": "Kim",
                "last_name": f"Stafford{number}",
                "role": "nurse" if number % 6 else "attending",
                "department": wards[number % 8],
                "npi": "",
                "address": f"{number} Staff Row",
                "postal_code": "99001",
                "hire_date": "2019-05-01",
                "termination_date": "",
                "patient_id": f"M{number:06d}" if number % 4 == 0 else "",
                "shift": list(shifts)[number % 3],
            }
        )
    patients = [
        {
            "patient_id": u["patient_id"],
            "first_name": "Kim",
            "last_name": u["last_name"],
            "dob": "1980-02-02",
            "sex": "F",
            "address": u["address"],
            "postal_code": "99001",
            "vip": "N",
            "deceased_date": "",
        }
        for u in users
        if u["patient_id"]
    ]
    stays = []
    for number in range(max(200, events // 60)):
        mrn = f"S{number:07d}"
        patients.append(
            {
                "patient_id": mrn,
                "first_name": "Lee",
                "last_name": f"Inpatient{number}",
                "dob": "1950-03-03",
                "sex": "M",
                "address": f"{number} Town St",
                "postal_code": "99002",
                "vip": "Y" if number % 97 == 0 else "N",
                "deceased_date": "",
            }
        )
        admit = rng.randrange(-5, days)
        stays.append((mrn, wards[number % 8], admit, admit + rng.randrange(2, 9)))
    outsiders = []
    for number in range(300):
        mrn = f"O{number:06d}"
        patients.append(
            {
                "patient_id": mrn,
                "first_name": "Pat",
                "last_name": f"Outsider{number}",
                "dob": "1990-01-01",
                "sex": "F",
                "address": f"{number} Far Lane",
                "postal_code": "99003",
                "vip": "Y" if number < 20 else "N",
                "deceased_date": "",
            }
        )
        outsiders.append(mrn)
    relatives = {}
    for user in users[::9]:
        mrn = f"R{user['user_id']}"
        patients.append(
            {
                "patient_id": mrn,
                "first_name": "Jo",
                "last_name": user["last_name"],
                "dob": "2001-01-01",
                "sex": "M",
                "address": "1 Other Street",
                "postal_code": "99004",
                "vip": "N",
                "deceased_date": "",
            }
        )
        relatives[user["user_id"]] = mrn
    by_ward = defaultdict(list)
    for user in users:
        by_ward[user["department"]].append(user)
    care, log, truth = [], [], set()
    for mrn, ward, admit, discharge in stays:
        for user in by_ward[ward]:
            care.append(
                (
                    mrn,
                    user["user_id"],
                    start + dt.timedelta(days=admit),
                    start + dt.timedelta(days=discharge),
                )
            )

    def moment(user: dict, day: int, at_night: bool = False) -> dt.datetime:
        low, high = shifts[user["shift"]]
        hour = rng.choice([1, 2, 3, 23]) if at_night else rng.randrange(low, high)
        if hour >= 24:  # the night shift's small hours belong to the next day
            hour, day = hour - 24, day + 1
        return dt.datetime.combine(start + dt.timedelta(days=day), dt.time(hour)) + dt.timedelta(
            seconds=rng.randrange(3600)
        )

    end = start + dt.timedelta(days=days)
    while len(log) < events:
        mrn, ward, admit, discharge = rng.choice(stays)
        user = rng.choice(by_ward[ward])
        first, last = max(0, admit), min(days - 1, discharge)
        if first > last:
            continue
        when = moment(user, rng.randrange(first, last + 1))
        if when.date() >= end or (when.date() - start).days > discharge:
            continue
        for burst in range(rng.randrange(2, 7)):
            log.append(
                [
                    when + dt.timedelta(seconds=20 * burst),
                    user["user_id"],
                    mrn,
                    "view",
                    "N",
                    "",
                    False,
                ]
            )

    def incident(user: dict, mrn: str, rules: tuple[str, ...], night: bool) -> None:
        when = moment(user, rng.randrange(days), at_night=night)
        if when.date() >= start + dt.timedelta(days=days):
            return
        log.append([when, user["user_id"], mrn, "view", "N", "", False])
        date = when.date().isoformat()
        off = night and user["shift"] != "night"
        for rule in rules + (("HIP011",) if off else ()):
            truth.add((rule, user["user_id"], mrn, date, ""))

    scale = max(1, events // 50_000)
    day_staff = [u for u in users if u["shift"] != "night"]
    staff_records = [u for u in users if u["patient_id"]]
    for _ in range(30 * scale):
        incident(rng.choice(day_staff), rng.choice(outsiders[20:]), ("HIP001",), rng.random() < 0.4)
    for user_id, mrn in list(relatives.items())[: 6 * scale]:
        user = next(u for u in users if u["user_id"] == user_id)
        incident(user, mrn, ("HIP001", "HIP002"), False)
    for _ in range(5 * scale):
        user, owner = rng.sample(day_staff, 1)[0], rng.choice(staff_records)
        if owner is not user:
            incident(user, owner["patient_id"], ("HIP001", "HIP003"), False)
    for owner in staff_records[: 4 * scale]:
        incident(owner, owner["patient_id"], ("HIP001", "HIP004"), False)
    for _ in range(4 * scale):
        incident(rng.choice(day_staff), rng.choice(outsiders[:20]), ("HIP001", "HIP005"), False)
    log.sort(key=lambda row: row[0])
    for row in rng.sample(log, 5 * scale):
        row[4], row[6] = "Y", True  # break the glass, no reason
    duplicated = set(rng.sample(range(len(log)), 5 * scale))
    with (out / "access_log.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Event Ref", "Access Time", "Login", "MRN", "Activity", "Glass", "Why"])
        number = 0
        for position, (when, user_id, mrn, action, glass, reason, no_reason) in enumerate(log):
            for copy in range(2 if position in duplicated else 1):
                number += 1
                event = f"X{number:08d}"
                writer.writerow([event, when.isoformat(), user_id, mrn, action, glass, reason])
                if copy:
                    truth.add(("HIP100", "", "", "", event))
                if no_reason:
                    truth.add(("HIP010", "", "", "", event))
    (out / "mapping.toml").write_text(
        '[columns]\n"Event Ref" = "event_id"\n"Access Time" = "timestamp"\n"Login" = "user_id"\n'
        '"MRN" = "patient_id"\n"Activity" = "action"\n"Glass" = "break_glass"\n'
        '"Why" = "reason"\n'
    )
    columns = [
        "user_id",
        "first_name",
        "last_name",
        "role",
        "department",
        "npi",
        "address",
        "postal_code",
        "hire_date",
        "termination_date",
        "patient_id",
    ]
    with (out / "workforce.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(users)
    with (out / "patients.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, list(patients[0]))
        writer.writeheader()
        writer.writerows(patients)
    with (out / "care_team.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["patient_id", "user_id", "start_date", "end_date"])
        writer.writerows(care)
    with (out / "truth.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["rule_id", "user_id", "patient_id", "date", "event_id"])
        writer.writerows(sorted(truth))
    return start.isoformat(), (start + dt.timedelta(days=days - 1)).isoformat()


def review_wards(folder: Path, start: str, end: str) -> tuple[list[dict[str, str]], int]:
    """As :func:`review`, with the ward log's own column names through ``--mapping``."""
    mapped = folder / "mapped"
    mapped.mkdir(exist_ok=True)
    for name in ("patients.csv", "workforce.csv", "care_team.csv"):
        (mapped / name).write_bytes((folder / name).read_bytes())
    # the access log keeps its own headers: imported with the mapping
    url = f"sqlite:///{mapped / 'review.db'}"
    from auditkit.plugin_manager import registry

    others = sorted(rule for rule in registry().rules if not rule.startswith("HIP"))
    config = mapped / "auditkit.toml"
    config.write_text(f"[checks]\ndisable = {json.dumps(others)}\n")
    db = ("--database", url)
    run("init", *db)
    run("import", "patients", str(mapped / "patients.csv"), *db)
    run("import", "workforce", str(mapped / "workforce.csv"), *db)
    run("import", "care-team", str(mapped / "care_team.csv"), *db)
    imported = json.loads(
        run(
            "import",
            "access-log",
            str(folder / "access_log.csv"),
            "--mapping",
            str(folder / "mapping.toml"),
            "--json",
            *db,
        )
    )
    run("audit", "create", "eval", "--from", start, "--to", end, *db)
    run("audit", "run", "eval", "--config", str(config), *db)
    findings = json.loads(run("findings", "export", "eval", "--format", "json", *db))
    return findings, imported["rows"]


def print_table(name: str, table: dict[str, dict]) -> None:
    print(f"\n{name}")
    print(f"{'rule':<8}{'truth':>7}{'found':>7}{'precision':>11}{'recall':>8}")
    for rule, row in table.items():
        if rule == "workload":
            continue
        precision = "-" if row["precision"] is None else f"{row['precision']:.3f}"
        recall = "-" if row["recall"] is None else f"{row['recall']:.3f}"
        print(f"{rule:<8}{row['truth']:>7}{row['found']:>7}{precision:>11}{recall:>8}")
    work = table["workload"]
    print(
        f"alerts: {work['alerts']:,} on {work['accesses']:,} accesses = "
        f"{work['alerts_per_1000']} per 1,000 accesses"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--log", choices=("synthetic", "wards", "both"), default="both")
    parser.add_argument("--json", action="store_true")
    arguments = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        if arguments.log in ("synthetic", "both"):
            generate_access(folder / "synthetic", arguments.events, seed=7, days=30)
            findings, accesses = review(folder / "synthetic", "2026-04-01", "2026-04-30")
            results["synthetic"] = score(findings, folder / "synthetic" / "truth.csv", accesses)
        if arguments.log in ("wards", "both"):
            start, end = generate_wards(folder / "wards", arguments.events)
            findings, accesses = review_wards(folder / "wards", start, end)
            results["wards"] = score(findings, folder / "wards" / "truth.csv", accesses)
    if arguments.json:
        print(json.dumps(results, indent=2))
        return
    for name, table in results.items():
        print_table(name, table)


if __name__ == "__main__":
    main()
