"""Designs over a frame: canonical order, the record, each design, reproducibility."""

from __future__ import annotations

import hashlib
import json
import random
import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sampling.designs import (
    AllUnits,
    FrameUnit,
    Probe,
    SimpleRandom,
    Stratified,
    Targeted,
    canonical_frame,
    draw_sample,
    frame_hash,
)
from sampling.errors import SamplingInputError
from sampling.generators import Pcg64Generator, RatStatsGenerator


def make_frame(size: int = 120) -> list[FrameUnit]:
    return [
        FrameUnit(
            key=f"C{i:04d}",
            amount=round(10 + (i * 37 % 101) * 2.5, 2),
            stratum="ABC"[i % 3] if i % 3 else ("A" if i % 2 else "B"),
            group=f"provider-{i % 4}",
            risk=float(i * 7 % 13),
        )
        for i in range(size)
    ]


def keys(result_units: object) -> list[tuple[str, int, bool, str]]:
    return [(u.key, u.selection_order, u.spare, u.stratum) for u in result_units]  # type: ignore[attr-defined]


def test_simple_random_maps_numbers_to_the_key_order() -> None:
    frame = make_frame(1000)
    result = draw_sample(frame, SimpleRandom(10, spares=4), RatStatsGenerator(48863.78))
    # The published RAT-STATS numbers pick the units at those positions of the sorted frame.
    assert [u.random_number for u in result.units] == [
        718,
        643,
        247,
        236,
        821,
        650,
        257,
        141,
        301,
        22,
        980,
        507,
        440,
        557,
    ]
    assert [u.key for u in result.units][:3] == ["C0717", "C0642", "C0246"]
    assert [u.selection_order for u in result.units] == list(range(1, 15))
    assert [u.spare for u in result.units] == [False] * 10 + [True] * 4
    assert len(result.sample) == 10 and len(result.spares) == 4


def test_the_record() -> None:
    frame = make_frame()
    result = draw_sample(frame, SimpleRandom(5, spares=2), Pcg64Generator(99))
    assert result.method == "random"
    assert result.parameters == {"n": 5, "spares": 2}
    assert (result.generator, result.seed, result.generator_warning) == ("pcg64", 99, None)
    assert result.generator_version.startswith("numpy ")
    assert result.frame_size == 120
    assert result.frame_amount == pytest.approx(sum(u.amount for u in frame))
    assert result.strata["all"].frame_size == 120
    assert (result.strata["all"].sample_size, result.strata["all"].spares) == (5, 2)


def test_frame_hash_is_sha256_of_the_documented_json() -> None:
    frame = make_frame()
    rows = [[u.key, u.stratum, float(u.amount)] for u in sorted(frame, key=lambda u: u.key)]
    text = json.dumps(rows, separators=(",", ":"), ensure_ascii=False)
    expected = hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert draw_sample(frame, AllUnits()).frame_hash == expected


def test_frame_hash_spans_chunks() -> None:
    frame = canonical_frame([FrameUnit(f"k{i:06d}", 1.0) for i in range(100_001)])
    rows = [[u.key, None, 1.0] for u in frame]
    text = json.dumps(rows, separators=(",", ":"))
    assert frame_hash(frame) == hashlib.sha256(text.encode()).hexdigest()


def test_frame_hash_detects_a_change() -> None:
    frame = make_frame()
    changed = [*frame[:-1], FrameUnit(frame[-1].key, frame[-1].amount + 0.01, frame[-1].stratum)]
    assert frame_hash(canonical_frame(frame)) != frame_hash(canonical_frame(changed))


def test_row_order_does_not_matter_but_the_seed_does() -> None:
    frame = make_frame()
    shuffled = frame[:]
    random.Random(5).shuffle(shuffled)
    design = Stratified("proportional", n=12, spares=1)
    first = draw_sample(frame, design, Pcg64Generator(42))
    again = draw_sample(shuffled, design, Pcg64Generator(42))
    other = draw_sample(frame, design, Pcg64Generator(43))
    assert first == again
    assert keys(first.units) != keys(other.units)


def test_all_units() -> None:
    result = draw_sample(make_frame(7), AllUnits())
    assert [u.key for u in result.units] == [f"C{i:04d}" for i in range(7)]
    assert all(u.random_number is None and not u.spare for u in result.units)
    assert result.generator is None and result.seed is None


def test_stratified_allocations() -> None:
    frame = make_frame()
    strata = {name: [u for u in frame if u.stratum == name] for name in "ABC"}
    sizes = {name: len(units) for name, units in strata.items()}
    assert sizes == {"A": 20, "B": 60, "C": 40}

    def drawn(design: Stratified) -> dict[str, int]:
        result = draw_sample(frame, design, Pcg64Generator(1))
        for unit in result.units:
            assert unit.key in {u.key for u in strata[unit.stratum]}
        return {name: size.sample_size for name, size in result.strata.items()}

    assert drawn(Stratified("equal", n=12)) == {"A": 4, "B": 4, "C": 4}
    assert drawn(Stratified("proportional", n=12)) == {"A": 2, "B": 6, "C": 4}
    weights = {
        name: sizes[name] * statistics.stdev(u.amount for u in strata[name]) for name in "ABC"
    }
    total = sum(weights.values())
    neyman = drawn(Stratified("neyman", n=30))
    assert sum(neyman.values()) == 30
    for name in "ABC":
        assert abs(neyman[name] - 30 * weights[name] / total) < 1
    assert drawn(Stratified("fixed", sizes={"A": 1, "B": 2, "C": 3})) == {"A": 1, "B": 2, "C": 3}


