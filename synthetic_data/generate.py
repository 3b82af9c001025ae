"""The public entry point: ``generate(out_dir, ...)`` writes a synthetic organisation's
claims, notes, the ground truth of every injected error and a manifest.

The same seed and arguments give byte-identical files: every random choice comes from
seeded ``random.Random`` instances (and Faker seeded once for the name pools), iteration
never depends on set or hash order, and the manifest holds no timestamp.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from importlib.metadata import version
from pathlib import Path

from faker import Faker

from synthetic_data import __version__
from synthetic_data.billing import choose_visit, claim_lines, claim_rows
from synthetic_data.dice import Dice
from synthetic_data.documentation import DocumentationErrors  # DOC errors
from synthetic_data.encounter import Draft, Planner, Truth
from synthetic_data.errors import REGISTRY
from synthetic_data.library import library
from synthetic_data.modifiers import MOD_RULES, ModifierPlan
from synthetic_data.notes import NoteWriter
from synthetic_data.organisation import (
    CODER_HABITS,
    Coder,
    NamePool,
    PatientPool,
    Provider,
    build_coders,
    build_providers,
)
from synthetic_data.writer import CLAIM_COLUMNS, NOTE_COLUMNS, TRUTH_COLUMNS, CsvSink

DEFAULT_RATES: Mapping[str, float] = {
    "SPC001": 0.04,
    "SPC002": 0.06,
    "SPC003": 0.08,
    "SPC004": 0.05,
    "SPC005": 0.04,
    "SPC006": 0.04,
}
FIRST_DATE = date(2025, 10, 1)
"""The bundled ICD-10-CM release (FY2026) is only the right referee from this date on."""

_PATIENTS_PER_ENCOUNTER = 0.4
_PATIENT_POOL = (200, 50_000)


@dataclass(frozen=True)
class GenerationResult:
    """Where the files went and what is in them."""

    out_dir: Path
    claims: Path
    notes: Path
    ground_truth: Path
    manifest: Path
    encounters: int
    lines: int
    errors: Mapping[str, int] = field(default_factory=dict)


def generate(
    out_dir: str | Path,
    *,
    encounters: int = 400,
    seed: int = 7,
    error_rates: Mapping[str, float] | None = None,
    start: date = date(2026, 4, 1),
    end: date = date(2026, 9, 30),
    providers: int = 12,
    coders: int = 8,
    target_lines: int | None = None,
    hard_negative_rate: float = 0.0,
    documentation_rates: Mapping[str, float] | None = None,  # DOC errors; None: none
) -> GenerationResult:
    """Write claims.csv, notes.csv, ground_truth.csv and manifest.json into ``out_dir``.

    ``error_rates`` maps rule ids to the per-encounter probability of that error (rules not
    named keep their default). With ``target_lines`` set, encounters are generated until
    exactly that many claim lines exist and ``encounters`` is ignored.

    Modifier and units errors (MOD001-MOD009) are off unless ``error_rates`` names them
    (``synthetic_data.modifiers.DEFAULT_MOD_RATES`` are suggested rates); at most one is
    planted per encounter. ``hard_negative_rate`` is the share of the other encounters
    given a correct but suspicious-looking modifier pattern (see ``modifiers``).
    """
    rates = _resolve_rates(error_rates)
    mod_rates = _resolve_mod_rates(error_rates, hard_negative_rate)
    _check_arguments(encounters, start, end, providers, coders, target_lines)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    org_rng, rng = Dice(seed), Dice(f"encounters-{seed}")
    fake = Faker("en_US")
    fake.seed_instance(seed)
    names = NamePool(fake)
    expected = encounters if target_lines is None else target_lines // 2
    pool_size = min(
        max(int(expected * _PATIENTS_PER_ENCOUNTER), _PATIENT_POOL[0]), _PATIENT_POOL[1]
    )
    staff = build_providers(providers, names, org_rng)
    team = build_coders(coders, {**rates, **mod_rates}, names, org_rng)
    planner = Planner(
        library(), staff, team, PatientPool(pool_size, names, start, org_rng), start, end
    )
    plan = ModifierPlan(mod_rates, hard_negative_rate, Dice(f"modifiers-{seed}"))
    documentation = DocumentationErrors(seed, documentation_rates)  # DOC errors
    counts, missed, written = _write(
        out, planner, rng, encounters, target_lines, plan, documentation
    )
    manifest = _manifest(seed, rates, start, end, staff, team, counts, missed, written)
    _modifier_manifest(manifest, mod_rates, plan, counts, missed)
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return GenerationResult(
        out,
        out / "claims.csv",
        out / "notes.csv",
        out / "ground_truth.csv",
        out / "manifest.json",
        written["encounters"],
        written["lines"],
        dict(counts),
    )


def _resolve_rates(error_rates: Mapping[str, float] | None) -> dict[str, float]:
    rates = dict(DEFAULT_RATES)
    for rule, rate in (error_rates or {}).items():
        if rule in MOD_RULES:
            continue  # see _resolve_mod_rates
        if rule not in REGISTRY:
            raise ValueError(f"no error injector for rule {rule!r} (known: {sorted(REGISTRY)})")
        if not 0.0 <= rate <= 1.0:
            raise ValueError(f"rate for {rule} must be between 0 and 1, got {rate}")
        rates[rule] = float(rate)
    return {rule: rates.get(rule, 0.0) for rule in REGISTRY}


def _resolve_mod_rates(
    error_rates: Mapping[str, float] | None, hard_negative_rate: float
) -> dict[str, float]:
    """The MOD rules' rates: zero unless named (so SPC-only datasets stay as they were)."""
    rates = {rule: 0.0 for rule in MOD_RULES}
    for rule, rate in (error_rates or {}).items():
        if rule in MOD_RULES:
            if not 0.0 <= rate <= 1.0:
                raise ValueError(f"rate for {rule} must be between 0 and 1, got {rate}")
            rates[rule] = float(rate)
    if not 0.0 <= hard_negative_rate <= 1.0:
        raise ValueError(f"hard_negative_rate must be between 0 and 1, got {hard_negative_rate}")
    return rates


