"""Near-duplicate detection: word shingles, MinHash signatures (datasketch) and LSH bands.

A text becomes the set of its word 5-gram shingles (lower-cased, punctuation and
digits' formatting ignored). Its MinHash signature is cut into bands; two texts that
share any band key are *candidates*. The band keys live in the store
(``corpus_bands``), so finding a new article's candidates is one indexed look-up,
never a comparison with every stored article.

A candidate is a *duplicate* when most of the shorter text is found in the longer:
the exact share of the shorter's shingles present in the other (containment), not the
Jaccard estimate, so a shortened or trimmed copy of a wire story counts as what it is.
The thresholds were measured with ``benchmarks/corpus.py``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

import numpy as np
from datasketch import LeanMinHash, MinHash
from datasketch.lsh import _optimal_param

#: Words per shingle.
SHINGLE_WORDS: Final = 5
#: MinHash permutations.
NUM_PERM: Final = 128
#: The Jaccard similarity around which LSH turns candidates on. Kept low: a shortened
#: copy holding half the original has a Jaccard near 0.5, and the containment test
#: below decides; false candidates cost one exact comparison each.
LSH_THRESHOLD: Final = 0.3
#: Share of the shorter text's shingles found in the longer one for a duplicate.
#: Measured on benchmarks/corpus.py's corpus (2,005 development texts, 602 copies): the
#: copies' containment runs from 0.59 (trimmed, swapped and copy-edited) to 1.0, and no
#: two different texts reach 0.3.
MIN_CONTAINMENT: Final = 0.5
#: Texts with fewer shingles than this are matched only when identical after
#: normalisation (a two-line brief shares too little to judge).
MIN_SHINGLES: Final = 12
#: A shingle that is only boilerplate ("all rights reserved ...") must not make two
#: articles duplicates: the shorter text must also hold this many shingles in common.
MIN_COMMON: Final = 10

BANDS, ROWS = _optimal_param(LSH_THRESHOLD, NUM_PERM, 0.5, 0.5)

_WORD: Final = re.compile(r"[^\W_]+", re.UNICODE)
_SEED: Final = 1


def words(text: str) -> list[str]:
    """The text's words, NFKC-normalised and lower-cased, punctuation dropped."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    """The distinct word ``size``-gram shingles of ``text`` (a shorter text: itself)."""
    ws = words(text)
    if len(ws) < size:
        return {" ".join(ws).encode()} if ws else set()
    return {" ".join(ws[k : k + size]).encode() for k in range(len(ws) - size + 1)}


def _hash32(data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=4).digest(), "little")


@dataclass(frozen=True)
class Sketch:
    """A text's shingle hashes, MinHash signature and LSH band keys."""

    hashes: frozenset[int]
    bands: tuple[int, ...]

    @property
    def size(self) -> int:
        return len(self.hashes)


def sketch(text: str) -> Sketch:
    """Shingle ``text`` and compute its MinHash band keys."""
    hashes = frozenset(_hash32(g) for g in shingles(text))
    if not hashes:
        return Sketch(hashes, ())
    # the shingles are hashed once: MinHash takes the hashes as they are (the same
    # signature as MinHash(hashfunc=_hash32) over the shingles themselves)
    mh = MinHash(num_perm=NUM_PERM, seed=_SEED, hashfunc=_as_is)
    mh.update_batch(list(hashes))
    return Sketch(hashes, band_keys(LeanMinHash(mh)))


def _as_is(value: int) -> int:
    return value


def band_keys(mh: LeanMinHash) -> tuple[int, ...]:
    """One unsigned 64-bit key per LSH band (the band's index is part of the key)."""
    values = np.asarray(mh.hashvalues, dtype=np.uint64)
    keys = []
    for b in range(BANDS):
        chunk = values[b * ROWS : (b + 1) * ROWS].tobytes()
        digest = hashlib.blake2b(chunk, digest_size=8, person=b.to_bytes(2, "little")).digest()
        keys.append(int.from_bytes(digest, "little"))
    return tuple(keys)


def containment(a: frozenset[int], b: frozenset[int]) -> tuple[float, int]:
    """Share of the smaller set found in the larger, and the count in common."""
    if not a or not b:
        return 0.0, 0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    common = len(small & large)
    return common / len(small), common


def is_duplicate(a: frozenset[int], b: frozenset[int]) -> tuple[bool, float]:
    """Whether two shingle sets are near-duplicates, and their containment."""
    if not a or not b:
        return False, 0.0
    share, common = containment(a, b)
    if min(len(a), len(b)) < MIN_SHINGLES:
        return a == b, share
    return share >= MIN_CONTAINMENT and common >= MIN_COMMON, share


def shingle_hashes(texts: Iterable[str]) -> list[frozenset[int]]:
    """The shingle hash sets of several texts (for verifying stored candidates)."""
    return [frozenset(_hash32(g) for g in shingles(t)) for t in texts]
