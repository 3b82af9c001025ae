"""Sources of uniform random numbers, each re-creatable from a recorded seed.

Every sample the package draws consumes numbers in [0, 1) from one of these generators, so a
sample can be re-created from (frame, generator name, generator version, seed). Two exist:

* ``ratstats`` reproduces the single-stage generator of HHS-OIG RAT-STATS 2005-2010 bit for
  bit (Visual Basic 6 ``Randomize``/``Rnd`` to derive three seeds, then Wichmann-Hill AS 183),
  so an auditee or a contractor can check a sample in RAT-STATS itself.
* ``pcg64`` is the modern default: numpy's PCG64 seeded through ``SeedSequence``.
"""

from __future__ import annotations

import math
import numbers
import secrets
import struct
from typing import Protocol

import numpy as np

from sampling.errors import SamplingInputError

RATSTATS = "ratstats"
PCG64 = "pcg64"

# Visual Basic 6 ``Rnd`` is a 24-bit linear congruential generator.
_VB_MODULUS = 1 << 24
_VB_MULTIPLIER = 1140671485
_VB_INCREMENT = 12820163
# RAT-STATS calls ``Rnd(-1)`` and one ``Rnd()`` before ``Randomize``; this is the state then.
_VB_STATE_BEFORE_RANDOMIZE = 3758214
_WH_MODULI = (30269, 30307, 30323)
_PCG64_SEED_PROBLEM = "the pcg64 seed must be a whole number"

RATSTATS_SEED_WARNING = (
    "RAT-STATS keeps only 16 bits of the seed (VB6 Randomize), so at most 65,536 different "
    "samples exist and nearby seeds give the same numbers (48863.75 to 48863.78 all give one "
    "sample); use it to reproduce or check RAT-STATS, and pcg64 for new samples."
)


class UniformGenerator(Protocol):
    """What every generator offers: its identity for the record, and a stream of uniforms."""

    @property
    def name(self) -> str:
        """Short name recorded with the sample (``ratstats``, ``pcg64``)."""
        ...

    @property
    def version(self) -> str:
        """Version of the algorithm or library that produced the stream."""
        ...

    @property
    def seed(self) -> float | int:
        """The seed the stream was started from."""
        ...

    @property
    def warning(self) -> str | None:
        """A caveat to record with the sample, if the generator has one."""
        ...

    @property
    def max_values(self) -> int | None:
        """Most values one draw may ask for, if limited."""
        ...

    def uniforms(self, count: int) -> np.ndarray:
        """Return the next ``count`` numbers of the stream, each in [0, 1)."""
        ...


def _vb6_rnd_step(state: int) -> int:
    """Advance the VB6 ``Rnd`` state once (exact integer arithmetic, as VB6 does)."""
    return (state * _VB_MULTIPLIER + _VB_INCREMENT) % _VB_MODULUS


def vb6_seed_key(seed: float) -> int:
    """The 16 bits of ``seed`` that VB6 ``Randomize`` keeps (0..65535).

    ``Randomize`` folds the upper 32 bits of the IEEE-754 double into 16 bits; seeds with the
    same key produce the same RAT-STATS sample.
    """
    upper = int(struct.unpack("<Q", struct.pack("<d", seed))[0]) >> 32
    return (upper & 0xFFFF) ^ (upper >> 16)


def wichmann_hill_seeds(seed: float) -> tuple[int, int, int]:
    """The three Wichmann-Hill seeds RAT-STATS derives from a user seed.

    After ``Randomize`` the VB6 stream is read once per modulus, retrying while the scaled
    value would not be below the modulus; each modulus continues from the previous state.
    """
    state = (vb6_seed_key(seed) << 8) | (_VB_STATE_BEFORE_RANDOMIZE & 0xFF)
    seeds: list[int] = []
    for modulus in _WH_MODULI:
        while True:
            state = _vb6_rnd_step(state)
            value = modulus * state // _VB_MODULUS + 1  # floor(modulus * Rnd + 1), exactly
            if value < modulus:
                break
        seeds.append(value)
    return seeds[0], seeds[1], seeds[2]


