"""The whole copy check on a Dask cluster, where no node holds the corpus.

The in-process scan (scan.py) keeps every fingerprint in one process, about 12 KB an
essay. Here every step runs on the workers, on partitions whose size follows from the
workers' memory limit, and the client holds only what it reports:

1. Read: the workers fingerprint partitions of consecutive files. The client streams the
   folder's listing and keeps a few partitions in flight; it never holds the whole list.
2. Document frequencies, by a shuffle on the shingle hash: each partition sends every
   shingle, with its essay's number, to the part of the hash's top bits. A part counts
   its shingles exactly: those in more than max_df essays are common (the scan's rule).
   The same part, knowing which of its shingles are rare, lists the pairs of essays that
   share its candidate keys (every rare shingle, or one in eight when large, as in
   process), with how many keys they share.
3. A shuffle back, by partition, tells each partition which of its shingles are common: a
   part marks the rows it received, a bit a row (they came in each partition's order), so no
   task ever holds the corpus's whole common set; the partition leaves them and the excluded out
   (thin essays and essays built on a common source are found there, by the scan's own
   functions).
4. A second shuffle, by a pair's first essay, sums the pairs' shared keys across parts:
   a pair sharing enough keys is a candidate.
5. A third, by essay, brings each candidate's second essay's shingles to its first
   essay's partition, where the pair is scored exactly: each range of first essays asks the
   partitions holding its second essays, directly where it asks few, else by a shuffle of
   the requests to the holders and one of the answers back.
6. The client receives the pairs at or above the threshold, the thin essays, the
   common-source keys and the errors; the reported pairs' passages are found on the
   workers, from the files and the two essays' rare shingles.

The shuffles run in stages (shuffle.py) where partitions or parts outnumber Plan.branch and
stages make fewer tasks: a task then reads at most that many pieces, and the graph grows as
N log N with the corpus instead of as partitions × parts, its square (a million essays on
2 GB workers: 12,732 tasks a shuffle instead of 134,919).

Dask keeps the partitions between steps and spills them to disk past its memory target.
The result is the in-process scan's, pair for pair and score for score: essays are
numbered differently, so everything that depended on numbers is taken by paths, whose
order the in-process scan's numbers follow.
"""

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from dangvu.integrity.fingerprints import Batch, fingerprint_batch
from dangvu.integrity.scan import (
    Options,
    _isin_sorted,
    candidate_rule,
    common_source_groups,
    copy_groups_of,
    doc_bits,
    excluded_shingles,
    keys_needed,
    pack_keys,
    passages,
    score,
    shared_key_counts,
    split_common,
    walk_files,
)
from dangvu.integrity.shingles import EMPTY
from dangvu.integrity.shuffle import BRANCH, shuffle

ESSAY_BYTES = 16 * 1024  # a partition's fingerprints, an essay (measured: 11.7 KB)
PARTITION_SHARE = 32  # a partition's fingerprints take at most this share of a worker's memory
PART_SHARE = 64  # so does one part of a shuffle (a task holds a few at once, and numpy's temporaries)
NO_LIMIT = 4 * 2**30  # sizes partitions for a worker with no memory limit
IN_FLIGHT = 3  # partitions being read per worker thread
LOW32 = np.int64(0xFFFF_FFFF)  # an essay's number in a request's key (range << 32 | essay)
PASSAGE_KEYS = ("a_start", "a_end", "b_start", "b_end")  # a passage's offsets, in a row of Pairs' arrays


