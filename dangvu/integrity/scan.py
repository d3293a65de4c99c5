"""Find copied essays in a folder: fingerprint, find candidates, verify exactly.

1. Fingerprint each file (in parallel, or on a Dask cluster): read, normalise,
   5-gram shingle hashes with their positions.
2. Shingles found in more than `max_df` essays are "common": they come from a
   circulating template or stock phrases. Like the shingles of excluded texts they
   make no candidates, count in no score and are not the writer's own words;
   essays built largely on stretches of them (a circulating text, not stock phrases
   scattered through the essay) are grouped as a common-source cluster.
3. Candidates: essays sharing at least two sampled rare shingles (every shingle
   when the corpus is small, one in eight when large). Sampling only decides
   which pairs are checked, never a score.
4. Every candidate is verified on its full shingle sets: score = shared rare
   shingles / shingles of the shorter essay. Exact, never an estimate.
5. Reported pairs get their copied passages as character offsets in both originals.

Steps 2 to 4 work on chunks of tens of thousands of essays at once with numpy;
nothing there loops over essays in Python except the few near a decision line.
"""

import bisect
import gc
import multiprocessing
import os
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from dangvu.integrity.fingerprints import Batch, Fingerprint, fingerprint, fingerprint_batch
from dangvu.integrity.readers import read
from dangvu.integrity.shingles import EMPTY, K, hashes_with_spans, shingles_of, text_word_hashes

__all__ = ["Fingerprint", "Options", "candidate_pairs", "fingerprint", "scan"]

SMALL_CORPUS = 5000  # below this every shingle is a candidate key
SAMPLE_MASK = np.uint64(7)  # one in eight above it
BIG_CLUSTER = 10  # above this many members a cluster lists each essay's best match only
CHUNK = 20_000  # essays worked on together in steps 2 and 3
BATCH = 1000  # essays a worker reads at a time


@dataclass
class Options:
    threshold: float = 0.3
    min_words: int = 150
    max_df: int = 50
    common_share: float = 0.2  # an essay this much made of stretches of common text is grouped by that source
    exclude: list[Path] = field(default_factory=list)
    workers: int = 0  # 0: two per core
    dask: str | None = None  # a Dask scheduler's address: the whole scan runs on that cluster
    dask_partition: int = 0  # essays a Dask worker reads and keeps together; 0: from its memory limit
    dask_timeout: float = 30  # seconds to reach the scheduler


# --- step 1: fingerprints -------------------------------------------------------

def list_files(root: Path) -> list[str]:
    """Every file under root, as sorted relative POSIX paths: each is read or listed among
    the errors with its reason (a scan, an unknown format, Word's lock file); none is skipped."""
    return sorted(walk_files(root))


def walk_files(root: Path) -> Iterator[str]:
    """Every file under root as a relative POSIX path, in a fixed order (folders and names
    sorted), one at a time: a listing the Dask scan streams without holding it."""
    base = str(root)
    for dirpath, dirs, files in os.walk(base):
        dirs.sort()
        prefix = os.path.relpath(dirpath, base).replace(os.sep, "/")
        prefix = "" if prefix == "." else prefix + "/"
        for name in sorted(files):
            yield prefix + name


def text_shingles(text: str, encoding: str = "auto") -> np.ndarray:
    """A text's shingle hashes, computed exactly as an essay's are."""
    return shingles_of(text_word_hashes(text, encoding))


def excluded_shingles(paths: Iterable[Path]) -> np.ndarray:
    parts = []
    for path in paths:
        text = read(Path(path))
        parts.append(text_shingles(text.original, text.encoding))
    return np.unique(np.concatenate(parts)) if parts else EMPTY


