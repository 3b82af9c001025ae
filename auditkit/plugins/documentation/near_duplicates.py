"""Near-duplicate notes at scale: word shingles, MinHash signatures and LSH buckets.

Two notes are compared by the Jaccard similarity of their sets of five-word shingles
(lower case, digits and punctuation dropped, so copied text with new dates, vitals or
names still matches). Comparing every pair is quadratic; instead each note gets a MinHash
signature of 64 values, cut into 8 bands of 8: notes that share a band land in the same
bucket and only those pairs are compared, first by their signatures, then exactly. Two
notes at 0.9 similarity share a band with probability above 0.99; at 0.5, about 0.03.
Words are hashed with CRC-32 and the MinHash functions have fixed seeds, so the same
notes give the same answer in every run.
"""

from __future__ import annotations

import re
import zlib
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

SHINGLE_WORDS = 5
PERMUTATIONS = 64
BANDS = 8
_ROWS = PERMUTATIONS // BANDS
_RNG = np.random.default_rng(20260401)
_A = _RNG.integers(1, 2**63, PERMUTATIONS, dtype=np.uint64) | np.uint64(1)  # odd multipliers
_B = _RNG.integers(0, 2**63, PERMUTATIONS, dtype=np.uint64)
_WORD = re.compile(r"[a-z]+")
_SIGNATURE_SLACK = 0.12  # estimate error allowed before the exact comparison decides

Shingles = npt.NDArray[np.int64]


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


_WORD_HASHES: dict[str, int] = {}
_MASK = (1 << 31) - 1
# Position weights of the rolling shingle hash (odd, fixed): word hashes combined in numpy.
_WEIGHTS = np.array(
    [1_000_003, 998_244_353, 1_234_567_891, 2_147_483_629, 1_664_525][:SHINGLE_WORDS]
)


def _word_hash(word: str) -> int:
    value = _WORD_HASHES.get(word)
    if value is None:
        if len(_WORD_HASHES) > 500_000:  # a bound on memory; the hash is the same anyway
            _WORD_HASHES.clear()
        value = _WORD_HASHES[word] = zlib.crc32(word.encode()) & _MASK
    return value


def shingles(text: str) -> Shingles:
    """The sorted unique hashes of a note's five-word shingles (a word's CRC-32 is computed
    once per process; shingles combine them in numpy)."""
    tokens = words(text)
    if len(tokens) < SHINGLE_WORDS:
        return np.zeros(0, dtype=np.int64)
    known = _WORD_HASHES.get
    ids = np.array([known(t) or _word_hash(t) for t in tokens], dtype=np.int64)
    count = len(tokens) - SHINGLE_WORDS + 1
    combined = np.zeros(count, dtype=np.int64)
    for offset in range(SHINGLE_WORDS):
        combined = (combined * 31 + ids[offset : offset + count] * _WEIGHTS[offset]) & _MASK
    return np.unique(combined)


def signature(hashes: Shingles) -> npt.NDArray[np.uint64]:
    """MinHash: for each of the fixed hash functions (multiply-shift, wrapping in 64 bits:
    cheaper than a modulus), the least hashed shingle."""
    if hashes.size == 0:
        return np.full(PERMUTATIONS, np.iinfo(np.uint64).max, dtype=np.uint64)
    values = hashes.astype(np.uint64)
    with np.errstate(over="ignore"):
        mixed = (_A[:, None] * values[None, :] + _B[:, None]) >> np.uint64(29)
    return mixed.min(axis=1)


def jaccard(first: Shingles, second: Shingles) -> float:
    if first.size == 0 or second.size == 0:
        return 0.0
    common = np.intersect1d(first, second, assume_unique=True).size
    return common / (first.size + second.size - common)


@dataclass
class Match:
    earlier: int  # the key of the earlier, similar note
    similarity: float


@dataclass
class NearDuplicateIndex:
    """Notes added in order; ``add`` answers the most similar earlier note at or above
    ``threshold``. One index per provider keeps the buckets small."""

    threshold: float
    _buckets: dict[tuple[int, bytes], list[int]] = field(default_factory=lambda: defaultdict(list))
    _shingles: dict[int, Shingles] = field(default_factory=dict)
    _signatures: dict[int, npt.NDArray[np.uint64]] = field(default_factory=dict)

    def add(self, key: int, text: str, compare: bool = True) -> Match | None:
        hashes = shingles(text)
        sig = signature(hashes)
        bands = [(band, sig[band * _ROWS : (band + 1) * _ROWS].tobytes()) for band in range(BANDS)]
        best: Match | None = None
        if compare and hashes.size:
            candidates = sorted({other for b in bands for other in self._buckets.get(b, ())})
            for other in candidates:
                estimate = float(np.mean(self._signatures[other] == sig))
                if estimate < self.threshold - _SIGNATURE_SLACK:
                    continue
                similarity = jaccard(hashes, self._shingles[other])
                if similarity >= self.threshold and (best is None or similarity > best.similarity):
                    best = Match(other, similarity)
        if hashes.size:
            for b in bands:
                self._buckets[b].append(key)
            self._shingles[key] = hashes
            self._signatures[key] = sig
        return best
