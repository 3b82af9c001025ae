"""DOC checks beyond their rule cases: dollars, parameters, metadata and the clone index."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from auditkit.codesets import CodeSets
from auditkit.plugin_manager import build_registry, new_plugin_manager
from auditkit.plugins import family_checks
from auditkit.plugins.documentation.doc001_em_overcoding import EmLevelAboveDocumentation
from auditkit.plugins.documentation.doc002_em_undercoding import EmLevelBelowDocumentation
from auditkit.plugins.documentation.doc006_service_not_documented import ServiceNotDocumented
from auditkit.plugins.documentation.doc007_cloned_note import cloned_notes
from auditkit.plugins.documentation.doc008_note_signature import NoteUnsignedOrLate
from auditkit.plugins.documentation.near_duplicates import NearDuplicateIndex, jaccard, shingles
from auditkit.plugins.documentation.service_terms import known_codes, service_terms
from auditkit.rules import CheckContext
from auditkit.testing import fixture_context
from auditkit.units import EncounterRecord, LineRecord, NoteRecord, PatientRecord

CHECKS = family_checks("auditkit.plugins.documentation")


PLAIN = CheckContext(codesets=CodeSets())


def _visit(code: str, note: str, charge: str = "210.00", paid: str | None = None, pos: str = "11",
           signed: dt.datetime | None = None) -> EncounterRecord:  # fmt: skip
    return EncounterRecord(
        id=1,
        key="E1",
        date_of_service=dt.date(2026, 3, 10),
        patient=PatientRecord("m", "F", dt.date(1960, 1, 1)),
        provider_npi="1234567893",
        coder_key="c",
        diagnoses=(),
        lines=(LineRecord(1, code, (), 1, "A", Decimal(charge), Decimal(paid) if paid else None),),
        note=NoteRecord(note, signed_at=signed),
        place_of_service=pos,
    )


def test_registered_with_full_metadata() -> None:
    registry = build_registry(new_plugin_manager(load_entry_points=False))
    examines = {
        "DOC001": ("note",), "DOC002": ("note",), "DOC003": ("diagnoses",),
        "DOC004": ("diagnoses",), "DOC005": ("diagnoses",), "DOC006": ("lines",),
        "DOC007": ("note",), "DOC008": ("note",),
    }  # fmt: skip
    for rule_id, parts in examines.items():
        rule = registry.rules[rule_id].rule
        assert rule.responsible == "provider" and rule.examines == parts
        assert registry.rules[rule_id].plugin.endswith("documentation")
        assert rule.references
    for check in CHECKS:
        doc = check.__doc__ or ""
        for heading in ("What it does", "Why it matters", "Example", "Use instead"):
            assert f"## {heading}" in doc, (check.__name__, heading)


def test_level_dollars_from_the_fee_schedule_when_loaded() -> None:
    unit = _visit("99214", "MDM: low complexity.")
    [over] = EmLevelAboveDocumentation().run(unit, fixture_context())
    view = fixture_context().reference("pfs-rvu", unit.date_of_service)
    rows = view.values(("99214", "99213"), unit.date_of_service)
    expected = rows["99214", ""].payment() - rows["99213", ""].payment()
    assert over.financial_impact == expected > 0
    facility = _visit("99214", "MDM: low complexity.", pos="22")
    [at_facility] = EmLevelAboveDocumentation().run(facility, fixture_context())
    expected_facility = rows["99214", ""].payment(True) - rows["99213", ""].payment(True)
    assert at_facility.financial_impact == expected_facility != expected


def test_level_dollars_from_the_charge_without_a_fee_schedule() -> None:
    [over] = EmLevelAboveDocumentation().run(_visit("99214", "MDM: low."), PLAIN)
    assert over.financial_impact == Decimal("70.00")  # 210 - 210 × 20/30
    [paid] = EmLevelAboveDocumentation().run(_visit("99214", "MDM: low.", paid="90.00"), PLAIN)
    assert paid.financial_impact == Decimal("30.00")
    [under] = EmLevelBelowDocumentation().run(_visit("99213", "MDM: high.", charge="148.00"), PLAIN)
    assert under.financial_impact == Decimal("-148.00") and under.audited == "99215"


def test_undocumented_service_costs_the_paid_amount_else_the_charge() -> None:
    [charged] = ServiceNotDocumented().run(_visit("93000", "Knee pain.", "62.00"), PLAIN)
    assert charged.financial_impact == Decimal("62.00")
    [paid] = ServiceNotDocumented().run(_visit("93000", "Knee pain.", "62.00", "25.10"), PLAIN)
    assert paid.financial_impact == Decimal("25.10")


def test_signature_limit_is_a_parameter() -> None:
    unit = _visit("99213", "Note.", signed=dt.datetime(2026, 3, 16, 9, 0))
    assert list(NoteUnsignedOrLate().run(unit, PLAIN))  # 6 days > 3
    relaxed = CheckContext(codesets=PLAIN.codesets, parameters={"DOC008": {"max_days_to_sign": 7}})
    assert not list(NoteUnsignedOrLate().run(unit, relaxed))


def test_service_table_is_plain_words_for_codes() -> None:
    assert {"20610", "36415", "93000", "17000", "11102", "10060", "96372"} <= known_codes()
    assert service_terms("99213") is None and service_terms("00000") is None
    assert "EKG" in (service_terms("93000") or ())


NOTE = (
    "Patient returns for follow up of hypertension and type 2 diabetes. Home blood pressure "
    "readings average 128 over 80. No chest pain, shortness of breath or swelling of the legs. "
    "Taking lisinopril and metformin daily without side effects. Exam: lungs clear, heart "
    "regular, no edema, feet with intact sensation and pulses. Assessment: hypertension at "
    "goal, diabetes with A1c 6.8 percent at goal. Plan: continue both medicines, labs in three "
    "months, diet and walking reviewed, return in three months or sooner if needed."
)
OTHER = (
    "New complaint of right shoulder pain after painting the ceiling over the weekend. Pain "
    "with overhead reach, no numbness, no neck pain, no fever. Exam shows tenderness over the "
    "greater tuberosity, painful arc between 70 and 120 degrees, strength full, negative drop "
    "arm test. Assessment: rotator cuff tendinopathy without tear. Plan: ibuprofen with food "
    "for ten days, pendulum and band exercises, ice after activity, physical therapy referral "
    "if not better in four weeks, and imaging only if weakness develops."
)


def test_near_duplicates_found_and_different_notes_not() -> None:
    edited = NOTE.replace("128 over 80", "131 over 82").replace("6.8", "6.9")
    assert jaccard(shingles(NOTE), shingles(edited)) > 0.85
    assert jaccard(shingles(NOTE), shingles(OTHER)) < 0.1
    index = NearDuplicateIndex(0.85)
    assert index.add(1, NOTE) is None
    assert index.add(2, OTHER) is None
    match = index.add(3, edited)
    assert match is not None and match.earlier == 1


def test_clones_only_within_a_provider_and_only_the_later_note() -> None:
    rows = [
        (1, "A", dt.date(2026, 4, 1), "111", NOTE),
        (2, "B", dt.date(2026, 4, 9), "111", NOTE.replace("128", "126")),
        (3, "C", dt.date(2026, 4, 2), "222", NOTE),  # another provider's copy
        (4, "D", dt.date(2026, 4, 3), "222", OTHER),
    ]
    rows.sort(key=lambda row: (row[3], row[2], row[0]))
    found = list(cloned_notes(rows, 0.85, 60, None))
    assert [(f.encounter_id, f.audited) for f in found] == [(2, "A")]
    assert list(cloned_notes(rows, 0.85, 60, {1, 3, 4})) == []  # B not sampled
    assert list(cloned_notes(rows, 0.85, 500, None)) == []  # too short to compare


@pytest.mark.parametrize("size", [200, 1600])
def test_clone_index_compares_few_pairs(size: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Locality-sensitive buckets: shuffled (different) notes sharing one vocabulary are
    almost never compared exactly, so the work grows with the notes, not the pairs."""
    import random

    from auditkit.plugins.documentation import near_duplicates

    compared = 0
    exact = near_duplicates.jaccard

    def counting(first, second):  # type: ignore[no-untyped-def]
        nonlocal compared
        compared += 1
        return exact(first, second)

    monkeypatch.setattr(near_duplicates, "jaccard", counting)
    words = NOTE.split() + OTHER.split()
    rng = random.Random(size)
    index = NearDuplicateIndex(0.85)
    for key in range(size):
        rng.shuffle(words)
        assert index.add(key, " ".join(words)) is None
    assert compared < size // 20  # all pairs would be size² / 2