def _modifier_manifest(
    manifest: dict[str, object],
    mod_rates: Mapping[str, float],
    plan: ModifierPlan,
    counts: Counter[str],
    missed: Counter[str],
) -> None:
    """The MOD part of the manifest, beside the specificity counts."""
    manifest["modifier_error_rates"] = dict(mod_rates)
    manifest["modifier_hard_negative_rate"] = plan.hard_negative_rate
    found = manifest["counts"]
    assert isinstance(found, dict)
    if any(mod_rates.values()):
        found["errors_by_rule"].update({rule: counts.get(rule, 0) for rule in mod_rates})
        found["errors_not_placed"].update({rule: missed.get(rule, 0) for rule in mod_rates})
    found["modifier_hard_negatives"] = plan.hard_negatives


def _check_arguments(
    encounters: int, start: date, end: date, providers: int, coders: int, target_lines: int | None
) -> None:
    if start < FIRST_DATE:
        raise ValueError(f"start must be on or after {FIRST_DATE} (the bundled ICD-10-CM release)")
    if end < start:
        raise ValueError("end is before start")
    if (
        min(providers, coders) < 1
        or encounters < 0
        or (target_lines is not None and target_lines < 1)
    ):
        raise ValueError("providers and coders must be >= 1, encounters >= 0, target_lines >= 1")


