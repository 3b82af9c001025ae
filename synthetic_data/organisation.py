"""The synthetic organisation: providers, coders with their error habits, and patients.

Faker is slow per call, so names are drawn from Faker once into small pools and every
person is then assembled from the pools with the seeded ``random.Random``; a million-line
run never calls Faker in its loop.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from faker import Faker

from synthetic_data.conditions import DERM, FM, IM, NEURO, OBGYN, OPH, ORTHO, URO

# Department names and their place of service (11 office, 22 outpatient hospital).
DEPARTMENTS: Mapping[str, tuple[tuple[str, str], ...]] = {
    FM: (("Family Medicine - Northside", "11"), ("Family Medicine - Riverside", "11")),
    IM: (("Internal Medicine Clinic", "22"),),
    ORTHO: (("Orthopedics & Sports Medicine", "11"),),
    DERM: (("Dermatology", "11"),),
    OPH: (("Eye Center", "11"),),
    OBGYN: (("Women's Health", "11"),),
    URO: (("Urology Clinic", "22"),),
    NEURO: (("Neurology Clinic", "22"),),
}
# Specialty mix when providers are assigned round-robin: primary care first, as in a
# typical multispecialty group.
_SPECIALTY_CYCLE = (FM, IM, ORTHO, FM, DERM, OBGYN, URO, NEURO, IM, OPH, FM, ORTHO)
_CREDENTIALS = {FM: ("MD", "DO", "NP", "PA-C"), IM: ("MD", "DO", "NP")}

# Coder habits as multipliers on the requested per-rule error rate. A profile's ``default``
# applies to every rule it does not name (also to rules added later). Multipliers are
# normalised over the coders actually generated, so the organisation-wide rate stays as
# requested whatever the number of coders.
CODER_HABITS: tuple[tuple[str, float, Mapping[str, float]], ...] = (
    ("steady", 1.0, {}),
    ("meticulous", 0.15, {}),
    ("laterality-blind", 0.8, {"SPC003": 4.0}),
    ("outdated code book", 0.8, {"SPC001": 3.0, "SPC002": 3.5}),
    ("sequencing slips", 0.8, {"SPC004": 3.0, "SPC005": 3.5}),
    ("ignores demographic edits", 0.8, {"SPC006": 4.0}),
    ("new hire", 1.8, {}),
    ("careful", 0.4, {}),
)

_MEDICARE = ("Medicare", "Humana Medicare Advantage")
_COMMERCIAL = ("Blue Cross Blue Shield", "Aetna", "UnitedHealthcare", "Cigna")
MEDICARE_PAYERS = frozenset(_MEDICARE)


@dataclass(frozen=True)
class Provider:
    """A rendering provider; ``style`` picks their note template habits."""

    npi: str
    name: str
    specialty: str
    department: str
    place_of_service: str
    style: int


@dataclass(frozen=True)
class Coder:
    """A coder and the per-rule probability of each error they make on an encounter."""

    coder_id: str
    name: str
    habit: str
    rates: Mapping[str, float]


@dataclass(frozen=True)
class Patient:
    """A patient; ``sex`` is M, F or U as on the claim."""

    patient_id: str
    first_name: str
    last_name: str
    dob: date
    sex: str


def luhn_check_digit(payload: str) -> int:
    """Luhn check digit for ``payload`` (the digit that would be appended to it)."""
    total = 0
    for position, char in enumerate(reversed(payload)):
        digit = int(char)
        if position % 2 == 0:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return (10 - total % 10) % 10


def npi_from(first_nine: str) -> str:
    """Complete an NPI: the check digit is computed over 80840 + the first nine digits."""
    return first_nine + str(luhn_check_digit("80840" + first_nine))


def is_valid_npi(npi: str) -> bool:
    """Ten digits whose last one is the NPI Luhn check digit."""
    return len(npi) == 10 and npi.isdigit() and npi_from(npi[:9]) == npi


class NamePool:
    """First and last names drawn from Faker once, then reused by seeded random picks."""

    def __init__(self, fake: Faker, size: int = 400) -> None:
        self.female = [fake.first_name_female() for _ in range(size)]
        self.male = [fake.first_name_male() for _ in range(size)]
        self.last = [fake.last_name() for _ in range(size * 2)]

    def first(self, rng: random.Random, sex: str) -> str:
        """A first name fitting the sex (either list for U)."""
        if sex == "U":
            sex = rng.choice("MF")
        return rng.choice(self.female if sex == "F" else self.male)


def build_providers(count: int, names: NamePool, rng: random.Random) -> tuple[Provider, ...]:
    """Providers cycling through the specialty mix, each with a unique valid NPI."""
    providers: list[Provider] = []
    used: set[str] = set()
    for index in range(count):
        specialty = _SPECIALTY_CYCLE[index % len(_SPECIALTY_CYCLE)]
        department, pos = DEPARTMENTS[specialty][index % len(DEPARTMENTS[specialty])]
        npi = npi_from("1" + "".join(rng.choices("0123456789", k=8)))
        while npi in used:
            npi = npi_from("1" + "".join(rng.choices("0123456789", k=8)))
        used.add(npi)
        sex = rng.choice("MF")
        credential = rng.choice(_CREDENTIALS.get(specialty, ("MD", "DO", "MD")))
        name = f"{names.first(rng, sex)} {rng.choice(names.last)}, {credential}"
        providers.append(Provider(npi, name, specialty, department, pos, index % 3))
    return tuple(providers)


def build_coders(
    count: int, base_rates: Mapping[str, float], names: NamePool, rng: random.Random
) -> tuple[Coder, ...]:
    """Coders cycling through the habit profiles, rates normalised to the requested mean."""
    habits = [CODER_HABITS[index % len(CODER_HABITS)] for index in range(count)]
    mean = {
        rule: sum(overrides.get(rule, default) for _, default, overrides in habits) / count
        for rule in base_rates
    }
    coders = []
    for index, (habit, default, overrides) in enumerate(habits):
        rates = {
            rule: min(1.0, base * overrides.get(rule, default) / mean[rule]) if base else 0.0
            for rule, base in base_rates.items()
        }
        name = f"{names.first(rng, rng.choice('MF'))} {rng.choice(names.last)}"
        coders.append(Coder(f"CDR{index + 1:03d}", name, habit, rates))
    return tuple(coders)


class PatientPool:
    """A fixed pool of patients, split by sex so specialty filters cost nothing per pick."""

    def __init__(self, size: int, names: NamePool, start: date, rng: random.Random) -> None:
        patients = [self._patient(index, names, start, rng) for index in range(size)]
        self.everyone: Sequence[Patient] = patients
        self.female: Sequence[Patient] = [p for p in patients if p.sex == "F"]

    @staticmethod
    def _patient(index: int, names: NamePool, start: date, rng: random.Random) -> Patient:
        roll = rng.random()
        sex = "F" if roll < 0.53 else "M" if roll < 0.995 else "U"
        age = int(rng.triangular(18, 96, 58))
        dob = date(start.year - age - 1, 1, 1) + timedelta(days=rng.randrange(365))
        mrn = f"{10_000_000 + index * 17 + rng.randrange(17)}"
        return Patient(mrn, names.first(rng, sex), rng.choice(names.last), dob, sex)

    def pick(self, rng: random.Random, female_only: bool) -> Patient:
        """A random patient; obstetrics and gynecology only sees female patients."""
        return rng.choice(self.female if female_only else self.everyone)


def age_on(dob: date, day: date) -> int:
    """Age in whole years on a given day."""
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def payer_for(age: int, rng: random.Random) -> str:
    """Payer mix by age: Medicare from 65, Medicaid and commercial below, some self-pay."""
    roll = rng.random()
    if age >= 65:
        return _MEDICARE[0] if roll < 0.7 else _MEDICARE[1] if roll < 0.9 else "Aetna"
    if roll < 0.15:
        return "Medicaid"
    if roll < 0.2:
        return "Self-pay"
    return rng.choice(_COMMERCIAL)
