"""Step 1 of a scan: each essay read and turned into its shingle fingerprint.

A worker fingerprints a batch of files and sends back one `Batch` of flat arrays
(a few large arrays pickle and travel far faster than thousands of small ones);
the scan then merges batches into chunks of tens of thousands of essays and works
on whole chunks with numpy, never essay by essay in Python.
"""

import os
from dataclasses import dataclass, field

import numpy as np

from dangvu.integrity.readers import Text, UnreadableFile, read_many
from dangvu.integrity.shingles import EMPTY, K, shingles_of, text_word_hashes


@dataclass
class Fingerprint:
    path: str
    shingles: np.ndarray = field(default_factory=lambda: EMPTY)  # sorted unique
    order: np.ndarray = field(default_factory=lambda: EMPTY)  # shingle at each position, as an index into shingles
    n_tokens: int = 0
    error: str | None = None


def fingerprint(root: str, rel: str) -> Fingerprint:
    return fingerprint_batch(root, [rel]).fingerprints()[0]


def _syllables(text: Text | UnreadableFile | OSError) -> np.ndarray | str:
    """The essay's syllable hashes, or what is wrong with the file."""
    if isinstance(text, UnreadableFile):
        return str(text)
    if isinstance(text, OSError):
        return f"Không mở được tệp: {text.strerror}."
    return text_word_hashes(text.original, text.encoding)


def unique_with_order(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """np.unique(values, return_inverse=True) for one essay's few hundred values,
    in a third of the time (numpy's general version costs more in Python than in
    sorting here); the inverse in 2 bytes a position where it fits."""
    if not values.size:
        return EMPTY, np.empty(0, dtype=np.uint16)
    perm = values.argsort()
    ordered = values[perm]
    first = np.empty(values.size, dtype=bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    unique = ordered[first]
    order = np.empty(values.size, dtype=np.uint16 if unique.size < 2**16 else np.uint32)
    order[perm] = np.cumsum(first) - 1
    return unique, order


@dataclass
class Batch:
    """The fingerprints of consecutive readable essays as flat arrays.

    Essay i has shingles[offsets[i]:offsets[i+1]] (sorted, unique) and
    max(n_tokens[i] - K + 1, 0) positions in `order`, each the index among the
    essay's own shingles of the shingle standing there (2 bytes a position where
    that fits). `first` is the scan-wide number of essay 0.
    """
    paths: list[str]
    n_tokens: np.ndarray
    offsets: np.ndarray
    shingles: np.ndarray
    order: np.ndarray
    errors: list[dict] = field(default_factory=list)
    first: int = 0

    def __len__(self) -> int:
        return len(self.paths)

    @property
    def counts(self) -> np.ndarray:
        return np.diff(self.offsets)

    @property
    def positions(self) -> np.ndarray:
        return np.maximum(self.n_tokens - (K - 1), 0)

    def essay_shingles(self, i: int) -> np.ndarray:
        return self.shingles[self.offsets[i]:self.offsets[i + 1]]

    @property
    def position_offsets(self) -> np.ndarray:
        return np.r_[0, np.cumsum(self.positions, dtype=np.int64)]

    def fingerprints(self) -> list[Fingerprint]:
        """Back to one Fingerprint an essay, unreadable files included (as errors)."""
        starts = self.position_offsets
        ok = [Fingerprint(path, self.essay_shingles(i).copy(), self.order[starts[i]:starts[i + 1]].copy(),
                          int(self.n_tokens[i])) for i, path in enumerate(self.paths)]
        return ok + [Fingerprint(e["file"], error=e["error"]) for e in self.errors]

    @classmethod
    def of(cls, prints: list[Fingerprint], errors: list[dict] | None = None) -> "Batch":
        """A batch of readable essays' fingerprints (unreadable ones go into errors)."""
        ok = [fp for fp in prints if not fp.error]
        return cls(
            paths=[fp.path for fp in ok],
            n_tokens=np.array([fp.n_tokens for fp in ok], dtype=np.int32),
            offsets=np.r_[0, np.cumsum([fp.shingles.size for fp in ok], dtype=np.int64)],
            shingles=_concat([fp.shingles for fp in ok], np.uint64),
            order=_concat([fp.order for fp in ok], np.uint16),
            errors=(errors or []) + [{"file": fp.path, "error": fp.error} for fp in prints if fp.error],
        )

    @classmethod
    def merge(cls, batches: list["Batch"], first: int) -> "Batch":
        sizes = [b.shingles.size for b in batches]
        shifts = np.r_[0, np.cumsum(sizes)[:-1]]
        return cls(
            paths=[p for b in batches for p in b.paths],
            n_tokens=_concat([b.n_tokens for b in batches], np.int32),
            offsets=np.r_[0, *[b.offsets[1:] + s for b, s in zip(batches, shifts, strict=True)]].astype(np.int64),
            shingles=_concat([b.shingles for b in batches], np.uint64),
            order=_concat([b.order for b in batches], np.uint16),
            errors=[e for b in batches for e in b.errors],
            first=first,
        )


def _concat(arrays: list[np.ndarray], dtype) -> np.ndarray:
    return np.concatenate(arrays) if arrays else np.empty(0, dtype=dtype)


def fingerprint_batch(root: str, rels: list[str]) -> Batch:
    """Fingerprints of the essays at `rels`. The shingle hashes of the whole batch
    are computed in one pass over its syllables laid end to end (a window that
    spans two essays is simply never read): a dozen numpy calls for a thousand
    essays instead of a dozen for each. The batch's old .doc files are converted together first
    (readers.read_many): one LibreOffice start for all of them."""
    found = [_syllables(text) for text in read_many([os.path.join(root, rel) for rel in rels])]
    texts = [(rel, words) for rel, words in zip(rels, found, strict=True) if not isinstance(words, str)]
    sizes = np.array([words.size for _rel, words in texts], dtype=np.int64)
    starts = np.cumsum(sizes) - sizes
    windows = shingles_of(np.concatenate([words for _rel, words in texts] or [EMPTY]))
    prints = []
    for (rel, words), start in zip(texts, starts.tolist(), strict=True):
        unique, order = unique_with_order(windows[start:start + max(words.size - K + 1, 0)])
        prints.append(Fingerprint(rel, unique, order, words.size))
    return Batch.of(prints, errors=[{"file": rel, "error": words} for rel, words in zip(rels, found, strict=True)
                                    if isinstance(words, str)])
