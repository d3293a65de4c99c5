"""Syllable 5-grams as stable 64-bit hashes (the same on every process and machine)."""

from functools import lru_cache
from hashlib import blake2b

import numpy as np

K = 5  # syllables per shingle
_P = np.uint64(0x100000001B3)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
EMPTY = np.empty(0, dtype=np.uint64)


@lru_cache(maxsize=500_000)
def token_hash(token: str) -> int:
    return int.from_bytes(blake2b(token.encode("utf-8"), digest_size=8).digest(), "little")


_WORD_HASHES: dict[str, int] = {}  # raw lower-case word → hash of its canonical syllable


def word_hashes(words: list[str], canonical: bool = False) -> np.ndarray:
    """Hashes of the canonical syllables of `words`; one dict lookup a word once warm."""
    cache = _WORD_HASHES
    missing = set(words).difference(cache)
    if missing:
        from dangvu.integrity.vietnamese import canonical_syllable

        for word in missing:
            cache[word] = token_hash(word if canonical else canonical_syllable(word))
        if len(cache) > 2_000_000:  # a corpus of garbage: start again rather than grow
            cache.clear()
            return word_hashes(words, canonical)
    return np.fromiter(map(cache.__getitem__, words), dtype=np.uint64, count=len(words))


def shingle_hashes(tokens: list[str]) -> np.ndarray:
    """One hash per position: the hash of tokens[i:i+K], in order of position."""
    return shingles_of(word_hashes(tokens, canonical=True))


def shingles_of(t: np.ndarray) -> np.ndarray:
    """Shingle hashes from the syllable hashes of a text."""
    n = t.size - K + 1
    if n <= 0:
        return EMPTY
    with np.errstate(over="ignore"):
        h = np.zeros(n, dtype=np.uint64)
        for i in range(K):
            h = h * _P + t[i:i + n]
        # splitmix64 finaliser: spreads the low bits, which sampling reads
        h ^= h >> np.uint64(30)
        h *= _M1
        h ^= h >> np.uint64(27)
        h *= _M2
        h ^= h >> np.uint64(31)
    return h
