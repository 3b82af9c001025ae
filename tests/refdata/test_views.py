"""The read views the checks call: the edition in effect on each date, answered in bulk."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine

from auditkit.refdata import BUILTIN_KINDS, edition_in_effect, kind_named
from auditkit.refdata.demo import FIXTURE_FILES, FIXTURES, load_fixtures
from tests.refdata.helpers import HCPCS, MUE, PTP, RVU, real

MAY = dt.date(2026, 5, 1)


@pytest.fixture
def fixtures_loaded(engine: Engine) -> Engine:
    with engine.begin() as connection:
        load_fixtures(connection)
    return engine


def fixture_edits() -> list[list[str]]:
    path = FIXTURES / "ccipra-v320r0-f1_office_excerpt.txt"
    return [line.split("\t") for line in path.read_text("latin-1").splitlines()[6:]]


def test_builtin_kinds_describe_themselves() -> None:
    names = [kind.name for kind in BUILTIN_KINDS]
    assert names == ["ncci-ptp", "mue", "pfs-rvu", "icd10cm", "hcpcs"]
    for kind in BUILTIN_KINDS:
        assert kind.description and kind.layouts
        assert callable(kind.load) and callable(kind.view)


def test_fixtures_load_once(engine: Engine) -> None:
    with engine.begin() as connection:
        first = load_fixtures(connection)
    with engine.begin() as connection:
        again = load_fixtures(connection)
    assert len(first) == len(FIXTURE_FILES)
    assert all(not record.already_loaded and record.rows > 0 for record in first)
    assert [record.id for record in again] == [record.id for record in first]
    assert all(record.already_loaded for record in again)


def test_ptp_edits_among_codes_of_a_day(fixtures_loaded: Engine) -> None:
    codes = {"99213", "20610", "96372", "36415", "99000", "J1030"}
    expected = {
        (cells[0], cells[1], int(cells[5]))
        for cells in fixture_edits()
        if cells[0] in codes
        and cells[1] in codes
        and cells[5] != "9"
        and cells[3] <= "20260501"
        and (cells[4] == "*" or cells[4] >= "20260501")
    }
    with fixtures_loaded.connect() as connection:
        edits = kind_named("ncci-ptp").view(connection).edits_among(codes, MAY)
    assert {(e.column1, e.column2, e.modifier_indicator) for e in edits} == expected
    assert ("20610", "99213", 1) in expected and ("99213", "36415", 1) in expected
    assert not any(e.column2 == "J1030" for e in edits)  # deleted 2023-12-31
    assert not any(e.column2 == "99000" for e in edits)  # indicator 9 never applies


def test_ptp_batch_answers_each_day_and_dates_outside_every_edition(
    fixtures_loaded: Engine,
) -> None:
    days = [
        ({"99214", "20610"}, MAY),
        ({"93000", "93010", "93005"}, dt.date(2026, 11, 30)),
        ({"99214", "20610"}, dt.date(2025, 6, 1)),  # no PTP edition covers 2025
        ({"99214"}, MAY),
    ]
    with fixtures_loaded.connect() as connection:
        answers = kind_named("ncci-ptp").view(connection).edits_among_many(days)
    assert [(e.column1, e.column2) for e in answers[0]] == [("20610", "99214")]
    assert sorted((e.column2, e.modifier_indicator) for e in answers[1]) == [
        ("93005", 0),
        ("93010", 0),
    ]
    assert answers[2] == [] and answers[3] == []


def test_ptp_edit_dates_are_respected(engine: Engine) -> None:
    """The real excerpt: 0001A/0591T runs 2022-01-01 through 2023-12-31."""
    with engine.begin() as connection:
        kind_named("ncci-ptp").load(
            connection, real(PTP), dt.date(2021, 1, 1), dt.date(2026, 12, 31)
        )
    view_codes = {"0001A", "0591T", "90473"}
    with engine.connect() as connection:
        view = kind_named("ncci-ptp").view(connection)
        before, during, last_day, after = view.edits_among_many(
            [
                (view_codes, dt.date(2021, 12, 31)),
                (view_codes, dt.date(2022, 6, 1)),
                (view_codes, dt.date(2023, 12, 31)),
                (view_codes, dt.date(2024, 1, 1)),
            ]
        )
    assert before == [] and after == []
    assert [(e.column2, e.modifier_allowed) for e in during] == [("0591T", True)]
    assert [e.column2 for e in last_day] == ["0591T"]  # 90473's edit has indicator 9


def test_mue_limits_from_the_real_table(engine: Engine) -> None:
    with engine.begin() as connection:
        kind_named("mue").load(connection, real(MUE))
    with engine.connect() as connection:
        limits = (
            kind_named("mue")
            .view(connection)
            .limits({"0001U", "0002M", "99213"}, dt.date(2026, 8, 15))
        )
        outside = kind_named("mue").view(connection).limits({"0001U"}, dt.date(2026, 10, 1))
    assert set(limits) == {"0001U", "0002M"}
    assert (limits["0001U"].value, limits["0001U"].mai) == (1, 2)
    assert limits["0002M"].mai == 3 and limits["0002M"].rationale == "Nature of Analyte"
    assert outside == {}


def test_newest_edition_wins_and_older_still_answers_its_dates(
    fixtures_loaded: Engine, tmp_path: Path
) -> None:
    fixture = FIXTURES / "MCR_MUE_PractitionerServices_Eff_01-01-2026_office_excerpt.csv"
    april = tmp_path / "MCR_MUE_PractitionerServices_Eff_04-01-2026.csv"
    april.write_bytes(fixture.read_bytes().replace(b"96372,4,", b"96372,3,"))
    with fixtures_loaded.begin() as connection:
        kind_named("mue").load(connection, april)
    with fixtures_loaded.connect() as connection:
        view = kind_named("mue").view(connection)
        may, august = view.limits_many([({"96372"}, MAY), ({"96372"}, dt.date(2026, 8, 1))])
        edition = edition_in_effect(connection, "mue", MAY)
    assert may["96372"].value == 3 and august["96372"].value == 4
    assert edition is not None and edition.name == april.stem
    assert str(edition.period) == "2026-04-01 to 2026-06-30"


def test_ptp_parts_of_one_quarter_form_one_edition(engine: Engine, tmp_path: Path) -> None:
    part1 = tmp_path / "ccipra-v322r0-f1.txt"
    part2 = tmp_path / "ccipra-v322r0-f2.txt"
    shutil.copy(real(PTP), part1)
    lines = PTP.read_bytes().split(b"\r\n")
    part2.write_bytes(b"\r\n".join(lines[:6] + [b"99213\t36415\t\t20260101\t*\t1\tX", b""]))
    with engine.begin() as connection:
        kind_named("ncci-ptp").load(connection, part1)
        kind_named("ncci-ptp").load(connection, part2)
    with engine.connect() as connection:
        edition = edition_in_effect(connection, "ncci-ptp", dt.date(2026, 8, 1))
        edits = (
            kind_named("ncci-ptp")
            .view(connection)
            .edits_among_many(
                [
                    ({"99213", "36415"}, dt.date(2026, 8, 1)),
                    ({"0001A", "0591T"}, dt.date(2026, 8, 1)),
                ]
            )
        )
    assert edition is not None and edition.name == "ccipra-v322r0"
    assert len(edition.load_ids) == 2
    assert [e.column1 for e in edits[0]] == ["99213"]
    assert edits[1] == []  # that edit was deleted in 2023


def test_rvu_values_from_the_real_fee_schedule(engine: Engine) -> None:
    with engine.begin() as connection:
        kind_named("pfs-rvu").load(connection, real(RVU))
    with engine.connect() as connection:
        values = (
            kind_named("pfs-rvu")
            .view(connection)
            .values({"99213", "20610", "71046", "00000"}, dt.date(2023, 6, 1))
        )
    assert set(values) == {
        ("99213", ""),
        ("20610", ""),
        ("71046", ""),
        ("71046", "26"),
        ("71046", "TC"),
    }
    office = values[("99213", "")]
    assert (office.work_rvu, office.non_facility_total, office.facility_total) == (
        Decimal("1.30"),
        Decimal("2.68"),
        Decimal("1.95"),
    )
    assert office.global_days == "XXX" and office.conversion_factor == Decimal("33.8872")
    assert office.payment() == Decimal("90.82")
    assert values[("20610", "")].global_days == "000"
    assert values[("20610", "")].bilateral_surgery == "1"
    assert values[("71046", "")].pctc_indicator == "1"


def test_hcpcs_codes_and_modifiers(engine: Engine) -> None:
    with engine.begin() as connection:
        kind_named("hcpcs").load(connection, real(HCPCS))
    lines = HCPCS.read_bytes().decode("latin-1").split("\r\n")
    g8891 = [line[11:91].strip() for line in lines if line.startswith("G8891")]
    with engine.connect() as connection:
        view = kind_named("hcpcs").view(connection)
        codes = view.codes({"G8891", "A0021", "99213"}, dt.date(2019, 6, 1))
        modifiers = view.modifiers({"RT", "LT", "25"}, dt.date(2019, 6, 1))
    assert set(codes) == {"G8891", "A0021"}
    assert codes["G8891"].long_description == " ".join(g8891) and len(g8891) == 3
    assert codes["G8891"].termination_date == dt.date(2014, 12, 31)
    assert not codes["G8891"].in_effect(dt.date(2019, 6, 1))
    assert codes["A0021"].in_effect(dt.date(2019, 6, 1))
    assert codes["A0021"].short_description == "Outside state ambulance serv"
    assert set(modifiers) == {"RT", "LT"} and modifiers["RT"].is_modifier
