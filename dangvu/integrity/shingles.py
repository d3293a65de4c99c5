"""Syllable 5-grams as stable 64-bit hashes (the same on every process and machine)."""

import re
import unicodedata
from functools import lru_cache
from hashlib import blake2b

import numpy as np

from dangvu.integrity.vietnamese import (
    TCVN3_ONLY,
    VNI_ONLY,
    canonical_syllable,
    converted_keeping_offsets,
    tcvn3_to_unicode,
    to_unicode,
    tokens_with_spans,
    vni_to_unicode,
)

K = 5  # syllables per shingle
_P = np.uint64(0x100000001B3)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
EMPTY = np.empty(0, dtype=np.uint64)


_SKIP, _SEVERAL, _LEGACY = 0, 1, 2  # values text_word_hashes keeps for tokens that are not one syllable


@lru_cache(maxsize=500_000)
def token_hash(token: str) -> int:
    h = int.from_bytes(blake2b(token.encode("utf-8"), digest_size=8).digest(), "little")
    return h if h > _LEGACY else h + _LEGACY + 1  # never one of the markers above


_WORD_HASHES: dict[str, int] = {}  # raw lower-case word → hash of its canonical syllable


def word_hashes(words: list[str], canonical: bool = False) -> np.ndarray:
    """Hashes of the canonical syllables of `words`; one dict lookup a word once warm."""
    cache = _WORD_HASHES
    missing = set(words).difference(cache)
    if missing:
        for word in missing:
            cache[word] = token_hash(word if canonical else canonical_syllable(word))
        if len(cache) > 2_000_000:  # a corpus of garbage: start again rather than grow
            cache.clear()
            return word_hashes(words, canonical)
    return np.fromiter(map(cache.__getitem__, words), dtype=np.uint64, count=len(words))


# Raw whitespace-separated token as it stands in a text ("(Đảng," "57-NQ/TW") →
# the hash of its one syllable, or a marker: _SKIP (no syllable: "–"), _SEVERAL
# (hashes in _SEVERAL_HASHES) or _LEGACY (a character only TCVN3 or VNI text has).
_TOKEN_VALUES: dict[str, int] = {}
_SEVERAL_HASHES: dict[str, np.ndarray] = {}
_NOT_WORD = re.compile(r"[^\w\s]")
_LEGACY_CHAR = re.compile("[" + re.escape("".join(sorted(TCVN3_ONLY | VNI_ONLY))) + "]")


def _token_value(token: str, screen: bool = True) -> int:
    if screen and _LEGACY_CHAR.search(token):
        return _LEGACY
    syllables = _NOT_WORD.sub(" ", token.lower()).split()
    if len(syllables) == 1:
        return token_hash(canonical_syllable(syllables[0]))
    if syllables:
        _SEVERAL_HASHES[token] = np.array([token_hash(canonical_syllable(s)) for s in syllables], dtype=np.uint64)
        return _SEVERAL
    return _SKIP


def _token_values(words: list[str]) -> np.ndarray:
    """The value of each raw token: its syllable's hash or a marker."""
    values = _TOKEN_VALUES
    try:
        return np.fromiter(map(values.__getitem__, words), dtype=np.uint64, count=len(words))
    except KeyError:
        if len(values) > 2_000_000:  # a corpus of garbage: start again rather than grow
            values.clear()
            _SEVERAL_HASHES.clear()
        for token in set(words).difference(values):
            values[token] = _token_value(token)
        return np.fromiter(map(values.__getitem__, words), dtype=np.uint64, count=len(words))


def text_word_hashes(text: str, encoding: str = "auto") -> np.ndarray:
    """The syllable hashes of a text: word_hashes(*raw_words(text, encoding)), about
    twice as fast.

    The text is only split at white space; each distinct raw token, punctuation and
    capitals included, is normalised once and remembered. A text with a token
    that may be legacy TCVN3 or VNI is first converted line by line, as for display.
    """
    if encoding in ("tcvn3", "vni"):
        return _unicode_text_hashes(_as_unicode(text, encoding))
    nfc = text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)
    words = nfc.split()
    values = _token_values(words)
    if values.size and values.min() <= _LEGACY:
        if (values == _LEGACY).any():
            return _unicode_text_hashes(_as_unicode(text, encoding))
        return _expand(words, values)
    return values


