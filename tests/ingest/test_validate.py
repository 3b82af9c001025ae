"""Field validators: what each accepts, how it normalises, and what it says when it refuses."""

from __future__ import annotations

import pytest

from auditkit.ingest import validate as v


@pytest.mark.parametrize("value", ["1234567893", "1245319599"])
def test_npi_with_valid_check_digit(value: str) -> None:
    assert v.npi(value) == value


@pytest.mark.parametrize(
    ("value", "reason"),
    [("1234567890", "check digit"), ("123456789", "10 digits"), ("12345678AB", "10 digits")],
)
def test_npi_refused(value: str, reason: str) -> None:
    with pytest.raises(v.Invalid, match=reason):
        v.npi(value)


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("E11.9", "E119"),
        ("e119", "E119"),
        ("S52.521A", "S52521A"),
        ("I10", "I10"),
        ("Z23", "Z23"),
        # Malformed codes are imported as typed, for SPC001 to report.
        ("S39.012A1", "S39012A1"),
        ("S39012A0", "S39012A0"),
        ("E1", "E1"),
        ("E11.", "E11"),
        ("11.9", "11.9"),  # a dot where ICD-10-CM puts none stays
        ("E1.19", "E1.19"),
        ("e11.12345", "E1112345"),
    ],
)
def test_icd10cm_as_typed(value: str, stored: str) -> None:
    assert v.icd10cm(value) == stored


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("E11.123456", "longer than 8 characters"),
        ("S39.012A12", "longer than 8 characters"),
        ("E11-9", "only letters, digits and one dot"),
        ("E1.1.9", "only letters, digits and one dot"),
        ("E11 9", "only letters, digits and one dot"),
        ("É11", "only letters, digits and one dot"),
        (".", "only letters, digits and one dot"),
    ],
)
def test_icd10cm_refused_when_it_cannot_be_a_code(value: str, reason: str) -> None:
    with pytest.raises(v.Invalid, match=reason):
        v.icd10cm(value)


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("99213", "99213"),
        ("0001U", "0001U"),
        ("J1100", "J1100"),
        ("g0439", "G0439"),
        ("992133", "992133"),
        ("9921", "9921"),
        ("J11X0", "J11X0"),
        ("99213.1", "99213.1"),
    ],
)
def test_procedure_codes_as_typed(value: str, stored: str) -> None:
    assert v.procedure_code(value) == stored


@pytest.mark.parametrize("value", ["992131234", "99-213", "99213 25", "99213;"])
def test_procedure_codes_refused_when_they_cannot_be_a_code(value: str) -> None:
    with pytest.raises(v.Invalid, match="cannot be a code"):
        v.procedure_code(value)


def test_dates_must_exist() -> None:
    assert v.date("2024-02-29") == "2024-02-29"
    with pytest.raises(v.Invalid, match="real calendar date"):
        v.date("2025-02-29")
    with pytest.raises(v.Invalid, match="YYYY-MM-DD"):
        v.date("03/02/2026")


def test_timestamps() -> None:
    assert v.timestamp("2026-03-02T14:05:00") == "2026-03-02 14:05:00.000000"
    assert v.timestamp("2026-03-02 14:05") == "2026-03-02 14:05:00.000000"
    assert v.timestamp("2026-03-02T14:05:00.5") == "2026-03-02 14:05:00.500000"
    with pytest.raises(v.Invalid):
        v.timestamp("yesterday")
    with pytest.raises(v.Invalid):
        v.timestamp("2026-03-02T25:00:00")


def test_money() -> None:
    parse = v.money(allow_negative=False)
    assert parse("120") == "120.00"
    assert parse("0.5") == "0.50"
    for bad, reason in (("-1", "negative"), ("1.234", "two decimal"), ("1,000", "decimal")):
        with pytest.raises(v.Invalid, match=reason):
            parse(bad)
    assert v.money(allow_negative=True)("-12.5") == "-12.50"


def test_integers() -> None:
    assert v.integer(1)("3") == 3
    with pytest.raises(v.Invalid, match="less than 1"):
        v.integer(1)("0")
    with pytest.raises(v.Invalid, match="whole number"):
        v.integer(0)("1.5")


@pytest.mark.parametrize(
    ("value", "letters", "mask"),
    [("AB", "AB", 0b11), ("1,2", "AB", 0b11), ("a c", "AC", 0b101), ("12", "L", 1 << 11)],
)
def test_dx_pointers(value: str, letters: str, mask: int) -> None:
    assert v.dx_pointers(value) == (letters, mask)


@pytest.mark.parametrize("value", ["M", "13", "A1", "0"])
def test_dx_pointers_refused(value: str) -> None:
    with pytest.raises(v.Invalid):
        v.dx_pointers(value)


def test_small_code_sets() -> None:
    assert v.sex("f") == "F"
    assert v.mdm_level("Moderate") == "moderate"
    assert v.modifier("rt") == "RT"
    assert v.place_of_service("11") == "11"
    assert v.denial_codes("co-97; CO-16;") == "CO-97;CO-16"
    assert v.denial_codes(";") is None
    for parse, bad in (
        (v.sex, "X"),
        (v.mdm_level, "extreme"),
        (v.modifier, "2"),
        (v.place_of_service, "1"),
        (v.denial_codes, "CO 97"),
    ):
        with pytest.raises(v.Invalid):
            parse(bad)


def test_required_and_optional() -> None:
    assert v.optional(v.sex)("  ") is None
    assert v.required(v.sex)(" m ") == "M"
    with pytest.raises(v.Invalid, match="required"):
        v.required(v.sex)(" ")