def _batches(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


@contextmanager
def executor(options: Options, jobs: int):
    """A map(fn, *lists) that yields results in order: in local processes, or right here
    for small work."""
    # Reading waits on the disk when the files are not in its cache: two processes
    # a core keep the cores busy meanwhile (100,000 essays from a cold cache on two
    # cores: 19 s instead of 23 s) and cost nothing when they are.
    workers = options.workers or 2 * (os.cpu_count() or 1)
    if workers == 1 or jobs < 400:
        yield map
        return
    # fork is fastest, but forking a process that runs threads (a web server, a Dask
    # client) can deadlock: then forkserver
    method = "fork" if threading.active_count() == 1 else "forkserver"
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method)) as pool:
        yield pool.map


def read_all(run, root: Path, rels: list[str], report) -> tuple[list[Batch], list[dict], "BucketCounts"]:
    """Fingerprint every file; readable essays come back merged into chunks of
    about CHUNK essays, numbered in the order of `rels`. Each chunk's shingles are
    counted by bucket while the workers go on reading."""
    chunks, pending, errors, done, first = [], [], [], 0, 0
    counts = BucketCounts(len(rels) * 1000)

    def flush():
        nonlocal first
        chunks.append(Batch.merge(pending, first))
        counts.add(chunks[-1].shingles)
        first += len(chunks[-1])
        pending.clear()

    batches = _batches(rels, BATCH)
    for batch in run(fingerprint_batch, [str(root)] * len(batches), batches):
        errors += batch.errors
        pending.append(batch)
        done += len(batch) + len(batch.errors)
        if sum(len(b) for b in pending) >= CHUNK:
            flush()
        report("read", done, len(rels))
    if pending:
        flush()
    return chunks, errors, counts


# --- step 2: common shingles ------------------------------------------------------

def _buckets(values: np.ndarray, bits: int) -> np.ndarray:
    return (values >> np.uint64(64 - bits)).view(np.int64)


class BucketCounts:
    """How many essays hold a shingle of each bucket (the top bits of its hash).
    A shingle in more than max_df essays can only lie in a bucket counted above
    max_df: the few such buckets are all that is then counted exactly."""

    def __init__(self, expected_shingles: int):
        # About four shingles a bucket, at most 2^24 buckets (128 MB of counts):
        # even at eleven a bucket, chance alone never lifts one above max_df.
        self.bits = int(min(max(np.ceil(np.log2(max(expected_shingles, 1))) - 2, 16), 24))
        self.counts = np.zeros(1 << self.bits, dtype=np.int64)

    def add(self, shingles: np.ndarray) -> None:
        self.counts += np.bincount(_buckets(shingles, self.bits), minlength=self.counts.size)


class LeftOut:
    """The shingles left out of every score: those found in more than max_df
    essays (exact) and those of excluded texts.

    One pass over each chunk looks its shingles' buckets up in a bitmap of the
    hot and excluded buckets; the few that pass are kept, with where they stand,
    to count exactly and then to be matched against both sets."""

    def __init__(self, chunks: list[Batch], counts: BucketCounts, max_df: int, excluded: np.ndarray, pool):
        bits = counts.bits
        hot = counts.counts > max_df if sum(len(c) for c in chunks) > max_df else np.zeros_like(counts.counts, bool)
        bitmap = hot.copy()
        bitmap[_buckets(excluded, bits)] = True

        def suspects(chunk):
            """Where in the chunk a shingle may be left out, and how often each
            shingle of a hot bucket occurs in the chunk."""
            where = np.flatnonzero(bitmap[_buckets(chunk.shingles, bits)])
            values = chunk.shingles[where]
            values = values[hot[_buckets(values, bits)]]
            values.sort()
            starts = np.flatnonzero(np.r_[True, values[1:] != values[:-1]]) if values.size else np.empty(0, np.int64)
            return where.astype(np.int32), values[starts], np.diff(starts, append=values.size)

        found = list(pool.map(suspects, chunks))
        self.where = [where for where, _values, _counts in found]
        self.common = np.setdiff1d(_more_than(np.concatenate([v for _w, v, _c in found] or [EMPTY]),
                                              np.concatenate([c for _w, _v, c in found] or [np.empty(0, np.int64)]),
                                              max_df),
                                   excluded, assume_unique=True)
        self.excluded = excluded

    def find(self, k: int, chunk: Batch) -> tuple[np.ndarray, np.ndarray]:
        """Indices into chunk k's shingles of those left out, and of the common ones."""
        where = self.where[k].astype(np.int64)
        self.where[k] = None  # each chunk is asked once: free its share
        values = chunk.shingles[where]
        is_common = _isin_sorted(values, self.common)
        return where[is_common | _isin_sorted(values, self.excluded)], where[is_common]


