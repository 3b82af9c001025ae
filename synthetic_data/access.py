"""A synthetic EHR access log with ground truth, for auditkit's access review (HIP rules).

Stands alone (no auditkit import). ``generate_access(out, events=…, seed=…)`` writes the
contract's input files — ``patients.csv``, ``workforce.csv``, ``care_team.csv``,
``claims.csv`` (the encounters that explain accesses) and ``access_log.csv`` — and
``truth.csv``: one row per finding the review should raise, keyed as auditkit keys it:

* ``event``: HIP010 and HIP100 name an event id;
* ``user_day``: HIP009 names a user and a date;
* ``case``: every other rule names a user, a patient and a date (one finding per
  user, patient and day).

How it is built: an organisation of departments, staff (day or night shift, roles,
physicians with NPIs) and patients with unique names and addresses; encounters of the
patients in departments; normal accesses that an encounter (the department's staff, the
rendering physician, billing and coding after the visit) or a care-team entry explains,
all within each user's shift. Then known incidents at chosen rates: snooping on unrelated
patients, relatives (same last name and address), neighbours (same address), co-workers,
one's own record, VIP and deceased patients, accounts used after termination, volume
spikes, break-the-glass without a reason, duplicated and out-of-order log events; a share
of the incidents by day staff happens at night (HIP011). Normal work uses vectorised numpy
so ten million events take about a minute.

Command line: ``python -m synthetic_data.access OUT --events 1000000 --seed 7``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

DEPARTMENTS = (
    "Cardiology",
    "Orthopedics",
    "Emergency",
    "Oncology",
    "Pediatrics",
    "Neurology",
    "Radiology",
    "Surgery",
    "Obstetrics",
    "Internal Medicine",
    "Psychiatry",
    "Dermatology",
)
CLINICAL_ROLES = ("nurse", "nurse", "nurse", "clerk", "physician")
BILLING_ROLES = ("billing", "coding")
SYLLABLES = (
    "ka",
    "lo",
    "mi",
    "ra",
    "ten",
    "vo",
    "shi",
    "ber",
    "dan",
    "el",
    "fo",
    "gar",
    "hu",
    "ix",
    "jo",
    "kel",
    "lin",
    "mor",
    "nes",
    "ost",
    "pa",
    "qui",
    "rus",
    "sel",
    "tor",
    "ul",
    "ven",
    "wil",
    "yan",
    "zed",
)
STREETS = ("Oak St", "Maple Ave", "Pine Rd", "Cedar Ln", "Elm Dr", "Birch Way", "Lake Blvd")


@dataclass
class Rates:
    """Incidents per million normal events (and per thousand users where noted)."""

    snoop: float = 300
    family: float = 80
    neighbour: float = 40
    coworker: float = 50
    self_access: float = 40
    vip: float = 30
    deceased: float = 30
    terminated_users_per_1000: float = 5
    spike_days: float = 8
    break_glass_no_reason: float = 80
    break_glass_with_reason: float = 300
    duplicates: float = 60
    out_of_order: float = 40
    night_share: float = 0.3  # of incidents by day staff that happen at night


@dataclass
class Organisation:
    users: list[dict[str, str]] = field(default_factory=list)
    patients: list[dict[str, str]] = field(default_factory=list)


def _npi(rng: np.random.Generator) -> str:
    body = "".join(str(d) for d in rng.integers(0, 10, 9))
    digits = [int(c) for c in "80840" + body]
    total = 0
    for position, digit in enumerate(reversed(digits)):
        if position % 2 == 0:
            digit *= 2
            digit = digit - 9 if digit > 9 else digit
        total += digit
    return body + str((10 - total % 10) % 10)


class _Names:
    """Unique surnames from syllables, so two people share a name only when built to."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def new(self) -> str:
        while True:
            parts = self.rng.choice(SYLLABLES, size=int(self.rng.integers(2, 5)))
            name = "".join(parts).capitalize()
            if name not in self.used:
                self.used.add(name)
                return name


