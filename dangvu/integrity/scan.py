"""Find copied essays in a folder: fingerprint, find candidates, verify exactly.

1. Fingerprint each file (in parallel, or on a Dask cluster): read, normalise,
   5-gram shingle hashes with their positions.
2. Shingles found in more than `max_df` essays are "common": they come from a
   circulating template or stock phrases. Like the shingles of excluded texts they
   make no candidates, count in no score and are not the writer's own words;
   essays built largely on them are grouped as a common-source cluster.
3. Candidates: essays sharing at least two sampled rare shingles (every shingle
   when the corpus is small, one in eight when large). Sampling only decides
   which pairs are checked, never a score.
4. Every candidate is verified on its full shingle sets: score = shared rare
   shingles / shingles of the shorter essay. Exact, never an estimate.
5. Reported pairs get their copied passages as character offsets in both originals.
"""

import gc
import multiprocessing
import os
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from dangvu.integrity.readers import SUFFIXES, UnreadableFile, read
from dangvu.integrity.shingles import EMPTY, K, shingle_hashes, shingles_of, word_hashes
from dangvu.integrity.vietnamese import raw_words, tokens, tokens_with_spans

SMALL_CORPUS = 5000  # below this every shingle is a candidate key
SAMPLE_MASK = np.uint64(7)  # one in eight above it
BIG_CLUSTER = 10  # above this many members a cluster lists each essay's best match only


@dataclass
class Options:
    threshold: float = 0.3
    min_words: int = 150
    max_df: int = 50
    common_share: float = 0.2  # an essay this much made of common text is grouped by that source
    exclude: list[Path] = field(default_factory=list)
    workers: int = 0  # 0: one per core
    dask: str | None = None


@dataclass
class Fingerprint:
    path: str
    shingles: np.ndarray = field(default_factory=lambda: EMPTY)  # sorted unique
    order: np.ndarray = field(default_factory=lambda: EMPTY)  # shingle at each position, as an index into shingles
    n_tokens: int = 0
    error: str | None = None


# --- step 1: fingerprints -------------------------------------------------------

def list_files(root: Path) -> list[str]:
    """Every .txt/.docx/.pdf under root, as sorted relative POSIX paths."""
    out = []
    base = str(root)
    for dirpath, _dirs, files in os.walk(base):
        prefix = os.path.relpath(dirpath, base).replace(os.sep, "/")
        prefix = "" if prefix == "." else prefix + "/"
        out += [prefix + name for name in files if name.lower().endswith(SUFFIXES) and not name.startswith("~$")]
    return sorted(out)


def text_shingles(text: str, encoding: str = "auto") -> np.ndarray:
    return shingle_hashes(tokens(text, encoding))


def excluded_shingles(paths: Iterable[Path]) -> np.ndarray:
    parts = []
    for path in paths:
        text = read(Path(path))
        parts.append(text_shingles(text.original, text.encoding))
    return np.unique(np.concatenate(parts)) if parts else EMPTY


def fingerprint(root: str, rel: str) -> Fingerprint:
    try:
        text = read(Path(root) / rel)
    except UnreadableFile as exc:
        return Fingerprint(rel, error=str(exc))
    except OSError as exc:
        return Fingerprint(rel, error=f"Không mở được tệp: {exc.strerror}.")
    words, canonical = raw_words(text.original, text.encoding)
    unique, order = np.unique(shingles_of(word_hashes(words, canonical)), return_inverse=True)
    small = np.uint16 if unique.size < 2**16 else np.uint32  # 2 bytes a position, not 8
    return Fingerprint(rel, unique, order.astype(small), len(words))


def _fingerprint_batch(root: str, rels: list[str]) -> list[Fingerprint]:
    return [fingerprint(root, rel) for rel in rels]


def _batches(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


@contextmanager
def executor(options: Options, jobs: int):
    """A map(fn, *lists) that yields results in order: on a Dask cluster, in local
    processes, or right here for small work."""
    if options.dask:
        from distributed import Client

        with Client(options.dask) as client:
            def dask_map(fn, *lists):
                futures = client.map(fn, *lists, pure=False)
                for future in futures:
                    yield future.result()
                    future.release()
            yield dask_map
        return
    workers = options.workers or os.cpu_count() or 1
    if workers == 1 or jobs < 400:
        yield map
        return
    # fork is fastest, but forking a process that runs threads (a web server, a Dask
    # client) can deadlock: then forkserver
    method = "fork" if threading.active_count() == 1 else "forkserver"
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method)) as pool:
        yield pool.map