def _more_than(values: np.ndarray, counts: np.ndarray, times: int) -> np.ndarray:
    """The values whose counts add up to more than `times`, sorted."""
    if not values.size:
        return EMPTY
    order = np.argsort(values, kind="stable")
    values, counts = values[order], counts[order]
    starts = np.flatnonzero(np.r_[True, values[1:] != values[:-1]])
    return values[starts[np.add.reduceat(counts, starts) > times]]


def _isin_sorted(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    if not sorted_set.size:
        return np.zeros(values.size, dtype=bool)
    idx = np.minimum(np.searchsorted(sorted_set, values), sorted_set.size - 1)
    return sorted_set[idx] == values


def _segment_of(index: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """The segment each element index falls in."""
    return np.searchsorted(offsets, index, side="right") - 1


@dataclass
class Split:
    """What leaving the common and excluded text out of a chunk found."""
    thin: np.ndarray  # bool per essay
    source_essays: np.ndarray  # essays built largely on common text (scan-wide numbers) …
    source_keys: np.ndarray  # … and three min-hash keys of that text each, (n, 3)


def split_common(chunk: Batch, dropped: np.ndarray, common: np.ndarray, min_words: int,
                 common_share: float) -> Split:
    """Leave the chunk holding only each essay's rare shingles (dropping those at
    `dropped`; `common` are the common ones among them) and say which essays are
    thin (fewer than min_words tokens outside excluded and common shingles) or
    built on a common source."""
    per_essay = np.searchsorted(dropped, chunk.offsets)  # essay i's are dropped[per_essay[i]:per_essay[i+1]]
    kept = chunk.counts - np.diff(per_essay)
    thin = _thin(chunk, dropped, per_essay, kept, min_words)
    essays, keys = _common_source_keys(chunk, common, kept, common_share)
    chunk.shingles = np.delete(chunk.shingles, dropped)
    chunk.offsets = np.r_[0, np.cumsum(kept)]
    chunk.order = EMPTY
    return Split(thin, essays, keys)


def _thin(chunk: Batch, dropped: np.ndarray, per_essay: np.ndarray, kept: np.ndarray, min_words: int) -> np.ndarray:
    n_tokens = chunk.n_tokens.astype(np.int64)
    thin = n_tokens < min_words
    # Each dropped position covers at most K tokens, and at most positions - kept
    # positions hold a dropped shingle: only essays near the line are counted exactly.
    positions = chunk.positions.astype(np.int64)
    near = np.flatnonzero(~thin & (kept < chunk.counts) & (n_tokens - K * (positions - kept) < min_words))
    if near.size:
        is_dropped = np.zeros(chunk.shingles.size, dtype=bool)
        is_dropped[dropped] = True
        own = n_tokens[near] - _covered_tokens(chunk, is_dropped, near)
        thin[near] = own < min_words
    return thin


def _covered_tokens(chunk: Batch, is_dropped: np.ndarray, essays: np.ndarray) -> np.ndarray:
    """For each of `essays`: how many of its tokens lie inside at least one dropped
    shingle. A shingle at position p covers tokens p … p+K-1, so each dropped
    position covers the tokens up to the next one, at most K; the last, K."""
    starts = chunk.position_offsets
    lengths = np.diff(starts)[essays]
    ends = np.cumsum(lengths)
    positions = np.arange(ends[-1]) + np.repeat(starts[essays] - (ends - lengths), lengths)  # end to end
    shingle = chunk.order[positions] + np.repeat(chunk.offsets[essays], lengths)
    at = positions[is_dropped[shingle]]
    del positions, shingle
    lo, hi = starts[essays], starts[essays] + lengths
    cover = np.minimum(np.diff(at, append=np.iinfo(np.int64).max), K)
    first, last = np.searchsorted(at, lo), np.searchsorted(at, hi)
    has = last > first
    cover[last[has] - 1] = K  # an essay's last dropped position: the next is not its own
    total = np.r_[0, np.cumsum(cover)]
    return total[last] - total[first]


_SALTS = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9], dtype=np.uint64)


