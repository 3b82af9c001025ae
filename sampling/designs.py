"""Sample designs over a frame of units, and the record needed to re-create a sample.

A frame is any sequence of units with a stable string ``key``. Before any random number is
mapped to a unit, the frame is put in canonical order (sorted by key), so the sample depends
only on the frame's content, the design, the generator and the seed — not on the order rows
came out of a database. The ``frame_hash`` lets anyone check later that the frame is the same.

Every design splits the frame into *cells* and takes units from each: one cell ``"all"``
(all units, simple random), one per stratum (stratified), one per group (probe), or
``"risk"`` and ``"random"`` (targeted). Random cells number their units 1..N in key order
and draw numbers without replacement; cells are drawn in sorted order from one stream.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import operator
import statistics
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice, pairwise
from typing import ClassVar, Literal, Protocol

from sampling.allocation import allocate
from sampling.errors import SamplingInputError
from sampling.generators import UniformGenerator
from sampling.random_numbers import draw_distinct

ALL = "all"
RISK = "risk"
RANDOM = "random"
_HASH_CHUNK = 100_000
_KEY = operator.attrgetter("key")
_STRATUM = operator.attrgetter("stratum")
_AMOUNT = operator.attrgetter("amount")


class Unit(Protocol):
    """What a frame unit must offer; ``FrameUnit`` is the ready-made one."""

    @property
    def key(self) -> str: ...
    @property
    def stratum(self) -> str | None: ...
    @property
    def group(self) -> str | None: ...
    @property
    def amount(self) -> float: ...
    @property
    def risk(self) -> float: ...


@dataclass(frozen=True, slots=True)
class FrameUnit:
    """A unit of the frame: a claim, encounter or line, identified by a stable key.

    ``stratum`` holds whatever field the caller stratifies by; ``group`` is the provider or
    coder for probe samples; ``amount`` is in dollars; ``risk`` orders targeted samples.
    """

    key: str
    amount: float = 0.0
    stratum: str | None = None
    group: str | None = None
    risk: float = 0.0


@dataclass(frozen=True)
class SelectedUnit:
    """A unit in the sample.

    ``selection_order`` is the 1-based draw order within the cell (spares continue after
    the cell's sample); ``stratum`` is the cell the unit came from; ``random_number`` is the
    number 1..N drawn for it, or None where units are taken without a draw.
    """

    key: str
    selection_order: int
    spare: bool
    stratum: str
    random_number: int | None


@dataclass(frozen=True)
class StratumSize:
    """Size of one cell: units and dollars in the frame, units in the sample and spares."""

    frame_size: int
    frame_amount: float
    sample_size: int
    spares: int


@dataclass(frozen=True)
class SampleResult:
    """A drawn sample with everything needed to re-create and to defend it."""

    method: str
    parameters: dict[str, object]
    generator: str | None
    generator_version: str | None
    seed: float | int | None
    generator_warning: str | None
    frame_size: int
    frame_amount: float
    frame_hash: str
    strata: dict[str, StratumSize]
    units: tuple[SelectedUnit, ...]

    @property
    def sample(self) -> tuple[SelectedUnit, ...]:
        """The units to review (spares excluded)."""
        return tuple(unit for unit in self.units if not unit.spare)

    @property
    def spares(self) -> tuple[SelectedUnit, ...]:
        """The spares, in draw order within each cell."""
        return tuple(unit for unit in self.units if unit.spare)


@dataclass(frozen=True)
class _Cell:
    """Units of one cell in canonical order, and how many to take from them."""

    name: str
    units: Sequence[Unit]
    take: int
    spares: int
    random: bool


def _check_count(where: str, value: int, minimum: int = 0) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise SamplingInputError(where, value, f"must be a whole number of at least {minimum}")


def _spares_left(cell_size: int, take: int, spares: int) -> int:
    """Spares are capped at the units the cell has left after its sample."""
    return min(spares, cell_size - take)


def _split(units: Sequence[Unit], field: Literal["stratum", "group"]) -> dict[str, list[Unit]]:
    """Units by ``field`` value, cells in sorted order, each keeping canonical order."""
    cells: dict[str, list[Unit]] = {}
    for unit in units:
        value = getattr(unit, field)
        if value is None:
            raise SamplingInputError(f"unit {unit.key!r}", None, f"has no {field}")
        cells.setdefault(value, []).append(unit)
    return {name: cells[name] for name in sorted(cells)}


@dataclass(frozen=True)
class AllUnits:
    """Every unit of the frame (a census); no random numbers are used."""

    method: ClassVar[str] = "all"

    def cells(self, frame: Sequence[Unit]) -> list[_Cell]:
        return [_Cell(ALL, frame, len(frame), 0, random=False)]


@dataclass(frozen=True)
class SimpleRandom:
    """``n`` units drawn without replacement from the whole frame, plus ``spares``."""

    n: int
    spares: int = 0
    method: ClassVar[str] = "random"

    def cells(self, frame: Sequence[Unit]) -> list[_Cell]:
        _check_count("n", self.n, 1)
        _check_count("spares", self.spares)
        if self.n > len(frame):
            raise SamplingInputError("n", self.n, f"the frame has only {len(frame):,} units")
        return [_Cell(ALL, frame, self.n, _spares_left(len(frame), self.n, self.spares), True)]


Allocation = Literal["equal", "proportional", "neyman", "fixed"]


@dataclass(frozen=True)
class Stratified:
    """A simple random sample in each stratum (the unit's ``stratum`` field).

    ``allocation`` splits ``n`` over strata: ``equal``, ``proportional`` (to stratum size),
    ``neyman`` (to size × SD of ``amount``, divisor n−1) or ``fixed`` (``sizes`` gives each
    stratum's n, and ``n`` is not used). ``min_per_stratum`` keeps small strata in the sample;
    ``spares`` are per stratum.
    """

    allocation: Allocation
    n: int = 0
    sizes: Mapping[str, int] | None = None
    spares: int = 0
    min_per_stratum: int = 0
    method: ClassVar[str] = "stratified"

    def _weights(self, strata: Mapping[str, Sequence[Unit]]) -> dict[str, float]:
        if self.allocation == "equal":
            return {name: 1.0 for name in strata}
        if self.allocation == "proportional":
            return {name: float(len(units)) for name, units in strata.items()}
        if self.allocation == "neyman":
            return {name: len(units) * _amount_sd(units) for name, units in strata.items()}
        raise SamplingInputError("allocation", self.allocation, "unknown allocation")

    def _fixed_sizes(self, strata: Mapping[str, Sequence[Unit]]) -> dict[str, int]:
        if self.sizes is None:
            raise SamplingInputError("sizes", None, "fixed allocation needs a size per stratum")
        for name in self.sizes:
            if name not in strata:
                raise SamplingInputError(f"sizes[{name!r}]", self.sizes[name], "no such stratum")
        for name, units in strata.items():
            size = self.sizes.get(name)
            if size is None:
                raise SamplingInputError(f"sizes[{name!r}]", None, "stratum has no size")
            _check_count(f"sizes[{name!r}]", size)
            if size > len(units):
                raise SamplingInputError(
                    f"sizes[{name!r}]", size, f"the stratum has only {len(units):,} units"
                )
        return {name: self.sizes[name] for name in strata}

    def cells(self, frame: Sequence[Unit]) -> list[_Cell]:
        _check_count("spares", self.spares)
        _check_count("min_per_stratum", self.min_per_stratum)
        strata = _split(frame, "stratum")
        if self.allocation == "fixed":
            sizes = self._fixed_sizes(strata)
        else:
            _check_count("n", self.n, 1)
            caps = {name: len(units) for name, units in strata.items()}
            sizes = allocate(self.n, self._weights(strata), caps, self.min_per_stratum)
        return [
            _Cell(
                name, units, sizes[name], _spares_left(len(units), sizes[name], self.spares), True
            )
            for name, units in strata.items()
        ]


def _amount_sd(units: Sequence[Unit]) -> float:
    """Sample SD of ``amount`` (divisor n−1); 0 for a one-unit stratum."""
    return statistics.stdev(float(unit.amount) for unit in units) if len(units) > 1 else 0.0


@dataclass(frozen=True)
class Probe:
    """``n`` units drawn from each group (provider or coder); smaller groups are taken whole."""

    n: int
    spares: int = 0
    method: ClassVar[str] = "probe"

    def cells(self, frame: Sequence[Unit]) -> list[_Cell]:
        _check_count("n", self.n, 1)
        _check_count("spares", self.spares)
        cells = []
        for name, units in _split(frame, "group").items():
            take = min(self.n, len(units))
            cells.append(
                _Cell(name, units, take, _spares_left(len(units), take, self.spares), True)
            )
        return cells


@dataclass(frozen=True)
class Targeted:
    """The riskiest units plus a random share drawn from the rest.

    Of ``n`` units, ``round(n × random_share)`` (halves up) are drawn at random from the
    units not taken for risk; the others are the highest ``risk`` units (ties by key). The
    ``"risk"`` cell is then a certainty stratum and ``"random"`` a random one, so a
    stratified estimate over the two cells stays valid.
    """

    n: int
    random_share: float
    spares: int = 0
    method: ClassVar[str] = "targeted"

    def cells(self, frame: Sequence[Unit]) -> list[_Cell]:
        _check_count("n", self.n, 1)
        _check_count("spares", self.spares)
        if self.n > len(frame):
            raise SamplingInputError("n", self.n, f"the frame has only {len(frame):,} units")
        if not 0.0 <= self.random_share <= 1.0:
            raise SamplingInputError("random_share", self.random_share, "must be from 0 to 1")
        for unit in frame:
            if not math.isfinite(unit.risk):
                raise SamplingInputError(f"unit {unit.key!r}", unit.risk, "risk is not a number")
        random_n = math.floor(self.n * self.random_share + 0.5)
        by_risk = sorted(frame, key=lambda unit: (-unit.risk, unit.key))
        top = by_risk[: self.n - random_n]
        taken = {unit.key for unit in top}
        rest = [unit for unit in frame if unit.key not in taken]
        spares = _spares_left(len(rest), random_n, self.spares)
        return [_Cell(RISK, top, len(top), 0, False), _Cell(RANDOM, rest, random_n, spares, True)]


Design = AllUnits | SimpleRandom | Stratified | Probe | Targeted


def _amounts(units: Sequence[Unit]) -> Iterator[float]:
    return map(float, map(_AMOUNT, units))


def _total(units: Sequence[Unit]) -> float:
    """Exact sum of the units' amounts."""
    return math.fsum(_amounts(units))


def canonical_frame(frame: Sequence[Unit]) -> list[Unit]:
    """The frame sorted by key; keys must be unique and amounts finite."""
    ordered = sorted(frame, key=_KEY)
    keys = list(map(_KEY, ordered))
    if any(map(operator.eq, keys, keys[1:])):
        duplicate = next(a for a, b in pairwise(keys) if a == b)
        raise SamplingInputError("frame", duplicate, "duplicate unit key")
    if not math.isfinite(_total(ordered)):
        bad = next(unit for unit in ordered if not math.isfinite(float(unit.amount)))
        raise SamplingInputError(f"unit {bad.key!r}", bad.amount, "amount is not a finite number")
    return ordered


def frame_hash(ordered: Sequence[Unit]) -> str:
    """sha256 of the frame, to detect any later change to it.

    The hashed text is the compact JSON array ``[[key, stratum, amount], ...]`` in canonical
    order (``json.dumps(rows, separators=(",", ":"), ensure_ascii=False)``, amounts as
    floats), encoded as UTF-8. It is built in chunks for speed; the text is the same.
    """
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    rows = zip(map(_KEY, ordered), map(_STRATUM, ordered), _amounts(ordered), strict=True)
    digest = hashlib.sha256(b"[")
    separator = b""
    while chunk := list(islice(rows, _HASH_CHUNK)):
        digest.update(separator + encode(chunk)[1:-1].encode("utf-8"))
        separator = b","
    digest.update(b"]")
    return digest.hexdigest()


def _select(cell: _Cell, generator: UniformGenerator | None) -> list[SelectedUnit]:
    """Take a cell's units: the first ``take`` ones, or by random numbers 1..N."""
    if not cell.random:
        return [
            SelectedUnit(unit.key, order, False, cell.name, None)
            for order, unit in enumerate(cell.units[: cell.take], start=1)
        ]
    if generator is None:
        raise SamplingInputError("generator", None, "a random design needs a generator")
    numbers = draw_distinct(
        generator, [(1, len(cell.units))], cell.take + cell.spares, where=f"stratum {cell.name}"
    )
    return [
        SelectedUnit(cell.units[number - 1].key, order, order > cell.take, cell.name, number)
        for order, (number,) in enumerate(numbers, start=1)
    ]


def draw_sample(
    frame: Sequence[Unit], design: Design, generator: UniformGenerator | None = None
) -> SampleResult:
    """Draw ``design`` from ``frame`` with ``generator`` (not needed for ``AllUnits``).

    The same frame (in any order), design, generator name and seed give the same sample.
    """
    ordered = canonical_frame(frame)
    if not ordered:
        raise SamplingInputError("frame", 0, "the frame has no units")
    cells = design.cells(ordered)
    units = [selected for cell in cells for selected in _select(cell, generator)]
    return SampleResult(
        method=design.method,
        parameters=dataclasses.asdict(design),
        generator=generator.name if generator else None,
        generator_version=generator.version if generator else None,
        seed=generator.seed if generator else None,
        generator_warning=generator.warning if generator else None,
        frame_size=len(ordered),
        frame_amount=_total(ordered),
        frame_hash=frame_hash(ordered),
        strata={
            cell.name: StratumSize(
                frame_size=len(cell.units),
                frame_amount=_total(cell.units),
                sample_size=cell.take,
                spares=cell.spares,
            )
            for cell in cells
        },
        units=tuple(units),
    )