# --- step 2: common shingles ------------------------------------------------------

def _chunks(prints: list[Fingerprint], size: int = 20_000):
    """Concatenated shingles of `size` essays at a time, with each essay's offsets."""
    for start in range(0, len(prints), size):
        part = prints[start:start + size]
        offsets = np.r_[0, np.cumsum([fp.shingles.size for fp in part])]
        yield part, np.concatenate([fp.shingles for fp in part]), offsets


def common_shingles(prints: list[Fingerprint], max_df: int) -> np.ndarray:
    """Exact: shingles present in more than max_df essays.

    A bucket count (one linear pass) finds the few buckets that can hold such a
    shingle; only the shingles in those buckets are then counted exactly.
    """
    if len(prints) <= max_df:
        return EMPTY
    total = sum(fp.shingles.size for fp in prints)
    # About four shingles a bucket, at most 2^24 buckets (128 MB): even at eleven a
    # bucket, chance alone never lifts one above max_df.
    bits = int(min(max(np.ceil(np.log2(max(total, 1))) - 2, 16), 24))
    shift = np.uint64(64 - bits)
    counts = np.zeros(1 << bits, dtype=np.int64)
    for _part, shingles, _offsets in _chunks(prints):
        counts += np.bincount((shingles >> shift).view(np.int64), minlength=1 << bits)
    hot = counts > max_df
    if not hot.any():
        return EMPTY
    suspects = [shingles[hot[(shingles >> shift).view(np.int64)]] for _p, shingles, _o in _chunks(prints)]
    values, df = np.unique(np.concatenate(suspects), return_counts=True)
    return values[df > max_df]