# Common shingles standing this many positions in a row (a stretch of 24 syllables: a whole sentence
# taken from a circulating text) make a common source; a stock phrase is shorter.
SOURCE_RUN = 20


def _in_long_runs(chunk: Batch, where: np.ndarray, essays: np.ndarray) -> np.ndarray:
    """Of the common shingles at `where`, those standing somewhere in a run of SOURCE_RUN
    common positions in a row within one of `essays` (indices into the chunk's shingles).
    Positions end to end in 32-bit arithmetic: a template-heavy chunk has tens of millions."""
    is_common = np.zeros(chunk.shingles.size, dtype=bool)
    is_common[where] = True
    lengths = chunk.positions[essays].astype(np.int64)
    ends = np.cumsum(lengths)
    begins = ends - lengths
    positions = np.arange(ends[-1], dtype=np.int64)
    positions += np.repeat(chunk.position_offsets[essays] - begins, lengths)
    shingle = chunk.order[positions].astype(np.int32) + np.repeat(chunk.offsets[essays].astype(np.int32), lengths)
    del positions
    common_at = is_common[shingle]
    # runs of common positions, cut where an essay ends
    starts = np.empty(common_at.size, dtype=bool)
    starts[0] = True
    np.not_equal(common_at[1:], common_at[:-1], out=starts[1:])
    starts[begins[begins > 0]] = True
    run = np.cumsum(starts, dtype=np.int32) - 1
    long_run = common_at & (np.bincount(run)[run] >= SOURCE_RUN)
    in_run = np.zeros(chunk.shingles.size, dtype=bool)  # a mask, not np.unique: no sort of millions
    in_run[shingle[long_run]] = True
    return np.flatnonzero(in_run)


def _common_source_keys(chunk: Batch, where: np.ndarray, kept: np.ndarray,
                        share: float) -> tuple[np.ndarray, np.ndarray]:
    """Essays at least `share` made of stretches of common text (its shingles at `where`),
    with min-hash keys of which text."""
    heavy, essay = _heavy(chunk, where, kept, share)  # with every common shingle: an upper bound
    if heavy.any():
        where = _in_long_runs(chunk, where, np.flatnonzero(heavy))
        heavy, essay = _heavy(chunk, where, kept, share)
    chosen = heavy[essay]
    values, essay = chunk.shingles[where[chosen]], essay[chosen]
    if not values.size:
        return np.empty(0, np.int64), np.empty((0, 3), np.uint64)
    starts = np.flatnonzero(np.r_[True, essay[1:] != essay[:-1]])
    with np.errstate(over="ignore"):
        keys = np.stack([np.minimum.reduceat(values * salt, starts) for salt in _SALTS], axis=1)
    return essay[starts] + chunk.first, keys


def _heavy(chunk: Batch, where: np.ndarray, kept: np.ndarray, share: float) -> tuple[np.ndarray, np.ndarray]:
    """Per essay: made at least `share` of the common shingles at `where`; and the essay of
    each of those shingles."""
    essay = _segment_of(where, chunk.offsets)
    n_common = np.bincount(essay, minlength=len(chunk))
    with np.errstate(divide="ignore", invalid="ignore"):
        return (n_common > 0) & (n_common / (n_common + kept) >= share), essay