def test_stratified_spares_and_order_are_per_stratum() -> None:
    result = draw_sample(make_frame(), Stratified("equal", n=6, spares=2), Pcg64Generator(8))
    for name in "ABC":
        units = [u for u in result.units if u.stratum == name]
        assert [u.selection_order for u in units] == [1, 2, 3, 4]
        assert [u.spare for u in units] == [False, False, True, True]


@pytest.mark.parametrize(
    ("design", "message"),
    [
        (Stratified("fixed", sizes={"A": 1, "B": 1}), "sizes\\['C'\\]"),
        (Stratified("fixed", sizes={"A": 1, "B": 1, "C": 1, "D": 1}), "no such stratum"),
        (Stratified("fixed", sizes={"A": 21, "B": 1, "C": 1}), "only 20 units"),
        (Stratified("fixed"), "size per stratum"),
        (Stratified("equal", n=121), "only 120 units"),
        (Stratified("bogus", n=5), "allocation"),  # type: ignore[arg-type]
        (SimpleRandom(121), "only 120 units"),
        (SimpleRandom(0), "n"),
        (Targeted(5, 1.5), "random_share"),
    ],
)
def test_bad_designs(design: object, message: str) -> None:
    with pytest.raises(SamplingInputError, match=message):
        draw_sample(make_frame(), design, Pcg64Generator(1))  # type: ignore[arg-type]


def test_frame_errors() -> None:
    with pytest.raises(SamplingInputError, match="duplicate unit key"):
        draw_sample([FrameUnit("a"), FrameUnit("b"), FrameUnit("a")], AllUnits())
    with pytest.raises(SamplingInputError, match="unit 'b'"):
        draw_sample([FrameUnit("a"), FrameUnit("b", float("nan"))], AllUnits())
    with pytest.raises(SamplingInputError, match="no stratum"):
        draw_sample(
            [FrameUnit("a", stratum="x"), FrameUnit("b")],
            Stratified("equal", n=1),
            Pcg64Generator(1),
        )
    with pytest.raises(SamplingInputError, match="needs a generator"):
        draw_sample([FrameUnit("a")], SimpleRandom(1))
    with pytest.raises(SamplingInputError, match="no units"):
        draw_sample([], AllUnits())


def test_min_per_stratum_keeps_small_strata() -> None:
    frame = [FrameUnit(f"a{i}", 1.0, "big") for i in range(1000)] + [
        FrameUnit(f"b{i}", 1.0, "small") for i in range(5)
    ]
    plain = draw_sample(frame, Stratified("proportional", n=20), Pcg64Generator(1))
    assert plain.strata["small"].sample_size == 0
    kept = draw_sample(
        frame, Stratified("proportional", n=20, min_per_stratum=2), Pcg64Generator(1)
    )
    assert kept.strata["small"].sample_size == 2 and kept.strata["big"].sample_size == 18


def test_probe_takes_n_per_group_and_small_groups_whole() -> None:
    frame = make_frame(20) + [FrameUnit("Z1", 5.0, group="tiny")]
    result = draw_sample(frame, Probe(3, spares=1), Pcg64Generator(4))
    assert {name: s.sample_size for name, s in result.strata.items()} == {
        "provider-0": 3,
        "provider-1": 3,
        "provider-2": 3,
        "provider-3": 3,
        "tiny": 1,
    }
    assert result.strata["tiny"].spares == 0
    by_key = {u.key: u for u in frame}
    assert all(by_key[u.key].group == u.stratum for u in result.units)


def test_targeted_takes_the_riskiest_then_a_random_share() -> None:
    frame = make_frame()
    result = draw_sample(frame, Targeted(10, random_share=0.3, spares=2), Pcg64Generator(6))
    risky = sorted(frame, key=lambda u: (-u.risk, u.key))[:7]
    top = [u for u in result.units if u.stratum == "risk"]
    assert [u.key for u in top] == [u.key for u in risky]
    rest = [u for u in result.units if u.stratum == "random"]
    assert len([u for u in rest if not u.spare]) == 3 and len([u for u in rest if u.spare]) == 2
    assert not {u.key for u in rest} & {u.key for u in risky}
    assert result.strata["risk"].frame_size == 7 and result.strata["random"].frame_size == 113


@settings(max_examples=40, deadline=None)
@given(
    size=st.integers(1, 400),
    seed=st.integers(0, 2**40),
    generator=st.sampled_from(["ratstats", "pcg64"]),
    data=st.data(),
)
def test_simple_random_is_without_replacement_and_reproducible(
    size: int, seed: int, generator: str, data: st.DataObject
) -> None:
    frame = [FrameUnit(f"u{i}", float(i)) for i in range(size)]
    n = data.draw(st.integers(1, size))
    spares = data.draw(st.integers(0, 5))

    def draw() -> list[str]:
        source = RatStatsGenerator(seed) if generator == "ratstats" else Pcg64Generator(seed)
        return [u.key for u in draw_sample(frame, SimpleRandom(n, spares), source).units]

    drawn = draw()
    assert len(drawn) == len(set(drawn)) == n + min(spares, size - n)
    assert set(drawn) <= {u.key for u in frame}
    assert draw() == drawn
