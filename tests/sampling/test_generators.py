"""The generators: RAT-STATS seeding and stream, PCG64 reproducibility, seed handling."""

from __future__ import annotations

import numpy as np
import pytest

from sampling.errors import SamplingInputError
from sampling.generators import (
    Pcg64Generator,
    RatStatsGenerator,
    make_generator,
    new_seed,
    seed_from_text,
    vb6_seed_key,
    wichmann_hill_seeds,
)


def test_published_wichmann_hill_seeds() -> None:
    assert wichmann_hill_seeds(48863.78) == (22684, 11141, 1666)


@pytest.mark.parametrize("seed", [48863.75, 48863.76, 48863.77, 48863.78])
def test_nearby_seeds_collide_because_randomize_keeps_16_bits(seed: float) -> None:
    assert wichmann_hill_seeds(seed) == (22684, 11141, 1666)
    assert vb6_seed_key(seed) == vb6_seed_key(48863.78)


def test_seeds_outside_the_collision_differ() -> None:
    assert wichmann_hill_seeds(48863.74) != wichmann_hill_seeds(48863.78)
    assert wichmann_hill_seeds(48863.79) != wichmann_hill_seeds(48863.78)


def test_seed_key_is_sixteen_bits() -> None:
    keys = {vb6_seed_key(seed) for seed in np.linspace(-1e9, 1e9, 2001)}
    assert all(0 <= key < 65536 for key in keys)


def test_wichmann_hill_stream_matches_the_plain_recurrence() -> None:
    """Schrage's form must equal 171·a mod 30269 (etc.) — checked against plain modulo."""
    generator = RatStatsGenerator(48863.78)
    a, b, c = generator.wichmann_hill_seeds
    expected = []
    for _ in range(1000):
        a, b, c = 171 * a % 30269, 172 * b % 30307, 170 * c % 30323
        total = a / 30269.0 + b / 30307.0 + c / 30323.0
        expected.append(total % 1.0)
    assert generator.uniforms(1000).tolist() == expected


def test_ratstats_records_identity_and_warning() -> None:
    generator = RatStatsGenerator(48863.78)
    assert (generator.name, generator.version, generator.seed) == ("ratstats", "2010", 48863.78)
    assert generator.max_values == 10_000
    assert generator.warning is not None and "16 bits" in generator.warning


def test_pcg64_is_seedsequence_pcg64_and_blocking_does_not_matter() -> None:
    one = Pcg64Generator(20240601)
    two = Pcg64Generator(20240601)
    reference = np.random.Generator(np.random.PCG64(np.random.SeedSequence(20240601)))
    joined = np.concatenate([one.uniforms(3), one.uniforms(7)])
    assert joined.tolist() == two.uniforms(10).tolist() == reference.random(10).tolist()
    assert one.name == "pcg64" and one.version.startswith("numpy ")
    assert one.warning is None and one.max_values is None


@pytest.mark.parametrize("seed", [-1, 1.5, True, "7"])
def test_pcg64_refuses_bad_seeds(seed: object) -> None:
    with pytest.raises(SamplingInputError, match="seed"):
        Pcg64Generator(seed)  # type: ignore[arg-type]


@pytest.mark.parametrize("seed", [float("nan"), float("inf"), "1", None])
def test_ratstats_refuses_bad_seeds(seed: object) -> None:
    with pytest.raises(SamplingInputError, match="seed"):
        RatStatsGenerator(seed)  # type: ignore[arg-type]


def test_new_seed_shapes() -> None:
    pcg = new_seed("pcg64")
    assert isinstance(pcg, int) and 0 <= pcg < 2**63
    rat = new_seed("ratstats")
    assert isinstance(rat, float) and 0 <= rat < 100_000 and round(rat, 2) == rat
    with pytest.raises(SamplingInputError, match="generator"):
        new_seed("mt19937")


def test_seed_from_text() -> None:
    assert seed_from_text("ratstats", " 48863.78 ") == 48863.78
    assert seed_from_text("pcg64", "12345678901234567890") == 12345678901234567890
    with pytest.raises(SamplingInputError, match="got 'abc'"):
        seed_from_text("ratstats", "abc")
    with pytest.raises(SamplingInputError, match="whole number"):
        seed_from_text("pcg64", "1.5")
    with pytest.raises(SamplingInputError, match="finite"):
        seed_from_text("ratstats", "nan")


def test_make_generator() -> None:
    assert isinstance(make_generator("ratstats", 1), RatStatsGenerator)
    assert isinstance(make_generator("pcg64", 1), Pcg64Generator)
    with pytest.raises(SamplingInputError, match="whole number"):
        make_generator("pcg64", 1.0)
