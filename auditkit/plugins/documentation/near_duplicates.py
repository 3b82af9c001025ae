"""Near-duplicate notes at scale: word shingles, MinHash signatures and LSH buckets.

Two notes are compared by the Jaccard similarity of their sets of five-word shingles
(lower case, digits and punctuation dropped, so copied text with new dates, vitals or
names still matches). Comparing every pair is quadratic; instead each note gets a MinHash
signature of 64 values, cut into 8 bands of 8: notes that share a band land in the same
bucket and only those pairs are compared, first by their signatures, then exactly. Two
notes at 0.9 similarity share a band with probability above 0.99; at 0.5, about 0.03.
Hashes are CRC-32 with fixed seeds, so the same notes give the same answer in every run.
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
_PRIME = (1 << 31) - 1
_RNG = np.random.default_rng(20260401)
_A = _RNG.integers(1, _PRIME, PERMUTATIONS, dtype=np.int64)
_B = _RNG.integers(0, _PRIME, PERMUTATIONS, dtype=np.int64)
_WORD = re.compile(r"[a-z]+")
_SIGNATURE_SLACK = 0.12  # estimate error allowed before the exact comparison decides

Shingles = npt.NDArray[np.int64]


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def shingles(text: str) -> Shingles:
    """The sorted unique hashes of a note's five-word shingles."""
    tokens = words(text)
    if len(tokens) < SHINGLE_WORDS:
        return np.zeros(0, dtype=np.int64)
    joined = [" ".join(tokens[i : i + SHINGLE_WORDS]) for i in range(len(tokens) - 4)]
    hashes = np.fromiter(
        (zlib.crc32(s.encode()) & _PRIME for s in joined), dtype=np.int64, count=len(joined)
    )
    return np.unique(hashes)


def signature(hashes: Shingles) -> npt.NDArray[np.int64]:
    """MinHash: for each of the fixed hash permutations, the least permuted shingle."""
    if hashes.size == 0:
        return np.full(PERMUTATIONS, _PRIME, dtype=np.int64)
    return ((_A[:, None] * hashes[None, :] + _B[:, None]) % _PRIME).min(axis=1)


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
    _signatures: dict[int, npt.NDArray[np.int64]] = field(default_factory=dict)

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
