"""What the note says about each coded diagnosis, read once per note and code and shared by
DOC003 (not found), DOC004 (only uncertain) and DOC005 (only negated)."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from auditkit.notes.evidence import DiagnosisEvidence, Mention, diagnosis_evidence, find_mentions
from auditkit.plugins.specificity.release_view import valid_diagnoses
from auditkit.rules import CheckContext
from auditkit.units import DiagnosisRecord, EncounterRecord

_QUOTE = 110


@dataclass(frozen=True)
class ReadDiagnosis:
    diagnosis: DiagnosisRecord
    evidence: DiagnosisEvidence
    title: str


def read_diagnoses(encounter: EncounterRecord, context: CheckContext) -> Iterator[ReadDiagnosis]:
    """Every valid coded diagnosis with what the note says about it (nothing without a
    note: a missing note is not a diagnosis problem)."""
    note = encounter.note
    if note is None or not note.text.strip():
        return
    release = context.codesets.for_date(encounter.date_of_service).release
    for dx in valid_diagnoses(encounter, release):
        evidence = _evidence(dx.code, note.text, release)
        yield ReadDiagnosis(dx, evidence, release.description(dx.code) or "")


@lru_cache(maxsize=256)
def _evidence(code: str, text: str, release: object) -> DiagnosisEvidence:
    return diagnosis_evidence(code, text, release)  # type: ignore[arg-type]


def quote(mention: Mention | None) -> str:
    if mention is None:
        return ""
    text = " ".join(mention.sentence.split())
    return text if len(text) <= _QUOTE else text[: _QUOTE - 1] + "…"


@dataclass(frozen=True)
class Symptom:
    code: str
    terms: tuple[str, ...]


@cache
def symptoms() -> tuple[Symptom, ...]:
    """The sign/symptom codes and the words for them (``symptoms.toml``)."""
    text = resources.files(__package__).joinpath("symptoms.toml").read_text("utf-8")
    return tuple(
        Symptom(entry["code"], tuple(entry["terms"]))
        for entry in tomllib.loads(text).get("symptom", [])
    )


def documented_symptom(note: str, near: tuple[Mention, ...]) -> str | None:
    """The sign or symptom to code instead of an uncertain diagnosis: the first symptom the
    note states (not negated, the patient's) in a sentence of the uncertain mention, else
    the only such symptom of the whole note. The uncertainty cue of the sentence may reach
    the symptom too ("calf pain, suspected DVT"): only a negation disqualifies it."""
    sentences = {mention.sentence for mention in near}
    close: list[tuple[int, str]] = []
    anywhere: set[str] = set()
    for symptom in symptoms():
        for mention in find_mentions(note, symptom.terms):
            a = mention.assessment
            if a.negation == "negated" or a.experiencer != "patient":
                continue
            anywhere.add(symptom.code)
            if mention.sentence in sentences:
                close.append((mention.start, symptom.code))
    if close:
        return min(close)[1]
    return next(iter(anywhere)) if len(anywhere) == 1 else None