def _unicode_text_hashes(text: str) -> np.ndarray:
    """Syllable hashes of a text already converted from legacy fonts."""
    words = text.split()
    return _expand(words, _converted_token_values(words))


def _converted_token_values(words: list[str]) -> np.ndarray:
    """Token values of a text already converted from legacy fonts: a token that
    still looks legacy stood on a Unicode line and is read as Unicode."""
    values = _token_values(words)
    for at in np.flatnonzero(values == _LEGACY).tolist():
        values[at] = _token_value(words[at], screen=False)
    return values


def _expand(words: list[str], values: np.ndarray) -> np.ndarray:
    """Token values to syllable hashes: markers dropped or expanded."""
    if not values.size or values.min() > _LEGACY:
        return values
    parts, start = [], 0
    for at in np.flatnonzero(values <= _LEGACY).tolist():
        parts.append(values[start:at])
        if values[at] == _SEVERAL:
            parts.append(_SEVERAL_HASHES[words[at]])
        start = at + 1
    parts.append(values[start:])
    return np.concatenate(parts)


def _as_unicode(text: str, encoding: str) -> str:
    if encoding == "auto":
        return to_unicode(text)
    if encoding == "tcvn3":
        text = tcvn3_to_unicode(text)
    elif encoding == "vni":
        text = vni_to_unicode(text)
    return unicodedata.normalize("NFC", text)


_COMBINING = re.compile(r"[\u0300-\u036f]")


@lru_cache(maxsize=1)
def _is_word_char() -> np.ndarray:
    """For every code point of the Basic Multilingual Plane: does regex \\w match it."""
    word = re.compile(r"\w")
    return np.array([bool(word.match(chr(c))) for c in range(0x10000)], dtype=bool)


def hashes_with_spans(text: str, encoding: str = "auto") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Syllable hashes with each syllable's start and end in `text`, as
    tokens_with_spans finds them.

    In the usual text (NFC, no stray combining mark, each white-space token one
    syllable, nothing beyond the BMP) syllable k is the k-th run of word
    characters, found at once by a table of code points. A TCVN3 text is first
    converted letter for letter, which keeps every offset.
    """
    if encoding in ("auto", "unicode"):
        found = _runs_if_one_syllable_each(text, encoding)
        if found is not None:
            return found
    syllables, spans = tokens_with_spans(text, encoding)
    bounds = np.array(spans, dtype=np.int64).reshape(-1, 2)
    return word_hashes(syllables, canonical=True), bounds[:, 0], bounds[:, 1]


def _runs_if_one_syllable_each(text: str, encoding: str):
    if not unicodedata.is_normalized("NFC", text) or _COMBINING.search(text):
        return None
    words = text.split()
    values = _token_values(words)
    if values.size and values.min() <= _LEGACY:
        if encoding != "auto" or (values != _LEGACY).all():
            return None
        converted, offsets_kept = converted_keeping_offsets(text)
        if not offsets_kept:
            return None
        text = converted
        values = _converted_token_values(converted.split())
        if values.size and values.min() <= _LEGACY:
            return None
    points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    if points.size and points.max() >= 0x10000:
        return None
    word = np.r_[False, _is_word_char()[points], False]
    edges = np.flatnonzero(word[1:] != word[:-1])
    starts, ends = edges[0::2], edges[1::2]
    return (values, starts, ends) if starts.size == values.size else None


_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)


def shingles_of(t: np.ndarray) -> np.ndarray:
    """Shingle hashes from the syllable hashes of a text."""
    n = t.size - K + 1
    if n <= 0:
        return EMPTY
    h = t[:n].copy()  # in place from here: a few hundred values, so allocations cost more than arithmetic
    for i in range(1, K):
        np.multiply(h, _P, out=h)
        np.add(h, t[i:i + n], out=h)
    # splitmix64 finaliser: spreads the low bits, which sampling reads
    h ^= h >> _S30
    np.multiply(h, _M1, out=h)
    h ^= h >> _S27
    np.multiply(h, _M2, out=h)
    h ^= h >> _S31
    return h