@dataclass(frozen=True)
class Plan:
    """Partition sizes, from the smallest worker memory limit on the cluster."""
    partition: int  # essays a worker reads and keeps together
    part_bytes: int  # bytes of shingles a part of a shuffle holds
    parts: int = 0  # parts of the hash shuffle (a power of two); 0: from part_bytes and the corpus
    branch: int = BRANCH  # the most pieces a task of a shuffle reads: beyond, the exchange has stages

    @classmethod
    def for_cluster(cls, client, essays_per_partition: int = 0) -> "Plan":
        limits = [w.get("memory_limit") or NO_LIMIT for w in client.scheduler_info()["workers"].values()]
        memory = min(limits or [NO_LIMIT])
        partition = essays_per_partition or int(min(max(memory // (PARTITION_SHARE * ESSAY_BYTES), 100), 20_000))
        return cls(partition, max(memory // PART_SHARE, 1 << 20))


class ClusterUnreachable(Exception):
    """No scheduler answered at the address, or it had no worker, within the time allowed."""


def scan_on_cluster(root: Path, options: Options, report: Callable) -> dict:
    from distributed import Client

    try:
        client = Client(options.dask, timeout=options.dask_timeout)
        client.wait_for_workers(1, timeout=options.dask_timeout)  # a scheduler alone would wait for ever
    except OSError as exc:  # distributed's connection and wait timeouts are OSErrors
        if "client" in locals():
            client.close()
        raise ClusterUnreachable(f"Không kết nối được cụm máy Dask tại {options.dask} "
                                 f"trong {options.dask_timeout:g} giây.") from exc
    with client:
        return _scan(client, Path(root), options, report)


# --- the listing, streamed ------------------------------------------------------------------

def _partitions(root: Path, size: int) -> Iterator[list[str]]:
    batch = []
    for rel in walk_files(root):
        batch.append(rel)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


# --- tasks that run on the workers ----------------------------------------------------------

def _given(value):
    return value


def _read_partition(root: str, rels: list[str]) -> tuple[Batch, dict]:
    batch = fingerprint_batch(root, rels)
    return batch, {"essays": len(batch), "shingles": int(batch.shingles.size), "errors": batch.errors}


def _numbered(batch: Batch, first: int) -> Batch:
    return replace(batch, first=first, errors=[])


def _shingle_rows(chunk: Batch) -> tuple[np.ndarray, np.ndarray]:
    """The rows of the hash shuffle: the chunk's shingles with their essays' scan-wide numbers."""
    essay = np.repeat(np.arange(chunk.first, chunk.first + len(chunk), dtype=np.int32), chunk.counts)
    return chunk.shingles, essay


def _by_hash(rows: tuple, top_bits: int) -> np.ndarray:
    """A shingle's part: the top bits of its hash."""
    if top_bits == 0:
        return np.zeros(rows[0].size, np.int64)
    return (rows[0] >> np.uint64(64 - top_bits)).astype(np.int64)


def _by_first_essay(rows: tuple, bits: int, ranges: np.ndarray) -> np.ndarray:
    """A pair's range: the partition of its first essay (code = i << bits | j)."""
    return np.searchsorted(ranges, rows[0] >> np.int64(bits), side="right") - 1


def _by_holder(rows: tuple, ranges: np.ndarray) -> np.ndarray:
    """A request's partition: the one holding the essay asked for."""
    return np.searchsorted(ranges, rows[0] & LOW32, side="right") - 1


def _by_asker(rows: tuple) -> np.ndarray:
    """An answer's partition: the range that asked."""
    return rows[0] >> np.int64(32)


def _count_part(pieces: list[tuple[np.ndarray, np.ndarray]], excluded: np.ndarray, max_df: int, bits: int,
                mask: np.uint64 | None, ranges: np.ndarray) -> tuple[tuple[np.ndarray, np.ndarray],
                                                                     tuple[np.ndarray, np.ndarray]]:
    """One part of the hash shuffle: which of its rows are common, as bits to send back to the
    partitions they came from (`_common_bits`); and the pairs of essays sharing its candidate
    keys (codes in ascending order) with how many they share."""
    values = np.concatenate([v for v, _e in pieces] or [EMPTY])
    essays = np.concatenate([e for _v, e in pieces] or [np.empty(0, np.int32)])
    order = np.argsort(values, kind="stable")
    values, sorted_essays = values[order], essays[order]
    starts = np.flatnonzero(np.r_[True, values[1:] != values[:-1]]) if values.size else np.empty(0, np.int64)
    df = np.diff(starts, append=values.size)
    common = values[starts[df > max_df]]
    common = common[~_isin_sorted(common, excluded)]
    is_common = _isin_sorted(values, common)
    rare = ~is_common & ~_isin_sorted(values, excluded)
    if mask is not None:
        rare &= (values & mask) == 0
    pairs = shared_key_counts(pack_keys(values[rare], sorted_essays[rare], bits), bits)
    arrived = np.empty_like(is_common)
    arrived[order] = is_common
    return _common_bits(arrived, essays, ranges), pairs


def _common_bits(is_common: np.ndarray, essays: np.ndarray, ranges: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A part's rows, in the order they arrived (each partition's in its own order, partitions
    in turn: the shuffle keeps it), marked common or not, as rows of the shuffle back: 64 marks
    of one partition a word, each partition's padded to whole words, with the partition's
    number. A 64th of what came (a common shingle is in most essays' text: sending the shingles
    back would be nearly the first shuffle again)."""
    held = np.searchsorted(ranges, essays, side="right") - 1  # non-decreasing: partitions in turn
    partitions, firsts, counts = np.unique(held, return_index=True, return_counts=True)
    words, owners = [], []
    for c, first, n in zip(partitions.tolist(), firsts.tolist(), counts.tolist(), strict=True):
        packed = np.packbits(is_common[first:first + n], bitorder="little")
        packed = np.pad(packed, (0, -packed.size % 8))
        words.append(packed.view("<u8"))
        owners.append(np.full(packed.size // 8, c, np.int32))
    return (np.concatenate(words or [np.empty(0, "<u8")]), np.concatenate(owners or [np.empty(0, np.int32)]))


def _by_partition(rows: tuple) -> np.ndarray:
    """A word of marks' partition: the one whose rows they mark."""
    return rows[1].astype(np.int64)


def _marks(chunk: Batch, words: list[tuple[np.ndarray, np.ndarray]], top_bits: int) -> np.ndarray:
    """Whether each of the chunk's shingles is common, from the parts' words: the chunk sent its
    shingles to the parts in its own order, so part p's marks follow the chunk's shingles with
    hash p, and the parts' words arrive in the parts' order."""
    values = chunk.shingles
    part = _by_hash((values,), top_bits)
    order = np.argsort(part, kind="stable")
    n = np.bincount(part, minlength=1 << top_bits).astype(np.int64)
    per_part = (n + 63) // 64  # words of marks from each part
    got = sum(w.size for w, _c in words)
    if got != per_part.sum():  # marks match by position: a partition read again differently
        raise RuntimeError(f"{chunk.paths[0] if len(chunk) else '-'}…: {got} words of marks for "
                           f"{int(per_part.sum())} expected; the files changed during the scan")
    bits = np.unpackbits(np.concatenate([w for w, _c in words] or [np.empty(0, "<u8")]).view(np.uint8),
                         bitorder="little").astype(bool)
    word_starts = np.r_[0, np.cumsum(per_part)][:-1] * 64  # where part p's marks begin
    row_starts = np.r_[0, np.cumsum(n)][:-1]  # where its rows begin among the chunk's, in part order
    at = np.repeat(word_starts - row_starts, n) + np.arange(values.size)
    marks = np.empty(values.size, bool)
    marks[order] = bits[at]
    return marks


def _first(pair):
    return pair[0]


def _second(pair):
    return pair[1]


def _split(chunk: Batch, common: list[tuple[np.ndarray, np.ndarray]], excluded: np.ndarray, min_words: int,
           share: float, top_bits: int) -> tuple[Batch, dict]:
    """The chunk holding only its essays' rare shingles, and what leaving the rest found.
    `common`: the words marking which of its shingles are common, from the parts in order."""
    is_common = _marks(chunk, common, top_bits)
    chunk = replace(chunk)  # split_common rewrites the chunk's arrays: never the stored one's
    values = chunk.shingles
    dropped = np.flatnonzero(is_common | _isin_sorted(values, excluded))
    found = split_common(chunk, dropped, np.flatnonzero(is_common), min_words, share)
    thin = [chunk.paths[i] for i in np.flatnonzero(found.thin).tolist()]
    return chunk, {"thin": thin, "sources": found.source_essays, "keys": found.source_keys}


def _sizes(chunk: Batch) -> np.ndarray:
    return chunk.counts.astype(np.int32)


def _all_sizes(sizes: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(sizes)


def _candidates(pieces: list[tuple[np.ndarray, np.ndarray]], size: np.ndarray, bits: int,
                rate: float, threshold: float, r: int) -> tuple[np.ndarray, tuple[np.ndarray]]:
    """Range r of first essays: the pairs sharing enough keys across all parts, and the
    requests for their second essays' shingles (keys r << 32 | essay)."""
    codes = np.concatenate([c for c, _n in pieces] or [np.empty(0, np.int64)])
    counts = np.concatenate([n for _c, n in pieces] or [np.empty(0, np.int64)])
    if codes.size:
        codes, where = np.unique(codes, return_inverse=True)
        counts = np.bincount(where, weights=counts).astype(np.int64)
    i, j = codes >> np.int64(bits), codes & np.int64((1 << bits) - 1)
    keep = (counts >= 2) & (counts >= keys_needed(threshold, np.minimum(size[i], size[j]), rate))
    pairs = np.stack([i[keep], j[keep]], axis=1)
    return pairs, ((np.int64(r) << np.int64(32)) | np.unique(pairs[:, 1]),)


def _holders(requests: tuple[np.ndarray], ranges: np.ndarray) -> np.ndarray:
    """The partitions holding the essays a range asks for."""
    return np.unique(_by_holder(requests, ranges))


def _answer(chunk: Batch, pieces: list[tuple[np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """The rare shingles of the essays asked of this chunk, a row a shingle, each keyed by
    the request (range << 32 | essay), to travel to the range that asked."""
    keys = np.concatenate([p[0] for p in pieces] or [np.empty(0, np.int64)])
    wanted = (keys & LOW32) - chunk.first
    mine = (wanted >= 0) & (wanted < len(chunk))  # a range's requests, sent whole to each holder
    keys, wanted = keys[mine], wanted[mine]
    counts = chunk.counts[wanted]
    offsets = np.r_[0, np.cumsum(counts)]
    index = np.repeat(chunk.offsets[wanted] - offsets[:-1], counts) + np.arange(offsets[-1])
    return np.repeat(keys, counts), chunk.shingles[index]


def _verify(chunk: Batch, pairs: np.ndarray, pieces: list[tuple[np.ndarray, np.ndarray]],
            threshold: float) -> np.ndarray:
    """Exact scores of the candidates whose first essay this chunk holds: (i, j, score) rows
    at or above the threshold."""
    keys = np.concatenate([k for k, _s in pieces] or [np.empty(0, np.int64)])
    shingles = np.concatenate([s for _k, s in pieces] or [EMPTY])
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if keys.size else np.empty(0, np.int64)
    ends = np.r_[starts[1:], keys.size][:starts.size]
    found = {key & 0xFFFF_FFFF: shingles[a:b]
             for key, a, b in zip(keys[starts].tolist(), starts.tolist(), ends.tolist(), strict=True)}
    rows = []
    for i, j in pairs.tolist():
        s = score(chunk.essay_shingles(i - chunk.first), found.get(j, EMPTY))
        if s >= threshold:
            rows.append((i, j, s))
    return np.array(rows, dtype=np.float64).reshape(-1, 3)


def _paths_of(chunk: Batch, numbers: np.ndarray) -> list[str]:
    return [chunk.paths[n - chunk.first] for n in numbers.tolist()]


def _passages_batch(root: str, items: list[tuple[str, str, int, int]], chunk_a: Batch,
                    chunk_b: Batch) -> list[np.ndarray]:
    """The passages of pairs whose first essays chunk_a holds and second chunk_b, as Pairs keeps
    them: the shingles they share are those of their rare shingles, as in process."""
    found = []
    for a, b, i, j in items:
        shared = np.intersect1d(chunk_a.essay_shingles(i - chunk_a.first), chunk_b.essay_shingles(j - chunk_b.first),
                                assume_unique=True)
        found.append(np.array([[p[k] for k in PASSAGE_KEYS] for p in passages(Path(root), a, b, shared)],
                              dtype=np.int32).reshape(-1, 4))
    return found


# --- the client's side -------------------------------------------------------------------------

class Pairs(Sequence):
    """The reported pairs, each the dict the in-process scan gives, made when it is read: the
    client keeps a pair's passages as an (n, 4) array of offsets. A million essays report 57,231
    pairs with 1.35 million passages: 450 MB as dicts, 22 MB so."""

    __hash__ = None

    def __init__(self, rows: list[tuple[str, str, float, np.ndarray]]):
        self._rows = rows

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        a, b, score, found = self._rows[i]
        return {"a": a, "b": b, "score": score, "passages": [dict(zip(PASSAGE_KEYS, row, strict=True)) for row in found.tolist()]}

    def __repr__(self) -> str:
        return f"Pairs({list(self)!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Sequence) and len(self) == len(other) and all(
            mine == theirs for mine, theirs in zip(self, other, strict=True))


def _scan(client, root: Path, options: Options, report: Callable, plan: Plan | None = None) -> dict:
    from distributed import as_completed

    plan = plan or Plan.for_cluster(client, options.dask_partition)
    files = sum(1 for _ in walk_files(root))
    # a task's result, not scattered data: a worker lost is recomputed from it, never lost
    excluded = client.submit(_given, excluded_shingles(options.exclude))
    report("read", 0, files)

    # 1. read, a bounded number of partitions in flight
    threads = sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values())
    raw, number, summaries, errors, done = {}, {}, {}, [], 0
    pending = as_completed()
    listing = enumerate(_partitions(root, plan.partition))

    def submit_next() -> bool:
        item = next(listing, None)
        if item is None:
            return False
        k, rels = item
        future = client.submit(_read_partition, str(root), rels, pure=False)
        raw[k] = client.submit(_first, future)
        summary = client.submit(_second, future)
        number[summary.key] = k
        pending.add(summary)
        return True

    for _ in range(IN_FLIGHT * max(threads, 1)):
        submit_next()
    for summary in pending:
        k = number.pop(summary.key)
        summaries[k] = summary.result()
        errors += summaries[k]["errors"]
        done += summaries[k]["essays"] + len(summaries[k]["errors"])
        summary.release()
        report("read", done, files)
        submit_next()

    order = sorted(summaries)
    sizes = np.array([summaries[k]["essays"] for k in order], dtype=np.int64)
    firsts = np.cumsum(sizes) - sizes
    essays = int(sizes.sum())
    chunks = [client.submit(_numbered, raw.pop(k), int(first)) for k, first in zip(order, firsts.tolist(), strict=True)]
    report("compare", 0, essays)

    bits = doc_bits(max(essays, 1))
    shingles = sum(summaries[k]["shingles"] for k in order)
    parts = 1 << max(math.ceil(math.log2(max(plan.parts or shingles * 16 / plan.part_bytes, 1))), 0)
    top_bits = parts.bit_length() - 1
    mask, rate = candidate_rule(essays)
    ranges = client.submit(_given, np.r_[firsts, essays].astype(np.int64))

    # 2. the hash shuffle: common shingles and pairs sharing keys, per part
    rows = [client.submit(_shingle_rows, c) for c in chunks]
    counted = [client.submit(_count_part, pieces, excluded, options.max_df, bits, mask, ranges)
               for pieces in shuffle(client, rows, parts, _by_hash, (top_bits,), plan.branch, "hash")]
    del rows
    common_rows = [client.submit(_first, c) for c in counted]
    pair_rows = [client.submit(_second, c) for c in counted]
    del counted

    # 3. each partition learns which of its shingles are common and leaves them and the excluded out
    commons = shuffle(client, common_rows, len(chunks), _by_partition, (), plan.branch, "common")
    del common_rows
    splits = [client.submit(_split, c, common, excluded, options.min_words, options.common_share, top_bits)
              for c, common in zip(chunks, commons, strict=True)]
    del chunks, commons
    rare = [client.submit(_first, s) for s in splits]
    found = [client.submit(_second, s) for s in splits]
    del splits
    sizes = client.submit(_all_sizes, [client.submit(_sizes, r) for r in rare])

    # 4. the pair shuffle: candidates per range of first essays
    candidates = [client.submit(_candidates, pieces, sizes, bits, rate, options.threshold, r)
                  for r, pieces in enumerate(shuffle(client, pair_rows, len(rare), _by_first_essay, (bits, ranges),
                                                     plan.branch, "pairs"))]
    del pair_rows

    # 5. the essay shuffle: each range asks for its pairs' second essays, their holders answer
    pairs = [client.submit(_first, c) for c in candidates]
    requests = [client.submit(_second, c) for c in candidates]
    del candidates
    verified = [client.submit(_verify, rare[r], pairs[r], answers, options.threshold)
                for r, answers in enumerate(_answers(client, rare, requests, ranges, plan.branch))]
    del pairs, requests
    edges = np.concatenate([v.result() for v in verified] or [np.empty((0, 3))])
    report("compare", essays, essays)

    # 6. what the client reports
    thin, source_essays, source_keys = [], [], []
    for f in found:
        got = f.result()
        thin += got["thin"]
        source_essays.append(got["sources"])
        source_keys.append(got["keys"])
    source_essays = np.concatenate(source_essays or [np.empty(0, np.int64)])
    source_groups = common_source_groups(source_essays, np.concatenate(source_keys or [np.empty((0, 3), np.uint64)]))
    wanted = np.unique(np.r_[edges[:, :2].ravel().astype(np.int64), np.array([x for g in source_groups for x in g],
                                                                             dtype=np.int64)])
    paths = _gather_paths(client, rare, firsts, wanted)
    path_edges = sorted((min(paths[i], paths[j]), max(paths[i], paths[j]), s)
                        for i, j, s in zip(edges[:, 0].astype(np.int64).tolist(),
                                           edges[:, 1].astype(np.int64).tolist(), edges[:, 2].tolist(), strict=True))
    kept, copy_groups = copy_groups_of(path_edges)
    groups = copy_groups + [[paths[i] for i in g] for g in source_groups]
    ordered = sorted(kept, key=lambda e: (-e[2], e[0], e[1]))

    report("passages", 0, len(ordered))
    found_passages = _passages(client, root, rare, firsts, {p: n for n, p in paths.items()},
                               [(a, b) for a, b, _s in ordered], report)
    return {
        "essays": files,
        "pairs": Pairs([(a, b, round(s, 6), found_passages.pop((a, b))) for a, b, s in ordered]),
        "clusters": sorted([sorted(g) for g in groups], key=lambda g: (-len(g), g)),
        "thin": sorted(thin),
        "errors": sorted(errors, key=lambda e: e["file"]),
    }


def _answers(client, rare: list, requests: list, ranges, branch: int) -> list[list]:
    """For each range, the futures of the answers to its requests. Where no range asks more
    than `branch` holders (copies are few), a task per range and holder; else two staged
    shuffles, requests to the holders and answers back, which grow as N log N."""
    holders = [client.submit(_holders, q, ranges) for q in requests]
    if max(client.gather([client.submit(len, h) for h in holders]), default=0) <= branch:
        return [[client.submit(_answer, rare[h], [requests[r]]) for h in found.tolist()]
                for r, found in enumerate(client.gather(holders))]
    del holders
    answers = [client.submit(_answer, rare[h], pieces)
               for h, pieces in enumerate(shuffle(client, requests, len(rare), _by_holder, (ranges,), branch, "requests"))]
    return shuffle(client, answers, len(rare), _by_asker, (), branch, "answers")


def _gather_paths(client, rare: list, firsts: np.ndarray, numbers: np.ndarray) -> dict[int, str]:
    holder = np.searchsorted(firsts, numbers, side="right") - 1
    futures = {}
    for h in np.unique(holder).tolist():
        mine = numbers[holder == h]
        futures[h] = (mine, client.submit(_paths_of, rare[h], mine))
    return {n: p for mine, future in futures.values() for n, p in zip(mine.tolist(), future.result(), strict=True)}


def _passages(client, root: Path, rare: list, firsts: np.ndarray, number: dict[str, int],
              items: list[tuple[str, str]], report: Callable, batch: int = 50) -> dict[tuple[str, str], np.ndarray]:
    """Each pair's passages, in batches of pairs whose essays the same two partitions hold:
    a task then reads two partitions' rare shingles, never the common set."""
    held = {}
    for a, b in items:
        i, j = number[a], number[b]
        key = tuple(int(h) for h in np.searchsorted(firsts, [i, j], side="right") - 1)
        held.setdefault(key, []).append((a, b, i, j))
    futures = [(group[k:k + batch], client.submit(_passages_batch, str(root), group[k:k + batch], rare[ha], rare[hb],
                                                  pure=False))
               for (ha, hb), group in held.items() for k in range(0, len(group), batch)]
    found = {}
    for group, future in futures:
        for (a, b, _i, _j), stretches in zip(group, future.result(), strict=True):
            found[a, b] = stretches
        future.release()
        report("passages", len(found), len(items))
    return found