# --- step 3 and 4: candidates and exact scores --------------------------------------

@lru_cache(maxsize=256)
def _upper_pairs(size: int) -> tuple[np.ndarray, np.ndarray]:
    return np.triu_indices(size, 1)


def doc_bits(essays: int) -> int:
    """Low bits of a key given over to the essay's number (see candidate_pairs)."""
    return max((essays - 1).bit_length(), 1)


def pack_keys(hashes: np.ndarray, doc: np.ndarray, bits: int) -> np.ndarray:
    """Each key with its low bits replaced by its essay's number."""
    return (hashes & ~np.uint64((1 << bits) - 1)) | doc.astype(np.uint64)


def candidate_pairs(hashes: np.ndarray, doc: np.ndarray, needed: Callable | None = None) -> np.ndarray:
    """Pairs of essays (i < j) sharing at least two keys (and at least needed(i, j)
    when a function of the two is given), as an (n, 2) array. hashes[k] is a key of
    essay doc[k]; an essay's keys are unique."""
    if doc.size == 0:
        return np.empty((0, 2), dtype=np.int64)
    bits = doc_bits(int(doc.max()) + 1)
    return shared_key_pairs(pack_keys(hashes, doc, bits), bits, needed)


def shared_key_pairs(packed: np.ndarray, bits: int, needed: Callable | None = None) -> np.ndarray:
    """candidate_pairs on packed keys (sorted here, in place)."""
    codes, counts = shared_key_counts(packed, bits)
    n = 1 << bits
    pairs = np.stack([codes // n, codes % n], axis=1)
    keep = counts >= 2
    if needed is not None:
        keep &= counts >= needed(pairs[:, 0], pairs[:, 1])
    return pairs[keep]


def shared_key_counts(packed: np.ndarray, bits: int) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of essays (i < j) sharing at least one of the packed keys (sorted here, in
    place), as codes i * 2**bits + j in ascending order, with how many keys each pair shares.

    Sorting keys as plain integers is a vectorised sort, several times faster than
    an argsort. Two different keys that look alike once cut can only add a
    candidate, which the exact score turns away; they never hide one. Only the
    few keys that two essays share are looked at after the sort."""
    packed.sort()
    low = np.uint64((1 << bits) - 1)
    # k and k+1 hold the same key (of two essays, or of one essay twice once cut)
    differ = packed[1:] ^ packed[:-1]
    same_key, same_essay = differ <= low, differ == 0
    del differ
    at = np.flatnonzero(same_key & ~same_essay)
    if same_essay.any():  # drop the repeats first, then look again
        return shared_key_counts(packed[np.r_[True, ~same_essay]], bits)
    if not at.size:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    # runs of consecutive k: a key held by run length + 1 essays, in ascending order
    run_start = np.flatnonzero(np.r_[True, at[1:] != at[:-1] + 1])
    run_size = np.diff(np.r_[run_start, at.size]) + 1
    first = at[run_start]
    n = 1 << bits

    def doc(k):
        return (packed[k] & low).astype(np.int64)

    two = first[run_size == 2]
    codes = [doc(two) * n + doc(two + 1)]
    for start, size in zip(first[run_size > 2].tolist(), run_size[run_size > 2].tolist(), strict=True):
        members = doc(np.arange(start, start + size))
        a, b = _upper_pairs(size)
        codes.append(members[a] * n + members[b])
    return np.unique(np.concatenate(codes), return_counts=True)


def score(rare_a: np.ndarray, rare_b: np.ndarray) -> float:
    """Share of the shorter essay's own shingles found in the other: exact."""
    shorter = min(rare_a.size, rare_b.size)
    if shorter == 0:
        return 0.0
    return np.intersect1d(rare_a, rare_b, assume_unique=True).size / shorter


class RareShingles:
    """Each essay's rare shingles, across the chunks, by scan-wide number."""

    def __init__(self, chunks: list[Batch]):
        self.chunks = chunks
        self.firsts = [c.first for c in chunks]
        self.sizes = np.concatenate([c.counts for c in chunks]) if chunks else np.empty(0, np.int64)

    def __getitem__(self, i: int) -> np.ndarray:
        chunk = self.chunks[bisect.bisect_right(self.firsts, i) - 1]
        return chunk.essay_shingles(i - chunk.first)

    def packed_keys(self, sample_mask: np.uint64 | None, threads) -> tuple[np.ndarray, int]:
        """Every rare shingle, or only those whose low bits are all zero under
        sample_mask, packed with its essay's number (pack_keys), and the bits used."""
        bits = doc_bits(max(self.sizes.size, 1))

        def chunk_keys(c: Batch) -> np.ndarray:
            index = np.arange(c.shingles.size) if sample_mask is None \
                else np.flatnonzero((c.shingles & sample_mask) == 0)
            return pack_keys(c.shingles[index], _segment_of(index, c.offsets) + c.first, bits)

        parts = list(threads.map(chunk_keys, self.chunks))
        return (np.concatenate(parts) if parts else EMPTY.copy()), bits


# --- clusters -------------------------------------------------------------------------

class _UnionFind:
    def __init__(self):
        self.parent: dict = {}

    def find(self, x):
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def groups(self) -> list[list]:
        out = defaultdict(list)
        for x in self.parent:
            out[self.find(x)].append(x)
        return [sorted(g) for g in out.values() if len(g) > 1]


def common_source_groups(essays: np.ndarray, keys: np.ndarray) -> list[list[int]]:
    """Essays mostly built on shared text, grouped by which text (their min-hash keys)."""
    uf = _UnionFind()
    key_nodes: dict[int, int] = {}  # a min-hash key is a node too, numbered below zero
    for essay, row in zip(essays.tolist(), keys.tolist(), strict=True):
        uf.find(essay)
        for key in row:
            uf.union(essay, key_nodes.setdefault(key, -1 - len(key_nodes)))
    groups = [[x for x in g if x >= 0] for g in uf.groups()]
    return [g for g in groups if len(g) > 1]


# --- step 5: passages ---------------------------------------------------------------------

MAX_PLACES = 50  # places in B a shingle is looked for (a phrase repeated more often is boilerplate)


def passages(root: Path, rel_a: str, rel_b: str, shared: np.ndarray, gap: int = 3) -> list[dict]:
    """Copied stretches as character offsets in both original texts, one per stretch a reader
    would mark: shared shingles that follow each other in both texts (up to `gap` shingles
    apart, so a changed word does not cut a stretch) make one stretch; each place of either
    text belongs to one stretch at most, the longest first, so a phrase repeated in one essay
    does not point at an unrelated place of the other; a lone shingle (a stock phrase of
    five syllables) is no stretch. `shared`: the pair's shared rare shingles (sorted)."""
    ta, tb = read(root / rel_a), read(root / rel_b)
    words_a, starts_a, ends_a = hashes_with_spans(ta.original, ta.encoding)
    words_b, starts_b, ends_b = hashes_with_spans(tb.original, tb.encoding)
    ha, hb = shingles_of(words_a), shingles_of(words_b)
    stretches = copied_stretches(ha, hb, shared, gap)
    return [{"a_start": int(starts_a[i0]), "a_end": int(ends_a[i1 + K - 1]),
             "b_start": int(starts_b[j0]), "b_end": int(ends_b[j1 + K - 1])} for i0, i1, j0, j1 in stretches]


def copied_stretches(ha: np.ndarray, hb: np.ndarray, shared: np.ndarray, gap: int = 3) -> list[tuple]:
    """(first, last shingle in A, first, last shingle in B) of each copied stretch, in A's order."""
    in_a = np.flatnonzero(_isin_sorted(ha, shared))
    in_b = np.flatnonzero(_isin_sorted(hb, shared))
    places: dict[int, list[int]] = {}
    for j, h in zip(in_b.tolist(), hb[in_b].tolist(), strict=True):
        found = places.setdefault(h, [])
        if len(found) < MAX_PLACES:
            found.append(j)
    matches = sorted((j - i, i) for i, h in zip(in_a.tolist(), ha[in_a].tolist(), strict=True)
                     for j in places.get(h, ()))
    # runs along one diagonal (the same shift between A and B)
    runs, current = [], None
    for shift, i in matches:
        if current and current[0] == shift and i - current[2] <= gap + 1:
            current[2] = i
            current[3] += 1
        else:
            current = [shift, i, i, 1]
            runs.append(current)
    # the longest first; a run overlapping one already taken, in A or in B, is the same text again
    taken: list[tuple] = []
    for shift, i0, i1, _count in sorted(runs, key=lambda r: (-r[3], r[1])):
        j0, j1 = i0 + shift, i1 + shift
        if any(i0 <= b1 and a0 <= i1 or j0 <= d1 and c0 <= j1 for a0, b1, c0, d1 in taken):
            continue
        taken.append((i0, i1, j0, j1))
    # neighbours in both texts join (a word added or dropped shifts the diagonal by one)
    merged: list[list] = []
    for i0, i1, j0, j1 in sorted(taken):
        last = merged[-1] if merged else None
        if last and i0 - last[1] <= gap + K and abs(j0 - last[3]) <= gap + K and j0 > last[2]:
            last[1], last[3] = max(last[1], i1), max(last[3], j1)
        else:
            merged.append([i0, i1, j0, j1])
    return [tuple(m) for m in merged if m[1] > m[0]]  # a lone shingle is no stretch


def _passages_batch(root: str, items: list[tuple[str, str, np.ndarray]]) -> list[list[dict]]:
    return [passages(Path(root), a, b, shared) for a, b, shared in items]


# --- the whole scan ---------------------------------------------------------------------------

def scan(root: Path, options: Options, progress: Callable[[str, int, int], None] | None = None) -> dict:
    """Scan every essay under root. progress(stage, done, total) is called as work advances."""
    # Hundreds of thousands of long-lived objects make the cyclic collector rescan
    # them again and again; they hold no cycles, so it is paused for the scan.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        if options.dask:
            from dangvu.integrity.distributed import scan_on_cluster

            return scan_on_cluster(Path(root), options, progress or (lambda stage, done, total: None))
        return _scan(Path(root), options, progress)
    finally:
        if was_enabled:
            gc.enable()


def _scan(root: Path, options: Options, progress) -> dict:
    report = progress or (lambda stage, done, total: None)
    rels = list_files(root)
    excluded = excluded_shingles(options.exclude)
    report("read", 0, len(rels))
    with executor(options, len(rels)) as run, ThreadPoolExecutor(2) as threads:
        chunks, errors, counts = read_all(run, root, rels, report)
        paths = [p for c in chunks for p in c.paths]

        # Excluded text and text common to very many essays are both left out of
        # every score, denominator included, and of the writer's own words. Two
        # threads share the chunks: numpy lets go of the GIL for the heavy parts.
        report("compare", 0, len(paths))
        left_out = LeftOut(chunks, counts, options.max_df, excluded, threads)

        def split(k):
            return split_common(chunks[k], *left_out.find(k, chunks[k]), options.min_words, options.common_share)

        splits = list(threads.map(split, range(len(chunks))))
        thin = [p for p, t in zip(paths, np.concatenate([s.thin for s in splits] or [[]]), strict=True) if t]
        rare = RareShingles(chunks)
        edges, copy_groups = _pairs_and_groups(rare, options, report, threads)
        source_groups = common_source_groups(
            np.concatenate([s.source_essays for s in splits] or [np.empty(0, np.int64)]),
            np.concatenate([s.source_keys for s in splits] or [np.empty((0, 3), np.uint64)]))
        groups = copy_groups + source_groups

        ordered = sorted(edges, key=lambda e: (-e[2], paths[e[0]], paths[e[1]]))
        items = [(paths[i], paths[j], np.intersect1d(rare[i], rare[j], assume_unique=True)) for i, j, _s in ordered]
        found = []
        report("passages", 0, len(items))
        batches = _batches(items, 50)
        for batch in run(_passages_batch, [str(root)] * len(batches), batches):
            found += batch
            report("passages", len(found), len(items))
    pairs = [{"a": paths[i], "b": paths[j], "score": round(s, 6), "passages": p}
             for (i, j, s), p in zip(ordered, found, strict=True)]
    return {
        "essays": len(rels),
        "pairs": pairs,
        "clusters": sorted([sorted(paths[i] for i in g) for g in groups], key=lambda g: (-len(g), g)),
        "thin": sorted(thin),
        "errors": sorted(errors, key=lambda e: e["file"]),
    }


def _pairs_and_groups(rare: RareShingles, options: Options, report, threads) -> tuple[list, list]:
    """Verified pairs above the threshold, and the groups that copied from each other."""
    sizes = rare.sizes
    mask, rate = candidate_rule(sizes.size)
    keys = rare.packed_keys(mask, threads)

    def needed(i, j):
        return keys_needed(options.threshold, np.minimum(sizes[i], sizes[j]), rate)

    candidates = shared_key_pairs(*keys, needed)

    edges = []
    for n, (i, j) in enumerate(candidates.tolist()):
        s = score(rare[i], rare[j])
        if s >= options.threshold:
            edges.append((i, j, s))
        if n % 5000 == 0:
            report("compare", n, len(candidates))
    report("compare", len(candidates), len(candidates))
    return copy_groups_of(edges)


def candidate_rule(essays: int) -> tuple[np.uint64 | None, float]:
    """Which rare shingles are keys (the mask their low bits must clear; None: all), and how
    many of a pair's shared rare shingles its keys must hold, as a share.

    Up to SMALL_CORPUS essays every rare shingle is a key: the shared count is the score's
    numerator. Beyond, one key in eight, and half the keys a pair at the threshold would
    share: a pair at containment 0.5 is then missed with odds below 1 in 1,000 even for
    150-word essays (1 in 10^7 at 600 words); one exactly at the 0.3 threshold, below 1 in
    50 at 150 words and 1 in 600 at 600 words."""
    return (None, 1.0) if essays <= SMALL_CORPUS else (SAMPLE_MASK, 1 / 8 * 0.5)


def keys_needed(threshold: float, smaller: np.ndarray, rate: float) -> np.ndarray:
    """Keys a pair must share to be a candidate, from the smaller essay's rare shingles."""
    return np.floor(threshold * smaller * rate - 1e-9)


def copy_groups_of(edges: list) -> tuple[list, list]:
    """The verified pairs to report, and the groups that copied from each other (nodes as
    the edges name them: numbers, or paths)."""
    uf = _UnionFind()
    for i, j, _s in edges:
        uf.union(i, j)
    copy_groups = uf.groups()
    return _thin_out_big_groups(edges, copy_groups), copy_groups


def _thin_out_big_groups(edges, groups) -> list:
    """In a group of more than BIG_CLUSTER essays keep only each essay's best match:
    the group is reported once as a cluster, not as n² pairs."""
    big = {i: k for k, g in enumerate(groups) if len(g) > BIG_CLUSTER for i in g}
    if not big:
        return edges
    best: dict[int, tuple] = {}
    kept = []
    for edge in edges:
        i, j, s = edge
        if i not in big:
            kept.append(edge)
            continue
        for x in (i, j):
            if x not in best or s > best[x][2]:
                best[x] = edge
    return kept + sorted(set(best.values()))
