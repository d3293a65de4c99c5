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


def shingle_hashes(tokens: list[str]) -> np.ndarray:
    """One hash per position: the hash of tokens[i:i+K], in order of position."""
    n = len(tokens) - K + 1
    if n <= 0:
        return EMPTY
    t = np.fromiter((token_hash(x) for x in tokens), dtype=np.uint64, count=len(tokens))
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


def covered_tokens(mask: np.ndarray, n_tokens: int) -> int:
    """How many tokens fall inside at least one shingle whose mask is set."""
    if not mask.any():
        return 0
    covered = np.zeros(n_tokens + 1, dtype=np.int32)
    starts = np.flatnonzero(mask)
    np.add.at(covered, starts, 1)
    np.add.at(covered, np.minimum(starts + K, n_tokens), -1)
    return int(np.count_nonzero(np.cumsum(covered)[:n_tokens]))