def _isin_sorted(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    if not sorted_set.size:
        return np.zeros(values.size, dtype=bool)
    idx = np.minimum(np.searchsorted(sorted_set, values), sorted_set.size - 1)
    return sorted_set[idx] == values


def covered_tokens(mask: np.ndarray, n_tokens: int) -> int:
    """How many tokens fall inside at least one shingle whose mask is set
    (token t is covered when a masked shingle starts in t-K+1 … t)."""
    if not mask.any():
        return 0
    starts = np.zeros(n_tokens + 1, dtype=np.int32)
    starts[1:mask.size + 1] = np.cumsum(mask, dtype=np.int32)
    starts[mask.size + 1:] = starts[mask.size]
    t = np.arange(n_tokens)
    return int(np.count_nonzero(starts[t + 1] - starts[np.maximum(t - K + 1, 0)]))


def split_common(prints: list[Fingerprint], common: np.ndarray, excluded: np.ndarray,
                 min_words: int) -> tuple[list[np.ndarray], list[np.ndarray], list[bool]]:
    """For each essay: its rare shingles, its common ones, and whether it is thin
    (fewer than min_words tokens outside excluded and common shingles). Each
    fingerprint's arrays are released once split, so memory does not double."""
    rare, commons, thin = [], [], []
    for part, shingles, offsets in _chunks(prints):
        is_common = _isin_sorted(shingles, common)
        dropped = is_common | _isin_sorted(shingles, excluded)
        for i, fp in enumerate(part):
            d = dropped[offsets[i]:offsets[i + 1]]
            if d.any():
                commons.append(fp.shingles[is_common[offsets[i]:offsets[i + 1]]])
                kept = np.count_nonzero(~d)
                fp.shingles[:kept] = fp.shingles[~d]  # compacted in place: no second copy
                rare.append(fp.shingles[:kept])
            else:
                commons.append(EMPTY)
                rare.append(fp.shingles)
            if fp.n_tokens < min_words:
                thin.append(True)
            elif not d.any():
                thin.append(False)
            else:
                # Each dropped position covers at most K tokens: only near the line count exactly.
                at_positions = d[fp.order]
                dropped_positions = int(np.count_nonzero(at_positions))
                if fp.n_tokens - K * dropped_positions >= min_words:
                    thin.append(False)
                else:
                    thin.append(fp.n_tokens - covered_tokens(at_positions, fp.n_tokens) < min_words)
            fp.shingles = fp.order = EMPTY
    return rare, commons, thin


# --- step 3 and 4: candidates and exact scores --------------------------------------

@lru_cache(maxsize=256)
def _upper_pairs(size: int) -> tuple[np.ndarray, np.ndarray]:
    return np.triu_indices(size, 1)


def candidate_pairs(keys: list[np.ndarray], needed: Callable | None = None) -> np.ndarray:
    """Pairs (i < j) sharing at least two keys (and at least needed[i, j] when a
    function of the two sizes is given), as an (n, 2) array."""
    doc = np.concatenate([np.full(k.size, i, dtype=np.int32) for i, k in enumerate(keys)] or [np.empty(0, np.int32)])
    if doc.size == 0:
        return np.empty((0, 2), dtype=np.int64)
    hashes = np.concatenate(keys)
    order = np.argsort(hashes, kind="stable")
    hashes, doc = hashes[order], doc[order]
    starts = np.flatnonzero(np.r_[True, hashes[1:] != hashes[:-1]])
    sizes = np.diff(np.r_[starts, hashes.size])
    n = len(keys)
    codes = []
    two = starts[sizes == 2]
    codes.append(doc[two].astype(np.int64) * n + doc[two + 1])
    for start, size in zip(starts[sizes > 2].tolist(), sizes[sizes > 2].tolist(), strict=True):
        members = doc[start:start + size].astype(np.int64)
        a, b = _upper_pairs(size)
        codes.append(members[a] * n + members[b])
    codes = np.concatenate(codes)
    unique, counts = np.unique(codes, return_counts=True)
    pairs = np.stack([unique // n, unique % n], axis=1)
    keep = counts >= 2
    if needed is not None:
        keep &= counts >= needed(pairs[:, 0], pairs[:, 1])
    return pairs[keep]


def score(rare_a: np.ndarray, rare_b: np.ndarray) -> float:
    """Share of the shorter essay's own shingles found in the other: exact."""
    shorter = min(rare_a.size, rare_b.size)
    if shorter == 0:
        return 0.0
    return np.intersect1d(rare_a, rare_b, assume_unique=True).size / shorter


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


_SALTS = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F), np.uint64(0x165667B19E3779F9))


def common_source_groups(rare: list[np.ndarray], commons: list[np.ndarray], share: float) -> list[list[int]]:
    """Essays mostly built on shared text, grouped by which text (min-hash keys)."""
    uf = _UnionFind()
    key_nodes: dict[int, int] = {}  # a min-hash key is a node too, numbered below zero
    for i, (own, common) in enumerate(zip(rare, commons, strict=True)):
        if common.size and common.size / (common.size + own.size) >= share:
            uf.find(i)
            with np.errstate(over="ignore"):
                for salt in _SALTS:
                    key = int((common * salt).min())
                    uf.union(i, key_nodes.setdefault(key, -1 - len(key_nodes)))
    groups = [[x for x in g if x >= 0] for g in uf.groups()]
    return [g for g in groups if len(g) > 1]


# --- step 5: passages ---------------------------------------------------------------------

def passages(root: Path, rel_a: str, rel_b: str, shared: np.ndarray, gap: int = 3) -> list[dict]:
    """Copied stretches as character offsets in both original texts."""
    ta, tb = read(root / rel_a), read(root / rel_b)
    tokens_a, spans_a = tokens_with_spans(ta.original, ta.encoding)
    tokens_b, spans_b = tokens_with_spans(tb.original, tb.encoding)
    ha, hb = shingle_hashes(tokens_a), shingle_hashes(tokens_b)
    shared_set = set(shared.tolist())
    first_in_b = {}
    for j, h in enumerate(hb.tolist()):
        if h in shared_set:
            first_in_b.setdefault(h, j)
    runs: list[list[int]] = []  # [a_start, a_end, b_start, b_end] in shingle positions
    for i, h in enumerate(ha.tolist()):
        j = first_in_b.get(h)
        if j is None:
            continue
        if runs and 0 < i - runs[-1][1] <= gap + 1 and 0 < j - runs[-1][3] <= gap + 1:
            runs[-1][1], runs[-1][3] = i, j
        else:
            runs.append([i, i, j, j])
    out = []
    for a0, a1, b0, b1 in runs:
        out.append({"a_start": spans_a[a0][0], "a_end": spans_a[a1 + K - 1][1],
                    "b_start": spans_b[b0][0], "b_end": spans_b[b1 + K - 1][1]})
    return out


def _passages_batch(root: str, items: list[tuple[str, str, np.ndarray]]) -> list[list[dict]]:
    return [passages(Path(root), a, b, shared) for a, b, shared in items]


# --- the whole scan ---------------------------------------------------------------------------

def scan(root: Path, options: Options, progress: Callable[[str, int, int], None] | None = None) -> dict:
    """Scan every essay under root. progress(stage, done, total) is called as work advances."""
    # Hundreds of thousands of long-lived fingerprints make the cyclic collector
    # rescan them again and again (a third of the time at 100,000 essays); they hold
    # no cycles, so it is paused for the scan.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _scan(Path(root), options, progress)
    finally:
        if was_enabled:
            gc.enable()


def _scan(root: Path, options: Options, progress) -> dict:
    report = progress or (lambda stage, done, total: None)
    rels = list_files(root)
    excluded = excluded_shingles(options.exclude)
    done = [0]

    def step(n):
        done[0] += n
        report("read", done[0], len(rels))

    report("read", 0, len(rels))
    with executor(options, len(rels)) as run:
        all_prints = []
        batches = _batches(rels, 200)
        for batch in run(_fingerprint_batch, [str(root)] * len(batches), batches):
            all_prints += batch
            step(len(batch))
        errors = [{"file": fp.path, "error": fp.error} for fp in all_prints if fp.error]
        prints = [fp for fp in all_prints if not fp.error]
        del all_prints

        # Excluded text and text common to very many essays are both left out of
        # every score, denominator included, and of the writer's own words.
        report("compare", 0, len(prints))
        common = np.setdiff1d(common_shingles(prints, options.max_df), excluded, assume_unique=True)
        rare, commons, is_thin = split_common(prints, common, excluded, options.min_words)
        thin = [fp.path for fp, t in zip(prints, is_thin, strict=True) if t]
        paths = [fp.path for fp in prints]
        del prints
        edges, groups = _pairs_and_groups(rare, commons, options, report)
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
        "errors": errors,
    }