def _write(
    out: Path,
    planner: Planner,
    rng: Dice,
    encounters: int,
    target_lines: int | None,
    plan: ModifierPlan,
    documentation: DocumentationErrors,  # DOC errors
) -> tuple[Counter[str], Counter[str], dict[str, int]]:
    """Generate and stream every encounter; returns error counts, misses and totals."""
    counts: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    writer = NoteWriter()
    lines = number = flawed = 0
    with (
        CsvSink(out / "claims.csv", CLAIM_COLUMNS) as claims,
        CsvSink(out / "notes.csv", NOTE_COLUMNS) as notes,
        CsvSink(out / "ground_truth.csv", TRUTH_COLUMNS) as truth,
    ):
        while (lines < target_lines) if target_lines is not None else (number < encounters):
            number += 1
            room = None if target_lines is None else target_lines - lines
            draft, wanted = _encounter(planner, rng, f"ENC{number:08d}", room, plan)
            documentation.spoil(draft)  # DOC errors
            placed = [t.rule_id for t in draft.truth]
            counts.update(placed)
            missed.update(wanted)
            missed.subtract(placed)
            flawed += bool(placed)
            rows = claim_rows(draft, draft.lines, rng)
            lines += len(rows)
            claims.add(rows)
            notes.add((documentation.finish_note(draft, writer.row(draft, rng)),))  # DOC errors
            truth.add(_truth_row(draft.encounter_id, t) for t in draft.truth)
    totals = {
        "encounters": number,
        "lines": lines,
        "ground_truth_rows": truth.rows,
        "encounters_with_errors": flawed,
    }
    return counts, missed, totals


def _encounter(
    planner: Planner, rng: Dice, encounter_id: str, room: int | None, plan: ModifierPlan
) -> tuple[Draft, list[str]]:
    """Plan, code and spoil one encounter; also returns the rules its coder erred on."""
    draft = planner.draft(encounter_id, rng)
    plan.one_visit_a_day(draft, planner.days)
    wanted = [
        injector
        for rule, injector in REGISTRY.items()
        if rng.random() < draft.coder.rates.get(rule, 0.0)
    ]
    ready = [injector for injector in wanted if injector.prepare(draft, planner, rng)]
    planner.finish(draft, rng, room)
    draft.visit = choose_visit(draft, rng)
    draft.lines = claim_lines(draft, draft.visit, rng)
    for injector in ready:
        injector.inject(draft, rng)
    mod_wanted = plan.bill(draft, draft.coder.rates, room)
    return draft, [injector.rule_id for injector in wanted] + mod_wanted


def _truth_row(encounter_id: str, truth: Truth) -> list[str]:
    line = "" if truth.line_number is None else str(truth.line_number)
    return [encounter_id, line, truth.rule_id, truth.code, truth.detail]


def _manifest(
    seed: int,
    rates: Mapping[str, float],
    start: date,
    end: date,
    staff: tuple[Provider, ...],
    team: tuple[Coder, ...],
    counts: Counter[str],
    missed: Counter[str],
    written: Mapping[str, int],
) -> dict[str, object]:
    """Everything needed to reproduce and interpret the run (no timestamp: determinism)."""
    return {
        "generator": "synthetic_data",
        "generator_version": __version__,
        "icd10cm_library": f"simple_icd_10_cm {version('simple_icd_10_cm')}",
        "faker_version": version("faker"),
        "seed": seed,
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "error_rates": dict(rates),
        "counts": {
            **written,
            "errors_by_rule": {rule: counts.get(rule, 0) for rule in rates},
            # drawn for an encounter but no condition or substitution could carry them
            "errors_not_placed": {rule: missed.get(rule, 0) for rule in rates},
        },
        "coders": [
            {
                "coder_id": c.coder_id,
                "name": c.name,
                "habit": c.habit,
                "error_rates": {rule: round(rate, 6) for rule, rate in c.rates.items()},
            }
            for c in team
        ],
        "coder_habits": {name: {"default": d, **o} for name, d, o in CODER_HABITS},
        "providers": [
            {"npi": p.npi, "name": p.name, "specialty": p.specialty, "department": p.department}
            for p in staff
        ],
        "files": ["claims.csv", "notes.csv", "ground_truth.csv", "manifest.json"],
    }