class RatStatsGenerator:
    """RAT-STATS 2005-2010 single-stage random numbers (Wichmann-Hill AS 183).

    Each component is updated in Schrage's form, which equals ``171 * a mod 30269`` (and so
    on) without overflow; the uniform is the fractional part of the sum of the three ratios,
    computed in IEEE double precision in the order RAT-STATS uses.
    """

    name = RATSTATS
    version = "2010"
    max_values = 10_000
    warning = RATSTATS_SEED_WARNING

    def __init__(self, seed: float) -> None:
        if isinstance(seed, bool) or not isinstance(seed, numbers.Real):
            raise SamplingInputError("seed", seed, "the RAT-STATS seed must be a number")
        if not math.isfinite(float(seed)):
            raise SamplingInputError("seed", seed, "the RAT-STATS seed must be a finite number")
        self.seed: float = float(seed)
        self.wichmann_hill_seeds = wichmann_hill_seeds(self.seed)
        self._state: tuple[int, int, int] = self.wichmann_hill_seeds

    def _next(self) -> float:
        a, b, c = self._state
        a = 171 * (a % 177) - 2 * (a // 177)
        if a <= 0:
            a += 30269
        b = 172 * (b % 176) - 35 * (b // 176)
        if b <= 0:
            b += 30307
        c = 170 * (c % 178) - 63 * (c // 178)
        if c <= 0:
            c += 30323
        self._state = (a, b, c)
        total = a / 30269.0 + b / 30307.0 + c / 30323.0
        return total - math.floor(total)

    def uniforms(self, count: int) -> np.ndarray:
        """Return the next ``count`` uniforms of the Wichmann-Hill stream."""
        return np.fromiter((self._next() for _ in range(count)), dtype=np.float64, count=count)


class Pcg64Generator:
    """numpy PCG64 seeded through ``SeedSequence``; the default for new samples.

    Uniforms are ``Generator.random`` doubles (53 random bits each). Reading them in blocks
    or one at a time gives the same stream, so results do not depend on how callers batch.
    The numpy version is recorded because numpy promises stream stability per version only.
    """

    name = PCG64
    version = f"numpy {np.__version__}"
    max_values = None
    warning = None

    def __init__(self, seed: int) -> None:
        if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
            raise SamplingInputError("seed", seed, _PCG64_SEED_PROBLEM)
        if seed < 0:
            raise SamplingInputError("seed", seed, "the pcg64 seed must be 0 or more")
        self.seed: int = int(seed)
        self._rng: np.random.Generator = np.random.Generator(
            np.random.PCG64(np.random.SeedSequence(self.seed))
        )

    def uniforms(self, count: int) -> np.ndarray:
        """Return the next ``count`` uniforms of the PCG64 stream."""
        return self._rng.random(count)


GENERATORS: dict[str, type[RatStatsGenerator | Pcg64Generator]] = {
    RATSTATS: RatStatsGenerator,
    PCG64: Pcg64Generator,
}


def _check_name(name: str) -> None:
    if name not in GENERATORS:
        raise SamplingInputError("generator", name, f"must be one of {', '.join(GENERATORS)}")


def new_seed(generator: str = PCG64) -> float | int:
    """A fresh unpredictable seed for ``generator``, for the caller to record.

    pcg64 gets a 63-bit integer (it fits a signed 64-bit database column); ratstats gets a
    number with two decimals below 100,000, the shape RAT-STATS users type.
    """
    _check_name(generator)
    if generator == RATSTATS:
        return secrets.randbelow(10_000_000) / 100
    return secrets.randbits(63)


def seed_from_text(generator: str, text: str) -> float | int:
    """Parse a seed typed by a user: a finite number for ratstats, an integer ≥ 0 for pcg64."""
    _check_name(generator)
    if generator == PCG64:
        try:
            return int(text.strip())
        except ValueError:
            raise SamplingInputError("seed", text, _PCG64_SEED_PROBLEM) from None
    try:
        value = float(text)
    except ValueError:
        raise SamplingInputError("seed", text, "the RAT-STATS seed must be a number") from None
    if not math.isfinite(value):
        raise SamplingInputError("seed", text, "the RAT-STATS seed must be a finite number")
    return value


def make_generator(name: str, seed: float) -> RatStatsGenerator | Pcg64Generator:
    """Build the generator called ``name`` from ``seed`` (see ``new_seed`` for a fresh one)."""
    _check_name(name)
    if name == RATSTATS:
        return RatStatsGenerator(seed)
    if isinstance(seed, float):
        raise SamplingInputError("seed", seed, _PCG64_SEED_PROBLEM)
    return Pcg64Generator(seed)