def _pairs_and_groups(rare, commons, options: Options, report) -> tuple[list, list]:
    """Verified pairs above the threshold, and the clusters (copy groups, common sources)."""
    sizes = np.array([r.size for r in rare], dtype=np.int64)
    if len(rare) <= SMALL_CORPUS:
        # Every rare shingle is a key: the shared count is the score's numerator.
        keys, rate, slack = rare, 1.0, 1.0
    else:
        # One key in eight: ask for half the keys a pair at the threshold would share.
        # A pair at containment 0.5 is then missed with odds below 1 in 1,000 even for
        # 150-word essays (1 in 10^7 at 600 words); one exactly at the 0.3 threshold,
        # below 1 in 50 at 150 words and 1 in 600 at 600 words.
        keys, rate, slack = [r[(r & SAMPLE_MASK) == 0] for r in rare], 1 / 8, 0.5

    def needed(i, j):
        return np.floor(options.threshold * np.minimum(sizes[i], sizes[j]) * rate * slack - 1e-9)

    candidates = candidate_pairs(keys, needed)

    edges = []
    for n, (i, j) in enumerate(candidates.tolist()):
        s = score(rare[i], rare[j])
        if s >= options.threshold:
            edges.append((i, j, s))
        if n % 5000 == 0:
            report("compare", n, len(candidates))
    report("compare", len(candidates), len(candidates))

    uf = _UnionFind()
    for i, j, _s in edges:
        uf.union(i, j)
    copy_groups = uf.groups()
    edges = _thin_out_big_groups(edges, copy_groups)
    return edges, copy_groups + common_source_groups(rare, commons, options.common_share)


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