def generate_access(
    out: Path,
    events: int = 100_000,
    seed: int = 7,
    start: dt.date = dt.date(2026, 4, 1),
    days: int = 30,
    rates: Rates | None = None,
) -> dict[str, int]:
    """Write the files into ``out``; returns counts (events, users, patients, truth rows)."""
    rates = rates or Rates()
    rng = np.random.default_rng(seed)
    out.mkdir(parents=True, exist_ok=True)
    names = _Names(rng)
    per_million = events / 1_000_000

    # --- staff: about one user per 1,500 events a month, at least 40 ---------------------
    # Blocks of ten users share a department; the fifth of each block is its physician
    # and the tenth works in billing or coding.
    n_users = max(120, int(events / days / 45))
    users = []
    for number in range(n_users):
        department = DEPARTMENTS[(number // 10) % len(DEPARTMENTS)]
        role = BILLING_ROLES[number // 10 % 2] if number % 10 == 9 else CLINICAL_ROLES[number % 5]
        users.append(
            {
                "user_id": f"u{number:05d}",
                "first_name": "Sam",
                "last_name": names.new(),
                "role": role,
                "department": "Billing Office" if role in BILLING_ROLES else department,
                "npi": _npi(rng) if role == "physician" else "",
                "address": f"{1000 + number} {STREETS[number % len(STREETS)]}",
                "postal_code": f"{10000 + number % 900:05d}",
                "hire_date": "2020-01-01",
                "termination_date": "",
                "patient_id": "",
                "shift": "night" if rng.random() < 0.2 and role != "billing" else "day",
            }
        )
    # --- patients: clinical ones (with encounters) and unlinked ones ---------------------
    n_clinical = max(200, events // 20)
    patients: list[dict[str, str]] = []

    def add_patient(last: str, address: str, postal: str, **extra: str) -> str:
        mrn = f"P{len(patients):07d}"
        patients.append(
            {
                "patient_id": mrn,
                "first_name": "Alex",
                "last_name": last,
                "dob": "1970-01-01",
                "sex": "F" if len(patients) % 2 else "M",
                "address": address,
                "postal_code": postal,
                "vip": extra.get("vip", "N"),
                "deceased_date": extra.get("deceased_date", ""),
            }
        )
        return mrn

    home = np.empty(n_clinical, dtype=object)
    for number in range(n_clinical):
        add_patient(
            names.new() if number < 20000 else f"Pat{number}x",
            f"{5000 + number} Hill Rd",
            f"{20000 + number % 900:05d}",
        )
        home[number] = DEPARTMENTS[number % len(DEPARTMENTS)]
    for index in rng.choice(n_clinical, size=max(1, n_clinical // 200), replace=False):
        patients[index]["vip"] = "Y"  # VIP patients in care: accessed, explained, no flag
    plain = [
        add_patient(f"Plain{n}q", f"{90000 + n} Far Rd", "30000")
        for n in range(max(400, int(2000 * per_million)))
    ]
    vips = [
        add_patient(names.new(), f"{70000 + n} Star Blvd", "40000", vip="Y")
        for n in range(max(10, int(100 * per_million)))
    ]
    before = (start - dt.timedelta(days=60)).isoformat()
    dead = [
        add_patient(names.new(), f"{80000 + n} Rest Ln", "50000", deceased_date=before)
        for n in range(max(10, int(100 * per_million)))
    ]
    relatives: dict[str, str] = {}
    neighbours: dict[str, str] = {}
    for number, user in enumerate(users):
        if number % 3 == 0:  # a third of staff are patients here too
            user["patient_id"] = add_patient(
                user["last_name"], user["address"], user["postal_code"]
            )
        if number % 7 == 0:
            relatives[user["user_id"]] = add_patient(
                user["last_name"], user["address"], user["postal_code"]
            )
        if number % 11 == 0:
            neighbours[user["user_id"]] = add_patient(
                names.new(), user["address"], user["postal_code"]
            )

    # --- encounters ----------------------------------------------------------------------
    per_encounter = 10
    n_encounters = max(50, events // per_encounter)
    enc_patient = rng.integers(0, n_clinical, n_encounters)
    enc_day = rng.integers(-20, days, n_encounters)
    enc_dept = home[enc_patient]
    clinical_by_dept: dict[str, np.ndarray] = {}
    physicians_by_dept: dict[str, list[int]] = {}
    for index, user in enumerate(users):
        if user["role"] in BILLING_ROLES or user["termination_date"]:
            continue
        clinical_by_dept.setdefault(user["department"], [])  # type: ignore[arg-type]
        clinical_by_dept[user["department"]].append(index)  # type: ignore[attr-defined]
        if user["role"] == "physician":
            physicians_by_dept.setdefault(user["department"], []).append(index)
    staff = {dept: np.array(ids) for dept, ids in clinical_by_dept.items()}
    enc_provider = np.array(
        [physicians_by_dept[dept][rng.integers(len(physicians_by_dept[dept]))] for dept in enc_dept]
    )
    billing_users = np.array([i for i, u in enumerate(users) if u["role"] in BILLING_ROLES])

    # --- terminated users: no normal work after their date ---------------------------------
    n_terminated = max(1, int(n_users * rates.terminated_users_per_1000 / 1000))
    terminated = rng.choice(
        [i for i, u in enumerate(users) if u["role"] in ("nurse", "clerk")],
        n_terminated,
        replace=False,
    )
    termination_day = {int(i): int(rng.integers(days // 3, days - 3)) for i in terminated}
    for index, day in termination_day.items():
        users[index]["termination_date"] = (start + dt.timedelta(days=day)).isoformat()

    # --- normal, explained accesses (vectorised) -----------------------------------------
    n = int(events * 2.2)  # about half fall outside the period or after a termination
    enc = rng.integers(0, n_encounters, n)
    kind = rng.choice(4, size=n, p=[0.62, 0.18, 0.05, 0.15])  # dept, provider, care team, billing
    user_ix = np.empty(n, dtype=np.int64)
    offset = rng.integers(-3, 11, n)
    depts = enc_dept[enc]
    for dept, members in staff.items():
        chosen = (kind == 0) & (depts == dept)
        user_ix[chosen] = members[rng.integers(0, len(members), int(chosen.sum()))]
    user_ix[kind == 1] = enc_provider[enc[kind == 1]]
    billing = kind == 3
    user_ix[billing] = billing_users[rng.integers(0, len(billing_users), int(billing.sum()))]
    offset[billing] = rng.integers(1, 60, int(billing.sum()))
    # care team: a consultant from another department, listed on the patient's care team
    consultants = np.array(
        [i for i, u in enumerate(users) if u["role"] == "physician" and not u["termination_date"]]
    )
    care = kind == 2
    user_ix[care] = consultants[rng.integers(0, len(consultants), int(care.sum()))]
    day = enc_day[enc] + offset
    is_night = np.array([u["shift"] == "night" for u in users])[user_ix]
    hour = np.where(is_night, (rng.integers(19, 31, n)) % 24, rng.integers(7, 19, n))
    second = rng.integers(0, 3600, n)
    keep = (day >= 0) & (day < days)
    term_limit = np.full(len(users), days + 1)
    for index, limit in termination_day.items():
        term_limit[index] = limit + 1
    keep &= day < term_limit[user_ix]
    # a night shift's early hours belong to the next day: still inside the period
    idx = np.flatnonzero(keep)[:events]
    user_ix, enc, day, hour, second, kind = (
        a[idx] for a in (user_ix, enc, day, hour, second, kind)
    )
    patient_ix = enc_patient[enc]

    care_rows = set()
    for u, e in zip(user_ix[kind == 2].tolist(), enc[kind == 2].tolist(), strict=True):
        care_rows.add((int(enc_patient[e]), u, int(enc_day[e])))

    base = dt.datetime.combine(start, dt.time())
    seconds = day.astype(np.int64) * 86400 + hour.astype(np.int64) * 3600 + second
    normal = {
        "seconds": seconds,
        "user": user_ix,
        "patient": patient_ix.astype(np.int64),
    }

    # --- incidents -----------------------------------------------------------------------
    truth: list[
        tuple[str, str, str, str, str, str]
    ] = []  # rule, key kind, user, patient, date, event
    extra: list[tuple[int, int, str, str, str]] = []  # seconds, user, patient mrn, glass, reason
    day_users = [i for i, u in enumerate(users) if u["shift"] == "day" and i not in termination_day]

    def when(user: int, at_night: bool | None = None) -> int:
        d = int(rng.integers(0, days))
        night = users[user]["shift"] == "night"
        if at_night is None:
            at_night = (not night) and rng.random() < rates.night_share
        if night or at_night:
            h = int(rng.choice([20, 21, 22, 23, 1, 2, 3, 4, 5]))
        else:
            h = int(rng.integers(8, 18))
        return d * 86400 + h * 3600 + int(rng.integers(0, 3600))

    def date_of(sec: int) -> str:
        return (start + dt.timedelta(days=sec // 86400)).isoformat()

    def incident(user: int, mrn: str, rules: tuple[str, ...], at_night: bool | None = None) -> None:
        sec = when(user, at_night)
        extra.append((sec, user, mrn, "N", ""))
        hour_of = (sec % 86400) // 3600
        off = hour_of < 7 or hour_of >= 19
        for rule in rules + (("HIP011",) if off and users[user]["shift"] == "day" else ()):
            truth.append((rule, "case", users[user]["user_id"], mrn, date_of(sec), ""))

    def count(rate: float) -> int:
        return max(1, round(rate * per_million))

    staff_records = [(i, u["patient_id"]) for i, u in enumerate(users) if u["patient_id"]]
    for _ in range(count(rates.snoop)):
        incident(int(rng.choice(day_users)), plain[int(rng.integers(len(plain)))], ("HIP001",))
    related = list(relatives.items())
    for _ in range(count(rates.family)):
        user_id, mrn = related[int(rng.integers(len(related)))]
        user = int(user_id[1:])
        if user in termination_day:
            continue
        incident(user, mrn, ("HIP001", "HIP002", "HIP007"))
    near = list(neighbours.items())
    for _ in range(count(rates.neighbour)):
        user_id, mrn = near[int(rng.integers(len(near)))]
        user = int(user_id[1:])
        if user in termination_day:
            continue
        incident(user, mrn, ("HIP001", "HIP007"))
    for _ in range(count(rates.coworker)):
        user = int(rng.choice(day_users))
        owner, mrn = staff_records[int(rng.integers(len(staff_records)))]
        if owner != user:
            incident(user, mrn, ("HIP001", "HIP003"))
    for _ in range(count(rates.self_access)):
        owner, mrn = staff_records[int(rng.integers(len(staff_records)))]
        if owner in termination_day:
            continue
        # the user's own record is also a co-worker's record to nobody else: HIP004 only
        incident(owner, mrn, ("HIP001", "HIP004"))
    for _ in range(count(rates.vip)):
        incident(
            int(rng.choice(day_users)), vips[int(rng.integers(len(vips)))], ("HIP001", "HIP005")
        )
    for _ in range(count(rates.deceased)):
        incident(
            int(rng.choice(day_users)), dead[int(rng.integers(len(dead)))], ("HIP001", "HIP008")
        )
    # accounts used after termination: explained-looking work in their own department
    for index, last in termination_day.items():
        dept = users[index]["department"]
        candidates = np.flatnonzero(enc_dept == dept)
        for _ in range(2):
            e = int(rng.choice(candidates))
            d = min(days - 1, max(last + 1, int(enc_day[e]) + int(rng.integers(0, 4))))
            if not (last < d and enc_day[e] - 7 <= d <= enc_day[e] + 30):
                continue
            sec = d * 86400 + int(rng.integers(9, 17)) * 3600
            mrn = patients[int(enc_patient[e])]["patient_id"]
            extra.append((sec, index, mrn, "N", ""))
            truth.append(("HIP006", "case", users[index]["user_id"], mrn, date_of(sec), ""))
    # volume spikes: a day user opens many unrelated patients on one day
    spiked: set[tuple[int, int]] = set()
    for _ in range(count(rates.spike_days)):
        user = int(rng.choice(day_users))
        d = int(rng.integers(0, days))
        if (user, d) in spiked:
            continue
        spiked.add((user, d))
        chosen = rng.choice(len(plain), size=min(len(plain), 300), replace=False)
        for p in chosen:
            sec = d * 86400 + int(rng.integers(9, 17)) * 3600 + int(rng.integers(0, 3600))
            extra.append((sec, user, plain[int(p)], "N", ""))
            truth.append(
                ("HIP001", "case", users[user]["user_id"], plain[int(p)], date_of(sec), "")
            )
        truth.append(
            (
                "HIP009",
                "user_day",
                users[user]["user_id"],
                "",
                (start + dt.timedelta(days=d)).isoformat(),
                "",
            )
        )

    # --- merge, order by time, then break-glass, duplicates and disorder -----------------
    mrns = np.array([p["patient_id"] for p in patients], dtype=object)
    all_seconds = np.concatenate(
        [normal["seconds"], np.array([e[0] for e in extra], dtype=np.int64)]
    )
    all_users = np.concatenate([normal["user"], np.array([e[1] for e in extra], dtype=np.int64)])
    all_patients = np.concatenate(
        [mrns[normal["patient"]], np.array([e[2] for e in extra], dtype=object)]
    )
    order = np.argsort(all_seconds, kind="stable")
    all_seconds, all_users, all_patients = all_seconds[order], all_users[order], all_patients[order]
    total = len(all_seconds)
    glass = np.full(total, "N", dtype=object)
    reason = np.full(total, "", dtype=object)
    n_extra = len(extra)
    is_normal = order < (total - n_extra)
    normal_positions = np.flatnonzero(is_normal)
    picks = rng.choice(
        normal_positions,
        size=min(
            len(normal_positions),
            count(rates.break_glass_no_reason) + count(rates.break_glass_with_reason),
        ),
        replace=False,
    )
    no_reason = set(picks[: count(rates.break_glass_no_reason)].tolist())
    for p in picks.tolist():
        glass[p] = "Y"
        if p not in no_reason:
            reason[p] = "patient unconscious in ED"
    duplicate_at = set(
        rng.choice(normal_positions, size=count(rates.duplicates), replace=False).tolist()
    )
    disorder_at = set(
        rng.choice(normal_positions, size=count(rates.out_of_order), replace=False).tolist()
    )
    disorder_at -= duplicate_at
    actions = rng.choice(np.array(["view", "view", "view", "edit", "print"], dtype=object), total)

    user_ids = np.array([u["user_id"] for u in users], dtype=object)
    # out of order: logged where it is, but timed 30 minutes earlier than its neighbours
    final = all_seconds.copy()
    for position in sorted(disorder_at):
        sec = int(all_seconds[position])
        moved = sec - 1800
        if (
            position
            and int(all_seconds[position - 1]) > moved + 300
            and moved // 86400 == sec // 86400
        ):
            final[position] = moved
        else:
            disorder_at.discard(position)
    copies = np.zeros(total, dtype=np.int64)
    copies[list(duplicate_at)] = 1
    rows_of = np.repeat(np.arange(total), 1 + copies)  # a duplicate follows its original
    numbers = np.arange(1, len(rows_of) + 1)
    event_ids = np.char.add("E", np.char.zfill(numbers.astype(str), 9)).astype(object)
    stamps = np.datetime_as_string(
        np.datetime64(base, "s") + final[rows_of].astype("timedelta64[s]"), unit="s"
    ).astype(object)
    is_copy = np.zeros(len(rows_of), dtype=bool)
    is_copy[1:] = rows_of[1:] == rows_of[:-1]
    for number in np.flatnonzero(is_copy).tolist():
        truth.append(("HIP100", "event", "", "", "", event_ids[number]))
    first_rows = np.flatnonzero(~is_copy)
    for number in first_rows[np.isin(rows_of[first_rows], sorted(disorder_at))].tolist():
        truth.append(("HIP100", "event", "", "", "", event_ids[number]))
    for number in np.flatnonzero(np.isin(rows_of, sorted(no_reason))).tolist():
        truth.append(("HIP010", "event", "", "", "", event_ids[number]))
    users_col = user_ids[all_users[rows_of]]
    workstations = np.char.add("WS", (all_users[rows_of] % 97).astype(str)).astype(object)
    with (out / "access_log.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "event_id",
                "timestamp",
                "user_id",
                "patient_id",
                "action",
                "workstation",
                "source",
                "break_glass",
                "reason",
            ]
        )
        writer.writerows(
            zip(
                event_ids,
                stamps,
                users_col,
                all_patients[rows_of],
                actions[rows_of],
                workstations,
                ["EHR"] * len(rows_of),
                glass[rows_of],
                reason[rows_of],
                strict=True,
            )
        )
    number = len(rows_of)

    _write_people(out, users, patients, care_rows, start)
    _write_claims(out, patients, users, enc_patient, enc_day, enc_dept, enc_provider, start)
    with (out / "truth.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["rule_id", "key", "user_id", "patient_id", "date", "event_id"])
        writer.writerows(sorted(set(truth)))
    return {
        "events": number,
        "users": len(users),
        "patients": len(patients),
        "truth": len(set(truth)),
    }


def _write_people(
    out: Path,
    users: list[dict[str, str]],
    patients: list[dict[str, str]],
    care_rows: set[tuple[int, int, int]],
    start: dt.date,
) -> None:
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
        for patient, user, day in sorted(care_rows):
            writer.writerow(
                [
                    patients[patient]["patient_id"],
                    users[user]["user_id"],
                    (start + dt.timedelta(days=day - 5)).isoformat(),
                    (start + dt.timedelta(days=day + 15)).isoformat(),
                ]
            )


def _write_claims(
    out: Path,
    patients: list[dict[str, str]],
    users: list[dict[str, str]],
    enc_patient: np.ndarray,
    enc_day: np.ndarray,
    enc_dept: np.ndarray,
    enc_provider: np.ndarray,
    start: dt.date,
) -> None:
    """One service line per encounter: what the explanation step needs (patient, date,
    department, rendering NPI), with a plausible code and charge."""
    with (out / "claims.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "encounter_id",
                "patient_id",
                "patient_first_name",
                "patient_last_name",
                "patient_dob",
                "patient_sex",
                "date_of_service",
                "department",
                "provider_npi",
                "coder_id",
                "dx1",
                "line_number",
                "procedure_code",
                "units",
                "charge",
            ]
        )
        for number in range(len(enc_patient)):
            patient = patients[int(enc_patient[number])]
            writer.writerow(
                [
                    f"ENC{number:08d}",
                    patient["patient_id"],
                    patient["first_name"],
                    patient["last_name"],
                    patient["dob"],
                    patient["sex"],
                    (start + dt.timedelta(days=int(enc_day[number]))).isoformat(),
                    enc_dept[number],
                    users[int(enc_provider[number])]["npi"],
                    "C1",
                    "I10",
                    1,
                    "99213",
                    1,
                    "100.00",
                ]
            )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    arguments = parser.parse_args(argv)
    counts = generate_access(arguments.out, arguments.events, arguments.seed, days=arguments.days)
    print(", ".join(f"{value:,} {name}" for name, value in counts.items()))


if __name__ == "__main__":
    main()
